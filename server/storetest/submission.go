package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

// Input is a submission of module m by u with that id and content.
func Input(u *core.User, m *core.Module, sub, content string) core.SubmissionInput {
	sum := sha256.Sum256([]byte(content))
	return core.SubmissionInput{
		SubmissionID: sub, ModuleID: m.ID, UserID: u.ID, CampaignID: m.CampaignID,
		Content: content, SHA256: hex.EncodeToString(sum[:]),
		EmployerKey: "RSSMRA70C47D205X", Tipologia: "colf", Sportello: "Sportello Unico per l'Immigrazione di Cuneo", Provincia: "CN",
	}
}

// Submit1 submits one input.
func Submit1(t testing.TB, db Store, in core.SubmissionInput) core.SubmissionOutcome {
	t.Helper()
	return db.Submit(ctx, []core.SubmissionInput{in})[0]
}

func testSubmit(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "s@example.it")
	other := NewUser(t, db, "other@example.it")
	m := CreateModule(t, db, u.ID, "em2009")

	o := Submit1(t, db, Input(u, m, "sub-00000001", `{"a":"1"}`))
	if o.Status != core.StatusAccepted || o.Receipt == nil {
		t.Fatalf("first submission: %+v", o)
	}
	r := o.Receipt
	if r.Protocol != "EM2009-0000001" || r.ReceivedAt != "2009-09-15T08:00:00.000Z" || r.ReceivedAtRome != "15/09/2009 10:00:00" || r.Provincia != "CN" {
		t.Fatalf("receipt %+v", r)
	}
	if err := receipt.Verify(Signer().PublicKey(), r); err != nil {
		t.Fatalf("receipt signature: %v", err)
	}

	// Replay: same id, same content → the same receipt.
	if o := Submit1(t, db, Input(u, m, "sub-00000001", `{"a":"1"}`)); o.Status != core.StatusAccepted || *o.Receipt != *r {
		t.Fatalf("replay: %+v", o)
	}
	// Another id, same content (the client lost its id) → the same receipt.
	if o := Submit1(t, db, Input(u, m, "sub-00000002", `{"a":"1"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != r.Protocol {
		t.Fatalf("same content, new id: %+v", o)
	}
	// Different content for a sent module → conflict.
	if o := Submit1(t, db, Input(u, m, "sub-00000003", `{"a":"2"}`)); o.Status != core.StatusConflict || core.ErrorCode(o.Err) != core.ECONFLICT {
		t.Fatalf("changed content: %+v", o)
	}
	// The same id for another module → conflict.
	m2 := CreateModule(t, db, u.ID, "em2009")
	if o := Submit1(t, db, Input(u, m2, "sub-00000001", `{"a":"3"}`)); o.Status != core.StatusConflict {
		t.Fatalf("reused id: %+v", o)
	}
	// Not the owner → rejected as not found.
	if o := Submit1(t, db, Input(other, m2, "sub-00000004", `{"a":"3"}`)); o.Status != core.StatusRejected || core.ErrorCode(o.Err) != core.ENOTFOUND {
		t.Fatalf("not the owner: %+v", o)
	}
	// Wrong campaign → rejected.
	in := Input(u, m2, "sub-00000005", `{"a":"3"}`)
	in.CampaignID = "demo-em"
	if o := Submit1(t, db, in); o.Status != core.StatusRejected {
		t.Fatalf("wrong campaign: %+v", o)
	}
	// The next accepted one takes the next number.
	if o := Submit1(t, db, Input(u, m2, "sub-00000006", `{"a":"3"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != "EM2009-0000002" {
		t.Fatalf("second module: %+v", o)
	}
	m3 := CreateModule(t, db, u.ID, "demo-em")
	if o := Submit1(t, db, Input(u, m3, "sub-00000007", `{"a":"4"}`)); o.Status != core.StatusAccepted || o.Receipt.Protocol != "DEMOEM-0000001" {
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
	sameToSend(t, db, mod)
}

// TestSubmitCheckSent: the rules across modules see, in the same transaction, what the employer
// already sent, and a rejection leaves nothing behind.
func testSubmitCheckSent(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "e3@example.it")
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
		m := CreateModule(t, db, u.ID, "em2009")
		in := Input(u, m, fmt.Sprintf("sub-e3-%04d", i), fmt.Sprintf(`{"n":"%d"}`, i))
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
	m := CreateModule(t, db, u.ID, "em2009")
	in := Input(u, m, "sub-e3-other", `{"n":"x"}`)
	in.EmployerKey = "ANOTHER"
	if o := Submit1(t, db, in); o.Receipt.Protocol != "EM2009-0000002" {
		t.Fatalf("next protocol %+v", o)
	}
}

// TestSubmitSameIDConcurrently: a hundred goroutines send the same submission at once; there
// is exactly one receipt, and everyone gets it.
func testSubmitSameIDConcurrently(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "c@example.it")
	m := CreateModule(t, db, u.ID, "em2009")
	const n = 100
	var wg sync.WaitGroup
	out := make([]core.SubmissionOutcome, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Submit1(t, db, Input(u, m, "same-submission-id", `{"x":"1"}`))
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

// testSubmitGapless: concurrent submissions, some refused by E3, get the protocol numbers
// 1…n of their campaign exactly once each: a refusal consumes no number.
func testSubmitGapless(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "gapless@example.it")
	const n = 40
	ms := make([]*core.Module, n)
	for i := range ms {
		ms[i] = CreateModule(t, db, u.ID, "em2009")
	}
	refuse := func(sent []shared.Data) []shared.Problem {
		return []shared.Problem{{Field: "rapporto.tipologia", Code: shared.CodeLimitColf, Severity: shared.SeverityError, Message: "no"}}
	}
	var wg sync.WaitGroup
	out := make([]core.SubmissionOutcome, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := Input(u, ms[i], fmt.Sprintf("gapless-%03d", i), fmt.Sprintf(`{"i":"%d"}`, i))
			in.EmployerKey = ms[i].ID
			if i%4 == 3 {
				in.CheckSent = refuse
			}
			out[i] = Submit1(t, db, in)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, o := range out {
		if i%4 == 3 {
			if o.Status != core.StatusRejected {
				t.Errorf("input %d: %+v, want rejected", i, o)
			}
			continue
		}
		if o.Status != core.StatusAccepted || seen[o.Receipt.Protocol] {
			t.Fatalf("input %d: %+v (seen %v)", i, o, seen[o.Receipt.Protocol])
		}
		seen[o.Receipt.Protocol] = true
	}
	for k := 1; k <= n-n/4; k++ {
		if p := fmt.Sprintf("EM2009-%07d", k); !seen[p] {
			t.Errorf("protocol %s missing: numbers are not gapless (%d accepted)", p, len(seen))
		}
	}
}

// testSubmitCollisionsInOneBatch: inputs stored together in one commit still see each other,
// in their order: the same module twice under two ids gets one receipt, an id reused for
// another module is a conflict, a replay of an input of the same request gets its receipt,
// and the protocol numbers of what was stored follow the order of the inputs.
func testSubmitCollisionsInOneBatch(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "batch@example.it")
	m1 := CreateModule(t, db, u.ID, "em2009")
	m2 := CreateModule(t, db, u.ID, "em2009")
	m3 := CreateModule(t, db, u.ID, "em2009")
	ins := []core.SubmissionInput{
		Input(u, m1, "batch-0001", `{"a":"1"}`),
		Input(u, m1, "batch-0002", `{"a":"1"}`), // the same module and content, another id
		Input(u, m2, "batch-0001", `{"a":"2"}`), // the id of the first, another module
		Input(u, m2, "batch-0003", `{"a":"2"}`),
		Input(u, m1, "batch-0001", `{"a":"1"}`), // the first again
		Input(u, m1, "batch-0004", `{"a":"9"}`), // the module of the first, other content
		Input(u, m3, "batch-0005", `{"a":"3"}`),
	}
	for i := range ins {
		ins[i].EmployerKey = fmt.Sprintf("EMPLOYER%d", i)
	}
	out := db.Submit(ctx, ins)
	want := []struct {
		status, protocol string
	}{
		{core.StatusAccepted, "EM2009-0000001"},
		{core.StatusAccepted, "EM2009-0000001"},
		{core.StatusConflict, ""},
		{core.StatusAccepted, "EM2009-0000002"},
		{core.StatusAccepted, "EM2009-0000001"},
		{core.StatusConflict, ""},
		{core.StatusAccepted, "EM2009-0000003"},
	}
	for i, w := range want {
		o := out[i]
		if o.Status != w.status || (w.protocol != "" && (o.Receipt == nil || o.Receipt.Protocol != w.protocol)) {
			t.Errorf("input %d: %+v, want %s %s", i, o, w.status, w.protocol)
		}
	}
	if out[4].Receipt != nil && *out[4].Receipt != *out[0].Receipt {
		t.Errorf("replay in the same request: %+v, want %+v", out[4].Receipt, out[0].Receipt)
	}
	for _, i := range []int{0, 3, 6} {
		if err := receipt.Verify(Signer().PublicKey(), out[i].Receipt); err != nil {
			t.Errorf("input %d: signature %v", i, err)
		}
	}
	rs, err := db.Receipts(ctx, u.ID)
	if err != nil || len(rs) != 3 {
		t.Fatalf("Receipts = %d, %v", len(rs), err)
	}
	// The same, sent by many requests at once: whatever batches they fall in, one receipt
	// per module and the numbers 4…(3+n) exactly once.
	const n = 60
	ms := make([]*core.Module, n)
	for i := range ms {
		ms[i] = CreateModule(t, db, u.ID, "em2009")
	}
	var wg sync.WaitGroup
	outs := make([]core.SubmissionOutcome, 2*n)
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := Input(u, ms[i%n], fmt.Sprintf("many-%03d-%d", i%n, i/n), fmt.Sprintf(`{"i":"%d"}`, i%n))
			outs[i] = Submit1(t, db, in)
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for i, o := range outs {
		if o.Status != core.StatusAccepted || o.Receipt == nil {
			t.Fatalf("request %d: %+v", i, o)
		}
		if i >= n && *o.Receipt != *outs[i-n].Receipt {
			t.Fatalf("module %d: two receipts %+v and %+v", i-n, o.Receipt, outs[i-n].Receipt)
		}
		seen[o.Receipt.Protocol]++
	}
	for k := 4; k < 4+n; k++ {
		if p := fmt.Sprintf("EM2009-%07d", k); seen[p] != 2 {
			t.Errorf("protocol %s given %d times, want 2 (one module, two requests)", p, seen[p])
		}
	}
}

// testSubmitReplayOnly: an input the API did not validate, because it read its module as sent
// (core.SubmissionInput.ReplayOnly), is answered from the submission stored, and never stored
// itself: a module not sent after all answers retry and stays to send.
func testSubmitReplayOnly(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "r@example.it")
	m := CreateModule(t, db, u.ID, "em2009")
	unchecked := func(sub, content string) core.SubmissionInput {
		in := Input(u, m, sub, content)
		in.ReplayOnly = true
		return in
	}
	if o := Submit1(t, db, unchecked("sub-00000001", `{"a":"1"}`)); o.Status != core.StatusRetry || core.ErrorCode(o.Err) != core.ERETRY || o.Receipt != nil {
		t.Fatalf("not sent after all: %+v", o)
	}
	if got, err := db.ModuleToSend(ctx, m.ID); err != nil || got.Status != core.ModuleGenerated {
		t.Fatalf("the module after a refused replay: %+v, %v", got, err)
	}
	o := Submit1(t, db, Input(u, m, "sub-00000001", `{"a":"1"}`))
	if o.Status != core.StatusAccepted {
		t.Fatalf("the send, validated: %+v", o)
	}
	if r := Submit1(t, db, unchecked("sub-00000002", `{"a":"1"}`)); r.Status != core.StatusAccepted || r.Receipt.Protocol != o.Receipt.Protocol {
		t.Fatalf("replay with another id: %+v", r)
	}
	if r := Submit1(t, db, unchecked("sub-00000003", `{"a":"2"}`)); r.Status != core.StatusConflict {
		t.Fatalf("other content: %+v", r)
	}
}
