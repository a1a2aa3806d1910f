package postgres_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

// TestReplicaLinkIDsNotKept: with a read replica, articles' link ids are
// read every time (a lagging replica could give ids from before a write
// that has already moved the generation); the authors and tags themselves
// still come from the link cache. Here the "replica" is the same database.
func TestReplicaLinkIDsNotKept(t *testing.T) {
	demo := pgtest.OpenDemo(t, postgres.Options{})
	u := pgtest.URL(t, demo)
	db := pgtest.OpenURL(t, u, postgres.Options{Replica: u})
	ctx := context.Background()
	list, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 10})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("articles: %v, %v", list, err)
	}
	ids := make([]int64, len(list.Items))
	for i, a := range list.Items {
		ids[i] = a.ID
	}
	var got [2]int64
	for i := range got {
		before := db.QueryCount()
		authors, err := db.AuthorsOfArticles(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(authors[ids[0]]) == 0 {
			t.Fatalf("article %d has no authors", ids[0])
		}
		got[i] = db.QueryCount() - before
	}
	if got != [2]int64{2, 1} {
		t.Errorf("statements for the authors of 10 articles, twice: %v, want [2 1] (link ids read each time, authors kept)", got)
	}
}
