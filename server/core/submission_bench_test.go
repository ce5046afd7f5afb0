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
// Its allocations are most of a submission's garbage on click day.
func BenchmarkSubmissionPath(b *testing.B) {
	body, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	c, _ := shared.OfficialCampaign(shared.KindEM)
	day := time.Date(2009, 9, 15, 0, 0, 0, 0, time.UTC)
	m := &Module{ID: "EM-1234-5678-9", UserID: 1, CampaignID: c.ID, Kind: shared.KindEM}
	run := func(b *testing.B) *SubmissionInput {
		d, err := shared.DecodeData(body)
		if err != nil {
			b.Fatal(err)
		}
		sub := shared.PrepareSubmission(shared.KindEM, &c, d, day)
		if !sub.OK() {
			b.Fatalf("fixture not valid: %v", sub.Problems)
		}
		return NewSubmissionInput("0123456789abcdef", m, &c, d, sub)
	}
	run(b)
	b.ReportAllocs()
	for b.Loop() {
		run(b)
	}
}
