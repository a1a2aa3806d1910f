package contenthash

import (
	"bytes"
	"reflect"
	"sync/atomic"

	"github.com/newsdesk/newsdesk/internal/sizedcache"
)

// Cache keeps pieces of answers (an article's GraphQL JSON under one
// selection set, an encoded feed item, an article's JSON in a REST list)
// under the hash of everything each was made from, so that the next
// answer showing the same piece copies it instead of rendering it again.
// A piece is a pure function of its key: it needs no invalidation. The
// cache is bounded in bytes, keeps the pieces asked for most (see
// sizedcache), and is shared by every transport that keeps pieces in it:
// one budget, one hit rate.
type Cache struct {
	pieces *sizedcache.Cache[uint64, *piece]
	// memo hashes the values its callers share (see NewCache).
	memo *Memo
	// hits and misses count pieces served and rendered (metrics).
	hits, misses atomic.Uint64
}

// piece is one rendered piece of an article.
type piece struct {
	id    int64 // the article's, checked on every hit
	bytes []byte
}

// size is what the cache counts for p.
func (p *piece) size() int64 { return int64(cap(p.bytes) + pieceOverhead) }

// pieceOverhead is what an entry costs beside its bytes' capacity: the
// entry, the cache's node and its map slot (measured: about 140 bytes).
const pieceOverhead = 192

// NewCache returns a cache that holds at most limit bytes, whose keys
// (see NewHasher) take the hashes of values of the shared types from a
// Memo: types whose values the callers share by pointer and never change.
func NewCache(limit int64, shared ...reflect.Type) *Cache {
	// One piece may not crowd out the rest: at most a quarter.
	return &Cache{
		pieces: sizedcache.New[uint64](limit, limit/4, (*piece).size),
		memo:   NewMemo(memoSize, shared...),
	}
}

// memoSize bounds the hashes remembered: the values of some thousands of
// pages (an entry costs about 150 bytes).
const memoSize = 8192

// NewHasher returns an empty Hasher for the keys of c.
func (c *Cache) NewHasher() *Hasher { return c.memo.NewHasher() }

// Get returns the piece of article id kept under key, counting a hit or a
// miss. The bytes are shared: the caller must not change them.
func (c *Cache) Get(key uint64, id int64) ([]byte, bool) {
	if p, ok := c.pieces.Get(key); ok && p.id == id {
		c.hits.Add(1)
		return p.bytes, true
	}
	c.misses.Add(1)
	return nil, false
}

// Add keeps b, a piece of article id, under key. The cache keeps b itself:
// the caller must not change it afterwards.
func (c *Cache) Add(key uint64, id int64, b []byte) {
	c.pieces.Add(key, &piece{id: id, bytes: b})
}

// Write writes to out the piece of article id kept under key or, when
// there is none, what render writes to out, and keeps that. It only
// renders when keep is false (the key could not be made) or c is nil.
func (c *Cache) Write(out *bytes.Buffer, key uint64, keep bool, id int64, render func() error) error {
	if c == nil || !keep {
		return render()
	}
	if kept, ok := c.Get(key, id); ok {
		out.Write(kept)
		return nil
	}
	start := out.Len()
	if err := render(); err != nil {
		return err
	}
	c.Add(key, id, bytes.Clone(out.Bytes()[start:]))
	return nil
}

// Stats reports the pieces served from the cache (hits), those rendered
// (misses), and the bytes held.
func (c *Cache) Stats() (hits, misses uint64, bytes int64) {
	return c.hits.Load(), c.misses.Load(), c.pieces.Bytes()
}
