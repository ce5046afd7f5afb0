// Package outbox is the send queue: completed modules wait in the device's store until the
// server has judged them, surviving reloads and days offline, and a retry never creates a
// duplicate because each module keeps the submission id it got when it entered the queue.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// Sender delivers a batch to the server and returns its verdicts (client.Client implements
// it). Results may cover only some items, with an error for the rest: those are retried.
type Sender interface {
	Send(ctx context.Context, items []store.OutboxItem) ([]client.SubmissionResult, error)
}

// Errors of Enqueue and Flush.
var (
	ErrFlushing    = errors.New("outbox: invio già in corso")
	ErrNotComplete = errors.New("outbox: il modulo non è confermato: completa il riepilogo e conferma prima di inviarlo")
	ErrWrongUser   = errors.New("outbox: il modulo appartiene a un altro utente")
)

// Report says what a flush did, for the UI's message ("2 domande inviate, 1 in attesa").
type Report struct {
	Sent     int             // accepted: a receipt is stored, the draft is "inviato"
	Rejected int             // rejected or conflict: the draft is "respinto" with the problems
	Retrying int             // still queued, to retry after a backoff
	Waiting  int             // still queued, sent again when the send window opens
	Receipts []store.Receipt // the receipts of the accepted ones
}

// Queue is the send queue of one device. Store and Sender are required; the rest default to
// the real clock, crypto-random UUIDs and math/rand jitter. Use one Queue per store: the guard
// against concurrent flushes lives in it.
type Queue struct {
	Store  store.Store
	Sender Sender
	Now    func() time.Time
	NewID  func() string
	// Rand returns a number in [0, 1) for the backoff's jitter; tests fix it.
	Rand func() float64
	// ServerOffset is how far the server's clock is ahead of this device's (client.Client's
	// ServerOffset): a module sent before its window opens is sent again at the opening by
	// the server's clock. Nil: the clocks are taken to agree.
	ServerOffset func() (time.Duration, bool)

	mu       sync.Mutex // serialises Enqueue and the store updates of Flush
	flagMu   sync.Mutex
	flushing bool
	inFlight map[string]bool // submission ids being sent right now
	kick     chan struct{}
}

// Enqueue puts a confirmed module in the queue for user and marks its draft "in_coda". A
// module already queued keeps its item and SubmissionID (so a retry is never a second
// submission); its data is refreshed unless it is being sent at this very moment.
//
// The data sent is the draft's Data with the locked generation fields laid over it: the
// server checks both. While queued, the UI must show the draft read-only.
func (q *Queue) Enqueue(ctx context.Context, user string, d store.Draft) (store.OutboxItem, error) {
	if user == "" {
		return store.OutboxItem{}, errors.New("outbox: nessun utente")
	}
	if d.User != "" && d.User != user {
		return store.OutboxItem{}, ErrWrongUser
	}
	if d.Status != store.StatusCompleted && d.Status != store.StatusQueued {
		return store.OutboxItem{}, fmt.Errorf("%w (stato %q)", ErrNotComplete, d.Status)
	}
	d.User = user
	q.mu.Lock()
	defer q.mu.Unlock()

	items, err := q.Store.ListOutbox(ctx, user)
	if err != nil {
		return store.OutboxItem{}, err
	}
	now := q.now()
	data := submissionData(d)
	var it store.OutboxItem
	found := false
	for _, x := range items {
		if x.ModuleID == d.ModuleID {
			it, found = x, true
			break
		}
	}
	switch {
	case !found:
		id := q.newID()
		if id == "" {
			return store.OutboxItem{}, errors.New("outbox: identificativo di invio vuoto")
		}
		it = store.OutboxItem{User: user, SubmissionID: id, ModuleID: d.ModuleID, Data: data,
			NextAttempt: now, CreatedAt: now}
	case !q.isInFlight(it.SubmissionID):
		it.Data = data
		it.NextAttempt = now // the person asked to send now
	}
	// The item first: if the tab dies between the two writes, the module is queued and a
	// second Enqueue finds it, rather than a draft "in_coda" with nothing in the queue.
	if err := q.Store.PutOutbox(ctx, it); err != nil {
		return store.OutboxItem{}, err
	}
	d.Status = store.StatusQueued
	d.Problems = nil
	d.UpdatedAt = now
	if err := q.Store.PutDraft(ctx, d); err != nil {
		return it, err
	}
	q.Kick()
	return it, nil
}

// submissionData is what the server receives: everything typed, with the generation data
// (locked, from the server) winning over any typed copy.
func submissionData(d store.Draft) shared.Data {
	out := make(shared.Data, len(d.Data)+len(d.Generation))
	for k, v := range d.Data {
		out[k] = v
	}
	for k, v := range d.Generation {
		out[k] = v
	}
	return out
}

// Due reports whether user has queued modules and how long until the first may be sent (0:
// now). It answers false when the store cannot be read: Flush would fail the same way.
func (q *Queue) Due(ctx context.Context, user string) (time.Duration, bool) {
	items, err := q.Store.ListOutbox(ctx, user)
	if err != nil || len(items) == 0 {
		return 0, false
	}
	next := items[0].NextAttempt
	for _, it := range items[1:] {
		if it.NextAttempt.Before(next) {
			next = it.NextAttempt
		}
	}
	return max(0, next.Sub(q.now())), true
}

// Kick wakes Watch so it flushes now (if online): after Enqueue (which kicks by itself) and
// after a login, when the user whose queue to flush has changed.
func (q *Queue) Kick() {
	select {
	case q.kicks() <- struct{}{}:
	default:
	}
}

func (q *Queue) kicks() chan struct{} {
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	if q.kick == nil {
		q.kick = make(chan struct{}, 1)
	}
	return q.kick
}

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

func (q *Queue) newID() string {
	if q.NewID != nil {
		return q.NewID()
	}
	return NewUUID()
}

func (q *Queue) rand() float64 {
	if q.Rand != nil {
		return q.Rand()
	}
	return rand.Float64()
}
