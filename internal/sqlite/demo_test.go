package sqlite_test

import (
	"context"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

func demoSynthetic(ctx context.Context, db *sqlite.DB, n int) error {
	return demo.Synthetic(ctx, db, demo.SyntheticOptions{N: n, Seed: 3})
}
