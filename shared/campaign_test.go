package shared

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the reference the EU rule is compared with, in every build (wasm too)
)

func TestCampaigns(t *testing.T) {
	cs := Campaigns()
	if len(cs) != 2 || cs[0].ID != "em2009" || cs[1].ID != "a2007" {
		t.Fatalf("Campaigns = %v", cs)
	}
	em, a := cs[0], cs[1]
	if em.Kind != KindEM || em.SendFrom != "2009-09-01" || em.SendTo != "2009-09-30" || em.ReferenceDate != "2009-06-30" ||
		em.StartCutoff != "2009-04-01" || em.PaymentFrom != "2009-08-21" || em.AssegnoSociale != 40905 || em.CSMinimum != 88017 ||
		em.IncomeOneEarner != 2000000 || em.IncomeSeveral != 2500000 || em.Contribution != 50000 || em.MarcaBollo != 1462 ||
		em.ModuleLimit != 5 || em.MaxColf != 1 || em.MaxBadanti != 2 || len(em.CCNL) != 8 {
		t.Errorf("em2009 = %+v", em)
	}
	if a.Kind != KindA || a.AssegnoSociale != 38936 || a.HourlyFloor != 487 || a.MarcaBollo != 1462 || a.Year != 2007 ||
		a.SendFrom == "" || a.SendFrom != a.SendTo || len(a.NumericaCountries) == 0 || a.IncomeFactor != 2 || a.SalaryMonths != 13 {
		t.Errorf("a2007 = %+v", a)
	}
	// Copies are independent.
	cs[0].CCNL[0].Monthly = 1
	cs[1].NumericaCountries[0] = "XX"
	if c, _ := CampaignByID("em2009"); c.CCNL[0].Monthly != 55000 {
		t.Error("Campaigns shares the CCNL table")
	}
	if c, _ := CampaignByID("a2007"); c.NumericaCountries[0] == "XX" {
		t.Error("Campaigns shares the list of countries")
	}
	if _, ok := CampaignByID("em2010"); ok {
		t.Error("unknown campaign")
	}
	if c := DemoCampaign("X", time.Now()); c.ID != "" {
		t.Error("demo of an unknown kind")
	}
}

func TestMinimumMonthly(t *testing.T) {
	em, _ := CampaignByID("em2009")
	a, _ := CampaignByID("a2007")
	for _, tc := range []struct {
		c     Campaign
		level string
		conv  bool
		hours string
		want  int64
	}{
		{a, "A", true, "TP", 55000},
		{a, "B", true, "54", 70000},
		{a, "B", true, "30", 50000},
		{a, "B", true, "31", 70000},
		{a, "BS", true, "25", 52500},
		{a, "C", true, "30", 58000},
		{a, "CS", true, "30", 85000}, // no 30-hour amount for CS
		{a, "D", true, "TP", 115000},
		{a, "DS", true, "", 120000},
		{a, "B", false, "25", 54167},   // 5,00 × 25 × 52 / 12 = 541,666…
		{a, "B", false, "TP", 86667},   // 40 h
		{a, "A", false, "20", 42207},   // floor 4,87: 422,066…
		{a, "AS", false, "20", 42207},  // 4,70 < 4,87
		{a, "BS", false, "20", 45934},  // no floor above AS: 5,30 × 20 × 52 / 12 = 459,33…
		{em, "A", false, "20", 34667},  // no floor in EM: 346,666…
		{em, "CS", false, "20", 88017}, // whatever the hours
		{em, "CS", true, "TP", 88017},
		{em, "DS", true, "TP", 120000},
		{a, "B", false, "x", 0},
		{a, "Z", true, "TP", 0},
	} {
		if got := tc.c.MinimumMonthly(tc.level, tc.conv, tc.hours); got != tc.want {
			t.Errorf("%s MinimumMonthly(%s, %v, %q) = %d, want %d", tc.c.ID, tc.level, tc.conv, tc.hours, got, tc.want)
		}
	}
	if f, by := em.SalaryFloor("A", false, "20"); f != 40905 || !by {
		t.Errorf("SalaryFloor = %d, %v: the assegno sociale decides", f, by)
	}
	if f, by := em.SalaryFloor("B", true, "TP"); f != 70000 || by {
		t.Errorf("SalaryFloor = %d, %v", f, by)
	}
}

