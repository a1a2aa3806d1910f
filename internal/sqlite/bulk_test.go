package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TestBulkLoadRestoresWriter checks that a bulk load leaves the writer as
// its DSN set it: WAL, synchronous FULL, its own page cache, the search
// trigger back.
func TestBulkLoadRestoresWriter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "bulk.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.BulkLoad(ctx, func(func(*news.Article) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var mode string
	var synchronous, cacheSize, triggers int
	row := db.w.QueryRowContext(ctx, `SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT synchronous FROM pragma_synchronous),
		(SELECT cache_size FROM pragma_cache_size), (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_search_insert')`)
	if err := row.Scan(&mode, &synchronous, &cacheSize, &triggers); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || synchronous != 2 || cacheSize != -65536 || triggers != 1 {
		t.Errorf("after a bulk load: journal %s, synchronous %d, cache %d, insert trigger %d; want wal, 2, -65536, 1",
			mode, synchronous, cacheSize, triggers)
	}
}

// TestReaderSettings checks that the readers open as ReaderDSN says:
// read-only, the file mapped, a small page cache of their own.
func TestReaderSettings(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "readers.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cacheSize, mmapSize, busy int
	for pragma, v := range map[string]*int{"cache_size": &cacheSize, "mmap_size": &mmapSize, "busy_timeout": &busy} {
		if err := conn.QueryRowContext(ctx, `PRAGMA `+pragma).Scan(v); err != nil {
			t.Fatal(pragma, err)
		}
	}
	if cacheSize != -2000 || mmapSize != 2147418112 || busy != 10000 {
		t.Errorf("reader cache %d, mmap %d, busy timeout %d; want -2000, 2147418112, 10000", cacheSize, mmapSize, busy)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE written (x)`); err == nil {
		t.Error("a reader wrote")
	}
}
