package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/demo"
)

// TestNoIndexSamples checks that the statistics the store gathers (a bulk
// load's ANALYZE, an import's, PRAGMA optimize on closing) are row counts
// without sqlite_stat4's samples, under which SQLite compiles a prepared
// statement again each time a parameter compared with an indexed column is
// bound; and that a database analysed with samples loses them on opening.
func TestNoIndexSamples(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stats.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	if err := demo.Synthetic(ctx, db, demo.SyntheticOptions{N: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// stats reads the statistics from a connection of its own.
	stats := func() (counts, samples int) {
		t.Helper()
		conn, err := sql.Open("sqlite", ReaderDSN(path))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		err = conn.QueryRow(`SELECT (SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles'),
			(SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4')`).Scan(&counts, &samples)
		if err != nil {
			t.Fatal(err)
		}
		if samples > 0 {
			if err := conn.QueryRow(`SELECT count(*) FROM sqlite_stat4`).Scan(&samples); err != nil {
				t.Fatal(err)
			}
		}
		return counts, samples
	}
	want := func(stage string) {
		t.Helper()
		if counts, samples := stats(); counts == 0 || samples != 0 {
			t.Errorf("%s: %d row counts and %d samples of the articles' indexes, want some and none", stage, counts, samples)
		}
	}
	want("after a bulk load")

	// What an earlier newsdesk left: ANALYZE with samples.
	withSamples := func() {
		t.Helper()
		if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
			t.Fatal(err)
		}
		if _, samples := stats(); samples == 0 {
			t.Fatal("ANALYZE kept no samples: this SQLite is not built with SQLITE_ENABLE_STAT4, and the test proves nothing")
		}
	}
	withSamples()
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	want("after an import's ANALYZE")

	withSamples()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	want("after closing (PRAGMA optimize)")

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if db, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	want("after opening a database analysed with samples")
}
