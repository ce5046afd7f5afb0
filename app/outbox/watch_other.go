//go:build !(js && wasm)

package outbox

import "context"

// Watch keeps user's queue moving until ctx ends; outside the browser there is no "online"
// event, so it flushes at start, on Kick and when the next retry is due. See the browser
// version for the rest of the contract.
func Watch(ctx context.Context, q *Queue, user func() string, onChange func(Report)) {
	watch(ctx, q, user, onChange, func() bool { return true }, nil)
}
