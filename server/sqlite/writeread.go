package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// writerRow is pointRow on the writer's connection (db.wc) instead of the read pool: the two
// point reads every send makes before its write, the import token with its user (TokenUser)
// and the module to send (ModuleToSend), go there.
//
// Why. A read-pool connection that begins a read after another connection's commit drops its
// whole page cache (pager_reset) and reads again with pread the root, interior and leaf pages
// of every b-tree it walks; its 2 MiB cache does not hold the modules of click day either. The
// writer commits a hundred times a second then, so the pool's reads nearly always start cold.
// The writer's connection never drops its cache (its own commits do not reset it), holds 16
// MiB, and reads the file through its memory map: the same two reads cost about a third less
// CPU there (BenchmarkSendReads, "commits" and "parallel").
//
// How. database/sql lets one connection serve several goroutines one call at a time (each
// statement, each step, each commit holds the connection's lock), so the read runs in the
// caller's goroutine, between two statements of the writer: no hand-off to the writer
// goroutine (tried first: the wake-ups of the writer and of the caller cost more CPU than the
// cold cache), and no wait for the writes queued (only for the statement running, at most a
// commit).
//
// What such a read sees: what is committed, and also what the writer's open batch has written
// and not committed yet, which a rollback may still remove (a job's own failure, back to its
// savepoint, or a failed commit, the whole batch). Each read is still correct:
//   - TokenUser: a token, or an account's activation, reaches a client only once its write
//     was acknowledged, that is committed and synced, so nobody presents a token the read
//     could see before its commit. A revocation (or a reset that ends every token) seen
//     before its commit refuses a request a commit early, when the revoker has asked for it
//     already; if that write then rolls back, the request was refused for nothing and the
//     client sends again. An activation seen before a commit that then fails lets one
//     request through as if it had committed: the window the read pool has too, where a
//     commit is seen ~1 ms before its sync and a power cut would undo it.
//   - ModuleToSend: a module id reaches its owner only once its creation was acknowledged,
//     and a module's kind, campaign, owner and data never change after it. Its status "sent"
//     may come from a submission of the open batch that a failed commit then removes: the
//     API builds the input of a sent module without validating it (a replay needs no
//     validation), so it marks it core.SubmissionInput.ReplayOnly and the store never stores
//     such an input as a new submission (TestStore/SubmitReplayOnly). The rules E1–E3 and
//     idempotency are decided again inside the writer's transaction anyway.
//
// No token, user or module is cached in memory: each read asks the database, so a revoked
// token or a deactivated account stops working at the next request.
func (db *DB) writerRow(ctx context.Context, query string, args []driver.NamedValue, row []driver.Value) (found bool, err error) {
	ctx = pointRead(ctx)
	err = db.wc.Raw(func(dc any) error {
		found, err = queryRow(ctx, dc, query, args, row)
		if errors.Is(err, driver.ErrBadConn) {
			// database/sql would close the writer's only connection, and no write
			// could be made after: a failed read is only this read's failure.
			err = fmt.Errorf("sqlite: %s", err)
		}
		return err
	})
	return found && err == nil, err
}
