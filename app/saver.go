package app

import (
	"context"
	"sync"
	"time"
)

// saveDelay is how long a form waits after a keystroke before writing what was typed: every
// change reaches the store within half a second.
const saveDelay = 400 * time.Millisecond

// saver keeps what a form holds on the device: it writes the latest version of a T (a draft of
// the compiler, the request for enablement) at most once per delay while the person types, and
// at once on flush (blur, leaving the page, sending). Every saver is known to flushAll, which
// the page calls when it is hidden or reloaded, so no form loses its last keystrokes.
type saver[T any] struct {
	put     func(context.Context, T) error
	delay   time.Duration
	onSaved func(error) // optional; called on the saving goroutine

	mu      sync.Mutex
	pending *T
	timer   *time.Timer
	writing sync.Mutex // one write at a time, in order
}

// flusher is what flushAll needs of a saver, whatever it saves.
type flusher interface{ flush() error }

var (
	saversMu sync.Mutex
	savers   = map[flusher]struct{}{}
)

func newSaver[T any](put func(context.Context, T) error, onSaved func(error)) *saver[T] {
	s := &saver[T]{put: put, delay: saveDelay, onSaved: onSaved}
	saversMu.Lock()
	savers[s] = struct{}{}
	saversMu.Unlock()
	return s
}

// schedule remembers v as the version to write and (re)starts the delay.
func (s *saver[T]) schedule(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = &v
	if s.timer == nil {
		s.timer = time.AfterFunc(s.delay, func() { s.flush() })
	} else {
		s.timer.Reset(s.delay)
	}
}

// flush writes the pending version now, if any, and waits for it.
func (s *saver[T]) flush() error {
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

// close flushes and forgets the saver.
func (s *saver[T]) close() {
	s.flush()
	saversMu.Lock()
	delete(savers, s)
	saversMu.Unlock()
}

// flushAll writes what every form still holds (the page is being hidden or reloaded).
func flushAll() {
	saversMu.Lock()
	list := make([]flusher, 0, len(savers))
	for s := range savers {
		list = append(list, s)
	}
	saversMu.Unlock()
	for _, s := range list {
		s.flush()
	}
}
