package news

import (
	"context"
	"sync"
	"time"
)

// LinkCache keeps the authors and tags a store has read, by id, for one
// store generation: they are few beside articles, change seldom, and
// nearly every article answer names some, so a store reads an article's
// link ids and takes the people and tags from here. Any write moves the
// generation on and empties the cache. What it returns is shared: callers
// must not change it. Entries live at most a minute besides, which bounds
// what a lagging read replica could leave stale.
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

// Resolve turns the link ids of articles into their authors and tags, as
// of generation gen, by article; every article of links gets an entry,
// empty if it has no links.
func (c *LinkCache) Resolve(ctx context.Context, gen uint64, links map[int64]LinkIDs,
	loadAuthors func(context.Context, []int64) (map[int64]*Author, error),
	loadTags func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64][]*Author, map[int64][]*Tag, error) {
	var authorIDs, tagIDs []int64
	for _, l := range links {
		authorIDs = append(authorIDs, l.Authors...)
		tagIDs = append(tagIDs, l.Tags...)
	}
	authors, err := c.Authors(ctx, gen, authorIDs, loadAuthors)
	if err != nil {
		return nil, nil, err
	}
	tags, err := c.Tags(ctx, gen, tagIDs, loadTags)
	if err != nil {
		return nil, nil, err
	}
	outA := make(map[int64][]*Author, len(links))
	outT := make(map[int64][]*Tag, len(links))
	for id, l := range links {
		outA[id], outT[id] = inOrder(l.Authors, authors), inOrder(l.Tags, tags)
	}
	return outA, outT, nil
}

// Remember keeps the link ids of articles read as of generation gen, so
// that asking for their authors or tags next reads no ids.
func (c *LinkCache) Remember(gen uint64, links map[int64]*LinkIDs) {
	c.articles.put(gen, links)
}

// ArticleLinks returns the authors and tags of the articles ids as of
// generation gen, by article, each kind only if its loader is given (a nil
// one leaves that kind's map nil). The link ids come from the cache, those
// not kept read with loadIDs (both kinds, an entry for every id); the
// authors and tags from the cache or their loaders.
func (c *LinkCache) ArticleLinks(ctx context.Context, gen uint64, ids []int64,
	loadIDs func(context.Context, []int64) (map[int64]*LinkIDs, error),
	loadAuthors func(context.Context, []int64) (map[int64]*Author, error),
	loadTags func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64][]*Author, map[int64][]*Tag, error) {
	kept, err := c.articles.get(ctx, gen, ids, loadIDs)
	if err != nil {
		return nil, nil, err
	}
	return c.LinksOf(ctx, gen, ids, kept, loadAuthors, loadTags)
}

// LinksOf is ArticleLinks with the link ids given (read by the caller, not
// kept): for a store whose reads may lag behind its generation.
func (c *LinkCache) LinksOf(ctx context.Context, gen uint64, ids []int64, kept map[int64]*LinkIDs,
	loadAuthors func(context.Context, []int64) (map[int64]*Author, error),
	loadTags func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64][]*Author, map[int64][]*Tag, error) {
	links := make(map[int64]LinkIDs, len(ids))
	for _, id := range ids {
		var l LinkIDs
		if k := kept[id]; k != nil {
			if loadAuthors != nil {
				l.Authors = k.Authors
			}
			if loadTags != nil {
				l.Tags = k.Tags
			}
		}
		links[id] = l
	}
	authors, tags, err := c.Resolve(ctx, gen, links, loadAuthors, loadTags)
	if loadAuthors == nil {
		authors = nil
	}
	if loadTags == nil {
		tags = nil
	}
	return authors, tags, err
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
