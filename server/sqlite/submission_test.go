package sqlite_test

import (
	"sync"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/sqlite"
	"nullaosta/server/storetest"
)

func TestProtocolPrefix(t *testing.T) {
	for in, want := range map[string]string{"em2009": "EM2009", "demo-em": "DEMOEM", "a2007": "A2007"} {
		if got := sqlite.ProtocolPrefix(in); got != want {
			t.Errorf("ProtocolPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSubmitParallel measures durable submissions per second through the group commit,
// each a separate Submit from one of 50 goroutines per CPU, as concurrent HTTP requests make
// them. A figure, not a test.
func BenchmarkSubmitParallel(b *testing.B) {
	db := openTest(b)
	u := storetest.NewUser(b, db, "bench@example.it")
	ms := make([]*core.Module, b.N)
	for i := range ms {
		ms[i] = storetest.CreateModule(b, db, u.ID, "em2009")
	}
	var next sync.Mutex
	i := 0
	before := db.Stats()
	b.SetParallelism(50)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			next.Lock()
			m := ms[i]
			i++
			next.Unlock()
			in := storetest.Input(u, m, "bench-"+m.ID, `{"m":"`+m.ID+`"}`)
			in.EmployerKey = m.ID
			if o := storetest.Submit1(b, db, in); o.Status != core.StatusAccepted {
				b.Fatalf("%+v", o)
			}
		}
	})
	b.StopTimer()
	st := db.Stats()
	b.ReportMetric(float64(st.Jobs-before.Jobs)/float64(max(st.Batches-before.Batches, 1)), "writes/commit")
}
