package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// testEditsKeepEverythingInStep walks one story through the editorial
// writes and checks, after each, what every read path sees: lookups, the
// lists by category, tag and author, search, and the database's own
// integrity checks.
func testEditsKeepEverythingInStep(t *testing.T, b Backend) {
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, news.DefaultZone)
	clock := func() time.Time { return now }
	db := b.OpenDemo(t, Options{Now: clock})
	s := &news.Searcher{Store: db, Now: clock}
	ctx := context.Background()

	listed := func(f news.ArticleFilter, slug string) bool {
		t.Helper()
		l, err := db.Preview().FindArticles(ctx, f, news.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(l.Items, func(a *news.Article) bool { return a.Slug == slug })
	}
	healthy := func() {
		t.Helper()
		if err := db.IntegrityCheck(ctx); err != nil {
			t.Fatal(err)
		}
	}

	a, err := db.CreateArticle(ctx, news.ArticleUpdate{
		Title: ptr("Cầu Zyxw nối Kiến An"), Category: ptr("do-thi"), Authors: []string{"thu-ha"}, Tags: []string{"kien-an"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if listed(news.ArticleFilter{Tag: "kien-an"}, a.Slug) || len(searchSlugs(t, s, "zyxw ")) != 0 || !listed(news.ArticleFilter{Status: news.ArticleDraft}, a.Slug) {
		t.Error("draft: listed publicly, searchable, or not among drafts")
	}

	p, err := db.PublishArticle(ctx, a.ID, time.Time{}, a.UpdatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if !listed(news.ArticleFilter{Tag: "kien-an"}, a.Slug) || !listed(news.ArticleFilter{Category: "thoi-su"}, a.Slug) ||
		!listed(news.ArticleFilter{Author: "thu-ha"}, a.Slug) || !slices.Equal(searchSlugs(t, s, "zyxw "), []string{a.Slug}) {
		t.Error("published: missing from a list or from search")
	}
	healthy()

	// Retitle, re-tag, re-file and re-byline in one update.
	now = now.Add(time.Minute)
	u, err := db.UpdateArticle(ctx, a.ID, p.UpdatedAt, news.ArticleUpdate{
		Title: ptr("Cầu Qwvx nối Đồ Sơn"), Category: ptr("kinh-te"), Authors: []string{"lan-anh"}, Tags: []string{"do-son"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Slug != a.Slug || !u.PublishedAt.Equal(p.PublishedAt) {
		t.Errorf("an update moved the slug (%s) or the publish time (%s)", u.Slug, u.PublishedAt)
	}
	for _, f := range []news.ArticleFilter{{Tag: "kien-an"}, {Category: "thoi-su"}, {Category: "do-thi"}, {Author: "thu-ha"}} {
		if listed(f, a.Slug) {
			t.Errorf("still listed under %+v", f)
		}
	}
	for _, f := range []news.ArticleFilter{{Tag: "do-son"}, {Category: "kinh-te"}, {Author: "lan-anh"}} {
		if !listed(f, a.Slug) {
			t.Errorf("not listed under %+v", f)
		}
	}
	if len(searchSlugs(t, s, "zyxw ")) != 0 || !slices.Equal(searchSlugs(t, s, "qwvx "), []string{a.Slug}) {
		t.Error("search did not follow the new title")
	}
	healthy()

	// An update that changes nothing writes nothing.
	same, err := db.UpdateArticle(ctx, a.ID, u.UpdatedAt, news.ArticleUpdate{Title: ptr(u.Title)})
	if err != nil || !same.UpdatedAt.Equal(u.UpdatedAt) {
		t.Errorf("no-op update: %v, updatedAt %s -> %s", err, u.UpdatedAt, same.UpdatedAt)
	}
	revs, err := db.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 2 || revs[0].Action != "update" || revs[1].Action != "publish" || revs[0].Article.Title != "Cầu Zyxw nối Kiến An" {
		t.Errorf("revisions %+v, %v", revs, err)
	}

	// Rescheduled into the future: off every public path until then.
	later := now.Add(2 * time.Hour)
	if _, err := db.PublishArticle(ctx, a.ID, later, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if listed(news.ArticleFilter{Tag: "do-son"}, a.Slug) || len(searchSlugs(t, s, "qwvx ")) != 0 || !listed(news.ArticleFilter{Status: news.ArticleScheduled}, a.Slug) {
		t.Error("rescheduled: still public, or not among the scheduled")
	}
	if _, err := db.ArticleBySlug(ctx, a.Slug); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("public lookup of a scheduled story: %v", err)
	}
	now = later
	if !listed(news.ArticleFilter{Tag: "do-son"}, a.Slug) || !slices.Equal(searchSlugs(t, s, "qwvx "), []string{a.Slug}) {
		t.Error("its time came: not public")
	}

	if _, err := db.ArchiveArticle(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if listed(news.ArticleFilter{Tag: "do-son"}, a.Slug) || len(searchSlugs(t, s, "qwvx ")) != 0 || !listed(news.ArticleFilter{Status: news.ArticleArchived, Tag: "do-son"}, a.Slug) {
		t.Error("archived: still public, or not in the archive")
	}
	healthy()

	// The public reader refuses editors' lists.
	if _, err := db.FindArticles(ctx, news.ArticleFilter{Status: news.ArticleDraft}, news.Page{Limit: 5}); news.ErrorCode(err) != news.EFORBIDDEN {
		t.Errorf("public draft list: %v", err)
	}
}
