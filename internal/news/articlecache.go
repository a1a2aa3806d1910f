package news

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/sizedcache"
)

// ArticleCache keeps articles a store has read, by id, with their link ids,
// as of a store generation, bounded in bytes (those asked for most kept,
// see sizedcache). A list read before in the generation reads only the
// ids of its page (an index alone) and takes the rows from here; a lookup
// by slug or id finds the article here without a statement. Reading an
// article's columns, not finding it, is most of what a list costs: the
// driver makes three calls into SQLite a column. Any write moves the
// generation on and every entry with it; entries also live at most a
// minute, as the link cache's. What it returns is shared: callers must not
// change it. A nil *ArticleCache keeps nothing.
type ArticleCache struct {
	articles     *sizedcache.Cache[int64, *cachedArticle]
	hits, misses atomic.Uint64

	// slugs are the ids of the articles kept with their bodies, by slug:
	// a slug leaves with its article, or with its name when a rename
	// replaces it. A lookup checks the article it finds: a slug stored by
	// a read that lost a race with a rename's names another article now.
	slugs sync.Map // string to int64
	// newest is the newest generation anything was kept for: an older
	// read (one that began before a write) keeps nothing.
	newest atomic.Uint64
	// lists are the lists read in generation listGen, by hash (see Listed).
	listMu  sync.Mutex
	listGen uint64
	lists   map[uint64]bool
}

// maxLists bounds the lists remembered: past it they start again.
const maxLists = 10_000

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
// the link ids' slices, the cache's node and map slot, the slug's entry.
const articleOverhead = 700

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
	c := &ArticleCache{}
	// One article may take up to a sixteenth: a long story with its body
	// is tens of KiB.
	c.articles = sizedcache.NewDropping(limit, limit/16, size, func(id int64, e *cachedArticle) {
		c.slugs.CompareAndDelete(e.summary.Slug, id)
	})
	return c
}

// Listed reports whether the list of key (a hash naming the list and its
// page) was read in generation gen before, and notes that it is read now.
// A list read before had better read its ids first and its rows only when
// some are not kept (the ids' index alone, and the rows here); a list read
// first in a generation reads its rows at once, one statement as with no
// cache. A nil cache has seen no list. Two lists of one hash cost the
// second an ids statement, never a wrong answer: the store checks what it
// takes from here against the ids' index.
func (c *ArticleCache) Listed(gen, key uint64) bool {
	if c == nil {
		return false
	}
	c.listMu.Lock()
	defer c.listMu.Unlock()
	switch {
	case gen < c.listGen:
		return false // read under an older generation: nothing to note
	case gen > c.listGen || c.lists == nil || len(c.lists) >= maxLists:
		c.listGen, c.lists = gen, make(map[uint64]bool)
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
	e, ok := c.articles.Get(id)
	if ok && (e.gen < gen || time.Since(e.born) >= linkCacheAge) {
		// Out of date for good: room for the article as it is now, which
		// would otherwise have to be asked for more often than this was.
		c.articles.Remove(id, e)
		ok = false
	}
	if !ok || e.gen != gen || (bodies && e.full == e.summary) {
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
	id, ok := c.slugs.Load(slug)
	if !ok {
		c.misses.Add(1)
		return nil, nil, false
	}
	a, l, ok := c.Get(gen, id.(int64), true)
	if !ok {
		return nil, nil, false
	}
	if a.Slug != slug {
		c.slugs.CompareAndDelete(slug, id) // see slugs
		return nil, nil, false
	}
	return a, l, true
}

// Put keeps a, read as of generation gen (loaded before the read) with its
// link ids; bodies tells whether a's bodies were read. A read of a
// generation older than one kept already keeps nothing: it may have seen
// the database before the write that moved the generation on.
func (c *ArticleCache) Put(gen uint64, a *Article, links *LinkIDs, bodies bool) {
	if c == nil {
		return
	}
	for {
		newest := c.newest.Load()
		if gen < newest {
			return
		}
		if gen == newest || c.newest.CompareAndSwap(newest, gen) {
			break
		}
	}
	e := &cachedArticle{gen: gen, born: time.Now(), full: a, summary: a, links: links}
	if bodies {
		s := *a
		s.BodyHTML, s.BodyText = "", ""
		e.summary = &s
		// Only an article with its bodies is found by slug (BySlug). The
		// slug before the article: one the cache refuses or drops at once
		// takes it away again.
		c.slugs.Store(a.Slug, a.ID)
	}
	if old, ok := c.articles.Add(a.ID, e); ok && old.summary.Slug != a.Slug {
		c.slugs.CompareAndDelete(old.summary.Slug, a.ID) // renamed
	}
}

// Stats returns the lookups that found an article, those that did not,
// and the bytes kept: zeros for a nil cache.
func (c *ArticleCache) Stats() (hits, misses uint64, bytes int64) {
	if c == nil {
		return 0, 0, 0
	}
	return c.hits.Load(), c.misses.Load(), c.articles.Bytes()
}
