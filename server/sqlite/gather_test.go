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

// TestArrivals: the server looks busy to the writer once its last 16 jobs were queued within
// 16 ms, and quiet again when they were not; a lone sender never looks busy.
func TestArrivals(t *testing.T) {
	var a arrivals
	t0 := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	at := t0
	for i := range 15 {
		a.add(at)
		if a.busy(at) {
			t.Fatalf("busy after %d jobs", i+1)
		}
		at = at.Add(100 * time.Microsecond)
	}
	a.add(at)
	if !a.busy(at) || !a.busy(t0.Add(15*time.Millisecond)) {
		t.Fatal("16 jobs in 1.5 ms: not busy")
	}
	if a.busy(t0.Add(16 * time.Millisecond)) {
		t.Fatal("16 ms after the oldest of the last 16 jobs: still busy")
	}
	// One sender, a send every 3 ms (each waits for its sync before the next).
	var lone arrivals
	for i := range 100 {
		at := t0.Add(time.Duration(i) * 3 * time.Millisecond)
		lone.add(at)
		if lone.busy(at) {
			t.Fatalf("one sender looks busy at its send %d", i+1)
		}
	}
}
