package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/newsdesk/newsdesk/internal/news"
)

// apqCache is the automatic persisted queries' cache: queries clients sent
// to this replica, in a per-process LRU, backed by the registered queries
// every replica shares (`newsdesk queries add`). A registered query works
// by hash alone on any replica, first time; one a client made up costs it
// one resend per replica. Clients never write to the shared store: anyone
// may send a query, and the database is no place for their text.
type apqCache struct {
	local      *lru.LRU[string]
	registered news.QueryStore // nil: local only
}

var _ graphql.Cache[string] = (*apqCache)(nil)

func newAPQCache(registered news.QueryStore) *apqCache {
	return &apqCache{local: lru.New[string](1000), registered: registered}
}

func (c *apqCache) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := c.local.Get(ctx, hash); ok {
		return q, true
	}
	if c.registered == nil {
		return "", false
	}
	pq, err := c.registered.PersistedQuery(ctx, hash)
	if err != nil {
		return "", false
	}
	c.local.Add(ctx, hash, pq.Query)
	return pq.Query, true
}

func (c *apqCache) Add(ctx context.Context, hash, query string) { c.local.Add(ctx, hash, query) }
