package graph_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// benchQuery measures one GraphQL POST through the real handler (executor,
// loaders, store, SQLite, the fragment cache a server has) without the
// network.
func benchQuery(b *testing.B, body string) {
	benchHandler(b, body, graph.NewFragmentCache(contenthash.NewCache(8<<20, news.SharedTypes()...)))
}

// benchHandler measures body through a handler with fragments (nil: none).
func benchHandler(b *testing.B, body string, fragments *graph.FragmentCache) {
	db := sqlitetest.OpenDemo(b, sqlite.Options{})
	h := graph.NewHandler(graph.Options{Store: db, Fragments: fragments})
	run := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := run(); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		b.Fatalf("query failed: %d %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	// Many requests in flight, as a server has: loaders wait a little for
	// their batch, so a single stream would measure the wait, not the work.
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			run()
		}
	})
}

func BenchmarkArticleBySlug(b *testing.B) {
	benchQuery(b, `{"query":"{ article(slug: \"`+seedSlug+`\") { id slug title excerpt bodyHtml publishedAt coverImage { url caption } authors { name slug } category { name slug } tags { name slug } } }"}`)
}

const page20 = `{"query":"{ articles(first: 20) { edges { cursor node { id slug title excerpt publishedAt coverImage { url } authors { name slug } category { name slug } tags { name slug } } } pageInfo { hasNextPage endCursor } } }"}`

func BenchmarkArticlePage20(b *testing.B) { benchQuery(b, page20) }

// BenchmarkArticlePage20Executor renders every article with gqlgen's
// executor, as without the fragment cache.
func BenchmarkArticlePage20Executor(b *testing.B) { benchHandler(b, page20, nil) }

// BenchmarkArticleFloorFields asks for what the load benchmark's GraphQL
// article workload and its floor answer.
func BenchmarkArticleFloorFields(b *testing.B) {
	benchQuery(b, `{"query":"query Article($slug: String) { article(slug: $slug) { id slug title excerpt bodyHtml publishedAt } }","variables":{"slug":"`+seedSlug+`"}}`)
}
