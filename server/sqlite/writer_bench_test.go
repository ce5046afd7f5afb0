package sqlite

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

// BenchmarkWriterSubmit is the writer's work for click day's submissions, in batches of
// Submit jobs of one input each (1: a lone sender; 13 about the mean commit at C=50 over HTTP
// on this machine, 30 and 50 its larger ones): probeRun, the checks, the insert,
// the counters and the commit, run by runBatch on the benchmark's goroutine, which stands in
// for the writer goroutine (standIn: also the checkpoints the checkpointer asks it to
// finish), locked to its thread, so that "cpu-µs/sub" is that thread's CPU per submission
// whatever else the machine runs, and "KB-written/sub" what it wrote (the WAL's frames, and
// the statement journal's temporary file if the INSERT keeps one). The fsync is the syncer's,
// on another thread. The inputs are the EM fixture's (a content of about 2 KB) with random ids
// and employer keys, and the load generator's names (the employer's surname changes with every
// application, the worker is always the same). A figure, not a test: run it with
// -benchtime=10000x, the size of the load generator's runs.
func BenchmarkWriterSubmit(b *testing.B) {
	for _, batch := range []int{1, 13, 30, 50} {
		b.Run(fmt.Sprint("batch=", batch), func(b *testing.B) {
			db, ins := writerBenchDB(b, b.N)
			// The nonces are presigned by the requests, not the writer.
			nonces := core.Presign(db.Signer, len(ins))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			before, wrote := threadCPU(), threadWrote(b)
			b.ResetTimer()
			for i := 0; i < len(ins); i += batch {
				jobs := make([]*job, 0, batch)
				for k := i; k < min(i+batch, len(ins)); k++ {
					sj := &submitJob{in: ins[k : k+1], out: make([]core.SubmissionOutcome, 1), nonces: nonces[k : k+1]}
					jobs = append(jobs, &job{sub: sj, done: make(chan error, 1), queued: time.Now(), whole: true})
				}
				db.finishAsked()
				db.runBatch(jobs)
				for _, j := range jobs {
					if err := <-j.done; err != nil || j.sub.out[0].Status != core.StatusAccepted {
						b.Fatalf("%v %+v", err, j.sub.out[0])
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(threadCPU()-before)/1e3/float64(b.N), "cpu-µs/sub")
			b.ReportMetric(float64(threadWrote(b)-wrote)/1e3/float64(b.N), "KB-written/sub")
		})
	}
}

// threadWrote is how many bytes the calling thread wrote.
func threadWrote(b *testing.B) int64 {
	io, err := os.ReadFile("/proc/thread-self/io")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(io), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no wchar in /proc/thread-self/io")
	return 0
}

// threadCPU is the calling thread's CPU time, in nanoseconds.
func threadCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		panic(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// standIn opens the database at path without its writer goroutine: the caller's goroutine
// stands in for it, and is the only one to use the writer's connection (db.wc). The production
// writer is the only user of that connection's transactions; a benchmark that ran runBatch
// beside it failed now and then, when the writer finished a checkpoint the checkpointer had
// asked for on the same connection in the middle of a batch ("database table is locked",
// "cannot commit transaction - SQL statements in progress"). The caller calls finishAsked
// between its batches, as the writer does.
func standIn(b *testing.B, path string) *DB {
	db, err := open(path, false)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		// What the writer goroutine does when it stops, so that Close can finish.
		close(db.committed)
		close(db.stopped)
		db.Close()
	})
	return db
}

// writerBenchDB opens a database with 500 users and n modules, and returns n inputs, one per
// module, made from the EM fixture with random ids, employers and names. The benchmark's
// goroutine stands in for the writer (standIn).
func writerBenchDB(b *testing.B, n int) (*DB, []core.SubmissionInput) {
	body, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	db := standIn(b, filepath.Join(b.TempDir(), "bench.db"))
	t0 := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "nullaosta bench key, not secret")
	db.Signer = receipt.NewSigner(ed25519.NewKeyFromSeed(seed))

	c, _ := shared.OfficialCampaign(shared.KindEM)
	r := rand.New(rand.NewPCG(1, 2))
	letters := func(k int) string {
		s := make([]byte, k)
		for i := range s {
			s[i] = byte('A' + r.IntN(26))
		}
		return string(s)
	}
	word := func(n uint64) string {
		const cons = "BCDFGLMNPRSTVZ"
		return string(cons[n%14]) + "a" + strings.ToLower(string(cons[(n/14)%14])) + "a" + strings.ToLower(string(cons[(n/196)%14])) + "a"
	}
	tx, err := db.writerConn().Begin()
	if err != nil {
		b.Fatal(err)
	}
	const users = 500
	for u := 1; u <= users; u++ {
		if _, err := tx.Exec(`INSERT INTO users (id, email, cognome, nome, data_nascita, password_hash, active, created_at)
			VALUES (?, ?, 'Rossi', 'Maria', '1970-01-01', 'x', 1, '2009-09-01T00:00:00.000Z')`, u, fmt.Sprintf("u%d@example.it", u)); err != nil {
			b.Fatal(err)
		}
	}
	ins := make([]core.SubmissionInput, n)
	for i := range ins {
		d, err := shared.DecodeData(body)
		if err != nil {
			b.Fatal(err)
		}
		// The load generator's names: consecutive applications change the surname's first
		// consonant, the worker is always the same.
		d["datore.cognome"], d["datore.nome"] = word(uint64(i)%2744), word(7)
		sub := shared.PrepareSubmission(shared.KindEM, &c, d, t0)
		if !sub.OK() {
			b.Fatalf("fixture not valid: %v", sub.Problems)
		}
		m := &core.Module{ID: core.FormatModuleID(shared.KindEM, r.Uint64()>>24), UserID: int64(1 + i%users), CampaignID: c.ID, Kind: shared.KindEM}
		if _, err := tx.Exec(`INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at) VALUES (?, 'EM', ?, ?, ?, '2009-09-01T00:00:00.000Z')`,
			m.ID, m.CampaignID, m.UserID, `{"datore.codice_fiscale":"`+letters(16)+`"}`); err != nil {
			b.Fatal(err)
		}
		ins[i] = core.NewSubmissionInput(fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()), m, &c, d, sub)
		ins[i].EmployerKey = letters(16)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return db, ins
}

