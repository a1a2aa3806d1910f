package httpcache_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/httpcache"
)

// Two URLs whose answers carry the same ETag (here set by the handler; an
// attacker can make xxHash collide) each get their own compressed body,
// again and again: the memo of compressed bodies never crosses URLs, and
// keeps no private answer.
func TestCompressedBodiesStayWithTheirURL(t *testing.T) {
	h := httpcache.Middleware(httpcache.Options{Private: func(r *http.Request) bool { return r.URL.Query().Has("key") }},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("ETag", `"same"`)
			io.WriteString(w, `{"page":"`+r.URL.Path+r.URL.RawQuery+`","pad":"`+strings.Repeat("x", 2000)+`"}`)
		}))
	get := func(url string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not compressed", url)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	for range 2 {
		for _, url := range []string{"/a", "/b", "/a?key=secret", "/a?key=other"} {
			want := `{"page":"` + strings.TrimPrefix(strings.ReplaceAll(url, "?", ""), "") + `"`
			if got := get(url); !strings.HasPrefix(got, want) {
				t.Errorf("%s answered %.40s…, want %s…", url, got, want)
			}
		}
	}
}
