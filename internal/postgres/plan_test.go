package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
)

// TestQueryPlans runs EXPLAIN on every article list, count and search the
// store can build, with sequential scans, bitmap scans and sorts priced
// out of the planner's reach: a plan that still has one has no index to
// do without it. A public list must be one ordered index range (no Sort),
// and nothing may read a whole table.
func TestQueryPlans(t *testing.T) {
	db := pgtest.OpenDemo(t, postgres.Options{})
	queries, err := postgres.PlanQueriesForTest(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(t, db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, set := range []string{"enable_seqscan = off", "enable_bitmapscan = off", "enable_sort = off"} {
		if _, err := conn.Exec(ctx, "SET "+set); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range queries {
		rows, err := conn.Query(ctx, "EXPLAIN "+q.SQL, q.Args...)
		if err != nil {
			t.Fatalf("explain %s: %v", q.SQL, err)
		}
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		search := strings.Contains(q.SQL, "@@")
		for _, step := range plan {
			step = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(step), "->"))
			bad := strings.HasPrefix(step, "Seq Scan")
			// Search matches come from the GIN index as a bitmap and are
			// ordered by search key: sorting the matches (not the table) is
			// what a GIN index answers with.
			if !search {
				bad = bad || strings.HasPrefix(step, "Sort") || strings.HasPrefix(step, "Bitmap Heap Scan")
			}
			if bad {
				t.Errorf("plan step %q in\n%s\nplan:\n%s", step, q.SQL, text)
				break
			}
		}
	}
}