func TestAnnualCost(t *testing.T) {
	a, _ := CampaignByID("a2007")
	for _, tc := range []struct {
		monthly int64
		hours   int
		want    int64
	}{
		{75000, 40, 75000*13 + 92*40*52},
		{65000, 24, 65000*13 + 127*24*52}, // 6,25 €/h
		{80000, 24, 80000*13 + 143*24*52}, // 7,69 €/h
		{90000, 24, 90000*13 + 175*24*52}, // 8,65 €/h
		{50000, 0, 50000 * 13},
	} {
		if got := a.AnnualCost(tc.monthly, tc.hours); got != tc.want {
			t.Errorf("AnnualCost(%d, %d) = %d, want %d", tc.monthly, tc.hours, got, tc.want)
		}
	}
	// Exactly 6,83 €/h is in the first band: 683 × 52 × 20 / 12 cents a month.
	monthly := int64(683 * 52 * 20 / 12) // 59193 (rounded down, so ≤ 6,83)
	if got := a.AnnualCost(monthly, 20); got != monthly*13+127*20*52 {
		t.Errorf("boundary band: %d", got)
	}
	if got := a.AnnualCost(monthly+1, 20); got != (monthly+1)*13+143*20*52 {
		t.Errorf("above the boundary: %d", got)
	}
}

// TestRomeRule checks the summer-time rule the browser build falls back on against the time
// zone database, hour by hour, across the years this project deals with.
func TestRomeRule(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []int{1998, 2007, 2009, 2026, 2027} {
		for u := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); u.Year() == y; u = u.Add(30 * time.Minute) {
			want := u.In(loc)
			got := romeByRule(u)
			_, wo := want.Zone()
			_, go_ := got.Zone()
			if wo != go_ || want.Day() != got.Day() || want.Hour() != got.Hour() {
				t.Fatalf("%s: rule %s, database %s", u, got, want)
			}
		}
	}
}

func TestSendOpenWithoutDatabase(t *testing.T) {
	romeOnce.Do(loadRome)
	saved := romeLoc
	romeLoc = nil
	defer func() { romeLoc = saved }()
	testSendWindow(t)
	if got := RomeDay(time.Date(2009, 3, 29, 0, 59, 0, 0, time.UTC)); got.Day() != 29 {
		t.Errorf("RomeDay = %v", got)
	}
	if got := InRome(time.Date(2009, 10, 25, 0, 30, 0, 0, time.UTC)); got.Hour() != 2 {
		t.Errorf("CEST until 01:00 UTC on the last Sunday of October: %v", got)
	}
	if got := InRome(time.Date(2009, 10, 25, 1, 30, 0, 0, time.UTC)); got.Hour() != 2 {
		t.Errorf("CET from 01:00 UTC: %v", got)
	}
}

func TestRomeDay(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2009, 9, 30, 21, 59, 0, 0, time.UTC), "2009-09-30"},
		{time.Date(2009, 9, 30, 22, 0, 0, 0, time.UTC), "2009-10-01"},
		{time.Date(2009, 12, 31, 22, 59, 0, 0, time.UTC), "2009-12-31"},
		{time.Date(2009, 12, 31, 23, 0, 0, 0, time.UTC), "2010-01-01"},
		{time.Date(2009, 9, 15, 0, 0, 0, 0, time.UTC), "2009-09-15"},
	} {
		if got := isoDate(RomeDay(tc.in)); got != tc.want {
			t.Errorf("RomeDay(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestSectionHelpDates: the dates a person reads in the last step are the campaign's in use,
// never those of 2009 written in the schema.
func TestSectionHelpDates(t *testing.T) {
	em := SchemaOf(KindEM)
	confirm := em.Sections[len(em.Sections)-1]
	if !confirm.Confirm {
		t.Fatal("the last EM section is not the confirm step")
	}
	if strings.Contains(confirm.Help, "settembre") || strings.Contains(confirm.Help, "2009") {
		t.Errorf("the schema's confirm help names a campaign's date: %q", confirm.Help)
	}
	official, _ := OfficialCampaign(KindEM)
	if got := official.SectionHelp(confirm); !strings.HasSuffix(got, " Per questa procedura le domande si inviano dal 01/09/2009 al 30/09/2009.") {
		t.Errorf("official EM: %q", got)
	}
	demo := DemoCampaign(KindEM, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	got := demo.SectionHelp(confirm)
	want := " Per questa procedura le domande si inviano dal " + isoToItalian(demo.SendFrom) + " al " + isoToItalian(demo.SendTo) + "."
	if !strings.HasSuffix(got, want) || strings.Contains(got, "2009") {
		t.Errorf("demo EM: %q, want it to end with %q", got, want)
	}
	// Other sections are the schema's text.
	if s := em.Sections[0]; official.SectionHelp(s) != s.Help {
		t.Errorf("section %s: help changed", s.ID)
	}
	if (&Campaign{}).SendWindowText() != "" {
		t.Error("a campaign without dates has a send window")
	}
}
