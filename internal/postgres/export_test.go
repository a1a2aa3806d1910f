package postgres

import (
	"context"
	"strconv"
	"strings"
)

// ExecForTest runs a statement on the primary behind the store's back;
// placeholders are written "?", as the contract suite's portable SQL has
// them.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	_, err := db.w.Exec(ctx, b.String(), args...)
	return err
}