// BenchmarkProbeRun is probeRun for a run of 13 inputs not sent yet, against a database that
// holds 10,000 submissions, in the writer's CPU per input.
func BenchmarkProbeRun(b *testing.B) {
	db, ins := writerBenchDB(b, 10000+13*64)
	stored := ins[:10000]
	for i := 0; i < len(stored); i += 50 {
		var jobs []*job
		for k := i; k < min(i+50, len(stored)); k++ {
			sj := &submitJob{in: stored[k : k+1], out: make([]core.SubmissionOutcome, 1)}
			jobs = append(jobs, &job{sub: sj, done: make(chan error, 1), queued: time.Now(), whole: true})
		}
		db.finishAsked()
		db.runBatch(jobs)
		for _, j := range jobs {
			if err := <-j.done; err != nil {
				b.Fatal(err)
			}
		}
	}
	const n = 13
	fresh := ins[10000:]
	var runs [][]*core.SubmissionInput
	for i := 0; i+n <= len(fresh); i += n {
		var run []*core.SubmissionInput
		for k := range n {
			run = append(run, &fresh[i+k])
		}
		runs = append(runs, run)
	}
	tx, err := db.writerConn().Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := threadCPU()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ps, err := probeRun(tx, runs[i%len(runs)])
		if err != nil || len(ps) != n || ps[0].Owner == nil || ps[0].IDUsed {
			b.Fatal(err, ps)
		}
	}
	b.ReportMetric(float64(threadCPU()-before)/1e3/float64(b.N*n), "cpu-µs/input")
}
