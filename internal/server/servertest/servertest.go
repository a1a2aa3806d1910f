// Package servertest runs the whole newsdesk HTTP server (auth, caching and
// every transport) over a real SQLite database for tests, with a key for
// every role and a clock the test moves.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/newsdesk/newsdesk/internal/viewcount"
)

// Clock is a test clock that moves only when told.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at 2026-11-26 08:00 in Vietnam.
func NewClock() *Clock {
	return &Clock{t: time.Date(2026, 11, 26, 8, 0, 0, 0, news.DefaultZone)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Env is a running server.
type Env struct {
	DB    *sqlite.DB
	Srv   *httptest.Server
	Clock *Clock
	// Keys holds a key for every role.
	Keys map[news.Role]string
	// Views counts views; tests flush it when they want them stored.
	Views *viewcount.Counter
}

// Pepper is the tests' API key pepper.
var Pepper = []byte("test pepper, at least 16 bytes")

// Option changes the server's configuration before it starts.
type Option func(*server.Config)

// Start serves a copy of the demo database with a fresh clock, in
// development mode unless an option says otherwise.
func Start(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	c := NewClock()
	return StartWith(tb, sqlitetest.OpenDemo(tb, sqlite.Options{Now: c.Now}), c, opts...)
}

// StartWith serves db, whose clock must be c, and makes a key per role
// (named "test <role>"; ids 1 to 4 on a database without keys).
func StartWith(tb testing.TB, db *sqlite.DB, c *Clock, opts ...Option) *Env {
	tb.Helper()
	keyring := auth.New(db, Pepper)
	views := viewcount.New(db, c.Now)
	cfg := server.Config{Store: db, Keys: keyring, Views: views, Now: c.Now, Dev: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	s := server.New(cfg)
	srv := httptest.NewServer(s.Handler())
	tb.Cleanup(srv.Close)
	e := &Env{DB: db, Srv: srv, Clock: c, Keys: map[news.Role]string{}, Views: views}
	for _, role := range news.Roles {
		token, _, err := keyring.Create(context.Background(), "test "+string(role), role)
		if err != nil {
			tb.Fatal(err)
		}
		e.Keys[role] = token
	}
	return e
}

// StartPieces serves db twice, neither server with a response cache:
// plain renders every answer afresh (no fragment cache), kept keeps the
// pieces of answers, so that a test can hold kept's answers to plain's.
func StartPieces(tb testing.TB, db *sqlite.DB, c *Clock) (plain, kept *Env) {
	tb.Helper()
	noResponseCache := func(cfg *server.Config) { cfg.ResponseCacheBytes = -1 }
	plain = StartWith(tb, db, c, noResponseCache, func(cfg *server.Config) { cfg.FragmentCacheBytes = -1 })
	kept = StartWith(tb, db, c, noResponseCache)
	return plain, kept
}

// GetOK is Get for an answer that must be 200 OK: it returns the body.
func (e *Env) GetOK(tb testing.TB, path string, role news.Role) string {
	tb.Helper()
	resp, body := e.Get(tb, path, role, nil)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return string(body)
}

// Metric reads one sample of /metrics, named with its labels as the
// exposition writes it (`newsdesk_x_total{result="hit"}`).
func (e *Env) Metric(tb testing.TB, sample string) int {
	tb.Helper()
	_, body := e.Get(tb, "/metrics", "", nil)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\d+)$`).FindSubmatch(body)
	if m == nil {
		tb.Fatalf("no %s in /metrics:\n%s", sample, body)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// Get sends a GET with the key of role ("" for none) and extra headers.
func (e *Env) Get(tb testing.TB, path string, role news.Role, header http.Header) (*http.Response, []byte) {
	tb.Helper()
	resp, body, err := e.Fetch(path, role, header)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

// Fetch is Get for goroutines other than the test's: it returns the error
// instead of ending the test.
func (e *Env) Fetch(path string, role news.Role, header http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, e.Srv.URL+path, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.Keys[role])
	}
	// A transport of its own, so that Go does not ask for and undo gzip
	// behind the test's back.
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}
