package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestTransportAsGqlgens: newsdesk's transport answers every kind of
// request as gqlgen's GET and POST transports do (status, content type,
// the same JSON), over the real handler and a demo database; only the
// bytes differ (HTML in the data is not escaped, and nosniff is set),
// and a bad query string's error says it is JSON.
func TestTransportAsGqlgens(t *testing.T) {
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	opts := Options{Store: db, Writer: db, Limits: Limits{Complexity: 500}}
	ours, theirs := NewHandler(opts), newHandler(opts, transport.GET{}, transport.POST{})

	const article = `query A($slug: String) { article(slug: $slug) { id title bodyHtml publishedAt authors { name } } }`
	get := func(q url.Values) *http.Request {
		return httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	}
	post := func(body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	accept := func(r *http.Request, a string) *http.Request { r.Header.Set("Accept", a); return r }
	vars := `{"slug":"so-thong-tin-va-truyen-thong-tap-huan-cong-tac-thong-tin-doi-ngoai"}`
	cases := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"GET query", func() *http.Request { return get(url.Values{"query": {article}, "variables": {vars}}) }, 200},
		{"POST query", func() *http.Request { return post(`{"query":` + quote(article) + `,"variables":` + vars + `}`) }, 200},
		{"GET mutation", func() *http.Request {
			return get(url.Values{"query": {`mutation { createTag(input: {name: "x"}) { tag { slug } } }`}})
		}, 406},
		{"GET bad variables", func() *http.Request { return get(url.Values{"query": {article}, "variables": {"{"}}) }, 400},
		{"GET bad extensions", func() *http.Request { return get(url.Values{"query": {article}, "extensions": {"["}}) }, 400},
		{"GET bad query string", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/graphql?query=%zz", nil) }, 400},
		{"POST bad JSON", func() *http.Request { return post(`{"query": `) }, 400},
		{"parse error", func() *http.Request { return post(`{"query":"{ article("}`) }, 422},
		{"parse error, GraphQL response type", func() *http.Request {
			return accept(post(`{"query":"{ article("}`), "application/graphql-response+json")
		}, 400},
		{"validation error", func() *http.Request { return get(url.Values{"query": {`{ article(slug: "x") { nope } }`}}) }, 422},
		{"resolver error", func() *http.Request { return get(url.Values{"query": {`{ article(slug: "x", id: "y") { id } }`}}) }, 200},
		{"too complex", func() *http.Request {
			return get(url.Values{"query": {`{ articles(first: 100) { nodes { authors { articles(first: 100) { nodes { id } } } } } }`}})
		}, 200},
		{"persisted query not found", func() *http.Request {
			return get(url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("ab", 32) + `"}}`}})
		}, 200},
		{"Accept HTML", func() *http.Request {
			return accept(get(url.Values{"query": {`{ categories { slug } }`}}), "text/html")
		}, 200},
		{"Accept anything", func() *http.Request {
			return accept(get(url.Values{"query": {`{ categories { slug } }`}}), "text/html;q=0.9, */*;q=0.8")
		}, 200},
		{"POST as text", func() *http.Request {
			r := post(`{"query":"{ categories { slug } }"}`)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, 400},
	}
	for _, c := range cases {
		a, b := httptest.NewRecorder(), httptest.NewRecorder()
		ours.ServeHTTP(a, c.req())
		theirs.ServeHTTP(b, c.req())
		if a.Code != c.want || b.Code != c.want {
			t.Errorf("%s: status %d, gqlgen's %d, want %d (%s)", c.name, a.Code, b.Code, c.want, a.Body)
		}
		if a.Header().Get("Cache-Control") != b.Header().Get("Cache-Control") {
			t.Errorf("%s: Cache-Control %q, gqlgen's %q", c.name, a.Header().Get("Cache-Control"), b.Header().Get("Cache-Control"))
		}
		// gqlgen sends a bad query string's error without a type.
		if ct := b.Header().Get("Content-Type"); a.Header().Get("Content-Type") != ct && (ct != "" || a.Header().Get("Content-Type") != "application/json") {
			t.Errorf("%s: Content-Type %q, gqlgen's %q", c.name, a.Header().Get("Content-Type"), b.Header().Get("Content-Type"))
		}
		var got, want any
		if err := json.Unmarshal(a.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v in %s", c.name, err, a.Body)
		}
		if err := json.Unmarshal(b.Body.Bytes(), &want); err != nil {
			t.Fatalf("%s: gqlgen's: %v in %s", c.name, err, b.Body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, a.Body, b.Body)
		}
	}

	// The article's HTML goes out as it is, marked so no browser sniffs it.
	rec := httptest.NewRecorder()
	ours.ServeHTTP(rec, cases[0].req())
	if !strings.Contains(rec.Body.String(), "<figcaption>") || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("answer escapes HTML or may be sniffed (nosniff %q): %.300s", rec.Header().Get("X-Content-Type-Options"), rec.Body)
	}
}

// TestWriteResponse: every part of a response comes out as json.Marshal
// writes it (errors, data, extensions and the incremental fields).
func TestWriteResponse(t *testing.T) {
	next := true
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"a":"<b>","n":[1,2]}`)},
		{},
		{Errors: gqlerror.List{{Message: `bad "x"`, Path: ast.Path{ast.PathName("a"), ast.PathIndex(0)},
			Extensions: map[string]any{"code": "BAD_USER_INPUT", "data": nil}}}},
		{Errors: gqlerror.List{{Message: "e"}}, Data: json.RawMessage(`{"a":null}`),
			Label: "l", Path: ast.Path{ast.PathName("p")}, HasNext: &next, Extensions: map[string]any{"cost": 3}},
	} {
		var b strings.Builder
		writeResponse(&b, resp)
		want, _ := json.Marshal(resp)
		var g, w any
		if err := json.Unmarshal([]byte(b.String()), &g); err != nil {
			t.Fatalf("%v in %s", err, b.String())
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("got %s, want %s", b.String(), want)
		}
	}
}

// TestWriteResponseEmpty: empty data and an empty path still make valid
// JSON (json.Marshal refuses the first and drops the second).
func TestWriteResponseEmpty(t *testing.T) {
	var b strings.Builder
	writeResponse(&b, &graphql.Response{Data: json.RawMessage{}, Path: ast.Path{}})
	if b.String() != `{"data":null}` {
		t.Errorf("got %s, want {\"data\":null}", b.String())
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
