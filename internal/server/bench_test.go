package server_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/ratelimit"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
)

const articleQuery = `{"query":"{ article(slug: \"so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai\") { id slug title excerpt bodyHtml publishedAt coverImage { url caption } authors { name slug } category { name slug } tags { name slug } } }"}`

// benchServer measures article-by-slug through the whole server stack
// (every middleware, GraphQL, store) without the network.
func benchServer(b *testing.B, opts ...servertest.Option) {
	e := servertest.Start(b, opts...)
	h := e.Srv.Config.Handler
	run := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(articleQuery))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := run(); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			run()
		}
	})
}

// BenchmarkLimits compares article-by-slug with every production limit on
// (cost, depth and alias checks, rate limiting at a budget that never
// refuses) against development mode without rate limits.
func BenchmarkLimits(b *testing.B) {
	unlimited := map[news.Role]ratelimit.Budget{"": {PerMinute: math.MaxInt32, Burst: math.MaxInt32}}
	b.Run("dev", func(b *testing.B) { benchServer(b) })
	b.Run("production", func(b *testing.B) {
		benchServer(b, func(c *server.Config) { c.Dev = false; c.RateLimit = true; c.Budgets = unlimited })
	})
}

// BenchmarkCachedArticle is a response-cache hit for a REST article
// through the whole server: what every middleware costs on the fastest
// path.
func BenchmarkCachedArticle(b *testing.B) {
	e := servertest.Start(b, func(c *server.Config) { c.Dev = false })
	h := e.Srv.Config.Handler
	run := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/v1/articles/so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai", nil)
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := run(); rec.Code != http.StatusOK {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			run()
		}
	})
}
