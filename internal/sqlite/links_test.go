package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestLinkIDColumns: the articles row's copy of its author and tag ids
// (migration 007) is written with the link tables on every write, in byline
// and tag order, and filled in when an older database is upgraded.
func TestLinkIDColumns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "links.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()

	category := &news.Category{Name: "Thời sự"}
	if err := db.CreateCategory(ctx, category); err != nil {
		t.Fatal(err)
	}
	authors := map[string]*news.Author{}
	for _, name := range []string{"Hoàng Đức", "Minh Anh", "Thu Hà"} {
		a := &news.Author{Name: name}
		if err := db.CreateAuthor(ctx, a); err != nil {
			t.Fatal(err)
		}
		authors[a.Slug] = a
	}
	str := func(s string) *string { return &s }
	a, err := db.CreateArticle(ctx, news.ArticleUpdate{
		Title: str("Đường Kinh mở rộng"), BodyHTML: str("<p>Đường Kinh.</p>"), Category: str("thoi-su"),
		Authors: []string{"thu-ha", "hoang-duc"}, Tags: []string{"Hải Phòng", "Giao thông"},
	})
	if err != nil {
		t.Fatal(err)
	}
	stored := func() (authors, tags string) {
		t.Helper()
		if err := db.r.QueryRowContext(ctx, `SELECT author_ids, tag_ids FROM articles WHERE id = ?`, a.ID).Scan(&authors, &tags); err != nil {
			t.Fatal(err)
		}
		// Every article's copy says what its link tables say.
		var wrong int
		if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM articles a
			WHERE a.author_ids <> coalesce((SELECT group_concat(l.author_id ORDER BY l.position) FROM article_authors l WHERE l.article_id = a.id), '')
			   OR a.tag_ids <> coalesce((SELECT group_concat(l.tag_id ORDER BY l.position) FROM article_tags l WHERE l.article_id = a.id), '')`).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%d articles whose link ids differ from their link tables", wrong)
		}
		return authors, tags
	}
	// Authors 3 (Thu Hà) then 1 (Hoàng Đức); tags made in the order given.
	if authors, tags := stored(); authors != "3,1" || tags != "1,2" {
		t.Errorf("after create: author_ids %q, tag_ids %q; want 3,1 and 1,2", authors, tags)
	}

	a, err = db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{
		Authors: []string{"minh-anh", "thu-ha", "minh-anh"}, Tags: []string{"giao-thong"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if authors, tags := stored(); authors != "2,3" || tags != "2" {
		t.Errorf("after update: author_ids %q, tag_ids %q; want 2,3 and 2", authors, tags)
	}
	if _, err := db.PublishArticle(ctx, a.ID, time.Now().Add(-time.Minute), time.Time{}); err != nil {
		t.Fatal(err)
	}
	v, err := db.ArticleViewBySlug(ctx, a.Slug, news.ViewParts{Authors: true, Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Authors) != 2 || v.Authors[0].Name != "Minh Anh" || v.Authors[1].Name != "Thu Hà" || len(v.Tags) != 1 || v.Tags[0].Name != "Giao thông" {
		t.Errorf("view: authors %+v, tags %+v", v.Authors, v.Tags)
	}

	// A database from before migration 007, with more articles than a fill
	// batch: the columns are made and filled from the link tables, batch by
	// batch, when it is opened. The articles are bulk loaded, as a large
	// site's are (one by one, each write synced, took 94 s under -race).
	err = db.BulkLoad(ctx, func(add func(*news.Article) error) error {
		for i := range fillBatch + 10 {
			if err := add(&news.Article{
				Slug: fmt.Sprintf("bai-%d", i), Title: fmt.Sprintf("Bài %d", i), Status: news.StatusDraft,
				CategoryID: category.ID, AuthorIDs: []int64{authors["minh-anh"].ID},
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX articles_link_ids_unfilled`,
		`ALTER TABLE articles DROP COLUMN author_ids`,
		`ALTER TABLE articles DROP COLUMN tag_ids`,
		`DELETE FROM schema_migrations WHERE name = 'migrations/007_link_ids.sql'`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if db, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	if authors, tags := stored(); authors != "2,3" || tags != "2" {
		t.Errorf("after the upgrade: author_ids %q, tag_ids %q; want 2,3 and 2", authors, tags)
	}
	var unfilled, minhAnh int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE author_ids IS NULL`).Scan(&unfilled); err != nil {
		t.Fatal(err)
	}
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE author_ids = '2'`).Scan(&minhAnh); err != nil {
		t.Fatal(err)
	}
	if unfilled != 0 || minhAnh != fillBatch+10 {
		t.Errorf("after the upgrade: %d articles unfilled, %d by Minh Anh alone; want 0 and %d", unfilled, minhAnh, fillBatch+10)
	}
}
