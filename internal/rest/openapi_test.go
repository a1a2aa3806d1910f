package rest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"
	"github.com/newsdesk/newsdesk/internal/rest"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
)

// TestOpenAPIConformance walks every path of the OpenAPI document served at
// /v1/openapi.json and validates real responses of the real server against
// it with kin-openapi: the ordinary answer, the field-picking one, the
// documented errors and the 304. The document cannot drift from the code
// without this failing.
func TestOpenAPIConformance(t *testing.T) {
	ctx := context.Background()
	e := servertest.Start(t)

	resp, served := e.Get(t, "/v1/openapi.json", "", nil)
	if resp.StatusCode != 200 || !bytes.Equal(served, rest.OpenAPI()) {
		t.Fatalf("/v1/openapi.json: %d, %d bytes", resp.StatusCode, len(served))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(served)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	// check sends one request and validates both it and its response.
	check := func(method, target string, header http.Header, wantStatus int) {
		t.Helper()
		var resp *http.Response
		var body []byte
		if method == http.MethodGet {
			resp, body = e.Get(t, target, "", header)
		} else {
			r, err := http.Post(e.Srv.URL+target, "application/json", nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(r.Body)
			r.Body.Close()
			resp = r
		}
		if resp.StatusCode != wantStatus {
			t.Errorf("GET %s: %d %.200s, want %d", target, resp.StatusCode, body, wantStatus)
			return
		}
		req, _ := http.NewRequest(method, e.Srv.URL+target, nil)
		route, pathParams, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("GET %s: no route in the document: %v", target, err)
			return
		}
		in := &openapi3filter.RequestValidationInput{
			Request: req, PathParams: pathParams, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
		}
		if wantStatus < 400 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("GET %s: the request does not match the document: %v", target, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(body)), Options: in.Options,
		}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("GET %s (%d): the response does not match the document: %v", target, resp.StatusCode, err)
		}
	}

	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	if len(paths) != 11 {
		t.Errorf("%d paths in the document, want 11", len(paths))
	}
	for _, p := range paths {
		if post := doc.Paths.Value(p).Post; post != nil {
			target := strings.ReplaceAll(p, "{slug}", seedSlug)
			check(http.MethodPost, target, nil, 202)
			check(http.MethodPost, strings.ReplaceAll(p, "{slug}", "khong-co-trang-nay"), nil, 404)
			continue
		}
		op := doc.Paths.Value(p).Get
		if op == nil {
			t.Errorf("%s: no GET", p)
			continue
		}
		target := p
		query := url.Values{}
		params := map[string]bool{}
		for _, pr := range op.Parameters {
			params[pr.Value.Name] = true
			example, _ := pr.Value.Example.(string)
			switch {
			case pr.Value.In == "path":
				target = strings.ReplaceAll(target, "{"+pr.Value.Name+"}", example)
			case pr.Value.Required:
				query.Set(pr.Value.Name, example)
			}
		}
		withQuery := func(q url.Values) string {
			if len(q) == 0 {
				return target
			}
			return target + "?" + q.Encode()
		}
		ok := withQuery(query)
		check(http.MethodGet, ok, nil, 200)

		first, _ := e.Get(t, ok, "", nil)
		check(http.MethodGet, ok, http.Header{"If-None-Match": {first.Header.Get("ETag")}}, 304)

		if params["fields"] {
			q := url.Values{}
			for k, v := range query {
				q[k] = v
			}
			q.Set("fields", "title,publishedAt,coverImage")
			check(http.MethodGet, withQuery(q), nil, 200)
		}
		if params["limit"] {
			q := url.Values{}
			for k, v := range query {
				q[k] = v
			}
			q.Set("limit", "0")
			check(http.MethodGet, withQuery(q), nil, 400)
		}
		if strings.Contains(p, "{slug}") {
			missing := strings.ReplaceAll(p, "{slug}", "khong-co-trang-nay")
			check(http.MethodGet, missing, nil, 404)
		}
		if _, documented := op.Responses.Map()["429"]; !documented {
			t.Errorf("%s: 429 not documented", p)
		}
	}
	// Editors' lists and search without a query: documented errors too.
	check(http.MethodGet, "/v1/articles?status=draft", nil, 401)
	check(http.MethodGet, "/v1/search", nil, 400)
}
