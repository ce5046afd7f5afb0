package outbox_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/outbox"
	"nullaosta/app/store"
)

func TestVerdicts(t *testing.T) {
	offline := &client.OfflineError{Err: errors.New("fetch failed")}
	tests := []struct {
		name        string
		verdict     string
		sendErr     error
		sent, rej   int
		retrying    int
		status      string // the draft's, after the flush
		problem     string // the draft's first problem's message
		stillQueued bool
	}{
		{name: "accepted", verdict: accept, sent: 1, status: store.StatusSent},
		{name: "rejected", verdict: reject, rej: 1, status: store.StatusRejected, problem: "Manca il nome."},
		{name: "rejected without problems", verdict: rejectMsg, rej: 1, status: store.StatusRejected, problem: "Il periodo di invio è chiuso."},
		{name: "conflict", verdict: conflict, rej: 1, status: store.StatusRejected, problem: "già inviato"},
		{name: "retry", verdict: retry, retrying: 1, status: store.StatusQueued, stillQueued: true},
		{name: "no verdict", verdict: missing, retrying: 1, status: store.StatusQueued, stillQueued: true},
		{name: "accepted without receipt", verdict: noReceipt, retrying: 1, status: store.StatusQueued, stillQueued: true},
		{name: "unknown status", verdict: unknown, retrying: 1, status: store.StatusQueued, stillQueued: true},
		{name: "network error", sendErr: offline, retrying: 1, status: store.StatusQueued, stillQueued: true},
	}
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				e := newEnv(t, open)
				e.f.set("EM-1", tc.verdict)
				e.f.setErr(tc.sendErr)
				it := e.enqueue(t, anna, "EM-1")
				if d := e.draft(t, anna, "EM-1"); d.Status != store.StatusQueued {
					t.Fatalf("after Enqueue the draft is %q, want in_coda", d.Status)
				}

				rep, err := e.q.Flush(ctx, anna)
				if tc.sendErr != nil {
					if !client.IsOffline(err) {
						t.Errorf("Flush error = %v, want the offline error", err)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				if rep.Sent != tc.sent || rep.Rejected != tc.rej || rep.Retrying != tc.retrying || len(rep.Receipts) != tc.sent {
					t.Errorf("report = %+v", rep)
				}
				d := e.draft(t, anna, "EM-1")
				if d.Status != tc.status {
					t.Errorf("draft status = %q, want %q", d.Status, tc.status)
				}
				if tc.problem != "" && (len(d.Problems) == 0 || !strings.Contains(d.Problems[0].Message, tc.problem)) {
					t.Errorf("draft problems = %+v, want %q", d.Problems, tc.problem)
				}
				if tc.problem == "" && len(d.Problems) != 0 {
					t.Errorf("draft problems = %+v, want none", d.Problems)
				}

				items := e.queued(t, anna)
				if !tc.stillQueued {
					if len(items) != 0 {
						t.Errorf("settled module still queued: %+v", items)
					}
				} else {
					if len(items) != 1 || items[0].SubmissionID != it.SubmissionID || items[0].Attempts != 1 || items[0].LastError == "" {
						t.Fatalf("rescheduled item = %+v", items)
					}
					if wait := items[0].NextAttempt.Sub(t0); wait <= 0 || wait > outbox.BackoffBase {
						t.Errorf("first retry after %v, want within %v", wait, outbox.BackoffBase)
					}
				}

				rs, err := e.s.ListReceipts(ctx, anna)
				if err != nil {
					t.Fatal(err)
				}
				if len(rs) != tc.sent {
					t.Errorf("%d receipts stored, want %d", len(rs), tc.sent)
				}
				if tc.sent == 1 && (rs[0].User != anna || rs[0].SubmissionID != it.SubmissionID || rep.Receipts[0].Protocol != rs[0].Protocol) {
					t.Errorf("receipt = %+v", rs[0])
				}

				// A settled module is never sent again; a rescheduled one waits for its time.
				rep, err = e.q.Flush(ctx, anna)
				if rep.Sent+rep.Rejected+rep.Retrying != 0 || e.f.numCalls() != 1 {
					t.Errorf("second flush at once: %+v, %v; %d sends", rep, err, e.f.numCalls())
				}
			})
		}
	})
}

