package api

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"nullaosta/server/core"
)

// Work in progress is bounded twice, before a request body is read:
//
//   - per client (the account when logged in, else the address): at most maxInFlight requests
//     with a body at once, so one client cannot occupy the server however fast it sends;
//   - for the whole server: the bodies being read and decoded reserve their size (declared,
//     or the largest any route accepts) from bodyBudget, so the memory requests hold stays
//     bounded however many clients send at once. A request that finds the budget spent is
//     answered at once with 503 and Retry-After (the compiler's queue retries by itself).
//
// Both are counts of requests in progress on this process, not rates: they are the process's
// own resources, and their maps only hold the requests running now, so they stay in memory.

const (
	// maxInFlight is how many requests with a body one client may have in progress; more
	// wait their turn, up to maxWait.
	maxInFlight = 4
	maxWait     = 10 * time.Second
	// bodyBudget is how many bytes of request bodies the server holds at once. Decoding
	// multiplies them by a small factor (the maps of the applications); with the server's
	// resting memory this keeps the process under 150 MB (server/attack measures it).
	bodyBudget = 24 << 20
)

type bounds struct {
	// perClient false (the load generator's -bench) leaves only the budget.
	perClient bool
	mu        sync.Mutex
	clients   map[string]*slots
	reserved  int64
	budget    int64
	wait      time.Duration // how long a request waits for its client's turn
}

// slots are one client's turns: a request holds one while it runs; users counts the requests
// holding or waiting, so that the entry goes when the last one does.
type slots struct {
	turn  chan struct{}
	users int
}

func newBounds(perClient bool) *bounds {
	return &bounds{perClient: perClient, clients: map[string]*slots{}, budget: bodyBudget, wait: maxWait}
}

// acquire waits for one of client's turns, then reserves size bytes of the budget. It returns
// the function that gives both back, or why the request cannot run.
func (b *bounds) acquire(ctx context.Context, client string, size int64) (func(), error) {
	var sl *slots
	if b.perClient {
		b.mu.Lock()
		sl = b.clients[client]
		if sl == nil {
			sl = &slots{turn: make(chan struct{}, maxInFlight)}
			b.clients[client] = sl
		}
		sl.users++
		b.mu.Unlock()
		t := time.NewTimer(b.wait)
		defer t.Stop()
		select {
		case sl.turn <- struct{}{}:
		case <-t.C:
			b.leave(client, sl, false)
			return nil, core.Errorf(core.ERATELIMITED, "Hai già %d richieste in corso da un po': aspetta che finiscano e riprova.", maxInFlight)
		case <-ctx.Done():
			b.leave(client, sl, false)
			return nil, ctx.Err()
		}
	}
	b.mu.Lock()
	if b.reserved+size > b.budget {
		b.mu.Unlock()
		if sl != nil {
			b.leave(client, sl, true)
		}
		return nil, core.Errorf(core.ERETRY, "Il server è molto occupato in questo momento: riprova fra qualche secondo (i moduli in coda partono da soli).")
	}
	b.reserved += size
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.reserved -= size
		b.mu.Unlock()
		if sl != nil {
			b.leave(client, sl, true)
		}
	}, nil
}

// leave gives back a turn (if held) and forgets the client when nobody else holds or waits.
func (b *bounds) leave(client string, sl *slots, held bool) {
	if held {
		<-sl.turn
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if sl.users--; sl.users == 0 {
		delete(b.clients, client)
	}
}

// bodySize is what a request reserves: its declared length, or the largest body a route
// accepts when it does not declare one (chunked). Requests without a body reserve nothing.
func bodySize(r *http.Request) int64 {
	switch {
	case r.Body == nil || r.Body == http.NoBody:
		return 0
	case r.ContentLength >= 0:
		return min(r.ContentLength, batchBody.bytes)
	}
	return batchBody.bytes
}

// bound is the middleware of both bounds, for every API request with a body.
func (s *Server) bound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		size := bodySize(r)
		if size == 0 && r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > batchBody.bytes {
			// Larger than any route accepts: refused before it takes a slot.
			s.writeError(w, r, tooLarge(batchBody))
			return
		}
		// The account when logged in, else the address (parsed only then).
		var client string
		if u := principalOf(r).User; u != nil {
			client = "user:" + strconv.FormatInt(u.ID, 10)
		} else {
			client = "ip:" + clientIP(r)
		}
		done, err := s.bounds.acquire(r.Context(), client, size)
		if err != nil {
			if r.Context().Err() != nil {
				return // the client went away while waiting
			}
			if core.ErrorCode(err) == core.ERATELIMITED {
				w.Header().Set("Retry-After", "5")
			}
			s.writeError(w, r, err)
			return
		}
		defer done()
		// The largest route limit, whatever the route: a chunked body cannot outgrow what it
		// reserved.
		r.Body = http.MaxBytesReader(w, r.Body, batchBody.bytes)
		next.ServeHTTP(w, r)
	})
}
