package bench_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/bench"
	"github.com/newsdesk/newsdesk/internal/demo"
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
	var out bytes.Buffer
	if err := bench.Run(ctx, bench.Options{Exe: exe, DB: path, Duration: 150 * time.Millisecond, Connections: 4, Out: &out}); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, want := range []string{"| floor: article by slug |", "| article: REST, uncached |", "| mixed frontend, cached |", "ratio to floor",
		"server with 64 MiB response cache: start-up", "resident memory"} {
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
		}
	}
}
