package sqlite_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// TestArticleCacheSavesStatements: after a write, a list's first read
// reads its rows at once (no more statements than with no cache); read
// again, it reads only its ids and finds every row in the cache; an
// article read before is read by slug or id without a statement. Each
// generation starts with a write and reads another article, so that what
// the cache kept before cannot count.
func TestArticleCacheSavesStatements(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name             string
		bytes            int64
		statements, hits []int64 // list, list again, by slug, by id
	}{
		{"article cache", 0, []int64{1, 1, 0, 0}, []int64{0, 6, 1, 1}},
		{"no article cache", -1, []int64{1, 1, 1, 1}, []int64{0, 0, 0, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := sqlitetest.OpenDemo(t, sqlite.Options{ArticleCacheBytes: c.bytes})
			count := func(read func() error) (statements, hits int64) {
				t.Helper()
				before, hitsBefore := db.QueryCount(), hitCount(db)
				if err := read(); err != nil {
					t.Fatal(err)
				}
				return db.QueryCount() - before, hitCount(db) - hitsBefore
			}
			page := func() error {
				_, err := db.FindArticles(ctx, news.ArticleFilter{Category: "thoi-su"}, news.Page{Limit: 5})
				return err
			}
			// Two demo stories, neither read before its generation.
			for gen, slug := range []string{seedSlug, "hai-phong-ho-tro-nguoi-lao-dong-mat-viec-tim-kiem-viec-lam-moi"} {
				if err := db.CreateTag(ctx, &news.Tag{Name: "Thẻ " + slug}); err != nil {
					t.Fatal(err)
				}
				a, err := db.ArticleBySlug(ctx, slug)
				if err != nil {
					t.Fatal(err)
				}
				var statements, hits []int64
				for _, read := range []func() error{page, page,
					func() error { _, err := db.ArticleBySlug(ctx, a.Slug); return err },
					func() error { _, err := db.ArticlesByID(ctx, []int64{a.ID}); return err },
				} {
					s, h := count(read)
					statements, hits = append(statements, s), append(hits, h)
				}
				if !slices.Equal(statements, c.statements) || !slices.Equal(hits, c.hits) {
					t.Errorf("generation %d: a list, again, an article by slug, by id took statements %v, found in the cache %v; want %v, %v",
						gen, statements, hits, c.statements, c.hits)
				}
			}
		})
	}
}

func hitCount(db *sqlite.DB) int64 {
	hits, _, _ := db.ArticleCacheStats()
	return int64(hits)
}

// TestWarmListFollowsTheIndex: a story moved by a write the store's
// generation has not seen yet (as for a read that loaded the generation
// before a write's commit and read its ids after it) is listed as the
// index has it, not as the article cache kept it.
func TestWarmListFollowsTheIndex(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	f, p := news.ArticleFilter{Category: "do-thi"}, news.Page{Limit: 5}
	var l *news.List[news.Article]
	for range 2 {
		var err error
		if l, err = db.FindArticles(ctx, f, p); err != nil || len(l.Items) != 5 {
			t.Fatalf("do-thi: %v, %v", l, err)
		}
	}
	// Behind the store's back: its generation stays.
	conn, err := sql.Open("sqlite", sqlitetest.Path(t, db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	moved, newest := l.Items[4].ID, l.Items[0].PublishedAt.Add(time.Minute).UnixMilli()
	for _, q := range []string{`UPDATE articles SET published_at = ? WHERE id = ?`,
		`UPDATE article_categories SET pub_at = ? WHERE article_id = ?`} {
		if _, err := conn.ExecContext(ctx, q, newest, moved); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.FindArticles(ctx, f, p)
	if err != nil {
		t.Fatal(err)
	}
	if a := got.Items[0]; a.ID != moved || a.PublishedAt.UnixMilli() != newest {
		t.Errorf("first of do-thi after the move: %d published %d ms, want %d published %d ms", a.ID, a.PublishedAt.UnixMilli(), moved, newest)
	}
}
