package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/bench"
	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/postgres/pgtest"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// TestBenchRuns runs the whole benchmark briefly on a small synthetic
// site: every workload answers without errors and the report has its
// table.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("drives load for a few seconds")
	}
	path := filepath.Join(t.TempDir(), "bench.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Synthetic(ctx, db, demo.SyntheticOptions{N: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The servers run as processes of the real binary.
	exe := filepath.Join(t.TempDir(), "newsdesk")
	if out, err := exec.Command("go", "build", "-o", exe, "github.com/newsdesk/newsdesk/cmd/newsdesk").CombinedOutput(); err != nil {
		t.Fatalf("build newsdesk: %v\n%s", err, out)
	}
	// PostgreSQL beside SQLite when the tests have one: an empty database
	// the benchmark imports the site into.
	o := bench.Options{Exe: exe, DB: path, Duration: 150 * time.Millisecond, Warmup: 100 * time.Millisecond, Connections: 4, Client: bench.ClientVegeta}
	want := []string{"150ms a workload after 100ms unmeasured", "| floor: article by slug |", "| floor: article by slug, again at the end |", "| article: REST, uncached |",
		"| mixed frontend, cached |", "| search: REST, cached |", "| RSS feed of a category, cached |", "ratio to floor", "of the mean (the floor)", "| CPU/req | CPU ratio |",
		"server with 32 MiB response cache: start-up", "resident memory"}
	if os.Getenv(pgtest.Env) != "" {
		o.Postgres = pgtest.NewDatabase(t, "")
		want = append(want, "| article: REST, uncached, PostgreSQL |", "| search: REST, uncached, PostgreSQL |",
			"server on PostgreSQL without response cache: start-up", "PostgreSQL database ")
	}
	checkReport(t, ctx, o, want)

	// The warm-ups run: each workload's progress line says what its
	// warm-up answered, and says nothing of one without.
	o.Only, o.Postgres, o.Warmup = "article: REST, every field", "", 0
	checkWarmups(t, checkReport(t, ctx, o, []string{"150ms a workload no warm-up", "| article: REST, every field, cached |"}), false)
	o.Warmup = 500 * time.Millisecond
	checkWarmups(t, checkReport(t, ctx, o, []string{"150ms a workload after 500ms unmeasured"}), true)

	// wrk, where installed, runs the same workloads (here the articles,
	// GET and POST), for whole seconds, as the report says.
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Log("wrk is not installed: the vegeta runs alone")
		return
	}
	o.Client, o.Only, o.Duration, o.Warmup = bench.ClientWrk, "article: ", time.Second, 300*time.Millisecond
	checkReport(t, ctx, o, []string{"1s a workload after 1s unmeasured, load generator wrk", "| floor: article by slug |", "| article: REST, uncached |",
		"| article: REST, every field, uncached |", "| article: GraphQL POST, uncached |", "| article: GraphQL GET, cached |"})
}

// checkWarmups checks the report's progress lines (one a workload, six
// here: four floors and two servers' workloads): with a warm-up, each
// tells that it answered requests without errors; without, none tells of one.
func checkWarmups(t *testing.T, report string, warm bool) {
	t.Helper()
	n := 0
	for line := range strings.Lines(report) {
		if !strings.HasPrefix(line, "  ") || !strings.Contains(line, " req/s  p99 ") {
			continue
		}
		n++
		_, after, found := strings.Cut(line, "(warm-up ")
		var rate float64
		var errs int
		if ok, _ := fmt.Sscanf(after, "%f req/s, %d errors)", &rate, &errs); found != warm || warm && (ok != 2 || rate <= 0 || errs != 0) {
			t.Errorf("warm-up %v, progress line %q", warm, line)
		}
	}
	if n != 6 {
		t.Errorf("%d progress lines, want 6:\n%s", n, report)
	}
}

// checkReport runs the benchmark, checks its report has each of want and
// that no workload had errors, and returns it.
func checkReport(t *testing.T, ctx context.Context, o bench.Options, want []string) string {
	t.Helper()
	var out bytes.Buffer
	o.Out = &out
	if err := bench.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, want := range want {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	for _, line := range strings.Split(report, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| workload") && !strings.HasPrefix(line, "| ---") {
			cells := strings.Split(line, "|")
			if errs := strings.TrimSpace(cells[6]); errs != "0" {
				t.Errorf("errors in %s", line)
			}
			// CPU time a request: the servers' always, the floor's (in the
			// benchmark's own process) only when the client is another.
			cpu := strings.TrimSpace(cells[8])
			floor := strings.HasPrefix(line, "| floor")
			if measured := !floor || o.Client == bench.ClientWrk; measured != (cpu != "") {
				t.Errorf("CPU/req %q in %s", cpu, line)
			}
			if us, err := strconv.ParseFloat(strings.TrimSuffix(cpu, " µs"), 64); cpu != "" && (err != nil || us <= 0) {
				t.Errorf("CPU/req %q is not a time in %s", cpu, line)
			}
		}
	}
	return report
}
