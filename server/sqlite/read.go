package sqlite

import "context"

// pointRead is the context of a read on the path of every request — the caller's session or
// token, the module to send, a limit counter: one row or two found through an index, in a few
// microseconds. It keeps ctx's values but cannot be cancelled: with a context that can be,
// database/sql starts a goroutine per query to watch it and the driver registers a
// context.AfterFunc to interrupt SQLite, which cost 4–5 µs of CPU per read, about a third of
// the read itself (BenchmarkSendReads: 15.8 → 10.5 µs for the token's user). There is nothing
// to interrupt in a read this short; a request whose client went away ends right after it.
func pointRead(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
