// Package sqlite stores accounts, modules, submissions and the outbox in one SQLite file, in WAL
// mode, with embedded numbered migrations, a single writer connection and a pool of readers.
//
// Writes go through a group commit: every store method hands a small function to the writer
// goroutine, which runs the functions that are waiting in one transaction (each inside its own
// savepoint, so one failing function does not undo the others) and commits once. A commit with
// commit is made durable by an fsync of the WAL (about 1 ms on this machine), so committing one
// function at a time would cap the server at a few hundred writes per second; grouped, hundreds
// of acknowledged submissions share one fsync. When the syncer is idle and a batch is small,
// the writer keeps it open up to a millisecond for the jobs it expects (gather): the sends the
// API announced, or the next of a stream of jobs; with none expected it commits at once. The
// counter rows the submissions of a batch all move (protocol numbers, counts, limits) are
// summed and written once, before the commit (batchSums). The fsync is not the writer's: a
// syncer goroutine makes it while the writer runs the next batch (see syncer), and a caller is
// answered only once the WAL holding its commit is synced: what it was told is on disk.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/bits"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"nullaosta/server/core"
)

//go:embed migrations/*.sql
var migrations embed.FS

// driverName is mattn/go-sqlite3 with memory-mapped reads, for the connections that see no
// other connection's commits in the middle of their work: the writer (its own commits keep
// its cache and its map) and the checkpointer.
const driverName = "sqlite3_nullaosta"

// writerDriverName is driverName for the writer connection, which never checkpoints the WAL
// itself: the checkpointer goroutine does, on a connection of its own (see checkpointer).
const writerDriverName = "sqlite3_nullaosta_writer"

// readDriverName is mattn/go-sqlite3 as it is, for the read pool: pages read with pread into
// the connection's cache, no memory map. With WAL, a read connection that begins a read after
// another connection committed drops its page cache, and with a map also unmaps the whole file
// (pagerBeginReadTransaction: sqlite3OsUnfetch(fd, 0, 0)); the next page it touches maps the
// file again and takes a page fault for every page read. On click day the writer commits
// dozens of times a second, so nearly every read of the request path paid a munmap, a mmap
// and its faults: perf showed munmap and the faults in btreeInitPage at 4-5% of the server's
// CPU, more than the preads that replace them. The pages a read maps also counted in the
// server's RSS (VmHWM), which reads through pread do not.
const readDriverName = "sqlite3_nullaosta_read"

func init() {
	sql.Register(readDriverName, &sqlite3.SQLiteDriver{})
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA mmap_size = 268435456", nil)
		return err
	}})
	sql.Register(writerDriverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// journal_size_limit: a WAL that grew past 64 MiB while something held it (a long
		// export's snapshot) is cut back to that size when SQLite starts it over.
		_, err := c.Exec("PRAGMA mmap_size = 268435456; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864", nil)
		return err
	}})
}

// DB is the store. It implements the services of package core.
type DB struct {
	Path string
	// Now is the clock; tests fix it.
	Now func() time.Time
	// Signer signs receipts in the transaction that assigns their protocol number.
	Signer core.Signer
	// Logger receives batch failures.
	Logger *slog.Logger

	write *sql.DB // exactly one connection: SQLite has one writer anyway
	read  *sql.DB
	ckpt  *sql.DB // the checkpointer's one connection

	// wc is write's one connection, held from Open to Close: the writer's transactions
	// begin on it, and writerRow reads on it (see writerRow).
	wc *sql.Conn

	jobs     chan *job
	finish   chan struct{} // the checkpointer asks the writer to finish a checkpoint (see finishCheckpoint)
	closing  chan struct{}
	stopped  chan struct{}
	ckptDone chan struct{}
	// committed carries the answers of each batch, in the order of the commits, from the
	// writer to the syncer, which gives them once the WAL is synced.
	committed chan answers
	synced    chan struct{} // closed when the syncer has given every answer
	// unsynced counts the batches committed and not yet answered; syncIdle wakes the
	// writer when it falls to zero (see writer).
	unsynced atomic.Int64
	syncIdle chan struct{}
	// coming counts the submissions on their way to the writer (see Coming and gather);
	// gone wakes a gathering writer when it falls to zero without a job arriving.
	coming atomic.Int64
	gone   chan struct{}
	wal    *os.File // the WAL, opened once: see syncWAL
	// syncWAL makes the WAL durable (fsync of wal); tests replace it to hold the answers.
	syncWAL  func() error
	closeMu  sync.RWMutex
	isClosed bool

	statsMu sync.Mutex
	stats   Stats

	// sums, run and arrivals belong to the writer goroutine: see batchSums, submitRun and
	// gather.
	sums     batchSums
	run      runState
	arrivals arrivals
}

