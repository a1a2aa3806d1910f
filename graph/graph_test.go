package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newsdesk/newsdesk/graph"
	"github.com/newsdesk/newsdesk/internal/contenthash"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

const seedSlug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
	Path       []any          `json:"path"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// env is a real GraphQL handler over a real SQLite database with the demo
// content, behind a real HTTP server.
type env struct {
	t   testing.TB
	db  *sqlite.DB
	srv *httptest.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	srv := httptest.NewServer(graph.NewHandler(graph.Options{Store: db, Writer: db, Dev: true, Fragments: graph.NewFragmentCache(contenthash.NewCache(1<<20, news.SharedTypes()...))}))
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, srv: srv}
}

// do posts a query and decodes the response; out, when not nil, receives data.
func (e *env) do(query string, vars map[string]any, out any) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(e.srv.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(e.t, resp, out)
}

func decode(t testing.TB, resp *http.Response, out any) gqlResponse {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("status %d, body %s: %v", resp.StatusCode, raw, err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("data %s: %v", r.Data, err)
		}
	}
	return r
}

// ok runs a query that must not fail.
func (e *env) ok(query string, vars map[string]any, out any) {
	e.t.Helper()
	if r := e.do(query, vars, out); len(r.Errors) > 0 {
		e.t.Fatalf("query failed: %+v", r.Errors)
	}
}

type article struct {
	ID         string
	Slug       string
	Title      string
	Excerpt    string
	BodyHTML   string
	BodyText   string
	CoverImage *struct {
		URL, Caption, Alt, Credit string
		Width, Height             int
	}
	Authors  []struct{ Slug, Name string }
	Category struct {
		Slug   string
		Parent *struct{ Slug string }
	}
	Tags           []struct{ Slug, Name string }
	PublishedAt    string
	UpdatedAt      string
	ReadingMinutes int
	Related        []struct{ ID, Slug string }
}

const articleFields = `id slug title excerpt bodyHtml bodyText
	coverImage { url caption alt credit width height }
	authors { slug name } category { slug parent { slug } } tags { slug name }
	publishedAt updatedAt readingMinutes related(first: 6) { id slug }`

func TestArticleBySlug(t *testing.T) {
	e := newEnv(t)
	var data struct{ Article *article }
	e.ok(`query($slug: String) { article(slug: $slug) { `+articleFields+` } }`, map[string]any{"slug": seedSlug}, &data)
	a := data.Article
	if a == nil {
		t.Fatal("article is null")
	}
	if a.Title != "Sở Thông tin và Truyền thông tập huấn công tác thông tin đối ngoại" {
		t.Errorf("title = %q", a.Title)
	}
	if !strings.HasPrefix(a.Excerpt, "Ngày 10/10, tại Trung tâm hội nghị thành phố") {
		t.Errorf("excerpt = %q", a.Excerpt)
	}
	if a.PublishedAt != "2025-10-10T09:30:00+07:00" {
		t.Errorf("publishedAt = %q, want 2025-10-10T09:30:00+07:00", a.PublishedAt)
	}
	caption := "Nhà báo Lê Nghiêm, Phó Viện trưởng Viện ứng dụng công nghệ TT-TT truyền đạt các nội dung tập huấn"
	if !strings.Contains(a.BodyHTML, "<figcaption>"+caption+"</figcaption>") {
		t.Errorf("body has no captioned figure: %s", a.BodyHTML)
	}
	if a.CoverImage == nil || a.CoverImage.Caption != caption || a.CoverImage.Width == 0 {
		t.Errorf("coverImage = %+v", a.CoverImage)
	}
	if strings.Contains(a.BodyText, "<") || !strings.Contains(a.BodyText, "Lê Nghiêm") {
		t.Errorf("bodyText = %q", a.BodyText)
	}
	if len(a.Authors) == 0 || a.Category.Slug != "chinh-tri" || a.Category.Parent == nil || a.Category.Parent.Slug != "thoi-su" {
		t.Errorf("authors %+v, category %+v", a.Authors, a.Category)
	}
	if len(a.Tags) == 0 || a.ReadingMinutes < 1 {
		t.Errorf("tags %+v, reading %d", a.Tags, a.ReadingMinutes)
	}
	if len(a.Related) == 0 {
		t.Error("no related articles")
	}
	for _, r := range a.Related {
		if r.ID == a.ID || r.Slug == a.Slug {
			t.Errorf("related includes the article itself")
		}
	}

	// The same article by its global id, and through node(id:).
	var byID struct {
		Article *struct{ Slug string }
		Node    *struct {
			Typename string `json:"__typename"`
			Slug     string
		}
	}
	e.ok(`query($id: ID!) { article(id: $id) { slug } node(id: $id) { __typename ... on Article { slug } } }`,
		map[string]any{"id": a.ID}, &byID)
	if byID.Article == nil || byID.Article.Slug != seedSlug || byID.Node == nil || byID.Node.Typename != "Article" || byID.Node.Slug != seedSlug {
		t.Errorf("by id: %+v", byID)
	}
}

func TestUnknownAndUnpublishedAreNull(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{
		`{ x: article(slug: "khong-co-bai-nay") { id } }`,
		`{ x: article(slug: "kinh-te-bien-tiep-tuc-la-dong-luc-tang-truong-cua-thanh-pho") { id } }`, // a draft
		`{ x: article(slug: "cong-bo-quy-hoach-phan-khu-do-thi-moi-phia-nam-thanh-pho") { id } }`,    // scheduled for 2030
		`{ x: category(slug: "khong-co") { id } }`,
		`{ x: author(slug: "khong-co") { id } }`,
		`{ x: tag(slug: "khong-co") { id } }`,
		`{ x: node(id: "QXJ0aWNsZTo5OTk5") { id } }`, // Article:9999
	} {
		var data struct{ X *struct{ ID string } }
		e.ok(q, nil, &data)
		if data.X != nil {
			t.Errorf("%s: got %+v, want null", q, data.X)
		}
	}
}

func TestDraftsNeverListed(t *testing.T) {
	e := newEnv(t)
	var data struct {
		Articles struct {
			TotalCount int
			Nodes      []struct{ Slug string }
		}
	}
	e.ok(`{ articles(first: 100) { totalCount nodes { slug } } }`, nil, &data)
	if data.Articles.TotalCount != 40 || len(data.Articles.Nodes) != 40 {
		t.Errorf("totalCount %d, %d nodes; want 40 published", data.Articles.TotalCount, len(data.Articles.Nodes))
	}
	for _, n := range data.Articles.Nodes {
		if n.Slug == "cang-hai-phong-don-tau-container-trong-tai-lon" || n.Slug == "cong-bo-quy-hoach-phan-khu-do-thi-moi-phia-nam-thanh-pho" {
			t.Errorf("listed unpublished %s", n.Slug)
		}
	}
}

type connection struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   struct{ Slug string }
	}
	PageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
}

const connFields = `totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`

// TestPaginationWalk walks the articles forward with first/after and
// backward with last/before over GraphQL and compares with one big page.
func TestPaginationWalk(t *testing.T) {
	e := newEnv(t)
	var all struct{ Articles connection }
	e.ok(`{ articles(first: 100) { `+connFields+` } }`, nil, &all)
	want := make([]string, len(all.Articles.Edges))
	for i, ed := range all.Articles.Edges {
		want[i] = ed.Node.Slug
	}
	if len(want) != 40 {
		t.Fatalf("%d articles, want 40", len(want))
	}

	for _, size := range []int{1, 6, 13} {
		var forward []string
		vars := map[string]any{"n": size}
		for page := 0; ; page++ {
			var data struct{ Articles connection }
			e.ok(`query($n: Int, $after: String) { articles(first: $n, after: $after) { `+connFields+` } }`, vars, &data)
			c := data.Articles
			if len(c.Edges) == 0 || len(c.Edges) > size {
				t.Fatalf("size %d page %d: %d edges", size, page, len(c.Edges))
			}
			if *c.PageInfo.StartCursor != c.Edges[0].Cursor || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor {
				t.Errorf("size %d page %d: start/end cursors do not match the edges", size, page)
			}
			if c.PageInfo.HasPreviousPage != (page > 0) {
				t.Errorf("size %d page %d: hasPreviousPage = %v", size, page, c.PageInfo.HasPreviousPage)
			}
			for _, ed := range c.Edges {
				forward = append(forward, ed.Node.Slug)
			}
			if !c.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *c.PageInfo.EndCursor
		}

		var backward []string
		vars = map[string]any{"n": size}
		for {
			var data struct{ Articles connection }
			e.ok(`query($n: Int, $before: String) { articles(last: $n, before: $before) { `+connFields+` } }`, vars, &data)
			c := data.Articles
			page := make([]string, len(c.Edges))
			for i, ed := range c.Edges {
				page[i] = ed.Node.Slug
			}
			backward = append(page, backward...)
			if !c.PageInfo.HasPreviousPage {
				break
			}
			vars["before"] = *c.PageInfo.StartCursor
		}
		if fmt.Sprint(forward) != fmt.Sprint(want) {
			t.Errorf("size %d forward walk differs:\n got %v\nwant %v", size, forward, want)
		}
		if fmt.Sprint(backward) != fmt.Sprint(want) {
			t.Errorf("size %d backward walk differs:\n got %v\nwant %v", size, backward, want)
		}
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ name, query, code string }{
		{"first zero", `{ articles(first: 0) { totalCount } }`, "BAD_USER_INPUT"},
		{"first over 100", `{ articles(first: 101) { totalCount } }`, "BAD_USER_INPUT"},
		{"last negative", `{ articles(last: -1) { totalCount } }`, "BAD_USER_INPUT"},
		{"first and last", `{ articles(first: 2, last: 2) { totalCount } }`, "BAD_USER_INPUT"},
		{"garbage cursor", `{ articles(after: "not a cursor") { totalCount } }`, "BAD_USER_INPUT"},
		{"forged cursor", `{ articles(after: "dDp4Ong") { totalCount } }`, "BAD_USER_INPUT"},
		{"SQL in cursor", `{ articles(before: "JzsgRFJPUCBUQUJMRSBhcnRpY2xlczsgLS0") { totalCount } }`, "BAD_USER_INPUT"},
		{"bad date", `{ articles(filter: {publishedAfter: "hôm qua"}) { totalCount } }`, "BAD_USER_INPUT"},
		{"bad global id", `{ node(id: "!!!") { id } }`, "BAD_USER_INPUT"},
		{"slug and id", `{ article(slug: "a", id: "b") { id } }`, "BAD_USER_INPUT"},
		{"neither slug nor id", `{ article { id } }`, "BAD_USER_INPUT"},
		{"related first over 100", `{ articles(first: 1) { nodes { related(first: 1000) { id } } } }`, "BAD_USER_INPUT"},
		{"tags first zero", `{ tags(first: 0) { nodes { slug } } }`, "BAD_USER_INPUT"},
		{"unknown field", `{ articles { nope } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"syntax", `{ articles( }`, "GRAPHQL_PARSE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.query, nil, nil)
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %s", r.Data)
			}
			if code, _ := r.Errors[0].Extensions["code"].(string); code != tt.code {
				t.Errorf("code = %q, want %q (message %q)", code, tt.code, r.Errors[0].Message)
			}
			for _, leak := range []string{"sql", "SQL", "sqlite", "panic", "goroutine", ".go:"} {
				if strings.Contains(r.Errors[0].Message, leak) {
					t.Errorf("message leaks %q: %s", leak, r.Errors[0].Message)
				}
			}
		})
	}
}

