package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/server/servertest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { sqlitetest.Main(m) }

func newServer(t *testing.T, dev bool) *httptest.Server {
	t.Helper()
	db := sqlitetest.OpenDemo(t, sqlite.Options{})
	s := server.New(server.Config{Store: db, Dev: dev, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestRoutes(t *testing.T) {
	ts := newServer(t, true)
	tests := []struct {
		name, path string
		status     int
		contains   string
	}{
		{"livez", "/livez", 200, `"ok"`},
		{"readyz", "/readyz", 200, `"ready"`},
		{"graphiql", "/", 200, "graphiql"},
		{"graphql GET", `/graphql?query={categories{slug}}`, 200, `"thoi-su"`},
		{"unknown path", "/wp-admin", 404, `"code":"NOT_FOUND"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, ts.URL+tt.path, nil)
			if resp.StatusCode != tt.status || !strings.Contains(strings.ToLower(body), strings.ToLower(tt.contains)) {
				t.Errorf("GET %s = %d %.200s; want %d containing %s", tt.path, resp.StatusCode, body, tt.status, tt.contains)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

func TestProductionHasNoPlayground(t *testing.T) {
	ts := newServer(t, false)
	resp, body := get(t, ts.URL+"/", nil)
	if resp.StatusCode != 404 {
		t.Errorf("GET / in production = %d %.100s, want 404", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+`/graphql?query={__schema{types{name}}}`, nil)
	if resp.StatusCode == 200 && strings.Contains(body, `"types"`) && !strings.Contains(body, "errors") {
		t.Errorf("introspection answered in production: %.200s", body)
	}
}

func TestRequestIDEchoed(t *testing.T) {
	ts := newServer(t, true)
	resp, _ := get(t, ts.URL+"/livez", map[string]string{"X-Request-Id": "abc-123"})
	if got := resp.Header.Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id = %q, want abc-123", got)
	}
	resp, _ = get(t, ts.URL+"/livez", map[string]string{"X-Request-Id": "<script>"})
	if got := resp.Header.Get("X-Request-Id"); got == "<script>" || len(got) != 16 {
		t.Errorf("unsafe incoming id kept or not replaced: %q", got)
	}
}

func TestCORS(t *testing.T) {
	e := servertest.Start(t, func(c *server.Config) { c.CORSOrigins = []string{"https://admin.example"} })
	preflight := func(origin, headers string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodOptions, e.Srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", headers)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// Any origin reads without a key, never with credentials.
	resp, _ := e.Get(t, `/graphql?query={categories{slug}}`, "", http.Header{"Origin": {"https://reader.example"}})
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://reader.example" {
		t.Errorf("a read from any origin: Access-Control-Allow-Origin = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
	}
	if pre := preflight("https://reader.example", "content-type"); pre.Header.Get("Access-Control-Allow-Origin") != "https://reader.example" ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight of an anonymous POST: %v", pre.Header)
	}
	// Sending a key (what writing takes) only from the configured origins.
	if pre := preflight("https://reader.example", "authorization,content-type"); pre.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight with Authorization from an unknown origin allowed: %v", pre.Header)
	}
	if pre := preflight("https://admin.example", "authorization,content-type"); pre.Header.Get("Access-Control-Allow-Origin") != "https://admin.example" ||
		!strings.Contains(strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("preflight with Authorization from the admin origin: %v", pre.Header)
	}
	keyed, _ := e.Get(t, "/v1/articles?limit=1", news.RoleEditor, http.Header{"Origin": {"https://reader.example"}})
	if keyed.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a keyed request from an unknown origin was allowed")
	}
}

func TestGraphQLPostThroughServer(t *testing.T) {
	ts := newServer(t, true)
	resp, err := http.Post(ts.URL+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ article(slug: \"phat-45-trieu-dong-1-y-si-o-phuong-duong-kinh-kham-chua-benh-khong-phep\") { title category { name } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Article struct {
				Title    string
				Category struct{ Name string }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Data.Article.Title != "Phạt 45 triệu đồng 1 y sĩ ở phường Dương Kinh khám chữa bệnh không phép" {
		t.Errorf("title = %q", out.Data.Article.Title)
	}
}
