package outbox

import "time"

// Backoff bounds: the first retry comes within BackoffBase, each further one within twice
// the previous bound, never later than BackoffMax.
const (
	BackoffBase = 2 * time.Second
	BackoffMax  = 5 * time.Minute
)

// BackoffCeiling is the longest wait after the given number of failed attempts (≥ 1):
// BackoffBase·2^(attempts-1), capped at BackoffMax.
func BackoffCeiling(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 20 { // 2 s·2^19 is far past the cap; stop before the shift overflows
		return BackoffMax
	}
	return min(BackoffMax, BackoffBase<<(attempts-1))
}

// Backoff is the wait after the given number of failed attempts with "full jitter": a uniform
// share r ∈ [0, 1) of the ceiling, so that many tablets coming back online together do not
// retry in step.
func Backoff(attempts int, r float64) time.Duration {
	r = min(max(r, 0), 1)
	return time.Duration(r * float64(BackoffCeiling(attempts)))
}
