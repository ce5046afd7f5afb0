package outbox

import (
	"context"
	"time"
)

// WatchWith is Watch with the browser's online state and events supplied by the test.
func WatchWith(ctx context.Context, q *Queue, user func() string, onChange func(Report), online func() bool, events <-chan struct{}) {
	watch(ctx, q, user, onChange, online, events)
}

// SetTimings shortens Watch's waits; it returns a function that restores them.
func SetTimings(min, re time.Duration) (restore func()) {
	oldMin, oldRe := minWait, recheck
	minWait, recheck = min, re
	return func() { minWait, recheck = oldMin, oldRe }
}
