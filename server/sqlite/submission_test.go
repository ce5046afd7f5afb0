package sqlite_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
	"nullaosta/shared"
)

func input(u *core.User, m *core.Module, sub, content string) core.SubmissionInput {
	sum := sha256.Sum256([]byte(content))
	return core.SubmissionInput{
		SubmissionID: sub, ModuleID: m.ID, UserID: u.ID, CampaignID: m.CampaignID,
		Content: []byte(content), SHA256: hex.EncodeToString(sum[:]),
		EmployerKey: "RSSMRA70C47D205X", Tipologia: "colf", Sportello: "Sportello Unico per l'Immigrazione di Cuneo", Provincia: "CN",
	}
}

func submit1(t testing.TB, db *sqlite.DB, in core.SubmissionInput) core.SubmissionOutcome {
	t.Helper()
	return db.Submit(ctx, []core.SubmissionInput{in})[0]
}

func TestSubmit(t *testing.T) {
	db := openTest(t)
	u := newUser(t, db, "s@example.it")
	other := newUser(t, db, "other@example.it")
	m := createModule(t, db, u.ID, "em2009")

	o := submit1(t, db, input(u, m, "sub-00000001", `{"a":"1"}`))
	if o.Status != core.StatusAccepted || o.Receipt == nil {
		t.Fatalf("first submission: %+v", o)
	}
	r := o.Receipt
	if r.Protocol != "EM2009-0000001" || r.ReceivedAt != "2009-09-15T08:00:00.000Z" || r.ReceivedAtRome != "15/09/2009 10:00:00" || r.Provincia != "CN" {
		t.Fatalf("receipt %+v", r)
	}
	if err := receipt.Verify(testSigner().PublicKey(), r); err != nil {
		t.Fatalf("receipt signature: %v", err)
	}

	// Replay: same id, same content → the same receipt.
	if o := submit1(t, db, input(u, m, "sub-00000001", `{"a":"1"}`)); o.Status != core.StatusAccepted || *o.Receipt != *r {
		t.Fatalf("replay: %+v", o)
	}
	// Another id, same content (the client lost its id) → the same receipt.
	if o := submit1(t, db, input(u, m, "sub-00000002", `{"a":"1"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != r.Protocol {
		t.Fatalf("same content, new id: %+v", o)
	}
	// Different content for a sent module → conflict.
	if o := submit1(t, db, input(u, m, "sub-00000003", `{"a":"2"}`)); o.Status != core.StatusConflict || core.ErrorCode(o.Err) != core.ECONFLICT {
		t.Fatalf("changed content: %+v", o)
	}
	// The same id for another module → conflict.
	m2 := createModule(t, db, u.ID, "em2009")
	if o := submit1(t, db, input(u, m2, "sub-00000001", `{"a":"3"}`)); o.Status != core.StatusConflict {
		t.Fatalf("reused id: %+v", o)
	}
	// Not the owner → rejected as not found.
	if o := submit1(t, db, input(other, m2, "sub-00000004", `{"a":"3"}`)); o.Status != core.StatusRejected || core.ErrorCode(o.Err) != core.ENOTFOUND {
		t.Fatalf("not the owner: %+v", o)
	}
	// Wrong campaign → rejected.
	in := input(u, m2, "sub-00000005", `{"a":"3"}`)
	in.CampaignID = "demo-em"
	if o := submit1(t, db, in); o.Status != core.StatusRejected {
		t.Fatalf("wrong campaign: %+v", o)
	}
	// The next accepted one takes the next number.
	if o := submit1(t, db, input(u, m2, "sub-00000006", `{"a":"3"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != "EM2009-0000002" {
		t.Fatalf("second module: %+v", o)
	}
	m3 := createModule(t, db, u.ID, "demo-em")
	if o := submit1(t, db, input(u, m3, "sub-00000007", `{"a":"4"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != "DEMOEM-0000001" {
		t.Fatalf("another campaign numbers from 1: %+v", o)
	}

	rs, err := db.Receipts(ctx, u.ID)
	if err != nil || len(rs) != 3 {
		t.Fatalf("Receipts = %d, %v", len(rs), err)
	}
	got, owner, content, err := db.Receipt(ctx, r.Protocol)
	if err != nil || owner != u.ID || string(content) != `{"a":"1"}` || *got != *r {
		t.Fatalf("Receipt = %+v %d %s %v", got, owner, content, err)
	}
	mod, _ := db.Module(ctx, m.ID)
	if mod.Status != core.ModuleSent || mod.Receipt == nil || mod.Receipt.Protocol != r.Protocol {
		t.Fatalf("module after sending: %+v", mod)
	}
}

// TestSubmitCheckSent: the rules across modules see, in the same transaction, what the employer
// already sent, and a rejection leaves nothing behind.
func TestSubmitCheckSent(t *testing.T) {
	db := openTest(t)
	u := newUser(t, db, "e3@example.it")
	var seen []int
	check := func(sent []shared.Data) []shared.Problem {
		seen = append(seen, len(sent))
		if len(sent) >= 1 {
			return []shared.Problem{{Field: "rapporto.tipologia", Code: shared.CodeLimitColf, Severity: shared.SeverityError, Message: "al massimo 1 colf"}}
		}
		return nil
	}
	var ins []core.SubmissionInput
	for i := range 3 {
		m := createModule(t, db, u.ID, "em2009")
		in := input(u, m, fmt.Sprintf("sub-e3-%04d", i), fmt.Sprintf(`{"n":"%d"}`, i))
		in.CheckSent = check
		ins = append(ins, in)
	}
	// All three in one request: the second and third see the first.
	out := db.Submit(ctx, ins)
	if out[0].Status != core.StatusAccepted || out[1].Status != core.StatusRejected || out[2].Status != core.StatusRejected {
		t.Fatalf("outcomes %+v", out)
	}
	if ps := core.ErrorProblems(out[1].Err); len(ps) != 1 || ps[0].Code != shared.CodeLimitColf {
		t.Fatalf("problems %+v", ps)
	}
	if fmt.Sprint(seen) != "[0 1 1]" {
		t.Fatalf("CheckSent saw %v", seen)
	}
	// The rejected ones consumed no protocol number.
	m := createModule(t, db, u.ID, "em2009")
	in := input(u, m, "sub-e3-other", `{"n":"x"}`)
	in.EmployerKey = "ANOTHER"
	if o := submit1(t, db, in); o.Receipt.Protocol != "EM2009-0000002" {
		t.Fatalf("next protocol %+v", o)
	}
}

// TestSubmitSameIDConcurrently: a hundred goroutines send the same submission at once; there
// is exactly one receipt, and everyone gets it.
func TestSubmitSameIDConcurrently(t *testing.T) {
	db := openTest(t)
	u := newUser(t, db, "c@example.it")
	m := createModule(t, db, u.ID, "em2009")
	const n = 100
	var wg sync.WaitGroup
	out := make([]core.SubmissionOutcome, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = submit1(t, db, input(u, m, "same-submission-id", `{"x":"1"}`))
		}()
	}
	wg.Wait()
	for i, o := range out {
		if o.Status != core.StatusAccepted || o.Receipt.Protocol != "EM2009-0000001" || o.Receipt.Signature != out[0].Receipt.Signature {
			t.Fatalf("goroutine %d: %+v", i, o)
		}
	}
	if rs, _ := db.Receipts(ctx, u.ID); len(rs) != 1 {
		t.Fatalf("%d receipts stored", len(rs))
	}
}

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
	u := newUser(b, db, "bench@example.it")
	ms := make([]*core.Module, b.N)
	for i := range ms {
		ms[i] = createModule(b, db, u.ID, "em2009")
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
			in := input(u, m, "bench-"+m.ID, `{"m":"`+m.ID+`"}`)
			in.EmployerKey = m.ID
			if o := submit1(b, db, in); o.Status != core.StatusAccepted {
				b.Fatalf("%+v", o)
			}
		}
	})
	b.StopTimer()
	st := db.Stats()
	b.ReportMetric(float64(st.Jobs-before.Jobs)/float64(max(st.Batches-before.Batches, 1)), "writes/commit")
}
