package outbox_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"nullaosta/app/outbox"
	"nullaosta/app/store"
)

// reports collects Watch's reports for the test to wait on.
type reports chan outbox.Report

func (r reports) next(t *testing.T, what string) outbox.Report {
	t.Helper()
	select {
	case rep := <-r:
		return rep
	case <-time.After(5 * time.Second):
		t.Fatalf("no report: %s", what)
		return outbox.Report{}
	}
}

func (r reports) none(t *testing.T, what string) {
	t.Helper()
	select {
	case rep := <-r:
		t.Fatalf("unexpected report %+v: %s", rep, what)
	case <-time.After(150 * time.Millisecond):
	}
}

// TestWatch drives the loop through start, offline, the online event, Kick, a retry timer and
// the end of its context.
func TestWatch(t *testing.T) {
	defer outbox.SetTimings(10*time.Millisecond, time.Hour)()
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newEnv(t, open)
		e.q.Now = time.Now // Watch's timers run on the real clock
		e.q.Rand = func() float64 { return 0.01 }
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()

		e.enqueue(t, anna, "EM-1")
		var online atomic.Bool
		online.Store(true)
		var user atomic.Value
		user.Store(anna)
		events := make(chan struct{}, 1)
		got := make(reports, 10)
		stopped := make(chan struct{})
		go func() {
			outbox.WatchWith(ctx, e.q, func() string { return user.Load().(string) },
				func(r outbox.Report) { got <- r }, online.Load, events)
			close(stopped)
		}()

		if rep := got.next(t, "flush at start"); rep.Sent != 1 {
			t.Errorf("start: %+v", rep)
		}

		// Offline: Enqueue kicks, but nothing is sent until the connection returns.
		online.Store(false)
		e.enqueue(t, anna, "EM-2")
		got.none(t, "offline")
		online.Store(true)
		events <- struct{}{}
		if rep := got.next(t, "online event"); rep.Sent != 1 {
			t.Errorf("online: %+v", rep)
		}

		// A busy server: the retry timer (not an event) brings the module back.
		e.f.set("EM-3", retry)
		e.enqueue(t, anna, "EM-3")
		if rep := got.next(t, "kick by Enqueue"); rep.Retrying != 1 {
			t.Errorf("retry: %+v", rep)
		}
		e.f.set("EM-3", accept)
		if rep := got.next(t, "retry timer"); rep.Sent != 1 {
			t.Errorf("after the retry timer: %+v", rep)
		}
		if ids := e.f.sent("EM-3"); len(ids) != 2 || ids[0] != ids[1] {
			t.Errorf("EM-3 attempts %v: want two with one id", ids)
		}

		// Nobody logged in: nothing is sent; a login plus Kick sends bruno's queue.
		user.Store("")
		e.enqueue(t, bruno, "EM-B")
		got.none(t, "nobody logged in")
		user.Store(bruno)
		e.q.Kick()
		if rep := got.next(t, "kick after login"); rep.Sent != 1 {
			t.Errorf("bruno: %+v", rep)
		}

		cancel()
		select {
		case <-stopped:
		case <-time.After(5 * time.Second):
			t.Fatal("Watch did not return when its context ended")
		}
	})
}
