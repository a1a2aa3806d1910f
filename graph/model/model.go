// Package model holds the GraphQL-only types: connections, the DateTime
// scalar and the Node interface. Domain types come from internal/news.
package model

import (
	"io"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Node is any object with a global id: *news.ArticleView, *news.Author,
// *news.Category or *news.Tag.
type Node any

// ArticleConnection is a page of articles. Filter is kept so that
// totalCount can count the whole list when a client asks for it.
type ArticleConnection struct {
	Edges    []*ArticleEdge
	Nodes    []*news.ArticleView
	PageInfo *PageInfo
	Filter   news.ArticleFilter
}

// SearchConnection is a page of search results. Request is kept so that
// totalCount can count every match when a client asks for it.
type SearchConnection struct {
	Edges    []*SearchEdge
	PageInfo *PageInfo
	Request  news.SearchRequest
}

// MarshalDateTime writes t as RFC 3339 in t's own zone (the store returns
// times in the site's zone), with fractions of a second only when there
// are some. The zero time is null.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	if t.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) {
		writeAppended(w, len(time.RFC3339Nano)+2, func(dst []byte) []byte { return appendDateTime(dst, t) })
	})
}

// UnmarshalDateTime reads an RFC 3339 date and time.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, news.Errorf(news.EINVALID, "DateTime must be an RFC 3339 string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, news.Errorf(news.EINVALID, "DateTime must be RFC 3339, like 2025-10-10T09:30:00+07:00, got %q", s)
	}
	return t, nil
}
