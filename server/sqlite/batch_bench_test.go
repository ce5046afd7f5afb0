package sqlite_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/storetest"
)

// BenchmarkSubmitBatches is the store's CPU per durable submission as its batches grow: G
// senders each Submit one input at a time, with a 2.3 KB content and random ids, employer and
// names (a random leaf of every random index, as on click day). It reports the writes per
// commit and the process's CPU per submission (getrusage: the writer, the syncer, the
// checkpointer and the senders' own calls). A figure, not a test.
func BenchmarkSubmitBatches(b *testing.B) {
	body, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, g := range []int{4, 16, 64} {
		b.Run(fmt.Sprint("senders=", g), func(b *testing.B) {
			db := openTest(b)
			u := storetest.NewUser(b, db, "bench@example.it")
			ins := make([]core.SubmissionInput, b.N)
			for i := range ins {
				m := storetest.CreateModule(b, db, u.ID, "em2009")
				in := storetest.Input(u, m, random(16), `{"m":"`+m.ID+`",`+string(body[1:]))
				in.EmployerKey, in.EmployerSearch, in.WorkerSearch = random(8), random(6), random(6)
				in.EmployerName, in.WorkerName = in.EmployerSearch, in.WorkerSearch
				ins[i] = in
			}
			var next atomic.Int64
			before := db.Stats()
			c0 := cpu()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range g {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1) - 1)
						if i >= len(ins) {
							return
						}
						if o := storetest.Submit1(b, db, ins[i]); o.Status != core.StatusAccepted {
							b.Errorf("%+v", o)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			st := db.Stats().Since(before)
			b.ReportMetric(float64(st.Jobs)/float64(max(st.Batches, 1)), "writes/commit")
			b.ReportMetric(float64((cpu()-c0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func cpu() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