// TestFailedRootFields: a failed nullable root field is null beside the
// others; a failed non-null one makes the whole answer's data null, as
// the GraphQL spec has it, whatever writes the root fields out.
func TestFailedRootFields(t *testing.T) {
	e := newEnv(t)
	r := e.do(`{ article { slug } categories { slug } }`, nil, nil)
	var data struct {
		Article    *struct{ Slug string }
		Categories []struct{ Slug string }
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("%v: %s", err, r.Data)
	}
	if len(r.Errors) != 1 || data.Article != nil || len(data.Categories) == 0 {
		t.Errorf("a failed article beside the categories: errors %v, data %s", r.Errors, r.Data)
	}
	r = e.do(`{ articles(first: 0) { totalCount } categories { slug } }`, nil, nil)
	if len(r.Errors) != 1 || string(r.Data) != "null" {
		t.Errorf("a failed non-null root field: errors %v, data %s", r.Errors, r.Data)
	}
}

func TestFiltersAndNested(t *testing.T) {
	e := newEnv(t)
	var data struct {
		Category struct {
			Name     string
			Children []struct{ Slug string }
			Articles connection
		}
		Tag    struct{ Articles connection }
		Author struct{ Articles connection }
		Both   connection
	}
	e.ok(`{
		category(slug: "thoi-su") { name children { slug } articles(first: 100) { `+connFields+` } }
		tag(slug: "duong-kinh") { articles(first: 100) { `+connFields+` } }
		author(slug: "hoang-duc") { articles(first: 100) { `+connFields+` } }
		both: articles(first: 100, filter: {category: "xa-hoi", tag: "duong-kinh"}) { `+connFields+` }
	}`, nil, &data)
	if data.Category.Name != "Thời sự" || len(data.Category.Children) != 2 {
		t.Errorf("category = %q with %d children", data.Category.Name, len(data.Category.Children))
	}
	// Thời sự includes its sub-categories' stories, e.g. the sample article (Chính trị).
	if !hasSlug(data.Category.Articles, seedSlug) {
		t.Error("category thoi-su does not include its sub-category's story")
	}
	if c := data.Category.Articles; c.TotalCount != len(c.Edges) || c.TotalCount < 10 {
		t.Errorf("thoi-su: totalCount %d, %d edges", c.TotalCount, len(c.Edges))
	}
	if !hasSlug(data.Tag.Articles, "phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep") {
		t.Error("tag duong-kinh misses the Dương Kinh story")
	}
	if data.Author.Articles.TotalCount == 0 {
		t.Error("author hoang-duc has no articles")
	}
	if c := data.Both; c.TotalCount != 2 || !hasSlug(c, "phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep") {
		t.Errorf("xa-hoi + duong-kinh: %d articles %+v", c.TotalCount, c.Edges)
	}

	var tree struct {
		Categories []struct {
			Slug     string
			Children []struct{ Slug, Name string }
		}
	}
	e.ok(`{ categories { slug children { slug name } } }`, nil, &tree)
	if len(tree.Categories) != 6 {
		t.Errorf("%d top-level categories, want 6", len(tree.Categories))
	}

	var lists struct {
		Authors struct{ Nodes []struct{ Slug string } }
		Tags    struct {
			Nodes    []struct{ Slug string }
			PageInfo struct{ HasNextPage bool }
		}
	}
	e.ok(`{ authors(first: 100) { nodes { slug } } tags(first: 5) { nodes { slug } pageInfo { hasNextPage } } }`, nil, &lists)
	if len(lists.Authors.Nodes) != 6 || len(lists.Tags.Nodes) != 5 || !lists.Tags.PageInfo.HasNextPage {
		t.Errorf("authors %d, tags %d (hasNext %v)", len(lists.Authors.Nodes), len(lists.Tags.Nodes), lists.Tags.PageInfo.HasNextPage)
	}
}

