package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// testSearchScheduled: a scheduled story is indexed but found only from its
// publish time on.
func testSearchScheduled(t *testing.T, b Backend) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	db := b.OpenDemo(t, Options{Now: func() time.Time { return now }})
	s := &news.Searcher{Store: db, Now: func() time.Time { return now }}
	const scheduled = "cong-bo-quy-hoach-phan-khu-do-thi-moi-phia-nam-thanh-pho"
	if got := searchSlugs(t, s, "quy hoạch phân khu "); slices.Contains(got, scheduled) {
		t.Errorf("scheduled story found early: %v", got)
	}
	now = time.Date(2030, 1, 1, 2, 0, 0, 0, time.UTC)
	if got := searchSlugs(t, s, "quy hoạch phân khu "); !slices.Contains(got, scheduled) {
		t.Errorf("scheduled story not found after its time: %v", got)
	}
}

// testSearchDocs: the matches a store gives ranking carry their article's
// title, lead and publish time, and a search key of that publish second,
// from the title index and the whole one alike.
func testSearchDocs(t *testing.T, b Backend) {
	ctx := context.Background()
	db := b.OpenDemo(t, Options{})
	for _, titleOnly := range []bool{false, true} {
		docs, err := db.MatchArticles(ctx, news.Match{Terms: []string{"hai", "phong"}, TitleOnly: titleOnly, Limit: 20})
		if err != nil || len(docs) < 2 {
			t.Fatalf("title only %v: %d matches, %v", titleOnly, len(docs), err)
		}
		ids := make([]int64, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		articles, err := db.ArticlesByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			a := articles[d.ID]
			if a == nil {
				t.Fatalf("title only %v: match %d is no visible article", titleOnly, d.ID)
			}
			if d.Title != a.Title || d.Excerpt != a.Excerpt || !d.PublishedAt.Equal(a.PublishedAt) ||
				d.Key/news.SearchKeysPerSecond != a.PublishedAt.Unix() {
				t.Errorf("title only %v: match %d is %q / %q / %v (key %d), the article %q / %q / %v",
					titleOnly, d.ID, d.Title, d.Excerpt, d.PublishedAt, d.Key, a.Title, a.Excerpt, a.PublishedAt)
			}
		}
	}
}

// testSearchTitleSpan: relevance finds a story whose title holds every term
// when it is older than the newest news.RecentCandidates matches anywhere
// but as new as the newest news.TitleSpan titles holding the query's
// longest term (the span the title index is walked over), and MatchSpan
// reports that span.
func testSearchTitleSpan(t *testing.T, b Backend) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	db := b.OpenDemo(t, Options{Now: func() time.Time { return now }})
	cats, err := db.Categories(ctx)
	if err != nil || len(cats) == 0 {
		t.Fatalf("categories: %v, %v", cats, err)
	}
	// Oldest first: the story with both words in its title, then
	// TitleSpan-1 newer titles holding the longest word (the other in the
	// body), then ten newer stories holding both in the body alone.
	first := now.Add(-24 * time.Hour)
	story := func(i int, title, body string) *news.Article {
		return &news.Article{
			Slug: fmt.Sprintf("span-%d", i), Title: title, Excerpt: "Bản tin.", BodyHTML: "<p>" + body + "</p>", BodyText: body,
			Status: news.StatusPublished, PublishedAt: first.Add(time.Duration(i) * time.Minute), CategoryID: cats[0].ID,
		}
	}
	const wanted = "span-0"
	err = db.BulkLoad(ctx, func(add func(*news.Article) error) error {
		if err := add(story(0, "Zorbatan quix về cảng", "Tin cảng.")); err != nil {
			return err
		}
		for i := 1; i < news.TitleSpan; i++ {
			if err := add(story(i, fmt.Sprintf("Zorbatan số %d", i), "Có quix.")); err != nil {
				return err
			}
		}
		for i := news.TitleSpan; i < news.TitleSpan+10; i++ {
			if err := add(story(i, fmt.Sprintf("Bản tin %d", i), "Zorbatan và quix.")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	oldest, err := db.MatchArticles(ctx, news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Ascending: true, Limit: 1})
	if err != nil || len(oldest) != 1 {
		t.Fatalf("the oldest title match: %v, %v", oldest, err)
	}
	newest, err := db.MatchArticles(ctx, news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Limit: 3})
	if err != nil || len(newest) != 3 || newest[2].Key <= oldest[0].Key {
		t.Fatalf("the newest title matches: %v, %v", newest, err)
	}
	for _, c := range []struct {
		m      news.Match
		n      int
		oldest int64
	}{
		{news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Limit: news.TitleSpan}, news.TitleSpan, oldest[0].Key},
		{news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Limit: 2 * news.TitleSpan}, news.TitleSpan, oldest[0].Key},
		{news.Match{Terms: []string{"zorbat"}, Prefix: true, TitleOnly: true, Limit: news.TitleSpan}, news.TitleSpan, oldest[0].Key},
		{news.Match{Terms: []string{"zorbatan", "quix"}, TitleOnly: true, Limit: news.TitleSpan}, 1, oldest[0].Key},
		{news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Limit: 3}, 3, newest[2].Key},
		{news.Match{Terms: []string{"zorbatan"}, TitleOnly: true, Limit: 5, Filter: news.ArticleFilter{Category: "no-such-category"}}, 0, 0},
	} {
		n, key, err := db.MatchSpan(ctx, c.m)
		if err != nil || n != c.n || key != c.oldest {
			t.Errorf("MatchSpan(%+v) = %d, %d, %v; want %d, %d", c.m, n, key, err, c.n, c.oldest)
		}
	}
	s := &news.Searcher{Store: db, Now: func() time.Time { return now }}
	for _, q := range []string{"zorbatan quix", "zorbatan qu", "quix zorbatan "} {
		l, err := s.Search(ctx, news.SearchRequest{Query: q, Order: news.OrderRelevance}, news.Page{Limit: 10})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(l.Items) != 10 || l.Items[0].Article.Slug != wanted {
			t.Errorf("%q found %d, the first %s; want 10, %s first (both words in its title)", q, len(l.Items), l.Items[0].Article.Slug, wanted)
		}
	}
}
