package main

import (
	"runtime/debug"
	"testing"
)

// TestPaceCollector: serving sets the collector's pace, and GOGC or GOMEMLIMIT in the
// environment keep theirs.
func TestPaceCollector(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	current := func() (int, int64) {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1)
	}

	debug.SetGCPercent(100)
	debug.SetMemoryLimit(1 << 40)
	paceCollector(func(string) string { return "" })
	if p, l := current(); p != collectorPercent || l != collectorLimit {
		t.Fatalf("without GOGC and GOMEMLIMIT: GOGC %d, limit %d; want %d, %d", p, l, collectorPercent, collectorLimit)
	}

	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 40)
	paceCollector(func(k string) string { return map[string]string{"GOGC": "150", "GOMEMLIMIT": "1TiB"}[k] })
	if p, l := current(); p != 150 || l != 1<<40 {
		t.Fatalf("with GOGC=150 and GOMEMLIMIT=1TiB: GOGC %d, limit %d; the environment's should stay", p, l)
	}
}