// TestRetryReusesSubmissionID follows a module through busy answers and a lost connection to
// its acceptance: every attempt carries the id it got when queued.
func TestRetryReusesSubmissionID(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		it := e.enqueue(t, anna, "EM-1")

		e.f.set("EM-1", retry)
		e.q.Flush(ctx, anna)
		e.clock.Add(outbox.BackoffMax)
		e.f.setErr(&client.OfflineError{Err: errors.New("offline")})
		e.q.Flush(ctx, anna)
		e.clock.Add(outbox.BackoffMax)
		e.f.setErr(nil)
		e.f.set("EM-1", accept)
		rep, err := e.q.Flush(ctx, anna)
		if err != nil || rep.Sent != 1 {
			t.Fatalf("third flush = %+v, %v", rep, err)
		}
		ids := e.f.sent("EM-1")
		if len(ids) != 3 {
			t.Fatalf("sent %d times, want 3", len(ids))
		}
		for _, id := range ids {
			if id != it.SubmissionID {
				t.Errorf("attempt with submission id %q, want %q every time", id, it.SubmissionID)
			}
		}
		// Queuing the module again now that it is sent is refused: it would be a second submission.
		if _, err := e.q.Enqueue(ctx, anna, e.draft(t, anna, "EM-1")); !errors.Is(err, outbox.ErrNotComplete) {
			t.Errorf("Enqueue of a sent module: %v, want ErrNotComplete", err)
		}
	})
}

func TestEnqueueTwice(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		d := e.completed(t, anna, "EM-1")
		first, err := e.q.Enqueue(ctx, anna, d)
		if err != nil {
			t.Fatal(err)
		}
		// A failed attempt, then the person presses "Invia" again with corrected data.
		e.f.set("EM-1", retry)
		e.q.Flush(ctx, anna)
		e.clock.Add(time.Second)
		d = e.draft(t, anna, "EM-1")
		d.Data["lavoratore.nome"] = "Amina Ben"
		second, err := e.q.Enqueue(ctx, anna, d)
		if err != nil {
			t.Fatal(err)
		}
		items := e.queued(t, anna)
		if len(items) != 1 {
			t.Fatalf("%d items after enqueuing twice, want 1", len(items))
		}
		if second.SubmissionID != first.SubmissionID || items[0].SubmissionID != first.SubmissionID {
			t.Errorf("second Enqueue got id %q, want %q", second.SubmissionID, first.SubmissionID)
		}
		if items[0].Data["lavoratore.nome"] != "Amina Ben" {
			t.Errorf("queued data not refreshed: %v", items[0].Data)
		}
		if !items[0].NextAttempt.Equal(e.clock.Now()) || items[0].Attempts != 1 {
			t.Errorf("re-enqueued item: next %v attempts %d; want due now, attempts kept", items[0].NextAttempt, items[0].Attempts)
		}
		// Generation data is locked: the server gets the generated value, not a typed copy.
		if items[0].Data["datore.cognome"] != "ROSSI" || items[0].Data["lavoratore.convivente"] != true {
			t.Errorf("submission data = %v", items[0].Data)
		}
	})
}

func TestEnqueueRefuses(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, openers["memory"])
	for _, status := range []string{store.StatusDraft, store.StatusSent, store.StatusRejected, ""} {
		d := e.completed(t, anna, "EM-1")
		d.Status = status
		if _, err := e.q.Enqueue(ctx, anna, d); !errors.Is(err, outbox.ErrNotComplete) {
			t.Errorf("Enqueue of a %q draft: %v, want ErrNotComplete", status, err)
		}
	}
	d := e.completed(t, anna, "EM-1")
	if _, err := e.q.Enqueue(ctx, bruno, d); !errors.Is(err, outbox.ErrWrongUser) {
		t.Errorf("Enqueue of anna's draft as bruno: %v, want ErrWrongUser", err)
	}
	if _, err := e.q.Enqueue(ctx, "", d); err == nil {
		t.Error("Enqueue without a user accepted")
	}
	if n := len(e.queued(t, anna)) + len(e.queued(t, bruno)); n != 0 {
		t.Errorf("%d items queued by refused Enqueues", n)
	}
}

