package client

import (
	"net/http"
	"testing"
	"time"
)

// TestServerClock: each answer's Date (whole seconds) bounds the server's offset; the offset
// kept is the tightest lower bound, so a send timed with it is never early by the server.
func TestServerClock(t *testing.T) {
	var k serverClock
	local := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	server := func(at time.Time) string { return at.Add(2300 * time.Millisecond).UTC().Format(http.TimeFormat) } // 2.3 s ahead
	// Answers at different fractions of the second narrow the bounds around 2.3 s.
	for _, ms := range []int{100, 450, 690, 710, 950} {
		sent := local.Add(time.Duration(ms) * time.Millisecond)
		received := sent.Add(20 * time.Millisecond)
		k.observe(server(sent.Add(10*time.Millisecond)), sent, received)
		local = local.Add(3 * time.Second)
	}
	if !k.known || k.offset > 2300*time.Millisecond || k.offset < 2200*time.Millisecond {
		t.Fatalf("offset %v (bounds %v…%v), want just under 2.3 s", k.offset, k.low, k.high)
	}
	// The device's clock jumps by a minute: the bounds no longer meet, the estimate restarts.
	sent := local.Add(time.Minute)
	k.observe(server(local), sent, sent.Add(20*time.Millisecond))
	if k.offset > -57700*time.Millisecond || k.offset < -59*time.Second { // the true offset is -57.7 s
		t.Fatalf("after the jump: %v", k.offset)
	}
	k.observe("not a date", sent, sent)
	if !k.known {
		t.Fatal("a bad Date header forgot the offset")
	}
}
