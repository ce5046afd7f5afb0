package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"nullaosta/server/core"
)

// TestSendReadsOnTheWritersConnection: the token's user and the module to send are read on the
// writer's connection (writerRow), at once, even while the writer is in the middle of a batch
// and hundreds of writes are queued behind it: they see what that batch wrote, before its
// commit (which the read pool would not), and never wait for the queue.
func TestSendReadsOnTheWritersConnection(t *testing.T) {
	db := openBare(t)
	now := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	inside, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- db.Write(context.Background(), func(tx *sql.Tx) error {
			// A token used just now, so that TokenUser records no use (a write that would
			// wait for this one).
			if _, err := tx.Exec(`INSERT INTO import_tokens (hash, user_id, label, created_at, expires_at, last_used_at)
				VALUES (x'0909', 1, 'nuovo', ?1, '2009-10-01T00:00:00.000Z', ?1)`, fmtTime(now)); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before Close, which waits for the writer
	const queued = 2 * MaxBatch
	var wg sync.WaitGroup
	for i := range queued {
		wg.Go(func() {
			if err := db.Write(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2009-09-15T08:00:00.000Z', 'test', 'x', ?, '')`, i)
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
	for len(db.jobs) < queued {
		time.Sleep(time.Millisecond)
	}

	u, tok, err := db.TokenUser(context.Background(), []byte{9, 9})
	if err != nil || u.ID != 1 || tok.LastUsedAt != nil {
		t.Fatalf("the token the open batch stored: %+v, %+v, %v", u, tok, err)
	}
	if m, err := db.ModuleToSend(context.Background(), "EM-AAAA-BBBB-1"); err != nil || m.UserID != 1 || m.Status != core.ModuleGenerated {
		t.Fatalf("module during the batch: %+v, %v", m, err)
	}
	if _, err := db.ModuleToSend(context.Background(), "EM-ZZZZ-ZZZZ-9"); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("a module that does not exist: %v", err)
	}
	if n := len(db.jobs); n != queued {
		t.Fatalf("%d writes queued after the reads, want %d still waiting: the reads did not wait for them", n, queued)
	}
	free()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

// TestRevokedTokenStopsAtOnce: a token deleted by one write is refused by the next read, on
// the writer's connection as on the read pool.
func TestRevokedTokenStopsAtOnce(t *testing.T) {
	db := openBare(t)
	db.Now = func() time.Time { return time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC) }
	if _, _, err := db.TokenUser(context.Background(), []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM import_tokens WHERE hash = x'0102'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(context.Background(), []byte{1, 2}); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
}
