// Package sizedcache is a cache bounded by the bytes its values take
// rather than by their number, for caches whose values vary in size: the
// response cache's answers, GraphQL's article fragments, the store's
// articles.
//
// It keeps what is asked for often, not only what was asked for last
// (W-TinyLFU, by github.com/maypok86/otter/v2): a new value has to be
// asked for more often than the one it would push out. So one pass over
// more than the cache holds (a crawler walking the sitemap, a reader
// paging through the archive, a benchmark cycling through 2,000 slugs)
// does not flush what readers keep coming back to, as it does a
// least-recently-used cache.
package sizedcache

import (
	"math"

	"github.com/maypok86/otter/v2"
)

// Cache holds values of V under keys of K, at most limit bytes of them as
// size counts them. It is safe for concurrent use.
type Cache[K comparable, V comparable] struct {
	maxValue int64
	size     func(V) int64
	dropped  func(K, V)
	c        *otter.Cache[K, V]
}

// New returns a cache of at most limit bytes that keeps no value larger
// than maxValue (so that one value cannot crowd out the rest).
func New[K comparable, V comparable](limit, maxValue int64, size func(V) int64) *Cache[K, V] {
	return NewDropping[K](limit, maxValue, size, nil)
}

// NewDropping is New with dropped called for each value that leaves the
// cache (pushed out for room, or removed) or that Add refuses, but not
// for one replaced under its key (Add returns that): for a cache that
// keeps an index of its own beside it. It may run under the lock of the
// value's key and must not call the cache.
func NewDropping[K comparable, V comparable](limit, maxValue int64, size func(V) int64, dropped func(K, V)) *Cache[K, V] {
	o := &otter.Options[K, V]{
		MaximumWeight: uint64(max(limit, 1)),
		// At least 1: the cache never evicts a value of weight 0.
		Weigher: func(_ K, v V) uint32 { return uint32(max(size(v), 1)) },
		// The bookkeeping that reads and writes leave runs on the goroutine
		// that finds it due (under a TryLock: nobody waits for it), not on
		// a goroutine started for each round, and at once, so that the
		// bytes held are within the limit when Add returns.
		Executor: func(fn func()) { fn() },
	}
	if dropped != nil {
		o.OnAtomicDeletion = func(e otter.DeletionEvent[K, V]) {
			if e.Cause != otter.CauseReplacement {
				dropped(e.Key, e.Value)
			}
		}
	}
	return &Cache[K, V]{maxValue: min(maxValue, math.MaxUint32, limit), size: size, dropped: dropped, c: otter.Must(o)}
}

// Get returns the value under k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	return c.c.GetIfPresent(k)
}

// Add offers v under k in place of what k held, and returns that if it
// replaced it. The cache keeps v if it is asked for more often than what
// it would push out (a value new to the cache is kept while there is
// room, and for a while in a small window of recent ones); it never keeps
// a value larger than maxValue.
func (c *Cache[K, V]) Add(k K, v V) (old V, replaced bool) {
	if c.size(v) > c.maxValue {
		if c.dropped != nil {
			c.dropped(k, v)
		}
		return old, false
	}
	if prev, created := c.c.Set(k, v); !created {
		return prev, true
	}
	return old, false
}

// Remove drops v from under k if k still holds it (another caller may
// have put a newer value there meanwhile).
func (c *Cache[K, V]) Remove(k K, v V) {
	c.c.ComputeIfPresent(k, func(old V) (V, otter.ComputeOp) {
		if old != v {
			return old, otter.CancelOp
		}
		return old, otter.InvalidateOp
	})
}

// Bytes returns the bytes held.
func (c *Cache[K, V]) Bytes() int64 {
	return int64(c.c.WeightedSize())
}
