package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/ratelimit"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
)

func production(c *server.Config) { c.Dev = false }

type gqlAnswer struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func (a gqlAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// post sends a GraphQL request body (query, variables, extensions) with the
// key of role.
func post(t *testing.T, e *servertest.Env, role news.Role, body map[string]any) (*http.Response, gqlAnswer) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.Keys[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a gqlAnswer
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, b, err)
	}
	return resp, a
}

func query(q string) map[string]any { return map[string]any{"query": q} }

// readmeQueries are the GraphQL documents of the README's graphql blocks.
func readmeQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) < 2 {
		t.Fatalf("found %d graphql blocks in the README", len(out))
	}
	return out
}

func TestProductionLimits(t *testing.T) {
	e := servertest.Start(t, production)

	// Every query the README shows passes the production budget.
	for _, q := range readmeQueries(t) {
		if _, a := post(t, e, "", query(q)); len(a.Errors) > 0 {
			t.Errorf("README query refused in production: %+v\n%s", a.Errors, q)
		}
	}
	// So does a heavy but ordinary frontend page.
	page := `{ category(slug: "thoi-su") { name children { slug name } articles(first: 20) { totalCount pageInfo { hasNextPage endCursor }
		edges { cursor node { slug title excerpt publishedAt readingMinutes coverImage { url caption alt width height }
		authors { name slug } category { name slug } tags { name slug } related(first: 5) { slug title coverImage { url } } } } } } }`
	if _, a := post(t, e, "", query(page)); len(a.Errors) > 0 {
		t.Errorf("a category page with related stories: %+v", a.Errors)
	}

	for _, tc := range []struct {
		name, query, code string
	}{
		{"cost", `{ articles(first: 100) { nodes { related(first: 100) { related(first: 100) { title } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"depth", `{ categories { children { children { children { children { children { children { children { children { children { children { children { children { children { children { slug } } } } } } } } } } } } } } } }`, "DEPTH_LIMIT_EXCEEDED"},
		{"aliases", "{ " + strings.Repeat("a%d: categories { slug } ", 31) + "}", "ALIAS_LIMIT_EXCEEDED"},
		{"tokens", "{ " + strings.Repeat("categories { slug } ", 4000) + "}", "GRAPHQL_PARSE_FAILED"},
		{"introspection", `{ __schema { types { name } } }`, "INTROSPECTION_DISABLED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.query
			if tc.name == "aliases" {
				var b strings.Builder
				b.WriteString("{ ")
				for i := range 31 {
					b.WriteString("a" + strconv.Itoa(i) + ": categories { slug } ")
				}
				b.WriteString("}")
				q = b.String()
			}
			_, a := post(t, e, "", query(q))
			if a.code() != tc.code || string(a.Data) != "" && string(a.Data) != "null" {
				t.Errorf("code %q (%+v), data %s; want %s and no data", a.code(), a.Errors, a.Data, tc.code)
			}
		})
	}
	// No "did you mean" in production; development keeps it.
	_, a := post(t, e, "", query(`{ categorys { slug } }`))
	if len(a.Errors) == 0 || strings.Contains(a.Errors[0].Message, "Did you mean") {
		t.Errorf("production suggests: %+v", a.Errors)
	}
	dev := servertest.Start(t)
	_, a = post(t, dev, "", query(`{ categorys { slug } }`))
	if len(a.Errors) == 0 || !strings.Contains(a.Errors[0].Message, "Did you mean") {
		t.Errorf("development does not suggest: %+v", a.Errors)
	}
	_, a = post(t, dev, "", query(`{ __schema { queryType { name } } }`))
	if len(a.Errors) > 0 {
		t.Errorf("development refuses introspection: %+v", a.Errors)
	}
	if resp, _ := e.Get(t, "/", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GraphiQL in production: %d", resp.StatusCode)
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	e := servertest.Start(t, production)
	q := `query Categories { categories { slug } }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	// The hash alone: not known yet.
	_, a := post(t, e, "", map[string]any{"extensions": ext})
	if len(a.Errors) == 0 || a.Errors[0].Message != "PersistedQueryNotFound" {
		t.Fatalf("first hash-only request: %+v", a.Errors)
	}
	// The query with its hash registers it; then the hash alone works,
	// over GET too (cacheable).
	if _, a := post(t, e, "", map[string]any{"query": q, "extensions": ext}); len(a.Errors) > 0 {
		t.Fatalf("query with hash: %+v", a.Errors)
	}
	_, a = post(t, e, "", map[string]any{"extensions": ext})
	if len(a.Errors) > 0 || !strings.Contains(string(a.Data), `"thoi-su"`) {
		t.Errorf("hash alone: %s %+v", a.Data, a.Errors)
	}
	extJSON, _ := json.Marshal(ext)
	resp, body := e.Get(t, "/graphql?operationName=Categories&extensions="+url.QueryEscape(string(extJSON)), "", nil)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"thoi-su"`)) || resp.Header.Get("ETag") == "" {
		t.Errorf("GET with the hash: %d %s", resp.StatusCode, body)
	}
	// Over GET, a not-yet-known hash answers PersistedQueryNotFound, which
	// no cache may keep: once the query is sent, the same URL works.
	q2 := `query Tags { tags(first: 3) { nodes { slug } } }`
	sum2 := sha256.Sum256([]byte(q2))
	ext2, _ := json.Marshal(map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum2[:])}})
	hashOnly := "/graphql?extensions=" + url.QueryEscape(string(ext2))
	miss, missBody := e.Get(t, hashOnly, "", nil)
	if !bytes.Contains(missBody, []byte("PersistedQueryNotFound")) || miss.Header.Get("Cache-Control") != "no-store" || miss.Header.Get("ETag") != "" {
		t.Errorf("hash-only miss over GET: %s, Cache-Control %q, ETag %q", missBody, miss.Header.Get("Cache-Control"), miss.Header.Get("ETag"))
	}
	if _, a := post(t, e, "", map[string]any{"query": q2, "extensions": json.RawMessage(ext2)}); len(a.Errors) > 0 {
		t.Fatal(a.Errors)
	}
	if _, hit := e.Get(t, hashOnly, "", nil); !bytes.Contains(hit, []byte(`"slug"`)) {
		t.Errorf("the same hash-only URL after registering: %s", hit)
	}
	// A hash that does not match its query is refused.
	ext["persistedQuery"].(map[string]any)["sha256Hash"] = strings.Repeat("0", 64)
	if _, a := post(t, e, "", map[string]any{"query": q, "extensions": ext}); len(a.Errors) == 0 {
		t.Error("a wrong hash was accepted")
	}
	// A registered query (newsdesk queries add: in the store every replica
	// shares) works by hash alone the first time, on a replica that never
	// saw its text.
	pq := &news.PersistedQuery{Name: "authors", Query: `query Authors { authors(first: 2) { nodes { slug } } }`}
	if err := e.DB.RegisterQuery(context.Background(), pq); err != nil {
		t.Fatal(err)
	}
	_, a = post(t, e, "", map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": pq.Hash}}})
	if len(a.Errors) > 0 || !strings.Contains(string(a.Data), `"slug"`) {
		t.Errorf("a registered query's hash alone: %s %+v", a.Data, a.Errors)
	}
}

func TestAllowList(t *testing.T) {
	e := servertest.Start(t, production, func(c *server.Config) { c.AllowList = true })
	registered := `query Home { articles(first: 3) { nodes { slug } } }`
	pq := &news.PersistedQuery{Name: "home", Query: registered}
	if err := e.DB.RegisterQuery(context.Background(), pq); err != nil {
		t.Fatal(err)
	}
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": pq.Hash}}
	if _, a := post(t, e, "", map[string]any{"extensions": ext}); len(a.Errors) > 0 {
		t.Errorf("a registered hash: %+v", a.Errors)
	}
	if _, a := post(t, e, news.RolePartner, query(registered)); len(a.Errors) > 0 {
		t.Errorf("a registered text: %+v", a.Errors)
	}
	for _, role := range []news.Role{"", news.RoleReader, news.RolePartner} {
		if _, a := post(t, e, role, query(`{ articles(first: 100) { nodes { bodyHtml } } }`)); a.code() != "PERSISTED_QUERY_NOT_ALLOWED" {
			t.Errorf("an unregistered query as %q: %+v", role, a.Errors)
		}
	}
	// Editors' tools are not held to the list.
	if _, a := post(t, e, news.RoleEditor, query(`{ articles(first: 1) { nodes { slug } } }`)); len(a.Errors) > 0 {
		t.Errorf("editor: %+v", a.Errors)
	}
}

func TestBodyLimit(t *testing.T) {
	e := servertest.Start(t, production)
	big := `{"query":"{ categories { slug } }","variables":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(big)
		if chunked {
			body = io.MultiReader(strings.NewReader(big)) // no length: read until the limit
		}
		req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(b, []byte(`"PAYLOAD_TOO_LARGE"`)) {
			t.Errorf("chunked %v: %d %.200s", chunked, resp.StatusCode, b)
		}
	}
}

func TestRateLimits(t *testing.T) {
	budgets := map[news.Role]ratelimit.Budget{
		"": {PerMinute: 60, Burst: 5}, news.RoleReader: {PerMinute: 60, Burst: 20},
		news.RolePartner: {PerMinute: 60, Burst: 20}, news.RoleEditor: {PerMinute: 60, Burst: 20}, news.RoleAdmin: {PerMinute: 600, Burst: 100},
	}
	e := servertest.Start(t, production, func(c *server.Config) { c.RateLimit = true; c.Budgets = budgets })
	// Anonymous: five, then 429 with the headers.
	for i := range 5 {
		resp, _ := e.Get(t, "/v1/categories", "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "60" || resp.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(4-i) {
			t.Fatalf("request %d: %d, limit %q remaining %q", i+1, resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"), resp.Header.Get("X-RateLimit-Remaining"))
		}
	}
	resp, body := e.Get(t, "/v1/categories", "", nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || resp.Header.Get("X-RateLimit-Reset") == "" ||
		!bytes.Contains(body, []byte(`"RATE_LIMITED"`)) {
		t.Errorf("sixth request: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	// A key has its own bucket.
	if resp, _ := e.Get(t, "/v1/categories", news.RoleReader, nil); resp.StatusCode != 200 {
		t.Errorf("a reader key after the IP ran dry: %d", resp.StatusCode)
	}
	// GraphQL pays its cost: 1 point, plus 1 per 100 of complexity (this
	// one is about 400).
	r1, _ := post(t, e, news.RoleEditor, query(`{ articles(first: 100) { nodes { slug title excerpt } } }`))
	left, _ := strconv.Atoi(r1.Header.Get("X-RateLimit-Remaining"))
	if r1.StatusCode != 200 || left > 20-1-3 || left < 20-1-6 {
		t.Errorf("after a costly query: %d, remaining %d", r1.StatusCode, left)
	}
	r2, a := post(t, e, news.RoleEditor, query(`{ articles(first: 100) { nodes { slug title related(first: 10) { slug title } } } }`))
	if r2.StatusCode != http.StatusTooManyRequests || a.code() != news.ERATELIMITED || r2.Header.Get("Retry-After") == "" {
		t.Errorf("a query costing more than is left: %d %+v", r2.StatusCode, a.Errors)
	}
	// Refusals are counted.
	_, metrics := e.Get(t, "/metrics", news.RoleAdmin, nil)
	if !bytes.Contains(metrics, []byte(`newsdesk_rate_limit_refusals_total{role="anonymous"} 1`)) ||
		!bytes.Contains(metrics, []byte(`newsdesk_rate_limit_refusals_total{role="editor"} 1`)) {
		t.Errorf("refusals not in the metrics:\n%s", grep(metrics, "refusals"))
	}
	// Development has no limits unless asked.
	dev := servertest.Start(t)
	for range 10 {
		if resp, _ := dev.Get(t, "/v1/categories", "", nil); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("development: %d, %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"))
		}
	}
}

func TestClientIPBehindProxies(t *testing.T) {
	trusted, err := ratelimit.ParsePrefixes("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	l := ratelimit.New(nil, trusted)
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},                       // not a proxy: XFF ignored
		{"10.1.2.3:5000", "198.51.100.7", "198.51.100.7"},                    // our proxy
		{"10.1.2.3:5000", "6.6.6.6, 198.51.100.7, 10.9.9.9", "198.51.100.7"}, // spoofed first hop ignored
		{"127.0.0.1:5000", "", "127.0.0.1"},
	} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := l.ClientIP(r); got != tc.want {
			t.Errorf("%s via %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}

func grep(b []byte, word string) string {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, word) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetrics(t *testing.T) {
	e := servertest.Start(t, production, func(c *server.Config) { c.MaxInFlight = 3 })
	e.Get(t, "/v1/articles?limit=2", "", nil)
	// The same again, answered from the response cache before the routes:
	// it counts under its route all the same.
	e.Get(t, "/v1/articles?limit=2", "", nil)
	e.Get(t, "/v1/articles/khong-co", "", nil)
	// The feed's items go to the fragment cache as the REST and GraphQL
	// articles do;
	// the response cache answers the feed the second time.
	_, rss := e.Get(t, "/feeds/rss.xml", "", nil)
	e.Get(t, "/feeds/rss.xml", "", nil)
	items := bytes.Count(rss, []byte("<item>"))
	if items < 10 {
		t.Fatalf("the feed has %d items", items)
	}
	// Twice: the second shows both articles from the fragment cache.
	for range 2 {
		post(t, e, "", map[string]any{"query": `query HomePage { articles(first: 2) { nodes { slug } } }`, "operationName": "HomePage"})
	}
	post(t, e, "", map[string]any{"query": `query ` + strings.Repeat("x", 100) + ` { categories { slug } }`})
	if resp, _ := e.Get(t, "/metrics", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous /metrics in production: %d", resp.StatusCode)
	}
	if resp, _ := e.Get(t, "/metrics", news.RoleEditor, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor /metrics in production: %d", resp.StatusCode)
	}
	resp, body := e.Get(t, "/metrics", news.RoleAdmin, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`newsdesk_http_requests_total{method="GET",route="GET /v1/articles",status="200"} 2`,
		`newsdesk_http_requests_total{method="GET",route="GET /v1/articles/{slug}",status="404"} 1`,
		`newsdesk_http_requests_total{method="GET",route="GET /feeds/{file}",status="200"} 2`,
		`newsdesk_http_requests_total{method="POST",route="POST /graphql",status="200"} 3`,
		`newsdesk_http_request_duration_seconds_count{route="GET /v1/articles"} 2`,
		`newsdesk_response_cache_requests_total{result="hit"} 2`,
		`newsdesk_graphql_operations_total{operation="HomePage",type="query"} 2`,
		`newsdesk_graphql_operations_total{operation="other",type="query"} 1`,
		`newsdesk_graphql_operation_cost_count{operation="HomePage"} 2`,
		// Kept once each: the REST list's 2 articles, the feed's items and
		// the GraphQL list's 2.
		fmt.Sprintf(`newsdesk_fragment_cache_requests_total{result="miss"} %d`, 2+items+2),
		`newsdesk_fragment_cache_requests_total{result="hit"} 2`,
		`newsdesk_db_connections_open{pool="read"}`,
		"newsdesk_http_requests_running_limit 3\n",
		"newsdesk_http_requests_running 0\n",
		"newsdesk_http_requests_queued 0\n",
		"newsdesk_http_queue_timeouts_total 0\n",
		`go_goroutines`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// The store's article cache: the GraphQL lists after the first list
	// found their articles there.
	for _, want := range []string{
		`newsdesk_article_cache_requests_total{result="hit"} [1-9]`,
		`newsdesk_article_cache_bytes [1-9]`,
	} {
		if !regexp.MustCompile(want).Match(body) {
			t.Errorf("metrics lack %s:\n%s", want, grep(body, "article_cache"))
		}
	}
	if bytes.Contains(body, []byte("nd_")) {
		t.Error("a key in the metrics")
	}
}

func TestReadyzDrains(t *testing.T) {
	c := servertest.NewClock()
	e := servertest.Start(t)
	s := server.New(server.Config{Store: e.DB, Views: e.Views, Now: c.Now, DrainDelay: 2 * time.Second, ShutdownTimeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	ready := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := ready(); got != 200 {
		t.Fatalf("/readyz before shutdown: %d", got)
	}
	cancel()
	deadline := time.Now().Add(time.Second)
	for ready() != http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatal("/readyz never turned 503 while draining")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Still serving while draining.
	if resp, err := http.Get(base + "/v1/categories"); err != nil || resp.StatusCode != 200 {
		t.Errorf("a request while draining: %v %v", resp, err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestOneTurnServesEveryone runs the whole server with a single turn and no
// response cache: concurrent readers of GraphQL, REST and a feed all get
// their own answers, a keyed reader passes the queue, and nothing is left
// running or queued after.
func TestOneTurnServesEveryone(t *testing.T) {
	e := servertest.Start(t, production, func(c *server.Config) { c.MaxInFlight, c.ResponseCacheBytes = 1, -1 })
	const slug = "so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"
	paths := []string{
		"/v1/articles/" + slug + "?fields=slug",
		"/graphql?query=" + url.QueryEscape(`{ article(slug: "`+slug+`") { slug } }`),
		"/feeds/rss.xml",
	}
	errs := make(chan error, 30)
	for i := range cap(errs) {
		go func() {
			path, role := paths[i%len(paths)], news.Role("")
			if i%10 == 9 {
				role = news.RoleEditor
			}
			resp, body, err := e.Fetch(path, role, nil)
			if err != nil {
				errs <- err
				return
			}
			want := slug
			if strings.HasPrefix(path, "/feeds/") {
				want = "<rss"
			}
			if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(want)) {
				errs <- fmt.Errorf("%s as %q: %d %.200s", path, role, resp.StatusCode, body)
				return
			}
			errs <- nil
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	_, body := e.Get(t, "/metrics", news.RoleAdmin, nil)
	for _, want := range []string{"newsdesk_http_requests_running 0\n", "newsdesk_http_requests_queued 0\n", "newsdesk_http_queue_timeouts_total 0\n"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %q:\n%s", want, grep(body, "newsdesk_http_"))
		}
	}
}