func TestBackoff(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		attempts int
		ceiling  time.Duration
	}{{-1, 2 * s}, {0, 2 * s}, {1, 2 * s}, {2, 4 * s}, {3, 8 * s}, {8, 256 * s}, {9, 5 * time.Minute}, {30, 5 * time.Minute}, {1 << 30, 5 * time.Minute}} {
		if got := outbox.BackoffCeiling(tc.attempts); got != tc.ceiling {
			t.Errorf("BackoffCeiling(%d) = %v, want %v", tc.attempts, got, tc.ceiling)
		}
		if got := outbox.Backoff(tc.attempts, 0.5); got != tc.ceiling/2 {
			t.Errorf("Backoff(%d, 0.5) = %v, want %v", tc.attempts, got, tc.ceiling/2)
		}
		if got := outbox.Backoff(tc.attempts, 0); got != 0 {
			t.Errorf("Backoff(%d, 0) = %v, want 0", tc.attempts, got)
		}
	}
}

// TestBackoffGrowth retries one module until the cap, through Flush: with the jitter at its
// top, the waits are 2 s, 4 s, 8 s … 256 s, then 5 min for ever.
func TestBackoffGrowth(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		e.f.set("EM-1", retry)
		e.enqueue(t, anna, "EM-1")
		want := 2 * time.Second
		for attempt := 1; attempt <= 11; attempt++ {
			if _, err := e.q.Flush(ctx, anna); err != nil {
				t.Fatal(err)
			}
			it := e.queued(t, anna)[0]
			if got := it.NextAttempt.Sub(e.clock.Now()); it.Attempts != attempt || got != want {
				t.Fatalf("attempt %d: attempts %d, wait %v; want %v", attempt, it.Attempts, got, want)
			}
			if d, ok := e.q.Due(ctx, anna); !ok || d != want {
				t.Errorf("Due = %v, %v; want %v", d, ok, want)
			}
			e.clock.Add(want)
			want = min(2*want, outbox.BackoffMax)
		}
	})
}

// TestJitter checks the default jitter: waits spread over [0, ceiling].
func TestJitter(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, openers["memory"])
	e.q.Rand = nil
	e.f.set("EM-1", retry)
	e.enqueue(t, anna, "EM-1")
	seen := map[time.Duration]bool{}
	for range 20 {
		e.q.Flush(ctx, anna)
		it := e.queued(t, anna)[0]
		wait := it.NextAttempt.Sub(e.clock.Now())
		if wait < 0 || wait > outbox.BackoffCeiling(it.Attempts) {
			t.Fatalf("attempt %d waits %v, outside [0, %v]", it.Attempts, wait, outbox.BackoffCeiling(it.Attempts))
		}
		seen[wait] = true
		e.clock.Add(wait)
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct waits in 20 retries: no jitter?", len(seen))
	}
}

func TestUserIsolation(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		e.enqueue(t, anna, "EM-A")
		e.enqueue(t, bruno, "EM-B")

		rep, err := e.q.Flush(ctx, anna)
		if err != nil || rep.Sent != 1 {
			t.Fatalf("Flush(anna) = %+v, %v", rep, err)
		}
		if ids := e.f.sent("EM-B"); len(ids) != 0 {
			t.Errorf("flushing anna's queue sent bruno's module")
		}
		if _, ok := e.q.Due(ctx, anna); ok {
			t.Error("anna still has a queue")
		}
		if d, ok := e.q.Due(ctx, bruno); !ok || d != 0 {
			t.Errorf("bruno's Due = %v, %v; want 0, true", d, ok)
		}
		rs, _ := e.s.ListReceipts(ctx, bruno)
		if len(rs) != 0 {
			t.Errorf("bruno sees anna's receipt")
		}
		if d := e.draft(t, bruno, "EM-B"); d.Status != store.StatusQueued {
			t.Errorf("bruno's draft is %q", d.Status)
		}
		// The same module id queued by two users is two items with two ids.
		e.enqueue(t, anna, "EM-B")
		a, b := e.queued(t, anna), e.queued(t, bruno)
		if len(a) != 1 || len(b) != 1 || a[0].SubmissionID == b[0].SubmissionID {
			t.Errorf("same module for two users: %+v / %+v", a, b)
		}
	})
}

