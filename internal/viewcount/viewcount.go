// Package viewcount counts article views in memory and writes them to the
// store in batches: a view costs a map increment, not a write, and a flush
// is one transaction however many views it carries.
package viewcount

import (
	"context"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Counter batches views. It is safe for concurrent use.
type Counter struct {
	store news.ViewStore
	now   news.Clock
	mu    sync.Mutex
	// counts are the views not yet written.
	counts map[int64]int
}

// New returns a counter over store.
func New(store news.ViewStore, now news.Clock) *Counter {
	if now == nil {
		now = time.Now
	}
	return &Counter{store: store, now: now, counts: map[int64]int{}}
}

// Add counts one view of the article id.
func (c *Counter) Add(id int64) {
	c.mu.Lock()
	c.counts[id]++
	c.mu.Unlock()
}

// Flush writes the views counted so far. On failure they are kept for the
// next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	batch := c.counts
	c.counts = map[int64]int{}
	c.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := c.store.AddViews(ctx, batch, c.now())
	if err != nil {
		c.mu.Lock()
		for id, n := range batch {
			c.counts[id] += n
		}
		c.mu.Unlock()
	}
	return err
}

// Run flushes every interval until ctx ends; the owner flushes once more
// after that (with a context of its own) so that no view is lost on
// shutdown.
func (c *Counter) Run(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.Flush(ctx); err != nil && onError != nil {
				onError(err)
			}
		}
	}
}