// Stats counts the group commits, for the load generator's report and the logs: how large
// the batches get and where the writer's time goes.
type Stats struct {
	Batches  int64 // commits
	Jobs     int64 // functions committed
	MaxBatch int   // largest batch
	// Sizes counts the batches by size: Sizes[i] batches of 2^(i-1)+1 … 2^i functions
	// (Sizes[0]: batches of one).
	Sizes [11]int64
	// The writer's time: running the functions (with their savepoints), committing (writing
	// the WAL; the fsync is the syncer's), and waiting for work.
	Run, Commit, Idle time.Duration
	// Syncs counts the syncer's fsyncs of the WAL (one covers every batch committed before it
	// began), and Sync their time.
	Syncs int64
	Sync  time.Duration
	// Wait is the time functions spent queued before their batch began, summed.
	Wait time.Duration
	// Finished counts the checkpoints the writer finished so that the WAL could start over
	// (see finishCheckpoint), and Finishing the writer's time in them.
	Finished  int64
	Finishing time.Duration
	// Gathers counts the batches kept open for the jobs expected soon (see gather),
	// Gathered the jobs that joined them meanwhile, and Gathering the writer's time in it.
	Gathers, Gathered int64
	Gathering         time.Duration
}

// Since returns what happened between an earlier snapshot and s (MaxBatch stays s's).
func (s Stats) Since(earlier Stats) Stats {
	d := s
	d.Batches -= earlier.Batches
	d.Jobs -= earlier.Jobs
	for i := range d.Sizes {
		d.Sizes[i] -= earlier.Sizes[i]
	}
	d.Run -= earlier.Run
	d.Commit -= earlier.Commit
	d.Idle -= earlier.Idle
	d.Wait -= earlier.Wait
	d.Finished -= earlier.Finished
	d.Finishing -= earlier.Finishing
	d.Syncs -= earlier.Syncs
	d.Sync -= earlier.Sync
	d.Gathers -= earlier.Gathers
	d.Gathered -= earlier.Gathered
	d.Gathering -= earlier.Gathering
	return d
}

// String is the one-line summary the server logs when it stops.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d writes in %d commits (mean %.1f, largest %d); batch sizes", s.Jobs, s.Batches,
		float64(s.Jobs)/float64(max(s.Batches, 1)), s.MaxBatch)
	for i, n := range s.Sizes {
		if n > 0 {
			fmt.Fprintf(&b, " ≤%d:%d", 1<<i, n)
		}
	}
	fmt.Fprintf(&b, "; writer time: functions %s, commits %s, idle %s; mean queue wait %s",
		s.Run.Round(time.Millisecond), s.Commit.Round(time.Millisecond), s.Idle.Round(time.Millisecond),
		(s.Wait / time.Duration(max(s.Jobs, 1))).Round(time.Microsecond))
	fmt.Fprintf(&b, "; WAL syncs %d (%s)", s.Syncs, s.Sync.Round(time.Millisecond))
	fmt.Fprintf(&b, "; checkpoints finished by the writer %d (%s)", s.Finished, s.Finishing.Round(time.Millisecond))
	fmt.Fprintf(&b, "; waits for jobs expected %d (%s, %d joined)", s.Gathers, s.Gathering.Round(time.Millisecond), s.Gathered)
	return b.String()
}

// MaxBatch bounds how many write functions share one commit.
const MaxBatch = 512

