package main

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the flusher goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLineBuffer: information lines wait for the periodic flush, a warning takes them out at
// once and in order, a full buffer is written, and Close writes what is left.
func TestLineBuffer(t *testing.T) {
	var out lockedBuffer
	lines := newLineBuffer(&out, time.Hour) // no periodic flush during the test
	logger := slog.New(flushOnWarn{slog.NewTextHandler(lines, nil), lines}).With("app", "nullaosta")
	logger.Info("richiesta", "n", 1)
	logger.Info("richiesta", "n", 2)
	if out.String() != "" {
		t.Fatalf("information lines written at once: %q", out.String())
	}
	logger.Warn("attenzione", "n", 3)
	got := out.String()
	if strings.Count(got, "\n") != 3 || !strings.Contains(got, "n=1") || strings.Index(got, "n=2") > strings.Index(got, "n=3") ||
		!strings.Contains(got, "app=nullaosta") {
		t.Fatalf("after a warning: %q", got)
	}
	logger.Info("richiesta", "n", 4)
	lines.Write(bytes.Repeat([]byte("x"), logBufferMax))
	if !strings.Contains(out.String(), "n=4") {
		t.Fatalf("a full buffer was not written: %d bytes out", len(out.String()))
	}
	logger.WithGroup("g").Info("ultima", "n", 5)
	lines.Close()
	if !strings.HasSuffix(out.String(), "level=INFO msg=ultima app=nullaosta g.n=5\n") {
		t.Fatalf("Close left the last line: %q", out.String()[max(0, len(out.String())-200):])
	}
}

// TestLineBufferFlushesByItself: without a warning, the lines reach the output within the
// flush period.
func TestLineBufferFlushesByItself(t *testing.T) {
	var out lockedBuffer
	lines := newLineBuffer(&out, 10*time.Millisecond)
	defer lines.Close()
	lines.Write([]byte("riga\n"))
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "riga\n" {
		if time.Now().After(deadline) {
			t.Fatalf("not written after 5 s: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