func TestDue(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		if _, ok := e.q.Due(ctx, anna); ok {
			t.Error("Due with an empty queue")
		}
		e.f.set("EM-1", retry)
		e.enqueue(t, anna, "EM-1")
		e.q.Flush(ctx, anna)
		e.clock.Add(500 * time.Millisecond)
		e.enqueue(t, anna, "EM-2") // due now: the earliest wins
		if d, ok := e.q.Due(ctx, anna); !ok || d != 0 {
			t.Errorf("Due = %v, %v; want 0, true", d, ok)
		}
		e.q.Flush(ctx, anna) // EM-2 accepted; EM-1 not yet due
		if d, ok := e.q.Due(ctx, anna); !ok || d != 1500*time.Millisecond {
			t.Errorf("Due = %v, %v; want 1.5s, true", d, ok)
		}
		if n := len(e.f.sent("EM-1")); n != 1 {
			t.Errorf("EM-1 sent %d times before it was due", n)
		}
	})
}

// TestFlushNotTwice starts a second flush while the first waits for the server.
func TestFlushNotTwice(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		it := e.enqueue(t, anna, "EM-1")
		e.f.block, e.f.started = make(chan struct{}), make(chan struct{}, 1)
		done := make(chan outbox.Report)
		go func() {
			rep, err := e.q.Flush(ctx, anna)
			if err != nil {
				t.Error(err)
			}
			done <- rep
		}()
		<-e.f.started
		if _, err := e.q.Flush(ctx, anna); !errors.Is(err, outbox.ErrFlushing) {
			t.Errorf("second Flush: %v, want ErrFlushing", err)
		}
		if _, err := e.q.Flush(ctx, bruno); !errors.Is(err, outbox.ErrFlushing) {
			t.Errorf("Flush of another user meanwhile: %v, want ErrFlushing", err)
		}
		// Enqueuing the module being sent keeps the item as it is being sent.
		d := e.draft(t, anna, "EM-1")
		d.Data["lavoratore.nome"] = "changed"
		if again, err := e.q.Enqueue(ctx, anna, d); err != nil || again.SubmissionID != it.SubmissionID {
			t.Errorf("Enqueue during the send = %+v, %v", again, err)
		}
		close(e.f.block)
		if rep := <-done; rep.Sent != 1 {
			t.Errorf("first flush = %+v", rep)
		}
		if n := e.f.numCalls(); n != 1 {
			t.Errorf("%d sends, want 1", n)
		}
		if items := e.queued(t, anna); len(items) != 0 {
			t.Errorf("queue after the flush: %+v", items)
		}
		// And the flag is down again.
		if _, err := e.q.Flush(ctx, anna); err != nil {
			t.Errorf("Flush after the first ended: %v", err)
		}
	})
}

// TestPartialResults: the client got verdicts for a first batch and an error for the rest.
func TestPartialResults(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		e.enqueue(t, anna, "EM-1")
		e.clock.Add(time.Millisecond)
		e.enqueue(t, anna, "EM-2")
		e.clock.Add(time.Millisecond)
		e.q.Sender = partialSender{e.f}
		rep, err := e.q.Flush(ctx, anna)
		if !client.IsOffline(err) || rep.Sent != 1 || rep.Retrying != 1 {
			t.Fatalf("Flush = %+v, %v", rep, err)
		}
		items := e.queued(t, anna)
		if len(items) != 1 || items[0].ModuleID != "EM-2" || !strings.Contains(items[0].LastError, "connessione") {
			t.Errorf("queue = %+v", items)
		}
	})
}

// partialSender answers only the first item, then fails as if the second request had no answer.
type partialSender struct{ f *fakeSender }

