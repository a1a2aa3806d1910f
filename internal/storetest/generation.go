package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// testGenerationFollowsContent: the generation moves on every write a
// public answer may show, and stays through the bookkeeping a server does
// all the time (polling the webhook outbox every second, flushing view
// counts, checking keys), which would otherwise empty the response cache
// again and again.
func testGenerationFollowsContent(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	a, err := db.ArticleBySlug(ctx, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		content bool
		do      func() error
	}{
		{"create a webhook", false, func() error {
			return db.CreateWebhook(ctx, &news.Webhook{URL: "https://partner.example/hook", Secret: "0123456789abcdef"})
		}},
		{"poll the outbox", false, func() error { _, err := db.DueDeliveries(ctx, time.Now(), 10); return err }},
		{"flush view counts", false, func() error { return db.AddViews(ctx, map[int64]int{a.ID: 3}, time.Now()) }},
		{"create a key", false, func() error {
			return db.CreateKey(ctx, &news.APIKey{Name: "k", Role: news.RoleReader}, []byte("0123456789abcdef0123456789abcdef"))
		}},
		{"register a query", false, func() error {
			return db.RegisterQuery(ctx, &news.PersistedQuery{Name: "q", Query: "{ categories { slug } }"})
		}},
		{"edit an article", true, func() error {
			title := a.Title + " (cập nhật)"
			_, err := db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: &title})
			return err
		}},
		{"poll the outbox with an event in it", false, func() error {
			due, err := db.DueDeliveries(ctx, time.Now(), 10)
			if err == nil && len(due) == 0 {
				t.Error("the edit left nothing in the outbox")
			}
			for _, d := range due {
				if err := db.RecordAttempt(ctx, d.ID, news.Attempt{At: time.Now(), OK: true, Status: 204}); err != nil {
					return err
				}
			}
			return err
		}},
		{"create a tag", true, func() error { return db.CreateTag(ctx, &news.Tag{Name: "Thẻ mới"}) }},
	}
	for _, s := range steps {
		before := db.Generation()
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if moved := db.Generation() != before; moved != s.content {
			t.Errorf("%s: generation moved = %v, want %v", s.name, moved, s.content)
		}
	}
}

// testLinksFollowEdits: a store may keep authors and tags it has read
// (they change seldom), but an author edited shows at once in every answer
// that names them: the article, its list entries, and lookups by id.
func testLinksFollowEdits(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	v, err := db.ArticleViewBySlug(ctx, seedSlug, allLinks)
	if err != nil || len(v.Authors) == 0 || len(v.Tags) == 0 {
		t.Fatalf("seed article: %+v, %v", v, err)
	}
	author := v.Authors[0]
	// Read every path once, so that a cache would hold the old name.
	if _, _, err := db.LinksOfArticles(ctx, []int64{v.ID}, allLinks); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AuthorsByID(ctx, []int64{author.ID}); err != nil {
		t.Fatal(err)
	}
	name := author.Name + " (biên tập)"
	if _, err := db.UpdateAuthor(ctx, author.ID, news.AuthorUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	v2, err := db.ArticleViewBySlug(ctx, seedSlug, allLinks)
	if err != nil || len(v2.Authors) == 0 || v2.Authors[0].Name != name {
		t.Errorf("article after the edit: authors %v, %v; want %q first", names(v2), err, name)
	}
	byArticle, _, err := db.LinksOfArticles(ctx, []int64{v.ID}, allLinks)
	if err != nil || len(byArticle[v.ID]) == 0 || byArticle[v.ID][0].Name != name {
		t.Errorf("links after the edit: %v, %v; want %q first", byArticle[v.ID], err, name)
	}
	byID, err := db.AuthorsByID(ctx, []int64{author.ID})
	if err != nil || byID[author.ID] == nil || byID[author.ID].Name != name {
		t.Errorf("author by id after the edit: %v, %v; want %q", byID[author.ID], err, name)
	}
	// Order and membership come with the article: bylines stay in order.
	for i, a := range v2.Authors {
		if a.ID != v.Authors[i].ID {
			t.Errorf("byline %d is author %d, was %d", i, a.ID, v.Authors[i].ID)
		}
	}
	for i, tag := range v2.Tags {
		if tag.ID != v.Tags[i].ID || tag.Name != v.Tags[i].Name {
			t.Errorf("tag %d is %+v, was %+v", i, tag, v.Tags[i])
		}
	}
}

// testLinksReadWhatIsAsked: a batch's links cost one statement for the
// link ids and one for each kind of record not yet known; asking for
// authors alone reads no tags, and what was read once (link ids included)
// is not read again until a write.
func testLinksReadWhatIsAsked(t *testing.T, b Backend) {
	db := b.OpenDemo(t, Options{})
	ctx := context.Background()
	list, err := db.FindArticles(ctx, news.ArticleFilter{}, news.Page{Limit: 10})
	if err != nil || len(list.Items) < 10 {
		t.Fatalf("articles: %v, %v", list, err)
	}
	var ids []int64
	for _, a := range list.Items {
		ids = append(ids, a.ID)
	}
	// A write empties the caches (a store may have kept the list's link ids).
	if err := db.CreateTag(ctx, &news.Tag{Name: "Đọc lại"}); err != nil {
		t.Fatal(err)
	}
	statements := func(read func() error) int64 {
		t.Helper()
		before := db.QueryCount()
		if err := read(); err != nil {
			t.Fatal(err)
		}
		return db.QueryCount() - before
	}
	authors := func() error { _, _, err := db.LinksOfArticles(ctx, ids, news.ViewParts{Authors: true}); return err }
	tags := func() error { _, _, err := db.LinksOfArticles(ctx, ids, news.ViewParts{Tags: true}); return err }
	both := func() error { _, _, err := db.LinksOfArticles(ctx, ids, allLinks); return err }
	for _, step := range []struct {
		name string
		read func() error
		want int64
	}{
		{"authors, none known", authors, 2},
		{"authors again", authors, 0},
		{"tags, link ids known", tags, 1},
		{"both, all known", both, 0},
	} {
		if got := statements(step.read); got != step.want {
			t.Errorf("%s: %d statements, want %d", step.name, got, step.want)
		}
	}
}

func names(v *news.ArticleView) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, a := range v.Authors {
		out = append(out, a.Name)
	}
	return out
}
