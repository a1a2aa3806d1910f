// Package storetest is the contract suite of newsdesk stores: the tests that
// exercise a store only through the news interfaces and its maintenance
// methods, run the same against every backend (SQLite, PostgreSQL).
//
// A backend's own test calls Run with a Backend that opens its stores:
//
//	func TestContract(t *testing.T) { storetest.Run(t, backend) }
//
// Only tests import this package.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// Store is what the contract suite tests: a complete store with search and
// maintenance.
type Store interface {
	news.Store
	news.SearchStore
	// BulkLoad as demo.BulkStore has it.
	BulkLoad(ctx context.Context, fn func(add func(*news.Article) error) error) error
	RebuildSearch(ctx context.Context) (int, error)
	RefreshRelated(ctx context.Context, since time.Time, progress func(done int)) (int, error)
	IntegrityCheck(ctx context.Context) error
	Ping(ctx context.Context) error
	// Generation moves on every write a public answer may show (the
	// response cache's key).
	Generation() uint64
	// QueryCount is how many read statements the store has run.
	QueryCount() int64
	Close() error
}

// Options configure a store a test opens.
type Options struct {
	// Now is the store's clock; nil means time.Now.
	Now news.Clock
}

// Backend opens the stores of one backend for the contract suite.
type Backend struct {
	Name string
	// Open opens a new, empty, migrated store in its own database, closed
	// when the test ends.
	Open func(tb testing.TB, o Options) Store
	// OpenDemo opens a new store in its own database holding the demo
	// content (demo.Seed).
	OpenDemo func(tb testing.TB, o Options) Store
	// Reopen closes s (opened by Open) and opens the same database again;
	// the new store is closed when the test ends.
	Reopen func(tb testing.TB, s Store, o Options) Store
	// Exec runs one SQL statement on s's database behind the store's back,
	// written with ? placeholders in SQL both SQLite and PostgreSQL accept
	// (the PostgreSQL backend rewrites ? to $n).
	Exec func(ctx context.Context, s Store, query string, args ...any) error
}

// tests are the contract tests, by name.
var tests = []struct {
	name string
	run  func(t *testing.T, b Backend)
}{
	{"ArticleBySlug", testArticleBySlug},
	{"ListBodies", testListBodies},
	{"ScheduledBecomesVisible", testScheduledBecomesVisible},
	{"DraftsInvisible", testDraftsInvisible},
	{"FindArticlesFilters", testFindArticlesFilters},
	{"Pagination", testPagination},
	{"RelatedNeverSelf", testRelatedNeverSelf},
	{"CreateArticle", testCreateArticle},
	{"Taxonomy", testTaxonomy},
	{"Reopen", testReopen},
	{"ArticleViewBySlug", testArticleViewBySlug},
	{"EditsKeepEverythingInStep", testEditsKeepEverythingInStep},
	{"WarmReadsFollowEdits", testWarmReadsFollowEdits},
	{"WarmPagesMatchFirstReads", testWarmPagesMatchFirstReads},
	{"Related", testRelated},
	{"RefreshRelatedAfterBulk", testRefreshRelatedAfterBulk},
	{"SearchScheduled", testSearchScheduled},
	{"SearchDocs", testSearchDocs},
	{"SearchTitleSpan", testSearchTitleSpan},
	{"GenerationFollowsContent", testGenerationFollowsContent},
	{"LinksFollowEdits", testLinksFollowEdits},
	{"LinksReadWhatIsAsked", testLinksReadWhatIsAsked},
}

// allLinks asks for both kinds of an article's links.
var allLinks = news.ViewParts{Authors: true, Tags: true}

// Run runs every contract test against b as subtests of t.
func Run(t *testing.T, b Backend) {
	if b.Open == nil || b.OpenDemo == nil || b.Reopen == nil || b.Exec == nil {
		t.Fatalf("storetest: backend %q must set Open, OpenDemo, Reopen and Exec", b.Name)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, b) })
	}
}

// seedSlug is the demo's sample article (the page in shared/content).
const seedSlug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"

func searchSlugs(t *testing.T, s *news.Searcher, q string) []string {
	t.Helper()
	l, err := s.Search(context.Background(), news.SearchRequest{Query: q, Order: news.OrderNewest}, news.Page{Limit: 100})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range l.Items {
		out = append(out, h.Article.Slug)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
