package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestGenerationAcrossReplicas: a content write through one store moves
// the generation of another store on the same database (NOTIFY), soon,
// and its own once (its own notification, which comes back to it too, is
// known by its origin and skipped); a bookkeeping write moves neither.
func TestGenerationAcrossReplicas(t *testing.T) {
	a, b := twoReplicas(t)
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
	// The setup's writes have come round to A before it counts its own.
	own := a.Generation()
	for settled := false; !settled; {
		time.Sleep(200 * time.Millisecond)
		settled, own = a.Generation() == own, a.Generation()
	}
	if !moves(func() error { return a.CreateTag(ctx, &news.Tag{Name: "Hải Phòng"}) }) {
		t.Error("a tag created through A did not move B's generation within 2 s")
	}
	time.Sleep(100 * time.Millisecond) // A's own notification has come back by now
	if got := a.Generation(); got != own+1 {
		t.Errorf("A's generation moved by %d for its own write, want 1", got-own)
	}
	if moves(func() error {
		return a.CreateKey(ctx, &news.APIKey{Name: "k", Role: news.RoleReader}, []byte("0123456789abcdef0123456789abcdef"))
	}) {
		t.Error("a key created through A moved B's generation")
	}
}