type job struct {
	fn func(tx *sql.Tx) error
	// sub is a Submit's inputs and outcomes: the writer stores the submissions of consecutive
	// Submit jobs together (submitRun) instead of calling fn.
	sub    *submitJob
	done   chan error
	queued time.Time
	whole  bool // see writeWhole
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(path string) (*DB, error) { return open(path, true) }

// open is Open; without writer, no writer goroutine is started and the caller takes its
// place (see standIn in the tests): the writer's transactions and finishCheckpoint all run
// on one connection, db.wc, which only one goroutine may drive.
func open(path string, writer bool) (*DB, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	// NORMAL: a commit writes the WAL and returns; the syncer makes it durable (fsync) beside
	// the next batch, and only then are its callers answered, so an acknowledged submission
	// still survives a power cut. Checkpoints sync the WAL before they copy it, and SQLite
	// syncs a restarted WAL's header whatever this setting.
	q.Set("_synchronous", "NORMAL")
	q.Set("_stmt_cache_size", "64")
	// 16 MiB of page cache for the writer (the default is 2 MiB): the indexes of the back
	// office (0002) put each submission in eight b-trees, and with a small cache every insert
	// reads their pages again. Not more: pages are read in place through mmap and only the
	// pages a commit writes are copied here, but the cache keeps every page it ever held, so
	// at 64 MiB it was most of the server's anonymous memory on click day (10,000 sends at
	// C=500: VmHWM 203.5 → 164.5 MiB, server CPU per submission unchanged, 0.49 → 0.45 ms).
	q.Set("_cache_size", "-16384")
	w, err := sql.Open(writerDriverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("apertura del database %s: %w", path, err)
	}

	db := &DB{
		Path:      path,
		Now:       time.Now,
		Logger:    slog.Default(),
		write:     w,
		jobs:      make(chan *job, 4*MaxBatch),
		finish:    make(chan struct{}, 1),
		closing:   make(chan struct{}),
		stopped:   make(chan struct{}),
		ckptDone:  make(chan struct{}),
		committed: make(chan answers, 64),
		synced:    make(chan struct{}),
		syncIdle:  make(chan struct{}, 1),
		gone:      make(chan struct{}, 1),
	}
	if err := db.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	// The WAL exists from the writer's first transaction (migrate's) until the last
	// connection closes (Close): SQLite truncates it, never replaces it, in between. It is
	// opened once so that a failed writeback is reported to this descriptor's next fsync
	// (a descriptor opened after the failure would not hear of it).
	if db.wal, err = os.Open(path + "-wal"); err != nil {
		w.Close()
		return nil, fmt.Errorf("apertura del WAL di %s: %w", path, err)
	}
	db.syncWAL = db.wal.Sync
	if err := db.syncWAL(); err != nil { // the migrations, committed without a sync
		w.Close()
		db.wal.Close()
		return nil, fmt.Errorf("sincronizzazione del WAL di %s: %w", path, err)
	}

	r := url.Values{}
	r.Set("mode", "ro")
	r.Set("_busy_timeout", "5000")
	r.Set("_foreign_keys", "on")
	r.Set("_query_only", "1")
	r.Set("_stmt_cache_size", "64")
	db.read, err = sql.Open(readDriverName, "file:"+path+"?"+r.Encode())
	if err != nil {
		w.Close()
		return nil, err
	}
	n := 2 * runtime.NumCPU()
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)

	c := url.Values{}
	c.Set("_busy_timeout", "5000")
	c.Set("_synchronous", "FULL")
	db.ckpt, err = sql.Open(driverName, "file:"+path+"?"+c.Encode())
	if err != nil {
		w.Close()
		db.read.Close()
		return nil, err
	}
	db.ckpt.SetMaxOpenConns(1)
	db.ckpt.SetMaxIdleConns(1)
	db.ckpt.SetConnMaxLifetime(0)
	db.ckpt.SetConnMaxIdleTime(0)

	// The writer's connection is taken out of its pool for good: the reads of writerRow
	// need it between two statements of an open transaction, where database/sql would not
	// show it to them.
	if db.wc, err = w.Conn(context.Background()); err != nil {
		db.ckpt.Close()
		db.read.Close()
		w.Close()
		db.wal.Close()
		return nil, err
	}

	if writer {
		go db.writer()
	}
	go db.syncer()
	go db.checkpointer()
	return db, nil
}

// answers are the answers of one batch's jobs, given by the syncer.
type answers struct {
	jobs []*job
	errs []error
	// durable: the batch committed, so its answers wait for the WAL's sync. A batch rolled
	// back is answered through the syncer too, in its turn, since what it was refused for
	// may be an earlier batch's commit that is not synced yet.
	durable bool
}

