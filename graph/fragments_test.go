package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

// fragmentEnv serves one demo database twice: through a handler with a
// fragment cache and through one without, to compare their answers.
type fragmentEnv struct {
	t                testing.TB
	db               *sqlite.DB
	cache            *contenthash.Cache
	cached, executor *httptest.Server
}

func newFragmentEnv(t testing.TB, limit int64) *fragmentEnv {
	t.Helper()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	return newFragmentEnvOn(t, db, db, limit)
}

// newFragmentEnvOn serves store (db underneath).
func newFragmentEnvOn(t testing.TB, db *sqlite.DB, store graphStore, limit int64) *fragmentEnv {
	t.Helper()
	cache := contenthash.NewCache(limit, news.SharedTypes()...)
	e := &fragmentEnv{t: t, db: db, cache: cache,
		cached:   httptest.NewServer(graph.NewHandler(graph.Options{Store: store, Writer: db, Fragments: graph.NewFragmentCache(cache)})),
		executor: httptest.NewServer(graph.NewHandler(graph.Options{Store: store, Writer: db})),
	}
	t.Cleanup(e.cached.Close)
	t.Cleanup(e.executor.Close)
	return e
}

// post answers a query from srv, raw.
func (e *fragmentEnv) post(srv *httptest.Server, query string, vars map[string]any) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(raw)
}

// same asks both handlers, twice from the cached one (a miss, then what
// it kept), and fails unless all three answers are the same: data byte for
// byte, errors the same set (the executor reports the errors of a list's
// elements in the order its goroutines end).
func (e *fragmentEnv) same(query string, vars map[string]any) string {
	e.t.Helper()
	want := e.post(e.executor, query, vars)
	for _, round := range []string{"rendered", "kept"} {
		if got := e.post(e.cached, query, vars); canonical(e.t, got) != canonical(e.t, want) {
			e.t.Fatalf("%s fragment differs from the executor's answer\nquery %s %v\ngot  %s\nwant %s", round, query, vars, got, want)
		}
	}
	return want
}

// canonical is a GraphQL answer with its data as written and its errors
// sorted.
func canonical(t testing.TB, answer string) string {
	var r struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal([]byte(answer), &r); err != nil {
		t.Fatalf("%s: %v", answer, err)
	}
	errs := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		errs[i] = string(e)
	}
	slices.Sort(errs)
	return string(r.Data) + "\n" + strings.Join(errs, "\n")
}

const pageQuery = `query Page($first: Int) { articles(first: $first) { edges { cursor node { id slug title excerpt publishedAt coverImage { url caption } authors { name slug } category { name slug } tags { name slug } } } } }`

// TestFragmentsAnswerAsTheExecutor: the cache gives the executor's answer,
// byte for byte, to queries that reach articles in every way a selection
// can (a field, a list, edges, search; aliases, fragments, @include and
// @skip with variables, arguments), then serves the pure ones from memory.
func TestFragmentsAnswerAsTheExecutor(t *testing.T) {
	e := newFragmentEnv(t, 4<<20)
	queries := []struct {
		query string
		vars  map[string]any
	}{
		{pageQuery, map[string]any{"first": 20}},
		{`query($slug: String) { article(slug: $slug) { id slug title excerpt bodyHtml bodyText wordCount readingMinutes publishedAt updatedAt createdAt coverImage { url caption alt credit width height } } }`, map[string]any{"slug": seedSlug}},
		{`{ article(slug: "` + seedSlug + `") { t: title a: title ...F ... on Article { excerpt } category { ...C } } } fragment F on Article { slug tags { slug } } fragment C on Category { name description }`, nil},
		{`query($on: Boolean!) { articles(first: 5) { nodes { slug excerpt @include(if: $on) title @skip(if: $on) } } }`, map[string]any{"on": true}},
		{`query($on: Boolean!) { articles(first: 5) { nodes { slug excerpt @include(if: $on) title @skip(if: $on) } } }`, map[string]any{"on": false}},
		{`{ articles(first: 3) { nodes { slug title __typename } } }`, nil},
		{`{ search(query: "thong tin", first: 5) { edges { node { slug title } } } }`, nil},
		// Resolvers under an article: the executor's, every time, with
		// their errors once each (revisions are for editors).
		{`{ articles(first: 5) { nodes { slug status related(first: 2) { slug title } } } }`, nil},
		{`{ articles(first: 3) { nodes { slug revisions { number } } } }`, nil},
		{`{ search(query: "thong tin", first: 1) { edges { cursor node { slug revisions { number } } } } }`, nil},
		{`{ articles(first: 3) { edges { node { related(first: 0) { slug } } } } }`, nil},
		// An argument the executor cannot read reports its error once.
		{`{ articles(first: 2) { nodes { category { articles(first: 1, filter: {publishedAfter: "hôm qua"}) { nodes { slug } } } } } }`, nil},
		{`{ article(slug: "` + seedSlug + `") { slug related { slug authors { name avatarUrl } } } }`, nil},
		{`query($n: Int) { article(slug: "` + seedSlug + `") { related(first: $n) { slug } } }`, map[string]any{"n": 1}},
		{`query($n: Int) { article(slug: "` + seedSlug + `") { related(first: $n) { slug } } }`, map[string]any{"n": 3}},
	}
	for _, q := range queries {
		bad := strings.Contains(q.query, "revisions") || strings.Contains(q.query, "first: 0") || strings.Contains(q.query, "hôm qua")
		if got := e.same(q.query, q.vars); strings.Contains(got, `"errors"`) != bad {
			t.Errorf("query %s: %s", q.query, got)
		}
	}
	// The page again: its 20 edges (cursor and article) from memory.
	hits, misses, _ := e.cache.Stats()
	e.same(pageQuery, map[string]any{"first": 20})
	if h, m, _ := e.cache.Stats(); h-hits != 40 || m != misses {
		t.Errorf("the page twice more: %d hits, %d misses; want 40 and 0", h-hits, m-misses)
	}
}

