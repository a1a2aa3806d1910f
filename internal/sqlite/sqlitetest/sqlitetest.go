// Package sqlitetest opens real SQLite databases in temporary directories
// for tests, empty or with the demo content.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// Open opens a new, migrated database in a temporary directory, closed when
// the test ends.
func Open(tb testing.TB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "newsdesk.db"), opts)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close database: %v", err)
		}
	})
	return db
}

// OpenDemo opens a new database filled with the demo content.
func OpenDemo(tb testing.TB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	db := Open(tb, opts)
	if err := demo.Seed(context.Background(), db); err != nil {
		tb.Fatalf("seed demo content: %v", err)
	}
	return db
}
