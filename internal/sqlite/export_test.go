package sqlite

import "context"

// ExecForTest runs a write statement on the writer, for tests that edit rows
// the way any write path would.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	db.gen.Add(1) // as every write: caches of what was read go
	return err
}
