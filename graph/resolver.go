// Package graph is the GraphQL transport: gqlgen's generated executor and
// resolvers that turn arguments into domain calls. Resolvers hold no SQL;
// related objects load through the per-request dataloaders.
package graph

//go:generate go run github.com/99designs/gqlgen generate

import "github.com/newsdesk/newsdesk/internal/news"

// Resolver is the root resolver: the dependencies every resolver shares.
type Resolver struct {
	Store    news.Reader
	Searcher *news.Searcher
}
