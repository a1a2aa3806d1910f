package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

// TestGenerationAcrossReplicas: a content write through one store moves
// the generation of another store on the same database (NOTIFY), soon; a
// bookkeeping write does not.
func TestGenerationAcrossReplicas(t *testing.T) {
	u := pgtest.NewDatabase(t, "")
	a := pgtest.OpenURL(t, u, postgres.Options{})
	b := pgtest.OpenURL(t, u, postgres.Options{})
	ctx := context.Background()
	moves := func(write func() error) bool {
		t.Helper()
		before := b.Generation()
		if err := write(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			if b.Generation() != before {
				return true
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	if !moves(func() error { return a.CreateTag(ctx, &news.Tag{Name: "Hải Phòng"}) }) {
		t.Error("a tag created through A did not move B's generation within 2 s")
	}
	if moves(func() error {
		return a.CreateKey(ctx, &news.APIKey{Name: "k", Role: news.RoleReader}, []byte("0123456789abcdef0123456789abcdef"))
	}) {
		t.Error("a key created through A moved B's generation")
	}
}
