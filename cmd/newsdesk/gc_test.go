package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC: serving sets GOGC 400 and a memory limit of the response
// cache plus the headroom; GOMEMLIMIT replaces the limit, and GOGC leaves
// both to the environment.
func TestTuneGC(t *testing.T) {
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(prevPercent)
	defer debug.SetMemoryLimit(prevLimit)
	runtimeGC := func() (int, int64) {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1)
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if p, l := tuneGC(64 << 20); p != 400 || l != 112<<20 {
		t.Errorf("tuneGC(64 MiB) = %d, %d; want 400 and 112 MiB", p, l)
	}
	if p, l := runtimeGC(); p != 400 || l != 112<<20 {
		t.Errorf("runtime after tuneGC(64 MiB): %d, %d", p, l)
	}
	if _, l := tuneGC(0); l != 48<<20 {
		t.Errorf("without a response cache: limit %d, want 48 MiB", l)
	}

	// GOMEMLIMIT alone: the percent is ours, the limit theirs.
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	if p, l := tuneGC(64 << 20); p != 400 || l != -1 {
		t.Errorf("with GOMEMLIMIT set: tuneGC = %d, %d; want 400, -1", p, l)
	}
	if _, l := runtimeGC(); l != 1<<30 {
		t.Errorf("with GOMEMLIMIT set, the runtime's limit is %d", l)
	}

	// GOGC: the environment decides both.
	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "")
	debug.SetGCPercent(50)
	debug.SetMemoryLimit(math.MaxInt64)
	if p, l := tuneGC(64 << 20); p != -1 || l != -1 {
		t.Errorf("with GOGC set: tuneGC = %d, %d; want -1, -1", p, l)
	}
	if p, l := runtimeGC(); p != 50 || l != math.MaxInt64 {
		t.Errorf("with GOGC set, the runtime has %d, %d; want 50 and no limit", p, l)
	}
}