func (p partialSender) Send(ctx context.Context, items []store.OutboxItem) ([]client.SubmissionResult, error) {
	res, _ := p.f.Send(ctx, items[:1])
	return res, &client.OfflineError{Err: errors.New("fetch failed")}
}

// TestCancelled: a flush cancelled while waiting for the server counts no attempt.
func TestCancelled(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newEnv(t, open)
		e.enqueue(t, anna, "EM-1")
		e.f.block, e.f.started = make(chan struct{}), make(chan struct{}, 1)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-e.f.started; cancel() }()
		if _, err := e.q.Flush(ctx, anna); !errors.Is(err, context.Canceled) {
			t.Errorf("Flush = %v, want context.Canceled", err)
		}
		items := e.queued(t, anna)
		if len(items) != 1 || items[0].Attempts != 0 || !items[0].NextAttempt.Equal(t0) {
			t.Errorf("after a cancelled flush: %+v", items)
		}
	})
}

func TestNewUUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := outbox.NewUUID()
		if !re.MatchString(id) {
			t.Fatalf("NewUUID() = %q, not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewUUID repeated %q", id)
		}
		seen[id] = true
	}
	// The default Queue uses it.
	q := &outbox.Queue{Store: store.NewMemory(), Sender: &fakeSender{}}
	d := store.Draft{User: anna, ModuleID: "EM-1", Status: store.StatusCompleted}
	it, err := q.Enqueue(context.Background(), anna, d)
	if err != nil || !re.MatchString(it.SubmissionID) {
		t.Errorf("default id = %q, %v", it.SubmissionID, err)
	}
}

// TestWaitsForTheOpening: sent before its window opens, a module stays queued with no
// attempt counted and is due at the opening by the server's clock (here 2.5 s ahead of the
// device's), when the queue sends it by itself.
func TestWaitsForTheOpening(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		ctx := context.Background()
		e := newEnv(t, open)
		const ahead = 2500 * time.Millisecond
		e.q.ServerOffset = func() (time.Duration, bool) { return ahead, true }
		e.f.set("EM-1", notOpen)
		it := e.enqueue(t, anna, "EM-1")
		rep, err := e.q.Flush(ctx, anna)
		if err != nil || rep.Waiting != 1 || rep.Retrying+rep.Rejected+rep.Sent != 0 {
			t.Fatalf("early flush: %+v, %v", rep, err)
		}
		items := e.queued(t, anna)
		if len(items) != 1 || items[0].Attempts != 0 || !items[0].OpensAt.Equal(opensAt) || !items[0].NextAttempt.Equal(opensAt.Add(-ahead)) ||
			!strings.Contains(items[0].LastError, "apre") {
			t.Fatalf("waiting item = %+v", items)
		}
		if d := e.draft(t, anna, "EM-1"); d.Status != store.StatusQueued || len(d.Problems) != 0 {
			t.Fatalf("the draft of a module waiting for the opening: %q %+v", d.Status, d.Problems)
		}
		if d, ok := e.q.Due(ctx, anna); !ok || d != opensAt.Sub(t0)-ahead {
			t.Fatalf("Due = %v, want %v", d, opensAt.Sub(t0)-ahead)
		}
		// A millisecond before: nothing goes.
		e.clock.Add(opensAt.Sub(t0) - ahead - time.Millisecond)
		if rep, _ := e.q.Flush(ctx, anna); rep.Sent+rep.Waiting != 0 || e.f.numCalls() != 1 {
			t.Fatalf("flush before the opening: %+v, %d sends", rep, e.f.numCalls())
		}
		// At the opening by the server's clock it goes, with the id it got when queued.
		e.clock.Add(time.Millisecond)
		e.f.set("EM-1", accept)
		if rep, err := e.q.Flush(ctx, anna); err != nil || rep.Sent != 1 {
			t.Fatalf("flush at the opening: %+v, %v", rep, err)
		}
		if ids := e.f.sent("EM-1"); len(ids) != 2 || ids[1] != it.SubmissionID {
			t.Fatalf("submissions sent: %v", ids)
		}
	})
}
