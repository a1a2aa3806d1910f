package news

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/sizedlru"
)

// ArticleCache keeps articles a store has read, by id, with their link ids,
// as of a store generation, bounded in bytes (least recently used out
// first). A list read before in the generation reads only the ids of its
// page (an index alone) and takes the rows from here; a lookup by slug or
// id finds the article here without a statement. Reading an article's
// columns, not finding it, is most of what a list costs: the driver makes
// three calls into SQLite a column. Any write moves the generation on and every entry with it; entries also
// live at most a minute, as the link cache's. What it returns is shared:
// callers must not change it. A nil *ArticleCache keeps nothing.
type ArticleCache struct {
	lru          *sizedlru.Cache[int64, *cachedArticle]
	hits, misses atomic.Uint64

	// slugs are the ids of the slugs of articles kept for generation
	// slugGen (a newer generation starts them again).
	mu      sync.RWMutex
	slugGen uint64
	slugs   map[string]int64
	// lists are the lists read in generation listGen, by key (see Listed).
	listMu  sync.Mutex
	listGen uint64
	lists   map[any]bool
}

// maxSlugs and maxLists bound the slugs and lists remembered: past them
// they start again (an article's own entry may be gone from the LRU long
// before its slug).
const (
	maxSlugs = 100_000
	maxLists = 10_000
)

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

// Listed reports whether the list of key (a comparable value naming the
// list and its page) was read in generation gen before, and notes that it
// is read now. A list read before had better read its ids first and its
// rows only when some are not kept (the ids' index alone, and the rows
// here); a list read first in a generation reads its rows at once, one
// statement as with no cache. A nil cache has seen no list.
func (c *ArticleCache) Listed(gen uint64, key any) bool {
	if c == nil {
		return false
	}
	c.listMu.Lock()
	defer c.listMu.Unlock()
	switch {
	case gen < c.listGen:
		return false // read under an older generation: nothing to note
	case gen > c.listGen || c.lists == nil || len(c.lists) >= maxLists:
		c.listGen, c.lists = gen, make(map[any]bool)
	}
	seen := c.lists[key]
	c.lists[key] = true
	return seen
}

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

// BySlug is Get, with bodies, for the article whose slug is slug.
func (c *ArticleCache) BySlug(gen uint64, slug string) (*Article, *LinkIDs, bool) {
	if c == nil {
		return nil, nil, false
	}
	// The slugs start again with each generation's first Put, and a Put
	// changes the slugs and the LRU under the write lock: a slug found
	// names an article of gen, or one Get finds no longer current.
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.slugs[slug]
	if !ok {
		c.misses.Add(1)
		return nil, nil, false
	}
	return c.Get(gen, id, true)
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen > c.slugGen || c.slugs == nil || len(c.slugs) >= maxSlugs {
		c.slugGen, c.slugs = gen, make(map[string]int64)
	}
	if gen == c.slugGen {
		c.slugs[a.Slug] = a.ID
	}
	c.lru.Add(a.ID, e)
}

// Stats returns the lookups that found an article, those that did not,
// and the bytes kept: zeros for a nil cache.
func (c *ArticleCache) Stats() (hits, misses uint64, bytes int64) {
	if c == nil {
		return 0, 0, 0
	}
	return c.hits.Load(), c.misses.Load(), c.lru.Bytes()
}
