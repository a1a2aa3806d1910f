package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// serveForTest runs "serve" with args on a free port and returns its
// address and a function that shuts it down and returns serve's error.
func serveForTest(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, pw)
		pw.Close()
	}()
	addr := ""
	sc := bufio.NewScanner(pr)
	for addr == "" && sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			addr = line.Addr
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("server never said where it listens: %v", <-done)
	}
	go io.Copy(io.Discard, pr)
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not shut down")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// graphql posts a query with an optional key and decodes the response.
func graphql(t *testing.T, addr, key, query string, out any) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// TestServeDemo runs the program as a user would: serve --demo on a new
// database file, on a free port, then a query, then shutdown.
func TestServeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	addr, stop := serveForTest(t, "--db", db, "--demo")
	var out struct {
		Data struct {
			Articles struct {
				TotalCount int
				Nodes      []struct{ Title string }
			}
		}
	}
	graphql(t, addr, "", `{ articles(first: 2) { totalCount nodes { title } } }`, &out)
	if out.Data.Articles.TotalCount != 40 || len(out.Data.Articles.Nodes) != 2 {
		t.Errorf("demo server answered %+v", out.Data)
	}
	// Anonymous requests take turns, one a core at once.
	if got, want := metric(t, addr, "newsdesk_http_requests_running_limit"), fmt.Sprint(runtime.GOMAXPROCS(0)); got != want {
		t.Errorf("running limit %q, want %s", got, want)
	}
	if err := stop(); err != nil {
		t.Errorf("serve returned %v after shutdown, want nil", err)
	}

	// A second start on the same file keeps the content and loads no more.
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--db", db, "--demo"}, &stdout, io.Discard); err == nil {
		t.Error("seed --demo on a database with content succeeded, want an error")
	}
}

// metric reads one unlabelled metric from a development server's /metrics.
func metric(t *testing.T, addr, name string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v
		}
	}
	return ""
}

func TestServeMaxInFlight(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	addr, _ := serveForTest(t, "--db", db, "--max-in-flight", "3")
	if got := metric(t, addr, "newsdesk_http_requests_running_limit"); got != "3" {
		t.Errorf("--max-in-flight 3: limit %q", got)
	}
	addr, _ = serveForTest(t, "--db", db, "--max-in-flight", "-1")
	if got := metric(t, addr, "newsdesk_http_requests_running_limit"); got != "" {
		t.Errorf("--max-in-flight -1: limit %q, want no queue", got)
	}
}

// TestKeysAndAnEditorsSession creates a key with the CLI, writes through the
// running server with it, lists and revokes it.
func TestKeysAndAnEditorsSession(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	ctx := context.Background()
	var stdout bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "--db", db, "--role", "editor", "--name", "Bàn biên tập"}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "nd_1_") || strings.Contains(key, " ") {
		t.Fatalf("last line of keys create = %q, want the key alone", key)
	}
	if err := run(ctx, []string{"keys", "create", "--db", db, "--role", "owner", "--name", "x"}, io.Discard, io.Discard); err == nil {
		t.Error("keys create with an unknown role succeeded")
	}

	addr, _ := serveForTest(t, "--db", db, "--demo")
	var created struct {
		Data struct {
			CreateArticle struct{ Article struct{ Slug, Status string } }
		}
		Errors []struct{ Message string }
	}
	graphql(t, addr, key, `mutation { createArticle(input: {title: "Tin từ bàn biên tập", category: "do-thi", authors: ["thu-ha"]}) { article { slug status } } }`, &created)
	if a := created.Data.CreateArticle.Article; a.Slug != "tin-tu-ban-bien-tap" || a.Status != "DRAFT" {
		t.Fatalf("createArticle with the new key: %+v", created)
	}

	stdout.Reset()
	if err := run(ctx, []string{"keys", "list", "--db", db}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "editor") || !strings.Contains(stdout.String(), "Bàn biên tập") || strings.Contains(stdout.String(), key) {
		t.Errorf("keys list = %s", stdout.String())
	}
	if err := run(ctx, []string{"keys", "revoke", "--db", db, "1"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var refused struct {
		Errors []struct{ Extensions struct{ Code string } }
	}
	if status := graphql(t, addr, key, `{ viewer { name } }`, &refused); status != http.StatusUnauthorized ||
		len(refused.Errors) == 0 || refused.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("revoked key: %d %+v", status, refused)
	}
	if err := run(ctx, []string{"keys", "revoke", "--db", db, "99"}, io.Discard, io.Discard); err == nil {
		t.Error("revoking an unknown key succeeded")
	}
}

func TestSeedSyntheticAndMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "load.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--db", db, "--synthetic", "500"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "500 synthetic articles") {
		t.Errorf("seed output: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "--db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "schema up to date") {
		t.Errorf("migrate output: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"reindex", "--db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rebuilt over 500 published articles") {
		t.Errorf("reindex output: %s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"seed", "--db", filepath.Join(t.TempDir(), "x.db")},
		{"serve", "--no-such-flag"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run %v succeeded, want an error", args)
		}
	}
}

func TestWebhooksCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "site.db")
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"webhooks", "add", "--db", db, "--url", "https://doitac.example.vn/hook"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if secret := lines[len(lines)-1]; !strings.HasPrefix(secret, "whsec_") {
		t.Errorf("last line of webhooks add = %q, want the secret", secret)
	}
	if err := run(ctx, []string{"webhooks", "add", "--db", db, "--url", "ftp://x"}, io.Discard, io.Discard); err == nil {
		t.Error("a non-http URL was accepted")
	}
	out.Reset()
	if err := run(ctx, []string{"webhooks", "disable", "--db", db, "1"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"webhooks", "list", "--db", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "disabled") || !strings.Contains(out.String(), "https://doitac.example.vn/hook") {
		t.Errorf("webhooks list = %s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"webhooks", "deliveries", "--db", db, "1"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "STATUS") {
		t.Errorf("webhooks deliveries: %v %s", err, out.String())
	}
}

// TestBackupAndRestore backs up a database a server is using, changes the
// original, then restores the backup over it.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "site.db"), filepath.Join(dir, "backup.db")
	ctx := context.Background()
	if err := run(ctx, []string{"keys", "create", "--db", db, "--role", "editor", "--name", "e"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	addr, stop := serveForTest(t, "--db", db, "--demo")
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", "--db", db, "--out", copyPath}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "integrity ok") {
		t.Errorf("backup output: %s", out.String())
	}
	if err := run(ctx, []string{"backup", "--db", db, "--out", copyPath}, io.Discard, io.Discard); err == nil {
		t.Error("a backup over an existing file succeeded")
	}
	// A change after the backup, then the server stops.
	var created struct {
		Data struct {
			CreateArticle struct{ Article struct{ Slug string } }
		}
	}
	var keysOut bytes.Buffer
	run(ctx, []string{"keys", "create", "--db", db, "--role", "editor", "--name", "e2"}, &keysOut, io.Discard)
	lines := strings.Split(strings.TrimSpace(keysOut.String()), "\n")
	graphql(t, addr, lines[len(lines)-1], `mutation { createArticle(input: {title: "Sau bản sao lưu", category: "do-thi", authors: ["thu-ha"]}) { article { slug } } }`, &created)
	if created.Data.CreateArticle.Article.Slug == "" {
		t.Fatal("no article created after the backup")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// A corrupt backup is refused and the database is left alone.
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, bytes.Repeat([]byte("not a database "), 1000), 0o644)
	if err := run(ctx, []string{"restore", "--db", db, "--from", bad}, io.Discard, io.Discard); err == nil {
		t.Error("restoring a corrupt file succeeded")
	}
	out.Reset()
	if err := run(ctx, []string{"restore", "--db", db, "--from", copyPath}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The restored site: the demo is there, the later article is not.
	addr, _ = serveForTest(t, "--db", db)
	var check struct {
		Data struct {
			Articles struct{ TotalCount int }
			Article  *struct{ Slug string }
		}
	}
	graphql(t, addr, "", `{ articles { totalCount } article(slug: "sau-ban-sao-luu") { slug } }`, &check)
	if check.Data.Articles.TotalCount != 40 || check.Data.Article != nil {
		t.Errorf("after restore: %+v", check.Data)
	}
}

func TestQueriesCommand(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "site.db"), filepath.Join(dir, "home.graphql")
	os.WriteFile(file, []byte("query Home { articles(first: 5) { nodes { slug title } } }"), 0o644)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"queries", "add", "--db", db, "--file", file, "--name", "home"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	hash := lines[len(lines)-1]
	if len(hash) != 64 {
		t.Fatalf("last line %q, want the hash", hash)
	}
	addr, _ := serveForTest(t, "--db", db, "--demo", "--production", "--graphql-allowlist")
	var ok, refused struct {
		Data *struct {
			Articles struct{ Nodes []struct{ Slug string } }
		}
		Errors []struct{ Extensions struct{ Code string } }
	}
	body, _ := json.Marshal(map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&ok)
	resp.Body.Close()
	if ok.Data == nil || len(ok.Data.Articles.Nodes) != 5 {
		t.Errorf("registered query by hash: %+v", ok)
	}
	graphql(t, addr, "", `{ articles(first: 1) { nodes { slug } } }`, &refused)
	if len(refused.Errors) == 0 || refused.Errors[0].Extensions.Code != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Errorf("an unregistered query in allow-list mode: %+v", refused)
	}
}
