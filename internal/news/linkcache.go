package news

import (
	"context"
	"sync"
	"time"
)

// LinkCache keeps the authors and tags a store has read, by id, and
// articles' link ids, for one store generation: they are few beside
// articles, change seldom, and nearly every article answer names some, so
// a store reads an article's link ids and takes the people and tags from
// here. Any write moves the generation on and empties the cache; a store
// must fill it only with reads that see every write of the generation (a
// PostgreSQL store reads them from the primary). What it returns is
// shared: callers must not change it. Entries live at most a minute.
type LinkCache struct {
	authors idCache[Author]
	tags    idCache[Tag]
	// articles are articles' link ids, kept from the reads that brought
	// them (a list reading them with its rows, or a batch of link ids).
	articles idCache[LinkIDs]
}

const (
	// linkCacheMax bounds the entries kept of each kind; past it the cache
	// starts again.
	linkCacheMax = 50_000
	// linkCacheAge bounds how long an entry is kept.
	linkCacheAge = time.Minute
)

// LinkIDs are one article's author and tag ids, in byline and tag order.
type LinkIDs struct{ Authors, Tags []int64 }

// Resolve turns the link ids of articles into the authors and tags parts
// asks for, as of generation gen, by article: every article of links gets
// an entry of each kind asked for, empty if it has none; a kind not asked
// for is not loaded and its map is nil.
func (c *LinkCache) Resolve(ctx context.Context, gen uint64, links map[int64]*LinkIDs, parts ViewParts,
	loadAuthors func(context.Context, []int64) (map[int64]*Author, error),
	loadTags func(context.Context, []int64) (map[int64]*Tag, error)) (outA map[int64][]*Author, outT map[int64][]*Tag, err error) {
	if parts.Authors {
		if outA, err = resolveKind(ctx, &c.authors, gen, links, func(l *LinkIDs) []int64 { return l.Authors }, loadAuthors); err != nil {
			return nil, nil, err
		}
	}
	if parts.Tags {
		if outT, err = resolveKind(ctx, &c.tags, gen, links, func(l *LinkIDs) []int64 { return l.Tags }, loadTags); err != nil {
			return nil, nil, err
		}
	}
	return outA, outT, nil
}

// resolveKind is Resolve for one kind, whose ids of a link kind gives.
func resolveKind[T any](ctx context.Context, cache *idCache[T], gen uint64, links map[int64]*LinkIDs,
	kind func(*LinkIDs) []int64, load func(context.Context, []int64) (map[int64]*T, error)) (map[int64][]*T, error) {
	var ids []int64
	for _, l := range links {
		ids = append(ids, kind(l)...)
	}
	byID, err := cache.get(ctx, gen, ids, load)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]*T, len(links))
	for id, l := range links {
		out[id] = inOrder(kind(l), byID)
	}
	return out, nil
}

// Remember keeps the link ids of articles read as of generation gen, so
// that asking for their authors or tags next reads no ids. Ids already
// kept for gen (a list read again) cost only the read lock.
func (c *LinkCache) Remember(gen uint64, links map[int64]*LinkIDs) {
	if !c.articles.holds(gen, links) {
		c.articles.put(gen, links)
	}
}

// ArticleLinks is Resolve for the articles ids, whose link ids come from
// the cache, those not kept read with loadIDs (both kinds, an entry for
// every id). Nothing is read when parts asks for neither kind.
func (c *LinkCache) ArticleLinks(ctx context.Context, gen uint64, ids []int64, parts ViewParts,
	loadIDs func(context.Context, []int64) (map[int64]*LinkIDs, error),
	loadAuthors func(context.Context, []int64) (map[int64]*Author, error),
	loadTags func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64][]*Author, map[int64][]*Tag, error) {
	if !parts.Authors && !parts.Tags {
		return nil, nil, nil
	}
	links, err := c.articles.get(ctx, gen, ids, loadIDs)
	if err != nil {
		return nil, nil, err
	}
	return c.Resolve(ctx, gen, links, parts, loadAuthors, loadTags)
}

// inOrder returns the values of ids in byID, in order; never nil.
func inOrder[T any](ids []int64, byID map[int64]*T) []*T {
	out := make([]*T, 0, len(ids))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

// Authors returns the authors of ids as of generation gen (read before the
// load, so that a write during it is not cached as current), loading those
// not cached with load. Ids with no author are left out.
func (c *LinkCache) Authors(ctx context.Context, gen uint64, ids []int64, load func(context.Context, []int64) (map[int64]*Author, error)) (map[int64]*Author, error) {
	return c.authors.get(ctx, gen, ids, load)
}

// Tags is Authors for tags.
func (c *LinkCache) Tags(ctx context.Context, gen uint64, ids []int64, load func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64]*Tag, error) {
	return c.tags.get(ctx, gen, ids, load)
}

// idCache is one kind of LinkCache's values, by id, as of a generation.
type idCache[T any] struct {
	mu   sync.RWMutex
	gen  uint64
	born time.Time
	byID map[int64]*T
}

func (c *idCache[T]) get(ctx context.Context, gen uint64, ids []int64, load func(context.Context, []int64) (map[int64]*T, error)) (map[int64]*T, error) {
	out := make(map[int64]*T, len(ids))
	var missing []int64
	c.mu.RLock()
	current := c.gen == gen && time.Since(c.born) < linkCacheAge
	for _, id := range ids {
		if v, ok := c.byID[id]; ok && current {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := load(ctx, UniqueIDs(missing))
	if err != nil {
		return nil, err
	}
	for id, v := range got {
		out[id] = v
	}
	c.put(gen, got)
	return out, nil
}

// holds reports whether every id of got is kept, current for gen.
func (c *idCache[T]) holds(gen uint64, got map[int64]*T) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen || c.byID == nil || time.Since(c.born) >= linkCacheAge {
		return false
	}
	for id := range got {
		if _, ok := c.byID[id]; !ok {
			return false
		}
	}
	return true
}

// put keeps values read as of generation gen.
func (c *idCache[T]) put(gen uint64, got map[int64]*T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case gen < c.gen:
		return // read under an older generation: keep the newer
	case gen > c.gen || c.byID == nil || len(c.byID) > linkCacheMax || time.Since(c.born) >= linkCacheAge:
		c.gen, c.born, c.byID = gen, time.Now(), make(map[int64]*T, len(got))
	}
	for id, v := range got {
		c.byID[id] = v
	}
}
