package outbox

import (
	"context"
	"errors"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// Flush sends user's due items in one batch and settles each by the server's verdict:
// accepted → receipt stored, draft "inviato", item deleted; rejected or conflict → draft
// "respinto" with the server's problems, item deleted, never retried; retry, no verdict or no
// connection → the item stays, with one more attempt and a later NextAttempt.
//
// A second Flush while one runs returns ErrFlushing at once. The report is valid even when
// the error is not nil: a send error (client.IsOffline tells a missing connection) comes
// back after the items have been rescheduled.
func (q *Queue) Flush(ctx context.Context, user string) (Report, error) {
	if !q.startFlush() {
		return Report{}, ErrFlushing
	}
	defer q.endFlush()

	due, err := q.dueItems(ctx, user)
	if err != nil || len(due) == 0 {
		return Report{}, err
	}
	defer q.clearInFlight(due)

	results, sendErr := q.Sender.Send(ctx, due)
	// Cancelled by the caller (page closing, logout): not the server's fault, so the items
	// without a verdict stay as they were, with no attempt counted.
	cancelled := sendErr != nil && ctx.Err() != nil
	// Record the verdicts even if ctx ends now: they are facts the server already holds.
	ctx = context.WithoutCancel(ctx)
	q.mu.Lock()
	defer q.mu.Unlock()

	byID := make(map[string]client.SubmissionResult, len(results))
	for _, r := range results {
		byID[r.SubmissionID] = r
	}
	var rep Report
	for _, it := range due {
		r, ok := byID[it.SubmissionID]
		if !ok && cancelled {
			continue
		}
		if err := q.settle(ctx, &rep, it, r, ok, sendErr); err != nil {
			return rep, err
		}
	}
	return rep, sendErr
}

// dueItems lists the items whose NextAttempt has come and marks them as being sent.
func (q *Queue) dueItems(ctx context.Context, user string) ([]store.OutboxItem, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	items, err := q.Store.ListOutbox(ctx, user)
	if err != nil {
		return nil, err
	}
	now := q.now()
	var due []store.OutboxItem
	for _, it := range items {
		if !it.NextAttempt.After(now) {
			due = append(due, it)
		}
	}
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	if q.inFlight == nil {
		q.inFlight = map[string]bool{}
	}
	for _, it := range due {
		q.inFlight[it.SubmissionID] = true
	}
	return due, nil
}

// settle applies one verdict (ok false: none came) to one item.
func (q *Queue) settle(ctx context.Context, rep *Report, it store.OutboxItem, r client.SubmissionResult, ok bool, sendErr error) error {
	switch {
	case ok && r.Status == client.StatusAccepted && r.Receipt != nil:
		// Receipt, then draft, then item: if the tab dies in between, the item is sent again
		// with the same id and the server answers the same receipt.
		rec := store.NewReceipt(it.User, *r.Receipt)
		if err := q.Store.PutReceipt(ctx, rec); err != nil {
			return err
		}
		if err := q.setDraft(ctx, it, store.StatusSent, nil); err != nil {
			return err
		}
		rep.Sent++
		rep.Receipts = append(rep.Receipts, rec)
		return q.Store.DeleteOutbox(ctx, it.User, it.SubmissionID)
	case ok && (r.Status == client.StatusRejected || r.Status == client.StatusConflict):
		if err := q.setDraft(ctx, it, store.StatusRejected, rejectionProblems(r)); err != nil {
			return err
		}
		rep.Rejected++
		return q.Store.DeleteOutbox(ctx, it.User, it.SubmissionID)
	}
	if ok && r.Error != nil && r.Error.Code == client.CodeNotOpen {
		if at, err := time.Parse(time.RFC3339, r.Error.OpensAt); err == nil {
			// Too early: no attempt counted, sent again at the opening by the server's clock.
			var off time.Duration
			if q.ServerOffset != nil {
				if o, known := q.ServerOffset(); known {
					off = o
				}
			}
			it.NextAttempt = at.Add(-off)
			it.OpensAt = at
			it.LastError = r.Error.Message
			rep.Waiting++
			return q.Store.PutOutbox(ctx, it)
		}
	}
	// retry, an unknown status, accepted without a receipt, or no verdict at all.
	why := "Il server non ha risposto per questo modulo: nuovo tentativo più tardi."
	switch {
	case ok && r.Error != nil && r.Error.Message != "":
		why = r.Error.Message
	case ok && r.Status == client.StatusRetry:
		why = "Il server è occupato: nuovo tentativo più tardi."
	case !ok && sendErr != nil:
		why = sendErr.Error()
	}
	it.Attempts++
	it.NextAttempt = q.now().Add(Backoff(it.Attempts, q.rand()))
	it.LastError = why
	rep.Retrying++
	return q.Store.PutOutbox(ctx, it)
}

// rejectionProblems returns what to show on a rejected module: the server's field problems,
// or, when it gave none, its message as a problem of the whole module (Field "").
func rejectionProblems(r client.SubmissionResult) []shared.Problem {
	if len(r.Problems) > 0 {
		return r.Problems
	}
	p := shared.Problem{Code: r.Status, Severity: shared.SeverityError,
		Message: "Il server ha respinto il modulo."}
	if r.Status == client.StatusConflict {
		p.Message = "Questo modulo risulta già inviato con un contenuto diverso."
	}
	if r.Error != nil {
		if r.Error.Code != "" {
			p.Code = r.Error.Code
		}
		if r.Error.Message != "" {
			p.Message = r.Error.Message
		}
	}
	return []shared.Problem{p}
}

// setDraft records the verdict on the module's draft. A draft deleted meanwhile is no error:
// the receipt or the rejection still stands.
func (q *Queue) setDraft(ctx context.Context, it store.OutboxItem, status string, problems []shared.Problem) error {
	d, err := q.Store.GetDraft(ctx, it.User, it.ModuleID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d.Status = status
	d.Problems = problems
	d.UpdatedAt = q.now()
	return q.Store.PutDraft(ctx, d)
}

func (q *Queue) startFlush() bool {
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	if q.flushing {
		return false
	}
	q.flushing = true
	return true
}

func (q *Queue) endFlush() {
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	q.flushing = false
}

func (q *Queue) isInFlight(id string) bool {
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	return q.inFlight[id]
}

func (q *Queue) clearInFlight(items []store.OutboxItem) {
	q.flagMu.Lock()
	defer q.flagMu.Unlock()
	for _, it := range items {
		delete(q.inFlight, it.SubmissionID)
	}
}