// syncer answers the writer's batches once the WAL holding them is on disk. It takes every
// batch committed so far, syncs the WAL once (one fsync covers all their frames: they were
// written before it began), and answers them in order; meanwhile the writer runs the next
// batch. With synchronous=FULL the writer itself waited for each fsync (0.5-2 ms under load),
// idle, while the requests that would fill its next batch queued: at C=50 the commits were
// half of its time.
//
// What a commit wrote is visible to the read pool from the commit, about a millisecond before
// it is durable. Nothing is answered from a write before that, but a read of the pool could
// show, in that window, a submission that a power cut would then remove (a kill -9 would not:
// the WAL is in the kernel's cache).
func (db *DB) syncer() {
	defer close(db.synced)
	var group []answers
	for a := range db.committed {
		group = append(group[:0], a)
	more:
		for {
			select {
			case a, ok := <-db.committed:
				if !ok {
					break more
				}
				group = append(group, a)
			default:
				break more
			}
		}
		var err error
		if slices.ContainsFunc(group, func(a answers) bool { return a.durable }) {
			start := time.Now()
			err = db.syncWAL()
			db.statsMu.Lock()
			db.stats.Syncs++
			db.stats.Sync += time.Since(start)
			db.statsMu.Unlock()
		}
		if err != nil {
			// After a failed writeback the kernel may have dropped the pages it could not
			// write and report the next fsync as a success ("fsyncgate"): nothing committed
			// since the last good sync can be trusted to be on disk, and answering any later
			// write would acknowledge what may not be there. Stop, as PostgreSQL does; at the
			// restart SQLite recovers whatever the WAL on disk holds, and the callers, never
			// answered, send again.
			db.Logger.Error("sincronizzazione del WAL: il server si ferma", "err", err)
			os.Exit(1)
		}
		durable := 0
		for _, g := range group {
			for i, j := range g.jobs {
				j.done <- g.errs[i]
			}
			if g.durable {
				durable++
			}
		}
		clear(group)
		if db.unsynced.Add(int64(-durable)) == 0 {
			select {
			case db.syncIdle <- struct{}{}:
			default:
			}
		}
	}
}

// checkpointEvery is how often the checkpointer copies the WAL into the database file. A
// checkpoint copies each page once, however many commits wrote it since the last one, and on
// click day the same pages (the ends of the table and of its ordered indexes, the counters,
// the leaves of the random indexes) are written again and again: copying every second instead
// of every 200 ms cut what the server read and wrote per submission by a tenth (10,000 sends
// at C=50, /proc/PID/io: 32.1 → 28.1 KB read, 34.5 → 31.0 KB written). The price: the WAL
// grows for up to a second before it starts over (64 MiB at the end of those runs, against
// 25–30), and the first start after a crash reads it whole.
var checkpointEvery = time.Second

// restartFrames is the size of the WAL (in frames, 4 KiB each) past which the checkpointer asks
// the writer to finish a checkpoint, so that SQLite can start the WAL over (finishCheckpoint).
var restartFrames = 4096

// checkpointer copies what the WAL holds into the database file, every checkpointEvery, with a
// PASSIVE checkpoint on its own connection: it waits for no one and no one waits for it. By
// default SQLite checkpoints inside the commit that brings the WAL past 1000 pages, so one
// group commit in a few also wrote and synced the database file while every sender of the
// next batch waited. Here the writer's commits only append to the WAL and sync it (what makes
// them durable); the copy runs beside them. When the WAL has grown past restartFrames, the
// checkpointer asks the writer to finish the job between two batches (finishCheckpoint).
func (db *DB) checkpointer() {
	defer close(db.ckptDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.closing:
			return
		case <-t.C:
		}
		var busy, frames, copied int
		if err := db.ckpt.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
			db.Logger.Error("checkpoint", "err", err)
			continue
		}
		if frames >= restartFrames {
			select {
			case db.finish <- struct{}{}:
			default:
			}
		}
	}
}

// finishCheckpoint copies into the database file, on the writer's own connection and between
// two batches, the frames the checkpointer has not copied yet (those of up to the last
// checkpointEvery: the checkpointer did the rest). SQLite starts the WAL over from its
// beginning only at a write transaction that begins when every frame is copied, and the
// checkpointer alone never gets there under a steady load: the writer commits new frames
// while it copies. So on click day the WAL grew without end (10,000 sends at C=50 left a
// 400 MiB WAL for a 75 MiB database, every frame of it also written into the database file);
// with this, it starts over every restartFrames. TestWALStartsOverUnderLoad.
func (db *DB) finishCheckpoint() {
	start := time.Now()
	var busy, frames, copied int
	if err := db.wc.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		db.Logger.Error("checkpoint dello scrittore", "err", err)
		return
	}
	db.statsMu.Lock()
	db.stats.Finished++
	db.stats.Finishing += time.Since(start)
	db.statsMu.Unlock()
}

