package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func searchSlugs(t *testing.T, s *news.Searcher, q string) []string {
	t.Helper()
	l, err := s.Search(context.Background(), news.SearchRequest{Query: q, Order: news.OrderNewest}, news.Page{Limit: 100})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range l.Items {
		out = append(out, h.Article.Slug)
	}
	return out
}

// TestSearchIndexFollowsWrites edits articles with plain SQL, as any write
// path does, and checks the triggers keep the index in the same
// transaction: new words found, old words gone, unpublished and deleted
// stories gone, the rebuild reproducing the same index.
func TestSearchIndexFollowsWrites(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	s := &news.Searcher{Store: db}
	ctx := context.Background()
	const slug = "kham-pha-khu-rung-co-quanh-chua-thanh-mai"
	if got := searchSlugs(t, s, "chùa Thanh Mai"); len(got) == 0 || got[0] != slug {
		t.Fatalf("before: %v", got)
	}

	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.ExecForTest(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Retitle with a word no story has, then retitle again without it.
	exec(`UPDATE articles SET title = 'Khám phá rừng cổ Xưởng Zyxw kỳ bí' WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "xuong zyxw "); len(got) != 1 || got[0] != slug {
		t.Errorf("after retitle, 'xuong zyxw' finds %v", got)
	}
	exec(`UPDATE articles SET title = 'Khám phá rừng cổ kỳ bí' WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "zyxw "); len(got) != 0 {
		t.Errorf("a word no longer in the title still finds %v", got)
	}
	exec(`UPDATE articles SET body_text = body_text || ' Qwvz.' WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "qwvz "); len(got) != 1 {
		t.Errorf("a word added to the body finds %v", got)
	}

	// Unpublish: the key goes NULL, the index row goes.
	exec(`UPDATE articles SET status = 'draft', search_key = NULL WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "qwvz "); len(got) != 0 {
		t.Errorf("unpublished story still found: %v", got)
	}
	// Republish.
	exec(`UPDATE articles SET status = 'published', search_key = (published_at / 1000) * 1000 + 999 WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "qwvz "); len(got) != 1 {
		t.Errorf("republished story not found: %v", got)
	}
	// Delete.
	exec(`DELETE FROM articles WHERE slug = ?`, slug)
	if got := searchSlugs(t, s, "qwvz "); len(got) != 0 {
		t.Errorf("deleted story still found: %v", got)
	}

	before := searchSlugs(t, s, "hai phong")
	n, err := db.RebuildSearch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 40 { // 41 published (one scheduled) less the deleted one
		t.Errorf("rebuild indexed %d articles, want 40", n)
	}
	after := searchSlugs(t, s, "hai phong")
	if len(after) != len(before) || len(after) == 0 {
		t.Errorf("after rebuild %d results, before %d", len(after), len(before))
	}
	// The rebuild put the update trigger back.
	exec(`UPDATE articles SET title = title || ' Vqxz' WHERE slug = ?`, seedSlug)
	if got := searchSlugs(t, s, "vqxz "); len(got) != 1 || got[0] != seedSlug {
		t.Errorf("an edit after the rebuild is not indexed: %v", got)
	}
}

// FuzzSearch feeds arbitrary queries to search over the demo content: the
// only error allowed is BAD_USER_INPUT (empty or over-long queries).
func FuzzSearch(f *testing.F) {
	for _, seed := range []string{"duong kinh", `"`, "AND OR NOT", "NEAR(a b)", "*", "title:x", `'; DROP TABLE articles; --`, "\x00", "Đ"} {
		f.Add(seed)
	}
	db := sqlitetest.OpenDemo(f, sqlite.Options{})
	s := &news.Searcher{Store: db}
	f.Fuzz(func(t *testing.T, q string) {
		for _, order := range []news.SearchOrder{news.OrderRelevance, news.OrderNewest} {
			_, err := s.Search(context.Background(), news.SearchRequest{Query: q, Order: order}, news.Page{Limit: 5})
			if err != nil && news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("query %q (%s): %v", q, order, err)
			}
		}
	})
}

// TestSearchReadsTheClockOnce: a page of results is scored as of one
// instant, whichever the order, so that its scores compare.
func TestSearchReadsTheClockOnce(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	var reads int
	s := &news.Searcher{Store: db, Now: func() time.Time { reads++; return time.Now() }}
	for _, order := range []news.SearchOrder{news.OrderNewest, news.OrderRelevance} {
		reads = 0
		l, err := s.Search(context.Background(), news.SearchRequest{Query: "hải phòng", Order: order}, news.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) < 2 || reads != 1 {
			t.Errorf("%s: %d results, the clock read %d times; want several results and one read", order, len(l.Items), reads)
		}
	}
}
