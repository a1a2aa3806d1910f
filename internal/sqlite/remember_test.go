package sqlite_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// TestArticlesByIDBringLinkIDs: articles read by id bring their link ids
// with the rows, so their authors and tags cost no read of ids after it,
// only of the people and tags not yet known.
func TestArticlesByIDBringLinkIDs(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	list, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 5})
	if err != nil || len(list.Items) != 5 {
		t.Fatalf("articles: %v, %v", list, err)
	}
	ids := make([]int64, len(list.Items))
	for i, a := range list.Items {
		ids[i] = a.ID
	}
	// A write first: nothing is left cached for the generation.
	if err := db.CreateTag(ctx, &news.Tag{Name: "Thẻ mới"}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ArticlesByID(ctx, ids); err != nil || len(got) != len(ids) {
		t.Fatalf("by id: %d of %d, %v", len(got), len(ids), err)
	}
	before := db.QueryCount()
	authors, _, err := db.LinksOfArticles(ctx, ids, news.ViewParts{Authors: true, Tags: true})
	if err != nil || len(authors[ids[0]]) == 0 {
		t.Fatalf("links: %v, %v", authors, err)
	}
	if n := db.QueryCount() - before; n != 2 {
		t.Errorf("links after a read by id: %d statements, want 2 (authors, tags; the ids came with the rows)", n)
	}
}
