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
