package postgres_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

// TestReplicaCachesReadThePrimary: what the store keeps per generation
// (link ids, authors, tags, categories) is read from the primary, never
// from a replica that may lag behind a write. The "replica" here is a copy
// of the demo that never sees the edits at all.
func TestReplicaCachesReadThePrimary(t *testing.T) {
	primary := pgtest.URL(t, pgtest.OpenDemo(t, postgres.Options{}))
	replica := pgtest.URL(t, pgtest.OpenDemo(t, postgres.Options{}))
	db := pgtest.OpenURL(t, primary, postgres.Options{Replica: replica})
	ctx := context.Background()
	list, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 10})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("articles: %v, %v", list, err)
	}
	id := list.Items[0].ID
	authors, err := db.AuthorsOfArticles(ctx, []int64{id}) // cached before the edit
	if err != nil || len(authors[id]) == 0 {
		t.Fatalf("authors of %d: %v, %v", id, authors, err)
	}
	name, cat := "Tên mới của tác giả", "Chuyên mục đổi tên"
	if _, err := db.UpdateAuthor(ctx, authors[id][0].ID, news.AuthorUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	cats, err := db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateCategory(ctx, cats[0].ID, news.CategoryUpdate{Name: &cat}); err != nil {
		t.Fatal(err)
	}
	if authors, err = db.AuthorsOfArticles(ctx, []int64{id}); err != nil || authors[id][0].Name != name {
		t.Errorf("after the edit, the first author of %d: %v, %v; want %q", id, authors[id], err, name)
	}
	if cats, err = db.Categories(ctx); err != nil || cats[0].Name != cat {
		t.Errorf("after the edit, the first category: %+v, %v; want %q", cats[0], err, cat)
	}
}
