package shared

import (
	"strings"
	"testing"
	"time"
)

func TestCampaignChanges(t *testing.T) {
	was, _ := CampaignByID("em2009")
	if got := CampaignChanges(was, was); got != nil {
		t.Fatalf("same campaign: %+v", got)
	}
	// The demo campaign moves its window every day: not a change of the parameters.
	d1, d2 := DemoCampaign(KindEM, time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)), DemoCampaign(KindEM, time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC))
	if d1.SendFrom == d2.SendFrom || d1.ParamsVersion() != d2.ParamsVersion() || CampaignChanges(d1, d2) != nil {
		t.Fatalf("a moved window counted as a change: %s %s", d1.ParamsVersion(), d2.ParamsVersion())
	}
	now := was
	now.AssegnoSociale = 42000
	now.StartCutoff = "2009-05-01"
	now.CCNL = append([]CCNLLevel(nil), was.CCNL...)
	now.CCNL[0].Monthly++
	if now.ParamsVersion() == was.ParamsVersion() {
		t.Fatal("the version did not change")
	}
	got := CampaignChanges(was, now)
	var lines []string
	for _, c := range got {
		lines = append(lines, c.What+" → "+c.Recheck)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"Inizio del rapporto di lavoro entro il: ora 01/05/2009 (era 01/04/2009) → la data di inizio del rapporto di lavoro",
		"Assegno sociale: ora € 420,00 al mese (era € 409,05 al mese) → la retribuzione del lavoratore",
		"Minimi retributivi del CCNL",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("changes lack %q:\n%s", want, all)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d changes, want 3:\n%s", len(got), all)
	}
}

func TestSendStateAt(t *testing.T) {
	c, _ := CampaignByID("em2009")
	rome := func(s string) time.Time { tt, _ := time.Parse(time.RFC3339, s); return tt }
	for at, want := range map[string]SendState{
		"2009-08-31T21:59:00Z": SendBefore, // 23:59 in Rome on 31 August
		"2009-08-31T22:00:00Z": SendOpenNow,
		"2009-09-30T21:59:00Z": SendOpenNow,
		"2009-09-30T22:00:00Z": SendClosed,
	} {
		if got := c.SendStateAt(rome(at)); got != want {
			t.Errorf("%s: %d, want %d", at, got, want)
		}
	}
}

// TestOpensAt: a window opens at midnight in Rome of SendFrom, or at SendOpensAt (a click day
// at 8:00), to the second.
func TestOpensAt(t *testing.T) {
	c, _ := CampaignByID("em2009")
	if got := c.OpensAt(); !got.Equal(time.Date(2009, 8, 31, 22, 0, 0, 0, time.UTC)) {
		t.Fatalf("OpensAt = %v, want 31 August 22:00 UTC (midnight in Rome, summer time)", got)
	}
	c.SendOpensAt = "2009-09-01T08:00:00+02:00"
	at := c.OpensAt()
	if !at.Equal(time.Date(2009, 9, 1, 6, 0, 0, 0, time.UTC)) {
		t.Fatalf("OpensAt = %v", at)
	}
	if c.SendOpen(at.Add(-time.Millisecond)) || !c.SendOpen(at) || c.SendStateAt(at.Add(-time.Second)) != SendBefore || c.SendStateAt(at) != SendOpenNow {
		t.Error("the window does not open at SendOpensAt")
	}
}
