package postgres_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
	"github.com/newsdesk/newsdesk/internal/storetest"
)

// TestContract runs the store contract suite against PostgreSQL.
func TestContract(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, backend)
}

// backend opens PostgreSQL stores through pgtest, each on its own
// database.
var backend = storetest.Backend{
	Name: "postgres",
	Open: func(tb testing.TB, o storetest.Options) storetest.Store {
		return pgtest.Open(tb, postgres.Options{Now: o.Now})
	},
	OpenDemo: func(tb testing.TB, o storetest.Options) storetest.Store {
		return pgtest.OpenDemo(tb, postgres.Options{Now: o.Now})
	},
	Reopen: func(tb testing.TB, s storetest.Store, o storetest.Options) storetest.Store {
		return pgtest.Reopen(tb, s.(*postgres.DB), postgres.Options{Now: o.Now})
	},
	Exec: func(ctx context.Context, s storetest.Store, query string, args ...any) error {
		return s.(*postgres.DB).ExecForTest(ctx, query, args...)
	},
}
