package app

import (
	"context"
	"sync"
	"time"

	"nullaosta/app/store"
)

// saveDelay is how long the compiler waits after a keystroke before writing the draft: every
// change reaches the store within half a second.
const saveDelay = 400 * time.Millisecond

// saver writes the latest version of a draft to the store, at most once per delay while the
// person types, and at once on flush (blur, leaving the page, updating the app).
type saver struct {
	put     func(context.Context, store.Draft) error
	delay   time.Duration
	onSaved func(error) // optional; called on the saving goroutine

	mu      sync.Mutex
	pending *store.Draft
	timer   *time.Timer
	writing sync.Mutex // one write at a time, in order
}

var (
	saversMu sync.Mutex
	savers   = map[*saver]struct{}{}
)

func newSaver(put func(context.Context, store.Draft) error, onSaved func(error)) *saver {
	s := &saver{put: put, delay: saveDelay, onSaved: onSaved}
	saversMu.Lock()
	savers[s] = struct{}{}
	saversMu.Unlock()
	return s
}

// schedule remembers d as the version to write and (re)starts the delay.
func (s *saver) schedule(d store.Draft) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = &d
	if s.timer == nil {
		s.timer = time.AfterFunc(s.delay, func() { s.flush() })
	} else {
		s.timer.Reset(s.delay)
	}
}

// flush writes the pending version now, if any, and waits for it.
func (s *saver) flush() error {
	s.writing.Lock()
	defer s.writing.Unlock()
	s.mu.Lock()
	d := s.pending
	s.pending = nil
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	if d == nil {
		return nil
	}
	err := s.put(context.Background(), *d)
	if err != nil {
		// Keep it for the next attempt unless a newer version arrived meanwhile.
		s.mu.Lock()
		if s.pending == nil {
			s.pending = d
		}
		s.mu.Unlock()
	}
	if s.onSaved != nil {
		s.onSaved(err)
	}
	return err
}

// close flushes and forgets the saver.
func (s *saver) close() {
	s.flush()
	saversMu.Lock()
	delete(savers, s)
	saversMu.Unlock()
}

// flushAll writes every pending draft (the page is being hidden or reloaded).
func flushAll() {
	saversMu.Lock()
	list := make([]*saver, 0, len(savers))
	for s := range savers {
		list = append(list, s)
	}
	saversMu.Unlock()
	for _, s := range list {
		s.flush()
	}
}
