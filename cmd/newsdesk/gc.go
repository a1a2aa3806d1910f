package main

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings for serving. An operator who sets GOGC
// decides both (no limit unless GOMEMLIMIT is set too); GOMEMLIMIT alone
// replaces the limit.
const (
	// serveGCPercent lets the heap grow to five times what is live before
	// a collection. A server's live heap is small (its caches) next to what
	// requests allocate and drop, so Go's default of 100 collected every
	// few hundred requests, a fifth of an uncached answer's CPU.
	serveGCPercent = 400
	// serveHeadroom is what the soft memory limit allows beyond the
	// caches (response, fragments, articles): the collector works harder
	// as the heap nears the limit (never with more than half the CPU), so
	// the heap stays small whatever GOGC allows. At 1,000,000 articles 64 MiB
	// let a server with the default cache peak at 147-150 MB resident;
	// 48 MiB keeps it at 133-134 MB (73 MB without the cache), at the same
	// speed in alternated runs.
	serveHeadroom = 48 << 20
)

// tuneGC applies the serving settings and returns them: the GC percent and
// the memory limit in bytes (the caches' bytes plus the headroom), each -1
// where the environment decides.
func tuneGC(caches int64) (percent int, limit int64) {
	if os.Getenv("GOGC") != "" {
		return -1, -1
	}
	percent, limit = serveGCPercent, -1
	debug.SetGCPercent(percent)
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = caches + serveHeadroom
		debug.SetMemoryLimit(limit)
	}
	return percent, limit
}
