package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The server's log is written in batches: a line per API request went to stderr in a write
// system call of its own, 1.3% of the server's CPU on click day (a third of its logging).
// lineBuffer holds the lines of the last logFlushEvery and writes them in one call; a warning
// or an error is written at once with the lines before it (flushOnWarn), and so is a buffer
// past logBufferMax. What a kill -9 or a crash outside the handlers can lose is at most
// logFlushEvery of information lines — never a submission, which is stored before its answer.
const (
	logFlushEvery = 100 * time.Millisecond
	logBufferMax  = 64 << 10
)

// lineBuffer is an io.Writer that collects what it is given and writes it to w every
// logFlushEvery, on Flush, and on Close.
type lineBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
}

func newLineBuffer(w io.Writer, every time.Duration) *lineBuffer {
	b := &lineBuffer{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				b.Flush()
			}
		}
	}()
	return b
}

// Write keeps p (a log line) for the next flush; a buffer past logBufferMax is written now.
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBufferMax {
		b.flushLocked()
	}
	return len(p), nil
}

// Flush writes what the buffer holds.
func (b *lineBuffer) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

func (b *lineBuffer) flushLocked() {
	if len(b.buf) > 0 {
		b.w.Write(b.buf)
		b.buf = b.buf[:0]
	}
}

// Close stops the periodic flush and writes what is left. Lines written after it stay in the
// buffer; the server writes none.
func (b *lineBuffer) Close() {
	close(b.stop)
	<-b.done
	b.Flush()
}

// flushOnWarn writes a warning or an error through its lineBuffer at once, with the lines
// before it, so that what matters is never waiting in memory.
type flushOnWarn struct {
	slog.Handler
	lines *lineBuffer
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.lines.Flush()
	}
	return err
}

func (h flushOnWarn) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnWarn{h.Handler.WithAttrs(attrs), h.lines}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{h.Handler.WithGroup(name), h.lines}
}
