// Package sqlitetest opens real SQLite databases in temporary directories
// for tests, empty or with the demo content.
package sqlitetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// Open opens a new, migrated database in a temporary directory, closed when
// the test ends.
func Open(tb testing.TB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	return open(tb, filepath.Join(tb.TempDir(), "newsdesk.db"), opts)
}

// paths maps each database open has opened, and not yet closed, to its
// file: whichever of Reopen and the test's cleanup takes a database out of
// it closes that database, so none is closed twice.
var paths sync.Map // *sqlite.DB -> string

func open(tb testing.TB, path string, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path, opts)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	paths.Store(db, path)
	tb.Cleanup(func() {
		if _, ok := paths.LoadAndDelete(db); !ok {
			return // closed by Reopen
		}
		if err := db.Close(); err != nil {
			tb.Errorf("close database: %v", err)
		}
	})
	return db
}

// Path returns the file of a database opened by Open, OpenDemo or Reopen
// and not yet closed.
func Path(tb testing.TB, db *sqlite.DB) string {
	tb.Helper()
	path, ok := paths.Load(db)
	if !ok {
		tb.Fatal("sqlitetest.Path: the database was not opened by sqlitetest, or is closed")
	}
	return path.(string)
}

// Reopen closes db, opened by Open, OpenDemo or Reopen and not yet closed,
// and opens its file again with opts, closed when the test ends.
func Reopen(tb testing.TB, db *sqlite.DB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	path, ok := paths.LoadAndDelete(db)
	if !ok {
		tb.Fatal("reopen: the database was not opened by sqlitetest, or is closed")
	}
	if err := db.Close(); err != nil {
		tb.Fatalf("close database: %v", err)
	}
	return open(tb, path.(string), opts)
}

var (
	templateOnce sync.Once
	templatePath string
	templateErr  error
)

// OpenDemo opens a new database filled with the demo content. The demo is
// written through the store once per test binary, into a template file that
// each caller gets a copy of.
func OpenDemo(tb testing.TB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	templateOnce.Do(func() { templatePath, templateErr = buildTemplate() })
	if templateErr != nil {
		tb.Fatalf("demo template: %v", templateErr)
	}
	path := filepath.Join(tb.TempDir(), "newsdesk.db")
	if err := copyFile(templatePath, path); err != nil {
		tb.Fatalf("copy demo template: %v", err)
	}
	return open(tb, path, opts)
}

// buildTemplate seeds the demo into a fresh file in its own temporary
// directory. Closing the database checkpoints it into that one file.
func buildTemplate() (string, error) {
	dir, err := os.MkdirTemp("", "newsdesk-demo-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return "", err
	}
	if err := demo.Seed(ctx, db); err != nil {
		db.Close()
		return "", fmt.Errorf("seed demo content: %w", err)
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	return path, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// Main runs a package's tests and then removes the demo template: call it
// from TestMain in every package that uses OpenDemo.
func Main(m *testing.M) {
	code := m.Run()
	if templatePath != "" {
		os.RemoveAll(filepath.Dir(templatePath))
	}
	os.Exit(code)
}
