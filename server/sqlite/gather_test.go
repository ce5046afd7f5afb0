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

// TestArrivals: the writer's estimate of the time between jobs starts quiet, takes a score of
// close jobs to call the server busy, and one pause of arrivalCap to call it quiet again.
func TestArrivals(t *testing.T) {
	var a arrivals
	t0 := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	a.add(t0)
	if a.gap < gatherGap {
		t.Fatalf("first job: gap %s, want quiet", a.gap)
	}
	at := t0
	busy := 0
	for i := 1; i <= 40 && a.gap >= gatherGap; i++ {
		at = at.Add(200 * time.Microsecond)
		a.add(at)
		busy = i
	}
	if a.gap >= gatherGap || busy < 10 {
		t.Fatalf("jobs 200 µs apart: gap %s after %d, want busy after a score of them", a.gap, busy)
	}
	// A job queued a little before the last one (they race to the queue) counts as close.
	a.add(at.Add(-50 * time.Microsecond))
	if a.gap >= gatherGap || !a.last.Equal(at) {
		t.Fatalf("job out of order: gap %s, last %s", a.gap, a.last)
	}
	a.add(at.Add(time.Hour))
	if a.gap < gatherGap {
		t.Fatalf("after a pause: gap %s, want quiet", a.gap)
	}
}
