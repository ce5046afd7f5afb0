package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestGatherWaitsForSubmissionsOnTheirWay: with the syncer idle, the writer keeps a batch open
// while Coming says submissions are on their way, so that a job arriving then shares its
// commit, and commits as soon as nothing is on its way any more; a job with nothing on its way
// is committed without waiting. gatherWait is an hour here: only the policy ends a wait.
func TestGatherWaitsForSubmissionsOnTheirWay(t *testing.T) {
	defer func(w time.Duration) { gatherWait = w }(gatherWait)
	gatherWait = time.Hour
	db, err := Open(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	write := func(running chan struct{}) chan error {
		done := make(chan error, 1)
		go func() {
			done <- db.Write(ctx, func(tx *sql.Tx) error {
				close(running)
				return nil
			})
		}()
		return done
	}
	answer := func(name string, done chan error) {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: not answered, the writer is still waiting", name)
		}
	}
	before := db.Stats()

	// One submission on its way: the writer runs A, then waits for it instead of committing A
	// alone, and B, arriving meanwhile, joins A's transaction.
	db.Coming(1)
	runA, runB := make(chan struct{}), make(chan struct{})
	doneA := write(runA)
	<-runA
	doneB := write(runB)
	<-runB
	// The send it waited for does not come after all (a refusal): the batch is committed.
	db.Coming(-1)
	answer("A", doneA)
	answer("B", doneB)
	s := db.Stats().Since(before)
	if s.Batches != 1 || s.Jobs != 2 || s.Gathers != 1 || s.Gathered != 1 {
		t.Fatalf("A and B: %d commits of %d jobs, %d waits (%d joined); want one commit of both, after one wait",
			s.Batches, s.Jobs, s.Gathers, s.Gathered)
	}

	// Nothing on its way: C is committed alone, without a wait.
	doneC := write(make(chan struct{}))
	answer("C", doneC)
	s = db.Stats().Since(before)
	if s.Batches != 2 || s.Gathers != 1 {
		t.Fatalf("C: %d commits, %d waits; want its own commit and no wait", s.Batches, s.Gathers)
	}
}