// Close stops the writer after the queued writes and closes both pools.
func (db *DB) Close() error {
	db.closeMu.Lock()
	if db.isClosed {
		db.closeMu.Unlock()
		return nil
	}
	db.isClosed = true
	close(db.closing)
	db.closeMu.Unlock()
	<-db.stopped
	<-db.synced
	<-db.ckptDone
	return errors.Join(db.ckpt.Close(), db.read.Close(), db.wc.Close(), db.write.Close(), db.wal.Close())
}

// Stats returns the group-commit counters.
func (db *DB) Stats() Stats {
	db.statsMu.Lock()
	defer db.statsMu.Unlock()
	return db.stats
}

func (db *DB) now() time.Time { return db.Now().UTC() }

// Write runs fn in the writer's transaction and returns after the commit. fn must not keep
// state outside the transaction unless the caller reads it only when Write returns nil. The
// error is fn's own (its savepoint rolled back), or ERETRY if the commit failed.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.write1(ctx, &job{fn: fn, done: make(chan error, 1), queued: time.Now()})
}

// writeWhole is Write for a function that decides everything before its first write and
// returns an error only when SQLite fails: it runs without a savepoint of its own (two
// statements fewer per function in the writer), and its error undoes the whole batch, every
// function of which is answered ERETRY (nothing stored).
func (db *DB) writeWhole(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.write1(ctx, &job{fn: fn, done: make(chan error, 1), queued: time.Now(), whole: true})
}

func (db *DB) write1(ctx context.Context, j *job) error {
	db.closeMu.RLock()
	if db.isClosed {
		db.closeMu.RUnlock()
		return core.Errorf(core.ERETRY, "Il server si sta fermando: riprova fra un minuto.")
	}
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		db.closeMu.RUnlock()
		return core.Errorf(core.ERETRY, "Richiesta annullata prima del salvataggio: riprova.")
	}
	db.closeMu.RUnlock()
	// Once queued the job will run: wait for it even if the client went away, so that what
	// the store did and what the caller believes never differ.
	return <-j.done
}

// writer runs the jobs. It takes every job waiting into one transaction and, while the
// syncer is still making the previous commit durable, keeps taking the jobs that arrive into
// the same transaction: their answers would wait for that sync anyway, and a commit the syncer
// is not ready for would only split the next sync's batch in two (with the writer's fsync
// gone, commits of one or two jobs had become the rule at C=50, each writing its own WAL
// frames of the same counter and index pages). When the syncer is idle it commits, once the
// submissions on their way have joined a small batch (gather), or at once if none is coming;
// or when the batch is full.
func (db *DB) writer() {
	defer close(db.stopped)
	defer close(db.committed)
	for {
		db.finishAsked()
		var first *job
		idle := time.Now()
		select {
		case first = <-db.jobs:
			db.addIdle(time.Since(idle))
		case <-db.finish:
			db.finishCheckpoint()
			continue
		case <-db.closing:
			// Drain what was queued before closing.
			for {
				select {
				case j := <-db.jobs:
					db.runBatch([]*job{j})
				default:
					return
				}
			}
		}
		b := db.begin()
		db.take(b, db.fill([]*job{first}, MaxBatch), db.unsynced.Load() == 0)
	extend:
		for !b.over && db.unsynced.Load() > 0 && len(b.jobs) < MaxBatch {
			waiting := time.Now()
			select {
			case j := <-db.jobs:
				db.addIdle(time.Since(waiting))
				db.take(b, db.fill([]*job{j}, MaxBatch-len(b.jobs)), false)
			case <-db.syncIdle:
				db.addIdle(time.Since(waiting))
			case <-db.closing:
				break extend
			}
		}
		db.gather(b)
		db.end(b)
	}
}

// gatherWait bounds how long a batch waits for the jobs expected (gather), gatherGap is the
// time between jobs under which more are expected, and gatherTarget the size from which a
// batch no longer waits: a commit costs the writer about 280 µs of CPU whatever its size
// (BenchmarkWriterSubmit: 388 µs per submission in batches of one, 149 in batches of 13, 114
// of 30, 106 of 50), so past a few dozen jobs waiting saves little.
var (
	gatherWait   = time.Millisecond
	gatherGap    = time.Millisecond
	gatherTarget = 32
)

