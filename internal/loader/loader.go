// Package loader batches the lookups of one request by id: the articles,
// authors and tags a GraphQL response names by id (node, related lists) are
// fetched in one query per kind, whatever the page size
// (github.com/vikstrous/dataloadgen). An article's own authors and tags
// come with it, read for a whole list at once (graph's views), and the
// category tree from the store, which keeps it per generation. Loaders
// live for one request only, so they never serve stale data across
// requests.
package loader

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/vikstrous/dataloadgen"
)

// wait is how long a loader collects keys before it fetches. GraphQL
// resolves the fields of a list's items concurrently, so their keys arrive
// within microseconds of each other.
const wait = 200 * time.Microsecond

// Loaders are the per-request loaders. Each is made on its first use:
// most requests (an article, a page) need none of them, and making the
// four was a fifteenth of the allocations of a GraphQL article.
type Loaders struct {
	store          news.Reader
	articleByID    lazy[int64, *news.Article]
	authorByID     lazy[int64, *news.Author]
	tagByID        lazy[int64, *news.Tag]
	linksByArticle lazy[LinkKey, Links]
}

// New returns fresh loaders over store.
func New(store news.Reader) *Loaders { return &Loaders{store: store} }

// ArticleByID loads articles by id.
func (l *Loaders) ArticleByID() *dataloadgen.Loader[int64, *news.Article] {
	return l.articleByID.get(func() fetch[int64, *news.Article] { return l.store.ArticlesByID })
}

// AuthorByID loads authors by id.
func (l *Loaders) AuthorByID() *dataloadgen.Loader[int64, *news.Author] {
	return l.authorByID.get(func() fetch[int64, *news.Author] { return l.store.AuthorsByID })
}

// TagByID loads tags by id.
func (l *Loaders) TagByID() *dataloadgen.Loader[int64, *news.Tag] {
	return l.tagByID.get(func() fetch[int64, *news.Tag] { return l.store.TagsByID })
}

// LinksByArticle gathers the authors and tags of articles shown under
// several parents (the related lists of a page) into one read for each set
// of parts asked.
func (l *Loaders) LinksByArticle() *dataloadgen.Loader[LinkKey, Links] {
	return l.linksByArticle.get(func() fetch[LinkKey, Links] { return l.links })
}

// LinkKey asks for the links of article ID that Parts names.
type LinkKey struct {
	ID    int64
	Parts news.ViewParts
}

func (l *Loaders) links(ctx context.Context, keys []LinkKey) (map[LinkKey]Links, error) {
	ids := map[news.ViewParts][]int64{} // a query's lists ask the same parts: one read
	for _, k := range keys {
		ids[k.Parts] = append(ids[k.Parts], k.ID)
	}
	out := make(map[LinkKey]Links, len(keys))
	for parts, ids := range ids {
		authors, tags, err := l.store.LinksOfArticles(ctx, ids, parts)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[LinkKey{id, parts}] = Links{Authors: authors[id], Tags: tags[id]}
		}
	}
	return out, nil
}

// fetch reads a batch of keys.
type fetch[K comparable, V any] func(context.Context, []K) (map[K]V, error)

// lazy is a loader made on first use.
type lazy[K comparable, V any] struct {
	once   sync.Once
	loader *dataloadgen.Loader[K, V]
}

// get returns the loader, made with what fetcher returns the first time.
// fetcher is asked only then: a method value made on every call would
// cost an allocation each time a resolver reaches for the loader.
func (z *lazy[K, V]) get(fetcher func() fetch[K, V]) *dataloadgen.Loader[K, V] {
	z.once.Do(func() { z.loader = dataloadgen.NewMappedLoader(fetcher(), dataloadgen.WithWait(wait)) })
	return z.loader
}

// Links are an article's authors and tags.
type Links struct {
	Authors []*news.Author
	Tags    []*news.Tag
}

type ctxKey struct{}

// Middleware gives every request its own loaders, over the reader that
// reader picks for it (editors' previews see more than the public).
func Middleware(reader func(context.Context) news.Reader, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		next.ServeHTTP(w, r.WithContext(With(ctx, New(reader(ctx)))))
	})
}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders of the request ctx belongs to. It panics when the
// Middleware is missing: a wiring bug, not a runtime condition.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loader: no loaders in context (is loader.Middleware installed?)")
	}
	return l
}

// IsNotFound reports whether err is a loader's "no such key" error.
func IsNotFound(err error) bool {
	return errors.Is(err, dataloadgen.ErrNotFound)
}

// Found keeps the values a LoadAll found, in order, dropping keys that were
// not found (say, an article unpublished since its id was read). Any other
// error is returned.
func Found[T any](values []*T, err error) ([]*T, error) {
	var errs dataloadgen.ErrorSlice
	if errors.As(err, &errs) {
		for _, e := range errs {
			if e != nil && !IsNotFound(e) {
				return nil, e
			}
		}
	} else if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(values))
	for _, v := range values {
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}
