package feed_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// asPartner serves h to a partner when the request says so (X-Partner),
// as the server's key middleware would.
func asPartner(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Partner") != "" {
			r = r.WithContext(news.WithPrincipal(r.Context(), &news.Principal{Role: news.RolePartner}))
		}
		h.ServeHTTP(w, r)
	})
}

// TestItemPiecesFollowEdits: RSS items, Atom entries and JSON Feed items kept in the
// fragment cache make feeds byte for byte the ones encoded whole, on the
// first request and the next, for the public and for partners; after an
// edit of a story, a rename of its author and of its category, the next
// feed shows the new text.
func TestItemPiecesFollowEdits(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	ctx := context.Background()
	pieces := contenthash.NewCache(4<<20, news.SharedTypes()...)
	now := func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }
	cfg := feed.Config{Store: db, PublicURL: "https://tin.example", SiteName: "Tin", Now: now}
	whole := httptest.NewServer(asPartner(feed.NewHandler(cfg)))
	defer whole.Close()
	cfg.Pieces = pieces
	kept := httptest.NewServer(asPartner(feed.NewHandler(cfg)))
	defer kept.Close()

	get := func(base, path string, partner bool) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if partner {
			req.Header.Set("X-Partner", "1")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		return string(body)
	}
	paths := []string{"/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/feeds/category/thoi-su/rss.xml", "/feeds/tag/duong-kinh/atom.xml", "/feeds/author/thu-ha/feed.json"}
	same := func(when string) {
		t.Helper()
		for _, p := range paths {
			for _, partner := range []bool{false, true} {
				// Twice: encoded and kept, then copied.
				for range 2 {
					if got, want := get(kept.URL, p, partner), get(whole.URL, p, partner); got != want {
						t.Fatalf("%s, %s (partner %v): the feed of kept items differs from the whole one:\n%s\nwant\n%s", when, p, partner, got, want)
					}
				}
			}
		}
	}
	same("at first")
	hits, misses, held := pieces.Stats()
	if hits == 0 || misses == 0 || held <= 0 {
		t.Fatalf("pieces: %d hits, %d misses, %d bytes", hits, misses, held)
	}

	// The newest story of the site feed, its first author and its category.
	l, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 1})
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("%v, %d", err, len(l.Items))
	}
	views, err := news.LoadViews(ctx, db, l.Items, news.ViewParts{Authors: true})
	if err != nil || len(views[0].Authors) == 0 || views[0].Category == nil {
		t.Fatalf("%v: %+v", err, views[0])
	}
	a := l.Items[0]
	title := "Tiêu đề mới sau khi biên tập"
	if _, err := db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	author := "Nguyễn Văn Đổi Tên"
	if _, err := db.UpdateAuthor(ctx, views[0].Authors[0].ID, news.AuthorUpdate{Name: &author}); err != nil {
		t.Fatal(err)
	}
	category := "Chuyên mục đổi tên"
	if _, err := db.UpdateCategory(ctx, views[0].Category.ID, news.CategoryUpdate{Name: &category}); err != nil {
		t.Fatal(err)
	}
	same("after the edits")
	for _, partner := range []bool{false, true} {
		for _, p := range paths[:3] {
			got := get(kept.URL, p, partner)
			for _, want := range []string{title, author} {
				if !strings.Contains(got, want) {
					t.Errorf("%s (partner %v) lacks %q", p, partner, want)
				}
			}
			if p == "/feeds/rss.xml" && !strings.Contains(got, "<category>"+category+"</category>") {
				t.Errorf("%s (partner %v) lacks the category's new name", p, partner)
			}
		}
	}
	if h, _, _ := pieces.Stats(); h <= hits {
		t.Errorf("no hits after the edits: %d, then %d", hits, h)
	}
}