// TestFragmentsFollowEdits: what a fragment shows changes with the
// article, its bylines, its category and its tags, on the next request,
// with no invalidation: each is part of the fragment's key.
func TestFragmentsFollowEdits(t *testing.T) {
	e := newFragmentEnv(t, 4<<20)
	ctx := context.Background()
	a, err := e.db.ArticleBySlug(ctx, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	query := `query($slug: String) { article(slug: $slug) { title category { name } authors { name } tags { name } } }`
	vars := map[string]any{"slug": seedSlug}
	e.same(query, vars)
	e.same(pageQuery, map[string]any{"first": 20})

	title, tags := "Tiêu đề đã sửa", []string{"Đã sửa"}
	if a, err = e.db.UpdateArticle(ctx, a.ID, a.UpdatedAt, news.ArticleUpdate{Title: &title, Tags: tags}); err != nil {
		t.Fatal(err)
	}
	view, err := news.ViewBySlug(ctx, e.db, seedSlug, news.ViewParts{Authors: true, Tags: true})
	if err != nil {
		t.Fatal(err)
	}
	author, category := "Tác giả đổi tên", "Chuyên mục đổi tên"
	if _, err := e.db.UpdateAuthor(ctx, view.Authors[0].ID, news.AuthorUpdate{Name: &author}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.UpdateCategory(ctx, view.Category.ID, news.CategoryUpdate{Name: &category}); err != nil {
		t.Fatal(err)
	}
	got := e.same(query, vars)
	for _, want := range []string{title, tags[0], author, category} {
		if !strings.Contains(got, want) {
			t.Errorf("after the edits, %q is missing from %s", want, got)
		}
	}
	// A resolver under an article reads more than the article: its
	// answer is never kept, so pinning a related story shows at once.
	related := `query($slug: String) { article(slug: $slug) { slug related { slug } } }`
	before := e.same(related, vars)
	pinned, err := e.db.ArticleBySlug(ctx, "tu-bo-ton-tao-di-tich-den-nghe")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(before, pinned.Slug) {
		t.Fatalf("%s is related already: %s", pinned.Slug, before)
	}
	if _, err := e.db.PinRelated(ctx, a.ID, []int64{pinned.ID}); err != nil {
		t.Fatal(err)
	}
	if got := e.same(related, vars); !strings.Contains(got, pinned.Slug) {
		t.Errorf("pinned %s missing from %s", pinned.Slug, got)
	}
	// The page's other articles by that author and in that category.
	got = e.same(pageQuery, map[string]any{"first": 20})
	for _, want := range []string{author, category} {
		if !strings.Contains(got, want) {
			t.Errorf("after the edits, %q is missing from the page", want)
		}
	}
}

// TestFragmentsBounded: the cache holds no more than its limit, and an
// article shown again after its fragment was evicted is rendered again.
func TestFragmentsBounded(t *testing.T) {
	const limit = 4 << 10
	e := newFragmentEnv(t, limit)
	body := `query($first: Int) { articles(first: $first) { nodes { slug title excerpt } } }`
	for range 3 {
		e.same(body, map[string]any{"first": 20})
		if _, _, held := e.cache.Stats(); held <= 0 || held > limit {
			t.Fatalf("the cache holds %d bytes, limit %d", held, limit)
		}
	}
	if _, misses, _ := e.cache.Stats(); misses <= 20 {
		t.Errorf("%d misses for 20 articles shown three times through %d bytes: evicted ones must be rendered again", misses, limit)
	}
}

// graphStore is what the handler reads.
type graphStore interface {
	news.Reader
	news.SearchStore
}

// treeWithout is a store whose category tree lacks one category, as when
// it vanishes under a read: its articles' non-null category fails.
type treeWithout struct {
	*sqlite.DB
	slug string
}

func (s treeWithout) CategoryTree(ctx context.Context) (*news.CategoryTree, error) {
	all, err := s.DB.Categories(ctx)
	if err != nil {
		return nil, err
	}
	var kept []*news.Category
	for _, c := range all {
		if c.Slug != s.slug {
			kept = append(kept, c)
		}
	}
	return news.NewCategoryTree(kept), nil
}

// TestFragmentsCarryNullsUp: an article whose non-null field fails is
// null, and the null goes up to the nearest nullable field with its
// error, with the cache as without it (a list of [Article!]! becomes
// null, not a list holding a null).
func TestFragmentsCarryNullsUp(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	e := newFragmentEnvOn(t, db, treeWithout{DB: db, slug: "chinh-tri"}, 4<<20)
	for _, q := range []string{
		`{ articles(first: 20) { nodes { slug category { name } } } }`,
		`{ articles(first: 20) { edges { cursor node { slug category { name } } } } }`,
		`{ search(query: "thong tin", first: 20) { edges { node { slug category { name } } } } }`,
		`{ article(slug: "hai-phong-ho-tro-moi-thanh-nien-nhap-ngu-10-trieu-dong") { slug category { name } } }`,
	} {
		if got := e.same(q, nil); !strings.Contains(got, `"errors"`) || strings.Contains(got, `null,`) {
			t.Errorf("%s: %s", q, got)
		}
	}
}
