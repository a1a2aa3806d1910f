package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

// TestExportImportCommands moves the demo site from a SQLite file to
// another store and back with the two commands, as the README shows; to
// PostgreSQL when the tests have one, else to a second SQLite file.
func TestExportImportCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, back := filepath.Join(dir, "site.db"), filepath.Join(dir, "back.db")
	target := filepath.Join(dir, "target.db")
	if os.Getenv(pgtest.Env) != "" {
		target = pgtest.NewDatabase(t, "")
	}
	if err := run(ctx, []string{"seed", "--demo", "--db", src}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	first, second := filepath.Join(dir, "site.ndjson"), filepath.Join(dir, "again.ndjson")
	var out bytes.Buffer
	steps := [][]string{
		{"export", "--db", src, "--out", first},
		{"import", "--db", target, "--in", first},
		{"export", "--db", target, "--out", second},
		{"import", "--db", back, "--in", second},
	}
	for _, args := range steps {
		if err := run(ctx, args, &out, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	for _, want := range []string{"exported 8 categories, 6 authors, 28 tags, 44 articles", "imported 8 categories, 6 authors, 28 tags, 44 articles"} {
		if strings.Count(out.String(), want) != 2 {
			t.Errorf("output has %q %d times, want 2:\n%s", want, strings.Count(out.String(), want), out.String())
		}
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the second export (%d bytes) differs from the first (%d bytes)", len(b), len(a))
	}
	// Into a store with content, and over an existing file: refused.
	if err := run(ctx, []string{"import", "--db", back, "--in", first}, io.Discard, io.Discard); err == nil {
		t.Error("import into a database with content succeeded")
	}
	if err := run(ctx, []string{"export", "--db", src, "--out", first}, io.Discard, io.Discard); err == nil {
		t.Error("export over an existing file succeeded")
	}
}
