//go:build js && wasm

package outbox_test

import (
	"context"
	"syscall/js"
	"testing"
	"time"

	"nullaosta/app/outbox"
	"nullaosta/app/store"
	"nullaosta/app/store/storetest"
)

// In the browser every queue test runs on IndexedDB as well as on the memory twin.
func init() { openers["indexeddb"] = storetest.OpenIndexedDB }

// TestWatchBrowser runs the real Watch: the browser's "online" event flushes a queue that
// nothing else would flush within the test (no kick, an hour until the recheck).
func TestWatchBrowser(t *testing.T) {
	defer outbox.SetTimings(10*time.Millisecond, time.Hour)()
	if !js.Global().Get("navigator").Get("onLine").Bool() {
		t.Skip("the browser says it is offline")
	}
	e := newEnv(t, storetest.OpenIndexedDB)
	e.q.Now = time.Now
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(reports, 10)
	stopped := make(chan struct{})
	go func() {
		outbox.Watch(ctx, e.q, func() string { return anna }, func(r outbox.Report) { got <- r })
		close(stopped)
	}()
	got.none(t, "empty queue at start")

	// Queue behind Watch's back: straight into the store, no Kick.
	d := e.completed(t, anna, "EM-1")
	d.Status = store.StatusQueued
	if err := e.s.PutDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	it := store.OutboxItem{User: anna, SubmissionID: "sub-x", ModuleID: "EM-1", CreatedAt: time.Now(), NextAttempt: time.Now()}
	if err := e.s.PutOutbox(ctx, it); err != nil {
		t.Fatal(err)
	}
	got.none(t, "no event yet")
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("online"))
	if rep := got.next(t, "online event"); rep.Sent != 1 {
		t.Errorf("after the online event: %+v", rep)
	}
	if d := e.draft(t, anna, "EM-1"); d.Status != store.StatusSent {
		t.Errorf("draft = %q", d.Status)
	}
	cancel()
	<-stopped
}
