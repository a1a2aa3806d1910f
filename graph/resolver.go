// Package graph is the GraphQL transport: gqlgen's generated executor and
// resolvers that turn arguments into domain calls. Resolvers hold no SQL;
// related objects load through the per-request dataloaders.
package graph

//go:generate go run github.com/99designs/gqlgen generate

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Resolver is the root resolver: the dependencies every resolver shares.
type Resolver struct {
	Store     news.Reader
	Writer    news.Writer
	Searcher  *news.Searcher
	Hooks     news.WebhookStore
	ViewStore news.ViewStore
	Views     news.ViewCounter
	Now       news.Clock
}

// reader is the reader for the request ctx belongs to: the editors'
// preview, which also sees drafts and scheduled stories, for an editor key,
// the public one for everyone else.
func (r *Resolver) reader(ctx context.Context) news.Reader {
	return news.ReaderFor(ctx, r.Store, r.Writer)
}

func (r *Resolver) now() time.Time { return r.Now() }