func hasSlug(c connection, slug string) bool {
	for _, ed := range c.Edges {
		if ed.Node.Slug == slug {
			return true
		}
	}
	return false
}

// TestGET serves queries over GET, as CDNs cache them.
func TestGET(t *testing.T) {
	e := newEnv(t)
	q := url.Values{"query": {`query($s: String!) { tag(slug: $s) { name } }`}, "variables": {`{"s":"duong-kinh"}`}}
	resp, err := http.Get(e.srv.URL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var data struct{ Tag struct{ Name string } }
	if r := decode(t, resp, &data); len(r.Errors) > 0 || data.Tag.Name != "Dương Kinh" {
		t.Errorf("GET: %+v %+v", data, r.Errors)
	}
}

// TestNoNPlusOne counts the SQL statements of a page of articles with
// authors, category and tags: 4 whatever the page size after a write (the
// list with its link ids, the category tree, the authors and the tags), and
// 1 once the people, tags and tree are known.
func TestNoNPlusOne(t *testing.T) {
	e := newEnv(t)
	writes := 0
	write := func() {
		writes++
		if err := e.db.CreateTag(context.Background(), &news.Tag{Name: fmt.Sprintf("Thẻ %d", writes)}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(n int) int64 {
		before := e.db.QueryCount()
		var data struct {
			Articles struct{ Nodes []struct{ Slug string } }
		}
		e.ok(`query($n: Int) { articles(first: $n, filter: {category: "thoi-su"}) {
			nodes { slug title authors { name } category { name parent { name } } tags { name } } } }`,
			map[string]any{"n": n}, &data)
		if len(data.Articles.Nodes) != n {
			t.Fatalf("page of %d has %d articles", n, len(data.Articles.Nodes))
		}
		return e.db.QueryCount() - before
	}
	write()
	small := count(2)
	write()
	large := count(10)
	if small != 4 || large != 4 {
		t.Errorf("after a write, a page of 2 took %d statements, a page of 10 took %d: want 4 each (N+1?)", small, large)
	}
	if again := count(10); again != 1 {
		t.Errorf("the page of 10 again took %d statements, want 1 (the list brings its link ids)", again)
	}
}

// TestArticleReadsWhatIsAsked: an article asked for without its authors or
// tags is one plain read; asked with them (here through a fragment), the
// same statement brings their ids and the store loads the ones its link
// cache lacks, here all of them. Each read follows a write, so the
// category tree is read again too.
func TestArticleReadsWhatIsAsked(t *testing.T) {
	e := newEnv(t)
	tags := 0
	read := func(doc string) (int64, []string) {
		tags++
		if err := e.db.CreateTag(context.Background(), &news.Tag{Name: fmt.Sprintf("Thẻ %d", tags)}); err != nil {
			t.Fatal(err)
		}
		before := e.db.QueryCount()
		var data struct {
			Article struct {
				Title   string
				Authors []struct{ Name string }
			}
		}
		e.ok(doc, map[string]any{"slug": seedSlug}, &data)
		if data.Article.Title == "" {
			t.Fatalf("%s: no article", doc)
		}
		var names []string
		for _, a := range data.Article.Authors {
			names = append(names, a.Name)
		}
		return e.db.QueryCount() - before, names
	}
	if n, _ := read(`query($slug: String) { article(slug: $slug) { title bodyHtml } }`); n != 2 {
		t.Errorf("article without links: %d statements, want 2 (article, categories)", n)
	}
	n, got := read(`query($slug: String) { article(slug: $slug) { title ...by } } fragment by on Article { authors { name } }`)
	if n != 3 || len(got) == 0 {
		t.Errorf("article with authors through a fragment: %d statements, authors %q; want 3 (article with link ids, authors, categories: tags are not read) and its authors", n, got)
	}
}

// newCountingEnv serves the demo through a store that counts its
// LinksOfArticles calls.
func newCountingEnv(t *testing.T) (*env, *linkCounter) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	store := &linkCounter{DB: db}
	srv := httptest.NewServer(graph.NewHandler(graph.Options{Store: store, Writer: db, Dev: true, Fragments: graph.NewFragmentCache(contenthash.NewCache(1<<20, news.SharedTypes()...))}))
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, srv: srv}, store
}

// linkCounter is a store that counts LinksOfArticles calls and keeps the
// parts each asked for.
type linkCounter struct {
	*sqlite.DB
	calls atomic.Int64
	mu    sync.Mutex
	parts []news.ViewParts
}

func (c *linkCounter) LinksOfArticles(ctx context.Context, ids []int64, parts news.ViewParts) (map[int64][]*news.Author, map[int64][]*news.Tag, error) {
	c.calls.Add(1)
	c.mu.Lock()
	c.parts = append(c.parts, parts)
	c.mu.Unlock()
	return c.DB.LinksOfArticles(ctx, ids, parts)
}

// TestListAloneReadsItsLinks: a nested list alone in its response (one
// category's stories) reads the links it shows itself, in one read, not
// through the loader that gathers many lists (which waits for them and
// reads both kinds).
func TestListAloneReadsItsLinks(t *testing.T) {
	e, store := newCountingEnv(t)
	var data struct {
		Category struct {
			Articles struct {
				Nodes []struct{ Authors []struct{ Name string } }
			}
		}
	}
	e.ok(`{ category(slug: "du-lich") { articles(first: 5) { nodes { authors { name } } } } }`, nil, &data)
	if n := len(data.Category.Articles.Nodes); n == 0 || len(data.Category.Articles.Nodes[0].Authors) == 0 {
		t.Fatalf("stories %d, without their authors: %+v", n, data)
	}
	want := []news.ViewParts{{Authors: true}}
	if !reflect.DeepEqual(store.parts, want) {
		t.Errorf("link reads %+v, want %+v", store.parts, want)
	}
}

// TestRelatedOfAPage: the related lists of a page's articles come with
// their authors and tags, read for all the lists together: fewer link reads
// than lists (the batches depend on how the resolvers are scheduled, so the
// exact number is not fixed).
func TestRelatedOfAPage(t *testing.T) {
	e, store := newCountingEnv(t)
	var data struct {
		Articles struct {
			Nodes []struct {
				Related []struct {
					Slug    string
					Authors []struct{ Name string }
					Tags    []struct{ Name string }
				}
			}
		}
	}
	e.ok(`{ articles(first: 10) { nodes { related(first: 3) { slug authors { name } tags { name } } } } }`, nil, &data)
	if len(data.Articles.Nodes) != 10 {
		t.Fatalf("%d articles, want 10", len(data.Articles.Nodes))
	}
	lists, tagged := 0, 0
	for _, n := range data.Articles.Nodes {
		if len(n.Related) > 0 {
			lists++
		}
		for _, r := range n.Related {
			if len(r.Authors) == 0 || r.Authors[0].Name == "" {
				t.Errorf("related story %s without its authors", r.Slug)
			}
			if len(r.Tags) > 0 {
				tagged++
			}
		}
	}
	if lists < 5 || tagged == 0 {
		t.Errorf("%d of 10 articles have related stories, %d of those are tagged; want most, and some", lists, tagged)
	}
	if calls := store.calls.Load(); calls >= int64(lists) {
		t.Errorf("%d reads of links for %d related lists: one a list", calls, lists)
	}
}

// TestNestedListsReadLinksTogether: the article lists under each tag of a
// response come with their authors and tags, read for all the lists
// together (one read a list before; the batches depend on how the
// resolvers are scheduled, so the exact number is not fixed).
func TestNestedListsReadLinksTogether(t *testing.T) {
	e, store := newCountingEnv(t)
	var data struct {
		Tags struct {
			Nodes []struct {
				Slug     string
				Articles struct {
					Nodes []struct {
						Slug    string
						Authors []struct{ Name string }
						Tags    []struct{ Name string }
					}
				}
			}
		}
	}
	e.ok(`{ tags(first: 50) { nodes { slug articles(first: 2) { nodes { slug authors { name } tags { name } } } } } }`, nil, &data)
	lists := 0
	for _, tag := range data.Tags.Nodes {
		if len(tag.Articles.Nodes) > 0 {
			lists++
		}
		for _, a := range tag.Articles.Nodes {
			if len(a.Authors) == 0 || a.Authors[0].Name == "" || len(a.Tags) == 0 {
				t.Errorf("%s: story %s without its authors or tags", tag.Slug, a.Slug)
			}
		}
	}
	if lists < 10 {
		t.Fatalf("%d tags with stories, want at least 10", lists)
	}
	if calls := store.calls.Load(); calls >= int64(lists) {
		t.Errorf("%d reads of links for %d lists: one a list", calls, lists)
	}
}

// TestNestedListsReadTheLinksAsked: lists read together read only the
// kind of link the query shows.
func TestNestedListsReadTheLinksAsked(t *testing.T) {
	e, store := newCountingEnv(t)
	e.ok(`{ tags(first: 50) { nodes { articles(first: 2) { nodes { authors { name } } } } } }`, nil, nil)
	if len(store.parts) == 0 {
		t.Fatal("no links read")
	}
	for _, p := range store.parts {
		if p != (news.ViewParts{Authors: true}) {
			t.Errorf("link reads %+v, want authors only", store.parts)
			break
		}
	}
}

func TestDateFilter(t *testing.T) {
	e := newEnv(t)
	var data struct{ Articles connection }
	// The six "Tin khác" stories of the sample page, all dated 05/12/2025 in Hải Phòng.
	e.ok(`{ articles(first: 100, filter: {publishedAfter: "2025-12-05T00:00:00+07:00", publishedBefore: "2025-12-06T00:00:00+07:00"}) { `+connFields+` } }`, nil, &data)
	if data.Articles.TotalCount != 6 || len(data.Articles.Edges) != 6 {
		t.Errorf("05/12/2025: %d articles (totalCount %d), want 6", len(data.Articles.Edges), data.Articles.TotalCount)
	}
	for _, slug := range []string{duongKinhSlug, "kham-pha-khu-rung-co-quanh-chua-thanh-mai", "hai-phong-ho-tro-moi-thanh-nien-nhap-ngu-10-trieu-dong"} {
		if !hasSlug(data.Articles, slug) {
			t.Errorf("05/12/2025 misses %s", slug)
		}
	}
}
