package sqlite

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// probeAnswer writes answers as SQLite's json_group_array(json_array(…)) does, in the order given.
func probeAnswer(t testing.TB, ps []runProbe, order []int) string {
	rows := make([]any, 0, len(order))
	for _, k := range order {
		p := ps[k]
		var owner, campaign any
		if p.Owner != nil {
			owner, campaign = *p.Owner, p.Campaign
		}
		b := func(v bool) int {
			if v {
				return 1
			}
			return 0
		}
		rows = append(rows, []any{k, owner, campaign, b(p.IDUsed), b(p.ModuleSent), b(p.EmployerSent)})
	}
	out, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestParseProbesTwins: the hand reader of probeRun's answer reads what encoding/json reads,
// and leaves to it every answer it does not know.
func TestParseProbesTwins(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	campaigns := []string{"em2009", "demo-em", "a2007", `quo"te`, `back\slash`, "è", ""}
	for i := range 2000 {
		n := r.IntN(70)
		ps := make([]runProbe, n)
		for k := range ps {
			if r.IntN(8) > 0 {
				owner := r.Int64N(1 << 40)
				if i%3 == 0 {
					owner = int64(r.IntN(30))
				}
				ps[k].Owner, ps[k].Campaign = &owner, campaigns[r.IntN(len(campaigns))]
			}
			ps[k].IDUsed, ps[k].ModuleSent, ps[k].EmployerSent = r.IntN(5) == 0, r.IntN(5) == 0, r.IntN(2) == 0
		}
		order := r.Perm(n)
		answer := probeAnswer(t, ps, order)
		want, err := parseProbesJSON(answer, n)
		if err != nil {
			t.Fatalf("%s: %v", answer, err)
		}
		if !reflect.DeepEqual(want, ps) {
			t.Fatalf("the encoding/json reader: %s read as %+v", answer, want)
		}
		got, ok := parseProbes(answer, n)
		escaped := strings.Contains(answer, `\`)
		switch {
		case ok && !reflect.DeepEqual(got, want):
			t.Fatalf("%s: hand reader %+v, encoding/json %+v", answer, got, want)
		case !ok && !escaped:
			t.Fatalf("%s: the hand reader left an answer without escapes to encoding/json", answer)
		case ok && escaped:
			t.Fatalf("%s: the hand reader read an escaped string", answer)
		}
	}
	// Answers that are not what n inputs get: never read by hand.
	for _, c := range []struct {
		answer string
		n      int
	}{
		{`[]`, 1},
		{`[[0,1,"em",0,0,0]]`, 2},
		{`[[0,1,"em",0,0,0],[0,1,"em",0,0,0]]`, 2},
		{`[[2,1,"em",0,0,0]]`, 1},
		{`[[0,1,"em",0,0,2]]`, 1},
		{`[[0,1,"em",0,0,0]`, 1},
		{`[[0,1,"em",0,0,0]] `, 1},
		{`[[0, 1,"em",0,0,0]]`, 1},
		{`[[0,-1,"em",0,0,0]]`, 1},
		{`[[0,1,"em",0,0]]`, 1},
		{`[[0,null,"em",0,0,0,0]]`, 1},
		{`[[0,1,em,0,0,0]]`, 1},
		{`[[99999999999999999999,1,"em",0,0,0]]`, 1},
	} {
		if got, ok := parseProbes(c.answer, c.n); ok {
			t.Errorf("parseProbes(%s, %d) = %+v, want not ok", c.answer, c.n, got)
		}
	}
}

// FuzzParseProbes: whatever the hand reader accepts, encoding/json reads the same way.
func FuzzParseProbes(f *testing.F) {
	f.Add(`[[0,1,"em2009",0,1,0],[1,null,null,0,0,0]]`, 2)
	f.Add(`[]`, 0)
	f.Fuzz(func(t *testing.T, answer string, n int) {
		if n < 0 || n > 100 {
			return
		}
		got, ok := parseProbes(answer, n)
		if !ok {
			return
		}
		want, err := parseProbesJSON(answer, n)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: hand reader %+v, encoding/json %+v, %v", answer, got, want, err)
		}
	})
}

// BenchmarkParseProbes: reading the probe's answer for a run of 20 inputs, by hand and by
// encoding/json.
func BenchmarkParseProbes(b *testing.B) {
	ps := make([]runProbe, 20)
	for k := range ps {
		owner := int64(k + 1)
		ps[k].Owner, ps[k].Campaign = &owner, "em2009"
	}
	answer := probeAnswer(b, ps, rand.Perm(len(ps)))
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := parseProbes(answer, len(ps)); !ok {
				b.Fatal(answer)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseProbesJSON(answer, len(ps)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