// Coming implements core.SubmissionService: n submissions are on their way to Submit (n < 0:
// that many will not come after all). The API announces a send once its body is read; the
// Submit it then calls, with a context marked core.Announced, withdraws it once its job is
// queued, and the API withdraws it itself when the send goes no further. A Submit not
// announced counts itself while it presigns.
func (db *DB) Coming(n int) {
	if db.coming.Add(int64(n)) <= 0 && n < 0 {
		select {
		case db.gone <- struct{}{}:
		default:
		}
	}
}

// gather keeps b open, when it would be committed with the syncer idle, for the jobs expected
// soon (due): the submissions Coming says are on their way (a request past its body's reading
// reaches the writer within its decoding and validation, a few hundred µs of CPU), or, when
// jobs have lately arrived less than gatherGap apart, the next one. On click day a third of
// the commits at C=50 held one submission: the first request answered by a sync came back
// alone to an idle syncer, and its commit (~280 µs of the writer's CPU) was paid for one
// (BenchmarkWriterSubmit). It waits at most gatherWait and only while b is smaller than
// gatherTarget; with nothing on its way and no recent stream of jobs (one person sending at
// night) it does not wait at all. Its answers are given after the commit's sync as always,
// so nothing is acknowledged earlier than before.
func (db *DB) gather(b *batch) {
	if b.over || len(b.jobs) >= gatherTarget || !db.due() {
		return
	}
	start, n := time.Now(), len(b.jobs)
	defer func() {
		db.statsMu.Lock()
		db.stats.Gathers++
		db.stats.Gathered += int64(len(b.jobs) - n)
		db.stats.Gathering += time.Since(start)
		db.statsMu.Unlock()
	}()
	t := time.NewTimer(gatherWait)
	defer t.Stop()
	for !b.over && len(b.jobs) < gatherTarget && db.due() {
		waiting := time.Now()
		select {
		case j := <-db.jobs:
			db.addIdle(time.Since(waiting))
			db.take(b, db.fill([]*job{j}, MaxBatch-len(b.jobs)), false)
		case <-db.gone:
			db.addIdle(time.Since(waiting))
		case <-t.C:
			db.addIdle(time.Since(waiting))
			return
		case <-db.closing:
			return
		}
	}
}

// due reports whether another job is expected soon: a send is on its way (Coming), or jobs
// have lately been arriving less than gatherGap apart (arrivals).
func (db *DB) due() bool {
	return db.coming.Load() > 0 || db.arrivals.busy(time.Now())
}

// arrivals keeps, in the writer goroutine, when the last jobs were queued. The server is busy
// when the last len(at) jobs were all queued within len(at) × gatherGap: on average less than
// gatherGap apart, over a window long enough that click day's bursts (the senders answered by
// one sync come back together, then a pause until the next) do not make it look quiet, and
// short enough that it looks quiet again a few milliseconds after the load stops. One person
// sending, a few milliseconds between sends at the least (the WAL's sync), never looks busy.
type arrivals struct {
	at   [16]time.Time // a ring: at[next] is the oldest
	next int
}

func (a *arrivals) add(queued time.Time) {
	a.at[a.next] = queued
	a.next = (a.next + 1) % len(a.at)
}

func (a *arrivals) busy(now time.Time) bool {
	oldest := a.at[a.next]
	return !oldest.IsZero() && now.Sub(oldest) < time.Duration(len(a.at))*gatherGap
}

// finishAsked is the writer's turn between two batches: it finishes the checkpoint the
// checkpointer asked for, if it did.
func (db *DB) finishAsked() {
	select {
	case <-db.finish:
		db.finishCheckpoint()
	default:
	}
}

// fill adds to jobs the jobs waiting, up to n in all.
func (db *DB) fill(jobs []*job, n int) []*job {
	for len(jobs) < n {
		select {
		case j := <-db.jobs:
			jobs = append(jobs, j)
		default:
			return jobs
		}
	}
	return jobs
}

func (db *DB) addIdle(d time.Duration) {
	db.statsMu.Lock()
	db.stats.Idle += d
	db.statsMu.Unlock()
}

