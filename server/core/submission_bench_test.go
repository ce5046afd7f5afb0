package core

import (
	"os"
	"testing"
	"time"

	"nullaosta/shared"
)

// BenchmarkSubmissionPath is the work the server does in the request for one valid EM
// submission, without the store: the data decoded from its JSON, validated and normalised
// (shared.PrepareSubmission), and the input to store built from it (NewSubmissionInput).
// Its allocations are most of a submission's garbage on click day. "lent" decodes and
// normalises into two maps used again and again; "inplace" normalises the decoded map itself,
// as the API does with its pool.
func BenchmarkSubmissionPath(b *testing.B) {
	body, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	c, _ := shared.OfficialCampaign(shared.KindEM)
	day := time.Date(2009, 9, 15, 0, 0, 0, 0, time.UTC)
	m := &Module{ID: "EM-1234-5678-9", UserID: 1, CampaignID: c.ID, Kind: shared.KindEM}
	inPlace := false
	run := func(b *testing.B, raw, norm shared.Data) SubmissionInput {
		var d shared.Data
		if raw == nil {
			d, err = shared.DecodeData(body)
		} else {
			var ok bool
			d, ok = shared.NewJSONReaderOwned(body).DataInto(raw)
			if !ok {
				b.Fatal("not read")
			}
		}
		if err != nil {
			b.Fatal(err)
		}
		if norm == nil && !inPlace {
			norm = make(shared.Data, len(d))
		}
		var sub shared.Submission
		if inPlace {
			sub = shared.PrepareSubmissionInPlace(shared.KindEM, &c, d, day)
		} else {
			sub = shared.PrepareSubmissionContent(shared.KindEM, &c, d, day, norm)
		}
		if !sub.OK() {
			b.Fatalf("fixture not valid: %v", sub.Problems)
		}
		return NewSubmissionInput("0123456789abcdef", m, &c, d, sub)
	}
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			run(b, nil, nil)
		}
	})
	b.Run("lent", func(b *testing.B) {
		raw, norm := make(shared.Data, 64), make(shared.Data, 64)
		b.ReportAllocs()
		for b.Loop() {
			run(b, raw, norm)
			clear(raw)
			clear(norm)
		}
	})
	// "inplace" is the API's: one lent map, decoded into and normalised in place.
	b.Run("inplace", func(b *testing.B) {
		raw := make(shared.Data, 64)
		inPlace = true
		defer func() { inPlace = false }()
		b.ReportAllocs()
		for b.Loop() {
			run(b, raw, nil)
			clear(raw)
		}
	})
}
