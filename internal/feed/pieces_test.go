package feed_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// fragmentHits reads the fragment cache's hits from e's /metrics.
func fragmentHits(t *testing.T, e *servertest.Env) int {
	t.Helper()
	return e.Metric(t, `newsdesk_fragment_cache_requests_total{result="hit"}`)
}

// TestItemPiecesFollowEdits: RSS items, Atom entries and JSON Feed items kept in the
// fragment cache make feeds byte for byte the ones encoded whole, on the
// first request and the next, for the public and for partners; after an
// edit of a story, a rename of its author and of its category, the next
// feed shows the new text.
func TestItemPiecesFollowEdits(t *testing.T) {
	ctx := context.Background()
	c := servertest.NewClock()
	db := sqlitetest.OpenDemo(t, sqlite.Options{Now: c.Now})
	// One server encodes every item afresh, the other keeps the pieces.
	whole, kept := servertest.StartPieces(t, db, c)
	paths := []string{"/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/feeds/category/thoi-su/rss.xml", "/feeds/tag/duong-kinh/atom.xml", "/feeds/author/thu-ha/feed.json"}
	same := func(when string) {
		t.Helper()
		for _, p := range paths {
			for _, role := range []news.Role{"", news.RolePartner} {
				// Twice: encoded and kept, then copied.
				for range 2 {
					if got, want := kept.GetOK(t, p, role), whole.GetOK(t, p, role); got != want {
						t.Fatalf("%s, %s (%q): the feed of kept items differs from the whole one:\n%s\nwant\n%s", when, p, role, got, want)
					}
				}
			}
		}
	}
	same("at first")
	if kept.GetOK(t, paths[0], "") == kept.GetOK(t, paths[0], news.RolePartner) {
		t.Fatal("a partner's feed is the public one: the partner key was not used")
	}
	hits := fragmentHits(t, kept)
	if hits == 0 {
		t.Fatal("no feed took an item from the cache")
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
	for _, role := range []news.Role{"", news.RolePartner} {
		for _, p := range paths[:3] {
			got := kept.GetOK(t, p, role)
			for _, want := range []string{title, author} {
				if !strings.Contains(got, want) {
					t.Errorf("%s (%q) lacks %q", p, role, want)
				}
			}
			if p == "/feeds/rss.xml" && !strings.Contains(got, "<category>"+category+"</category>") {
				t.Errorf("%s (%q) lacks the category's new name", p, role)
			}
		}
	}
	if h := fragmentHits(t, kept); h <= hits {
		t.Errorf("no hits after the edits: %d, then %d", hits, h)
	}
}
