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
	h := httpcache.Middleware(httpcache.Options{Private: func(r *http.Request) bool { return r.Header.Get("Authorization") != "" }},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("ETag", `"same"`)
			io.WriteString(w, `{"page":"`+r.URL.Path+r.Header.Get("Authorization")+`","pad":"`+strings.Repeat("x", 2000)+`"}`)
		}))
	get := func(url, key string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if key != "" {
			req.Header.Set("Authorization", key)
		}
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
	// Each URL, and each key on one URL, gets its own body, again and again.
	for range 2 {
		for _, c := range []struct{ url, key string }{{"/a", ""}, {"/b", ""}, {"/a", "Bearer one"}, {"/a", "Bearer two"}} {
			want := `{"page":"` + c.url + c.key + `"`
			if got := get(c.url, c.key); !strings.HasPrefix(got, want) {
				t.Errorf("%s with key %q answered %.40s…, want %s…", c.url, c.key, got, want)
			}
		}
	}
}

func TestCarriesKey(t *testing.T) {
	for _, c := range []struct {
		target, auth string
		want         bool
	}{
		{"/feeds/rss.xml", "", false},
		{"/feeds/rss.xml?page=2", "", false},
		{"/feeds/rss.xml?key=nd_1_x", "", true},
		{"/feeds/rss.xml?page=2&key=nd_1_x", "", true},
		{"/feeds/rss.xml?monkey=1", "", true}, // on the safe side
		{"/v1/articles", "Bearer nd_1_x", true},
	} {
		r := httptest.NewRequest(http.MethodGet, c.target, nil)
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		if got := httpcache.CarriesKey(r); got != c.want {
			t.Errorf("%s (Authorization %q): %v, want %v", c.target, c.auth, got, c.want)
		}
	}
}
