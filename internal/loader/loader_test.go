package loader_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/loader"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

// TestLoadersMadeOnce: each loader is made on first use and the same one
// comes back after, at no cost: resolvers reach for them once per node or
// list.
func TestLoadersMadeOnce(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	l := loader.New(db)
	articles, authors, tags, links := l.ArticleByID(), l.AuthorByID(), l.TagByID(), l.LinksByArticle()
	if l.ArticleByID() != articles || l.AuthorByID() != authors || l.TagByID() != tags || l.LinksByArticle() != links {
		t.Fatal("a loader was made twice")
	}
	if n := testing.AllocsPerRun(100, func() {
		l.ArticleByID()
		l.AuthorByID()
		l.TagByID()
		l.LinksByArticle()
	}); n != 0 {
		t.Errorf("reaching the loaders again: %v allocations, want 0", n)
	}
	a, err := l.ArticleByID().Load(context.Background(), 1)
	if err != nil || a.ID != 1 {
		t.Errorf("article 1 through its loader: %v, %v", a, err)
	}
}
