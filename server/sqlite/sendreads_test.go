package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkSendReads: the CPU of the reads every send makes (the token's user, the module to
// send; a browser's session and its user) with a context that can be cancelled, as a request's
// is; "commits" with the writer committing every 2 ms, which drops the page cache of every
// read-pool connection (not the writer's, where the token and the module are read: see
// writerRow); "parallel" with 16 readers at once. cpu-ns/op is the whole process's CPU,
// the commits' included.
func BenchmarkSendReads(b *testing.B) {
	db := openBare(b)
	db.Now = func() time.Time { return time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC) }
	const modules = 5000
	ids := make([]string, modules)
	tx, err := db.writerConn().Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range ids {
		ids[i] = fmt.Sprintf("EM-%04d-BBBB-1", i)
		if _, err := tx.Exec(`INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at, employer_search)
			VALUES (?, 'EM', 'em2009', 1, ?, '2009-09-01T00:00:00.000Z', 'ROSSI')`, ids[i],
			`{"datore.cognome":"ROSSI","datore.nome":"MARIA","datore.codice_fiscale":"RSSMRA70C47D205X","lavoratore.cognome":"POPESCU","lavoratore.nome":"ANA","lavoratore.data_nascita":"1980-01-02","lavoratore.cittadinanza":"ROMANIA"}`); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO sessions (hash, user_id, created_at, expires_at)
		VALUES (x'0304', 1, '2009-09-01T00:00:00.000Z', '2009-10-01T00:00:00.000Z')`); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
	token := func() error { _, _, err := db.TokenUser(ctx, []byte{1, 2}); return err }
	module := func() error { _, err := db.ModuleToSend(ctx, ids[rand.IntN(modules)]); return err }
	both := func() error {
		if err := token(); err != nil {
			return err
		}
		return module()
	}
	run("session", func() error { _, _, err := db.SessionUser(ctx, []byte{3, 4}); return err })
	run("token", token)
	run("module", module)
	run("both", both)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			db.Write(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2009-09-15T08:00:00.000Z', 'test', 'x', ?, '')`, i)
				return err
			})
		}
	}()
	run("both-commits", both)
	// 16 senders at once, as on click day: the read pool's connections each start cold
	// after every commit.
	b.Run("both-commits-parallel", func(b *testing.B) {
		b.SetParallelism(8)
		start := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := both(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
	close(stop)
	<-done
}
