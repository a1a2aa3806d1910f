package sqlite_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/sqlite/sqlitetest"
	"github.com/newsdesk/newsdesk/internal/storetest"
)

// TestContract runs the store contract suite against SQLite.
func TestContract(t *testing.T) { storetest.Run(t, backend) }

// backend opens SQLite stores through sqlitetest, each in its own file.
var backend = storetest.Backend{
	Name: "sqlite",
	Open: func(tb testing.TB, o storetest.Options) storetest.Store {
		return sqlitetest.Open(tb, sqlite.Options{Now: o.Now})
	},
	OpenDemo: func(tb testing.TB, o storetest.Options) storetest.Store {
		return sqlitetest.OpenDemo(tb, sqlite.Options{Now: o.Now})
	},
	Reopen: func(tb testing.TB, s storetest.Store, o storetest.Options) storetest.Store {
		return sqlitetest.Reopen(tb, s.(*sqlite.DB), sqlite.Options{Now: o.Now})
	},
	Exec: func(ctx context.Context, s storetest.Store, query string, args ...any) error {
		return s.(*sqlite.DB).ExecForTest(ctx, query, args...)
	},
}
