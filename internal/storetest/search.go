package storetest

import (
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
