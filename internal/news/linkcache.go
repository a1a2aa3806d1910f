package news

import (
	"context"
	"sync"
)

// LinkCache keeps the authors and tags a store has read, by id, for one
// store generation: they are few beside articles, change seldom, and
// nearly every article answer names some, so a store reads an article's
// link ids and takes the people and tags from here. Any write moves the
// generation on and empties the cache. What it returns is shared: callers
// must not change it.
type LinkCache struct {
	mu      sync.RWMutex
	gen     uint64
	authors map[int64]*Author
	tags    map[int64]*Tag
}

// linkCacheMax bounds the entries kept; past it the cache starts again.
const linkCacheMax = 100_000

// Authors returns the authors of ids as of generation gen (read before the
// load, so that a write during it is not cached as current), loading those
// not cached with load. Ids with no author are left out.
func (c *LinkCache) Authors(ctx context.Context, gen uint64, ids []int64, load func(context.Context, []int64) (map[int64]*Author, error)) (map[int64]*Author, error) {
	return cachedByID(c, gen, ids, func(c *LinkCache) map[int64]*Author { return c.authors }, ctx, load)
}

// Tags is Authors for tags.
func (c *LinkCache) Tags(ctx context.Context, gen uint64, ids []int64, load func(context.Context, []int64) (map[int64]*Tag, error)) (map[int64]*Tag, error) {
	return cachedByID(c, gen, ids, func(c *LinkCache) map[int64]*Tag { return c.tags }, ctx, load)
}

func cachedByID[T any](c *LinkCache, gen uint64, ids []int64, pick func(*LinkCache) map[int64]*T, ctx context.Context, load func(context.Context, []int64) (map[int64]*T, error)) (map[int64]*T, error) {
	out := make(map[int64]*T, len(ids))
	var missing []int64
	c.mu.RLock()
	current := c.gen == gen && pick(c) != nil
	for _, id := range ids {
		if v, ok := pick(c)[id]; ok && current {
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.authors == nil || len(c.authors)+len(c.tags) > linkCacheMax {
		if gen < c.gen {
			// Read under an older generation than the cache's: return it,
			// keep the newer.
			for id, v := range got {
				out[id] = v
			}
			return out, nil
		}
		c.gen, c.authors, c.tags = gen, map[int64]*Author{}, map[int64]*Tag{}
	}
	m := pick(c)
	for id, v := range got {
		m[id] = v
		out[id] = v
	}
	return out, nil
}