// batch is the writer's open transaction and the jobs run in it.
type batch struct {
	tx   *sql.Tx
	jobs []*job
	errs []error
	// over: the transaction is no longer open (it failed, or a lone job's rollback ended
	// it); errs are the answers, and nothing is committed.
	over      bool
	running   time.Duration // the writer's time in the jobs, not in waiting for more
	wait      time.Duration // the jobs' time queued before they ran
	committed bool
}

// runBatch runs jobs in one transaction and commits it.
func (db *DB) runBatch(jobs []*job) {
	b := db.begin()
	db.take(b, jobs, true)
	db.end(b)
}

// begin opens the writer's transaction for a batch.
func (db *DB) begin() *batch {
	db.sums.reset()
	b := &batch{}
	tx, err := db.wc.BeginTx(context.Background(), nil)
	if err != nil {
		db.Logger.Error("inizio transazione", "err", err)
		b.over = true
		return b
	}
	b.tx = tx
	return b
}

// take runs jobs in b's transaction, each inside its own savepoint unless it is whole or a
// Submit. lone: the syncer is idle, so b will be committed soon, and a job alone in it needs
// no savepoint (its failure rolls the transaction back, which is enough, and b takes no
// other job after; the jobs gather lets in after its success have savepoints of their own). A storage failure rolls back the
// whole batch, and every job in it is answered ERETRY.
func (db *DB) take(b *batch, jobs []*job, lone bool) {
	start := time.Now()
	for _, j := range jobs {
		b.wait += start.Sub(j.queued)
		db.arrivals.add(j.queued)
	}
	first := len(b.jobs)
	b.jobs = append(b.jobs, jobs...)
	b.errs = append(b.errs, make([]error, len(jobs))...)
	defer func() { b.running += time.Since(start) }()
	if b.over {
		if b.tx == nil {
			b.fail(retryable(nil))
		}
		return
	}
	tx, errs := b.tx, b.errs
	fail := func(msg string, err error) {
		tx.Rollback()
		db.Logger.Error(msg, "err", err, "batch", len(b.jobs))
		b.fail(retryable(err))
	}
	if lone && len(b.jobs) == 1 && jobs[0].sub == nil {
		if errs[0] = jobs[0].fn(tx); errs[0] != nil {
			tx.Rollback()
			errs[0] = classify(errs[0])
			b.over = true
		}
		return
	}
	for i := first; i < len(b.jobs); i++ {
		j := b.jobs[i]
		if j.sub != nil {
			// The Submit jobs that follow one another share one read of what they need
			// and one insert (submitRun). Like a whole job, their error is a storage
			// failure that undoes the batch.
			k := i + 1
			for k < len(b.jobs) && b.jobs[k].sub != nil {
				k++
			}
			if err := db.submitRun(tx, b.jobs[i:k], db.now()); err != nil {
				fail("invio", err)
				return
			}
			i = k - 1
			continue
		}
		if j.whole {
			// No savepoint: the function writes only once it has decided, so its error is
			// a storage failure, after which the transaction is not to be trusted.
			if err := j.fn(tx); err != nil {
				fail("scrittura", err)
				return
			}
			continue
		}
		if _, err := tx.Exec("SAVEPOINT job"); err != nil {
			fail("savepoint", err)
			return
		}
		errs[i] = j.fn(tx)
		if errs[i] != nil {
			if _, err := tx.Exec("ROLLBACK TO job"); err != nil {
				fail("rollback to savepoint", err)
				return
			}
		}
		if _, err := tx.Exec("RELEASE job"); err != nil {
			fail("release savepoint", err)
			return
		}
	}
}

// fail answers every job of b with err: its transaction is gone.
func (b *batch) fail(err error) {
	for i := range b.errs {
		b.errs[i] = err
	}
	b.over = true
}

// end commits b, if it is still open, and hands its answers to the syncer.
func (db *DB) end(b *batch) {
	if !b.over {
		db.commit(b)
	}
	if b.committed {
		db.unsynced.Add(1)
	}
	db.committed <- answers{jobs: b.jobs, errs: b.errs, durable: b.committed}
}

