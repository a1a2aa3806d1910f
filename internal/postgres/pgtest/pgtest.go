// Package pgtest gives each test its own fresh PostgreSQL database, empty
// or with the demo content, on the server NEWSDESK_TEST_POSTGRES names (a
// postgres:// URL of a role that may create databases). Without it the
// tests that need PostgreSQL skip, saying so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/postgres"
)

// Env is the variable that points the tests at a PostgreSQL server.
const Env = "NEWSDESK_TEST_POSTGRES"

// Server returns the server URL, or skips tb when there is none.
func Server(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(Env)
	if u == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", Env)
	}
	return u
}

// withDatabase returns server's URL with another database name.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// exec runs statements on the server's own database.
func exec(ctx context.Context, server string, stmts ...string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// NewDatabase creates a fresh database (from template, when not empty),
// dropped when the test ends, and returns its URL.
func NewDatabase(tb testing.TB, template string) string {
	tb.Helper()
	server := Server(tb)
	ctx := context.Background()
	name := randomName("newsdesk_test_")
	create := `CREATE DATABASE ` + name
	if template != "" {
		create += ` TEMPLATE ` + template
	}
	if err := exec(ctx, server, create); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := exec(context.Background(), server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
	})
	u, err := withDatabase(server, name)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// Open opens a store on a new, empty database, closed when the test ends.
func Open(tb testing.TB, opts postgres.Options) *postgres.DB {
	tb.Helper()
	return OpenURL(tb, NewDatabase(tb, ""), opts)
}

// OpenURL opens a store on the database at u, closed when the test ends.
func OpenURL(tb testing.TB, u string, opts postgres.Options) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), u, opts)
	if err != nil {
		tb.Fatalf("open PostgreSQL store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	urls.Store(db, u)
	return db
}

// urls remembers the database of every store OpenURL opened.
var urls sync.Map // *postgres.DB -> string

// URL returns the database URL of a store OpenURL opened.
func URL(tb testing.TB, db *postgres.DB) string {
	tb.Helper()
	u, ok := urls.Load(db)
	if !ok {
		tb.Fatal("pgtest.URL: the store was not opened by pgtest")
	}
	return u.(string)
}

// Reopen closes db and opens its database again, closed when the test ends.
func Reopen(tb testing.TB, db *postgres.DB, opts postgres.Options) *postgres.DB {
	tb.Helper()
	u := URL(tb, db)
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return OpenURL(tb, u, opts)
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// OpenDemo opens a store on a new database holding the demo content,
// copied from a template database seeded once per test binary.
func OpenDemo(tb testing.TB, opts postgres.Options) *postgres.DB {
	tb.Helper()
	server := Server(tb)
	templateOnce.Do(func() { templateName, templateErr = buildTemplate(server) })
	if templateErr != nil {
		tb.Fatalf("demo template: %v", templateErr)
	}
	return OpenURL(tb, NewDatabase(tb, templateName), opts)
}

// buildTemplate seeds the demo into a database of its own; closing the
// store leaves it with no connection, as a template must be.
func buildTemplate(server string) (string, error) {
	ctx := context.Background()
	name := randomName("newsdesk_demo_")
	if err := exec(ctx, server, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	u, err := withDatabase(server, name)
	if err != nil {
		return "", err
	}
	db, err := postgres.Open(ctx, u, postgres.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := demo.Seed(ctx, db); err != nil {
		return "", fmt.Errorf("seed demo content: %w", err)
	}
	return name, nil
}

// Main runs a package's tests and then drops the demo template: call it
// from TestMain in every package that uses OpenDemo.
func Main(m *testing.M) {
	code := m.Run()
	if templateName != "" {
		if err := exec(context.Background(), os.Getenv(Env), `DROP DATABASE IF EXISTS `+templateName+` WITH (FORCE)`); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: drop demo template:", err)
		}
	}
	os.Exit(code)
}
