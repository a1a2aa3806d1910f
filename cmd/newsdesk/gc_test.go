package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: serving sets GOGC 400 and a memory limit of the response
// cache plus the headroom, and leaves each alone when the environment sets
// it.
func TestTuneGC(t *testing.T) {
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(prevPercent)
	defer debug.SetMemoryLimit(prevLimit)

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if p, l := tuneGC(64 << 20); p != 400 || l != 128<<20 || debug.SetGCPercent(400) != 400 || debug.SetMemoryLimit(-1) != 128<<20 {
		t.Errorf("tuneGC(64 MiB) = %d, %d; runtime %d, %d; want 400 and 128 MiB", p, l, debug.SetGCPercent(400), debug.SetMemoryLimit(-1))
	}
	if _, l := tuneGC(-1); l != 64<<20 || debug.SetMemoryLimit(-1) != 64<<20 {
		t.Errorf("without a response cache: limit %d, runtime %d; want 64 MiB", l, debug.SetMemoryLimit(-1))
	}

	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetGCPercent(50)
	debug.SetMemoryLimit(1 << 30)
	if p, l := tuneGC(64 << 20); p != -1 || l != -1 || debug.SetGCPercent(50) != 50 || debug.SetMemoryLimit(-1) != 1<<30 {
		t.Errorf("with GOGC and GOMEMLIMIT set: tuneGC = %d, %d, runtime %d, %d; want them left alone", p, l, debug.SetGCPercent(50), debug.SetMemoryLimit(-1))
	}
}
