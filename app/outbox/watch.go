package outbox

import (
	"context"
	"time"
)

// Timings of Watch. Variables, so that tests need not wait.
var (
	// minWait keeps a flush that keeps failing at once (store errors, a flush already
	// running) from spinning.
	minWait = time.Second
	// recheck bounds how long Watch sleeps without looking at the queue, since the
	// logged-in user may change without a Kick.
	recheck = time.Minute
	// flushTimeout bounds one flush, so a hung request cannot hold the queue forever.
	flushTimeout = 2 * time.Minute
)

// watch is Watch with the browser taken out: online tells whether to try at all, and events
// delivers "the connection is back". It returns when ctx ends.
func watch(ctx context.Context, q *Queue, user func() string, onChange func(Report), online func() bool, events <-chan struct{}) {
	kicks := q.kicks()
	flushNow := true
	for {
		if flushNow && online() {
			if u := user(); u != "" {
				fctx, cancel := context.WithTimeout(ctx, flushTimeout)
				rep, _ := q.Flush(fctx, u) // failures stay in the items' LastError
				cancel()
				if onChange != nil && rep.Sent+rep.Rejected+rep.Retrying+rep.Waiting > 0 {
					onChange(rep)
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		wait := recheck
		if online() {
			if u := user(); u != "" {
				if d, ok := q.Due(ctx, u); ok {
					// To the millisecond when an item waits for a future instant (the opening
					// of the send window); minWait only when it is due now yet still there.
					wait = min(d, recheck)
					if d <= 0 {
						wait = minWait
					}
				}
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-events:
		case <-kicks:
		case <-timer.C:
		}
		timer.Stop()
		flushNow = true
	}
}
