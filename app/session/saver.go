package session

import (
	"context"
	"sync"
	"time"
)

// saveDelay is how long a form waits after a keystroke before writing what was typed: every
// change reaches the store within half a second.
const saveDelay = 400 * time.Millisecond

// Saver keeps what a form holds on the device: it writes the latest version of a T (a draft of
// the compiler, the request for enablement) at most once per delay while the person types, and
// at once on flush (blur, leaving the page, sending). Every saver is known to flushAll, which
// the page calls when it is hidden or reloaded, so no form loses its last keystrokes.
type Saver[T any] struct {
	put     func(context.Context, T) error
	delay   time.Duration
	onSaved func(error) // optional; called on the saving goroutine

	mu      sync.Mutex
	pending *T
	timer   *time.Timer
	writing sync.Mutex // one write at a time, in order
}

// flusher is what flushAll needs of a saver, whatever it saves.
type flusher interface{ Flush() error }

var (
	saversMu sync.Mutex
	savers   = map[flusher]struct{}{}
)

func NewSaver[T any](put func(context.Context, T) error, onSaved func(error)) *Saver[T] {
	s := &Saver[T]{put: put, delay: saveDelay, onSaved: onSaved}
	saversMu.Lock()
	savers[s] = struct{}{}
	saversMu.Unlock()
	return s
}

// Schedule remembers v as the version to write and (re)starts the delay.
func (s *Saver[T]) Schedule(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = &v
	if s.timer == nil {
		s.timer = time.AfterFunc(s.delay, func() { s.Flush() })
	} else {
		s.timer.Reset(s.delay)
	}
}

// Flush writes the pending version now, if any, and waits for it.
func (s *Saver[T]) Flush() error {
	s.writing.Lock()
	defer s.writing.Unlock()
	s.mu.Lock()
	v := s.pending
	s.pending = nil
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	if v == nil {
		return nil
	}
	err := s.put(context.Background(), *v)
	if err != nil {
		// Keep it for the next attempt unless a newer version arrived meanwhile.
		s.mu.Lock()
		if s.pending == nil {
			s.pending = v
		}
		s.mu.Unlock()
	}
	if s.onSaved != nil {
		s.onSaved(err)
	}
	return err
}

// Close flushes and forgets the saver.
func (s *Saver[T]) Close() {
	s.Flush()
	saversMu.Lock()
	delete(savers, s)
	saversMu.Unlock()
}

// FlushAll writes what every form still holds (the page is being hidden or reloaded).
func FlushAll() {
	saversMu.Lock()
	list := make([]flusher, 0, len(savers))
	for s := range savers {
		list = append(list, s)
	}
	saversMu.Unlock()
	for _, s := range list {
		s.Flush()
	}
}
