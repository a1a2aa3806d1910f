package rest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/rest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/newsdesk/newsdesk/internal/viewcount"
)

// demoHandler is the REST handler over a store holding the demo content,
// without the server around it, keeping pieces in pieces if not nil.
func demoHandler(tb testing.TB, pieces *contenthash.Cache) http.Handler {
	db := sqlitetest.OpenDemo(tb, sqlite.Options{})
	return rest.NewHandler(rest.Config{Store: db, Writer: db, Searcher: &news.Searcher{Store: db}, ViewStore: db,
		Views: viewcount.New(db, nil), Pieces: pieces})
}

// BenchmarkCategoryPage answers a page of 20 stories of a category with
// their covers, bylines, category and tags through the real handler and
// store, without the network: with the fragment cache (the server's
// default) and without.
func BenchmarkCategoryPage(b *testing.B) {
	for _, bc := range []struct {
		name   string
		pieces *contenthash.Cache
	}{
		{"fragment cache", contenthash.NewCache(8<<20, news.SharedTypes()...)},
		{"no fragment cache", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := demoHandler(b, bc.pieces)
			run := func() *httptest.ResponseRecorder {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/articles?limit=20", nil))
				return rec
			}
			if rec := run(); rec.Code != http.StatusOK {
				b.Fatalf("page: %d %s", rec.Code, rec.Body)
			}
			b.ReportAllocs()
			for b.Loop() {
				run()
			}
		})
	}
}
