package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/outbox"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// openers are the stores the queue is tested on: the memory twin everywhere and, in the
// browser, IndexedDB too (queue_wasm_test.go adds it).
var openers = map[string]func(t *testing.T) store.Store{
	"memory": func(*testing.T) store.Store { return store.NewMemory() },
}

// forEachStore runs fn once per store implementation.
func forEachStore(t *testing.T, fn func(t *testing.T, open func(t *testing.T) store.Store)) {
	for name, open := range openers {
		t.Run(name, func(t *testing.T) { fn(t, open) })
	}
}

// Verdicts the fake server gives, by module id.
const (
	accept    = "accepted"
	reject    = "rejected"
	rejectMsg = "rejected-without-problems"
	conflict  = "conflict"
	retry     = "retry"
	missing   = "missing"   // no result for this submission
	noReceipt = "noreceipt" // accepted without a receipt
	unknown   = "boh"
	notOpen   = "not_open" // before the window opens, at opensAt
)

// opensAt is when the fake server's send window opens, by its own clock.
var opensAt = t0.Add(90 * time.Second)

// fakeSender plays the server: it records every submission and answers by module id
// (accepting by default), or fails the whole request with err.
type fakeSender struct {
	mu      sync.Mutex
	verdict map[string]string
	err     error
	calls   [][]store.OutboxItem
	// block, when set, holds Send until closed; started is signalled when Send begins.
	block   chan struct{}
	started chan struct{}
}

func (f *fakeSender) Send(ctx context.Context, items []store.OutboxItem) ([]client.SubmissionResult, error) {
	f.mu.Lock()
	f.calls = append(f.calls, append([]store.OutboxItem(nil), items...))
	block, started, sendErr := f.block, f.started, f.err
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if sendErr != nil {
		return nil, sendErr
	}
	var out []client.SubmissionResult
	for _, it := range items {
		f.mu.Lock()
		v := f.verdict[it.ModuleID]
		f.mu.Unlock()
		r := client.SubmissionResult{SubmissionID: it.SubmissionID, ModuleID: it.ModuleID, Status: v}
		switch v {
		case "", accept:
			r.Status = client.StatusAccepted
			r.Receipt = &client.Receipt{Protocol: "EM2009-" + it.SubmissionID, ModuleID: it.ModuleID,
				SubmissionID: it.SubmissionID, ReceivedAt: "2026-11-23T13:05:09Z", Sportello: "Roma"}
		case reject:
			r.Problems = []shared.Problem{{Field: "lavoratore.nome", Code: "required", Severity: shared.SeverityError, Message: "Manca il nome."}}
			r.Error = &client.ErrorBody{Code: "invalid", Message: "Modulo non valido."}
		case rejectMsg:
			r.Status = client.StatusRejected
			r.Error = &client.ErrorBody{Code: "closed", Message: "Il periodo di invio è chiuso."}
		case retry:
			r.Error = &client.ErrorBody{Code: "retry", Message: "Server occupato, riprova."}
		case notOpen:
			r.Status = client.StatusRetry
			r.Error = &client.ErrorBody{Code: client.CodeNotOpen, Message: "L'invio apre alle 15:01:30.", OpensAt: opensAt.Format("2006-01-02T15:04:05.000Z")}
		case noReceipt:
			r.Status = client.StatusAccepted
		case missing:
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (f *fakeSender) set(moduleID, verdict string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.verdict == nil {
		f.verdict = map[string]string{}
	}
	f.verdict[moduleID] = verdict
}

func (f *fakeSender) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// sent returns every submission id sent for moduleID, one per attempt.
func (f *fakeSender) sent(moduleID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, c := range f.calls {
		for _, it := range c {
			if it.ModuleID == moduleID {
				ids = append(ids, it.SubmissionID)
			}
		}
	}
	return ids
}

func (f *fakeSender) numCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// clock is a settable time source safe for the goroutines of Flush and Watch.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

const (
	anna  = "anna@example.it"
	bruno = "bruno@example.it"
)

type env struct {
	s     store.Store
	f     *fakeSender
	clock *clock
	q     *outbox.Queue
}

// newEnv returns a queue over a fresh store with a fixed clock, sequential ids and a jitter
// that always takes the whole ceiling.
func newEnv(t *testing.T, open func(t *testing.T) store.Store) *env {
	e := &env{s: open(t), f: &fakeSender{}, clock: &clock{t: t0}}
	var mu sync.Mutex
	n := 0
	e.q = &outbox.Queue{Store: e.s, Sender: e.f, Now: e.clock.Now, Rand: func() float64 { return 1 },
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("sub-%d", n)
		}}
	return e
}

// completed stores a confirmed draft of user and returns it.
func (e *env) completed(t *testing.T, user, moduleID string) store.Draft {
	t.Helper()
	d := store.Draft{User: user, ModuleID: moduleID, Kind: shared.KindEM, CampaignID: "em2009",
		Generation: shared.Data{"datore.cognome": "ROSSI"},
		Data:       shared.Data{"lavoratore.nome": "Amina", "lavoratore.convivente": true, "datore.cognome": "typed over"},
		Status:     store.StatusCompleted, CreatedAt: t0, UpdatedAt: t0, ConfirmedAt: t0}
	if err := e.s.PutDraft(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// enqueue stores a confirmed draft and queues it.
func (e *env) enqueue(t *testing.T, user, moduleID string) store.OutboxItem {
	t.Helper()
	it, err := e.q.Enqueue(context.Background(), user, e.completed(t, user, moduleID))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func (e *env) draft(t *testing.T, user, moduleID string) store.Draft {
	t.Helper()
	d, err := e.s.GetDraft(context.Background(), user, moduleID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (e *env) queued(t *testing.T, user string) []store.OutboxItem {
	t.Helper()
	items, err := e.s.ListOutbox(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return items
}
