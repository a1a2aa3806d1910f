package rest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/rest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

const draftSlug = "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho"

// TestListPieces: a list whose articles come from the fragment cache is,
// byte for byte, the list encoded afresh, before and after the articles
// change: an edit and a scheduled time passing show on the next request.
func TestListPieces(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	now := time.Now()
	clock := func() time.Time { return now }
	pieces := contenthash.NewCache(8<<20, news.SharedTypes()...)
	cfg := rest.Config{Store: db, Writer: db, Searcher: &news.Searcher{Store: db}, ViewStore: db, Now: clock}
	// Each handler behind a real server; a test header stands for the
	// principal the server's key middleware would set.
	serve := func(h http.Handler) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if role := news.Role(r.Header.Get("X-Test-Role")); role != "" {
				r = r.WithContext(news.WithPrincipal(r.Context(), &news.Principal{KeyID: 1, Role: role}))
			}
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	plain := serve(rest.NewHandler(cfg))
	cfg.Pieces = pieces
	kept := serve(rest.NewHandler(cfg))
	get := func(base, path string, role news.Role) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Test-Role", string(role))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return string(body)
	}
	// same checks that the kept handler answers path as the plain one, the
	// first time (rendering the pieces) and the second (copying them).
	same := func(path string, role news.Role) string {
		t.Helper()
		want := get(plain, path, role)
		for i := range 2 {
			if got := get(kept, path, role); got != want {
				t.Fatalf("GET %s (%d): with pieces\n%s\nwithout\n%s", path, i, got, want)
			}
		}
		return want
	}

	paths := []string{
		"/v1/articles?limit=5",
		"/v1/articles?limit=3&fields=title,authors,tags",
		"/v1/articles?limit=2&fields=bodyHtml",
		"/v1/articles?limit=4&category=thoi-su",
		"/v1/articles/" + seedSlug + "/related",
		"/v1/articles?limit=100&tag=khong-co",
	}
	for _, p := range paths {
		same(p, "")
	}
	if !strings.Contains(same("/v1/articles?limit=5", ""), `"nextCursor":"`) {
		t.Error("the page of 5 has no next cursor")
	}
	if got := same("/v1/articles?limit=100&tag=khong-co", ""); got != "{\"items\":[]}\n" {
		t.Errorf("an empty list: %q", got)
	}
	if hits, _, _ := pieces.Stats(); hits == 0 {
		t.Fatal("no list took an article from the cache")
	}

	// An edit: the next list shows it.
	first, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := first.Items[0]
	if _, err := db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: ptr("Tiêu đề đã sửa")}); err != nil {
		t.Fatal(err)
	}
	if got := same("/v1/articles?limit=5", ""); !strings.Contains(got, "Tiêu đề đã sửa") {
		t.Errorf("after an edit the list shows %s", got)
	}

	// A story scheduled an hour ahead is SCHEDULED to an editor, then
	// PUBLISHED once the clock passes its time, from the same view.
	draft, err := db.Preview().ArticleBySlug(ctx, draftSlug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishArticle(ctx, draft.ID, now.Add(time.Hour), time.Time{}); err != nil {
		t.Fatal(err)
	}
	path := "/v1/articles?status=scheduled&fields=status"
	entry := `"slug":"` + draftSlug + `","status":`
	if got := same(path, news.RoleEditor); !strings.Contains(got, entry+`"SCHEDULED"`) {
		t.Fatalf("scheduled: %s", got)
	}
	now = now.Add(2 * time.Hour)
	if got := same(path, news.RoleEditor); !strings.Contains(got, entry+`"PUBLISHED"`) {
		t.Errorf("after its time: %s", got)
	}
}
