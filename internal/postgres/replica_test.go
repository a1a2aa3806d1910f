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
	authors, _, err := db.LinksOfArticles(ctx, []int64{id}, news.ViewParts{Authors: true}) // cached before the edit
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
	if authors, _, err = db.LinksOfArticles(ctx, []int64{id}, news.ViewParts{Authors: true}); err != nil || authors[id][0].Name != name {
		t.Errorf("after the edit, the first author of %d: %v, %v; want %q", id, authors[id], err, name)
	}
	// A new byline and a new tag: the link ids and the tag, which the
	// replica has never seen, come from the primary.
	a := list.Items[1]
	authorSlug := authors[id][0].Slug
	if _, err := db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Authors: []string{authorSlug}, Tags: []string{"Thẻ chỉ có ở máy chính"}}); err != nil {
		t.Fatal(err)
	}
	byline, tags, err := db.LinksOfArticles(ctx, []int64{a.ID}, news.ViewParts{Authors: true, Tags: true})
	if err != nil || len(byline[a.ID]) != 1 || byline[a.ID][0].Name != name || len(tags[a.ID]) != 1 || tags[a.ID][0].Name != "Thẻ chỉ có ở máy chính" {
		t.Errorf("after the edit, article %d: authors %v, tags %v, %v; want %q and the new tag", a.ID, byline[a.ID], tags[a.ID], err, name)
	}
	if cats, err = db.Categories(ctx); err != nil || cats[0].Name != cat {
		t.Errorf("after the edit, the first category: %+v, %v; want %q", cats[0], err, cat)
	}
}
