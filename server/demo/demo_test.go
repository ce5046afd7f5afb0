package demo

import (
	"testing"
	"time"

	"nullaosta/shared"
)

// TestApplicationsAreValid: every application the generator makes passes shared.Validate with
// the demo campaigns (warnings allowed), in every province and nationality.
func TestApplicationsAreValid(t *testing.T) {
	now := time.Now()
	g := New(1)
	for i := range 400 {
		k, tip := shared.KindEM, "colf"
		switch i % 4 {
		case 1:
			tip = "badante"
		case 2:
			k = shared.KindA
		}
		prov := []string{"CN", "TO", "MI", "RM", "NA", "BO", "FI", "BA", "PA"}[i%9]
		c := shared.DemoCampaign(k, now)
		d := g.Application(k, tip, prov)
		if ps := shared.Validate(k, &c, d, now); shared.HasErrors(ps) {
			for _, p := range ps {
				if p.Severity == shared.SeverityError {
					t.Errorf("%d %s %s %s: %s: %s", i, k, tip, prov, p.Field, p.Message)
				}
			}
			t.FailNow()
		}
	}
}
