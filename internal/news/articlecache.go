package news

import (
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/sizedlru"
)

// ArticleCache keeps articles a store has read, by id, with their link ids,
// as of a store generation, bounded in bytes (least recently used out
// first). A list, once its generation is warm, reads only the ids of its
// page (an index alone) and takes the rows from here; a lookup by slug
// reads the id. Reading an article's columns, not finding it, is most of
// what a list costs: the driver makes three calls into SQLite a column.
// Any write moves the generation on and every entry with it; entries also
// live at most a minute, as the link cache's. What it returns is shared:
// callers must not change it. A nil *ArticleCache keeps nothing.
type ArticleCache struct {
	lru *sizedlru.Cache[int64, *cachedArticle]
	// latest is the newest generation anything was kept for: a list of an
	// older one reads its rows in its own statement (see Warm).
	latest       atomic.Uint64
	hits, misses atomic.Uint64
}

// cachedArticle is one article as of a generation: full has its bodies
// when they were read, summary never does (lists without bodies, as the
// Reader contract has them, share it).
type cachedArticle struct {
	gen           uint64
	born          time.Time
	full, summary *Article
	links         *LinkIDs
}

// articleOverhead is what an entry costs beside its strings: the structs,
// the link ids' slices, the LRU's element and map slot.
const articleOverhead = 600

// NewArticleCache returns a cache of at most limit bytes; nil (no cache)
// for a limit of 0 or less.
func NewArticleCache(limit int64) *ArticleCache {
	if limit <= 0 {
		return nil
	}
	size := func(e *cachedArticle) int64 {
		a := e.summary
		n := articleOverhead + len(a.Slug) + len(a.Title) + len(a.Excerpt) + 8*(len(e.links.Authors)+len(e.links.Tags))
		if a.Cover != nil {
			n += len(a.Cover.URL) + len(a.Cover.Caption) + len(a.Cover.Alt) + len(a.Cover.Credit)
		}
		if e.full != e.summary {
			n += len(e.full.BodyHTML) + len(e.full.BodyText)
		}
		return int64(n)
	}
	// One article may take up to a sixteenth: a long story with its body
	// is tens of KiB.
	return &ArticleCache{lru: sizedlru.New[int64](limit, limit/16, size)}
}

// Warm reports whether anything was kept for generation gen: whether a
// list had better read its ids first and the rows only when some are not
// kept, or read its rows at once. A generation starts cold, so the first
// reads after a write cost no more statements than with no cache.
func (c *ArticleCache) Warm(gen uint64) bool { return c != nil && c.latest.Load() == gen }

// Get returns the article id as kept for generation gen, with its link
// ids; with its bodies if bodies is set, else without them.
func (c *ArticleCache) Get(gen uint64, id int64, bodies bool) (*Article, *LinkIDs, bool) {
	if c == nil {
		return nil, nil, false
	}
	e, ok := c.lru.Get(id)
	if !ok || e.gen != gen || (bodies && e.full == e.summary) || time.Since(e.born) >= linkCacheAge {
		c.misses.Add(1)
		return nil, nil, false
	}
	c.hits.Add(1)
	if bodies {
		return e.full, e.links, true
	}
	return e.summary, e.links, true
}

// GetAll returns the articles ids as kept for generation gen (Get for
// each, in order), or false if any is not kept.
func (c *ArticleCache) GetAll(gen uint64, ids []int64, bodies bool) ([]*Article, map[int64]*LinkIDs, bool) {
	out := make([]*Article, len(ids))
	links := make(map[int64]*LinkIDs, len(ids))
	for i, id := range ids {
		a, l, ok := c.Get(gen, id, bodies)
		if !ok {
			return nil, nil, false
		}
		out[i], links[id] = a, l
	}
	return out, links, true
}

// Put keeps a, read as of generation gen (loaded before the read) with its
// link ids; bodies tells whether a's bodies were read.
func (c *ArticleCache) Put(gen uint64, a *Article, links *LinkIDs, bodies bool) {
	if c == nil {
		return
	}
	e := &cachedArticle{gen: gen, born: time.Now(), full: a, summary: a, links: links}
	if bodies {
		s := *a
		s.BodyHTML, s.BodyText = "", ""
		e.summary = &s
	}
	c.lru.Add(a.ID, e)
	for {
		latest := c.latest.Load()
		if gen <= latest || c.latest.CompareAndSwap(latest, gen) {
			return
		}
	}
}

// Stats returns the lookups that found an article, those that did not,
// and the bytes kept: zeros for a nil cache.
func (c *ArticleCache) Stats() (hits, misses uint64, bytes int64) {
	if c == nil {
		return 0, 0, 0
	}
	return c.hits.Load(), c.misses.Load(), c.lru.Bytes()
}