func (db *DB) commit(b *batch) {
	if err := db.sums.flush(b.tx, db.now()); err != nil {
		b.tx.Rollback()
		db.Logger.Error("contatori", "err", err, "batch", len(b.jobs))
		b.fail(retryable(err))
		return
	}
	committing := time.Now()
	if err := b.tx.Commit(); err != nil {
		db.Logger.Error("commit", "err", err, "batch", len(b.jobs))
		b.fail(retryable(err))
		return
	}
	b.committed = true
	n := len(b.jobs)
	db.statsMu.Lock()
	db.stats.Batches++
	db.stats.Jobs += int64(n)
	db.stats.MaxBatch = max(db.stats.MaxBatch, n)
	db.stats.Sizes[min(bits.Len(uint(n-1)), len(db.stats.Sizes)-1)]++
	db.stats.Run += b.running
	db.stats.Commit += time.Since(committing)
	db.stats.Wait += b.wait
	db.statsMu.Unlock()
	for i := range b.errs {
		b.errs[i] = classify(b.errs[i])
	}
}

// retryable turns a failure of the transaction itself into ERETRY: nothing was stored.
func retryable(err error) error {
	return &core.Error{Code: core.ERETRY, Message: "Il server è momentaneamente occupato e non ha " +
		"salvato la richiesta: riprova fra qualche secondo (i dati non vanno persi)."}
}

// classify keeps *core.Error as they are, turns busy and locked SQLite errors into ERETRY, and
// leaves the rest as internal errors.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return retryable(err)
	}
	return err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// migrationFills are the parts of a migration written in Go, run in its transaction after its
// SQL: what SQL cannot compute (the civil day in Italy of an instant).
var migrationFills = map[int]func(tx *sql.Tx) error{
	3: fillCounts,
}

// migrationsWithoutForeignKeys rebuild a table that others refer to: they run with foreign
// keys off (a dropped parent would fail or cascade), and PRAGMA foreign_key_check must find
// nothing before their commit, as SQLite prescribes for changing a table's structure.
var migrationsWithoutForeignKeys = map[int]bool{7: true}

// migrate applies, in order, every embedded migration newer than the database's version.
func (db *DB) migrate() error {
	if _, err := db.write.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrazioni: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	type mig struct {
		version int
		name    string
	}
	var ms []mig
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migrazione %s: il nome deve iniziare con un numero e _", n)
		}
		ms = append(ms, mig{v, n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for _, m := range ms {
		var n int
		if err := db.write.QueryRow(`SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(m.name)
		if err != nil {
			return err
		}
		if err := db.migrateOne(m.version, m.name, string(body)); err != nil {
			return err
		}
	}
	return nil
}

// migrateOne applies one migration in its transaction.
func (db *DB) migrateOne(version int, name, body string) error {
	noFK := migrationsWithoutForeignKeys[version]
	if noFK {
		// A PRAGMA of the one writer connection, outside any transaction (inside one it is
		// ignored).
		if _, err := db.write.Exec(`PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer db.write.Exec(`PRAGMA foreign_keys = ON`)
	}
	tx, err := db.write.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(body); err != nil {
		return fmt.Errorf("migrazione %s: %w", name, err)
	}
	if noFK {
		var table string
		switch err := tx.QueryRow(`SELECT "table" FROM pragma_foreign_key_check LIMIT 1`).Scan(&table); {
		case err == nil:
			return fmt.Errorf("migrazione %s: riferimenti non validi nella tabella %s", name, table)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("migrazione %s: %w", name, err)
		}
	}
	if fill := migrationFills[version]; fill != nil {
		if err := fill(tx); err != nil {
			return fmt.Errorf("migrazione %s: %w", name, err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, strings.TrimPrefix(name, "migrations/"), fmtTime(db.now())); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Backup writes a consistent copy of the database at src to dst with VACUUM INTO, through a
// connection of its own: it reads one snapshot while a running server keeps writing, and the
// copy is compact and complete (no WAL beside it). dst must not exist.
func Backup(ctx context.Context, src, dst string) error {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "5000")
	c, err := sql.Open("sqlite3", "file:"+src+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer c.Close()
	var n int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("%s non è un database di nullaosta: %w", src, err)
	}
	_, err = c.ExecContext(ctx, `VACUUM INTO ?`, dst)
	return err
}

// timeLayout is how instants are stored: UTC, milliseconds, sortable as text.
const timeLayout = core.ReceivedAtLayout

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// SetLogger sets the logger of the failures the caller does not see.
func (db *DB) SetLogger(l *slog.Logger) { db.Logger = l }

// SetClock sets the store's clock (the demo loader dates its data in the past).
func (db *DB) SetClock(now func() time.Time) { db.Now = now }
