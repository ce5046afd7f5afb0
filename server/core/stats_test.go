package core

import (
	"fmt"
	"testing"
	"time"
)

// The dashboard is summed the same way whatever the store: days in order with the empty
// ones between filled, bars largest first then by key, zero rows ignored.
func TestStatsTally(t *testing.T) {
	tl := NewStatsTally()
	tl.Generated("2009-09-15", 3)
	tl.Sent("2009-09-15", "CN", "colf", "LK", DomandaRicevuta, 2)
	tl.Sent("2009-09-18", "TO", "badante", "UA", DomandaAccolta, 2)
	tl.Sent("2009-09-18", "CN", "colf", "UA", DomandaRicevuta, 1)
	tl.Sent("2009-09-19", "MI", "colf", "PH", DomandaRicevuta, 0)
	s := tl.Stats(7)
	if s.Totals.Generated != 3 || s.Totals.Sent != 5 || s.Totals.Operators != 7 {
		t.Fatalf("totals %+v", s.Totals)
	}
	if got := fmt.Sprint(s.PerDay); got != "[{2009-09-15 3 2} {2009-09-16 0 0} {2009-09-17 0 0} {2009-09-18 0 3}]" {
		t.Errorf("days %s", got)
	}
	bars := func(cs []Count) (out string) {
		for _, c := range cs {
			out += fmt.Sprintf("%s:%d ", c.Key, c.Count)
		}
		return out
	}
	if got := bars(s.PerProvincia) + "| " + bars(s.PerNazionalita); got != "CN:3 TO:2 | UA:3 LK:2 " {
		t.Errorf("bars %s", got)
	}
}

// A filter of whole days in Italy is answered by the counts table; a search or an instant
// that is not a midnight is not.
func TestCountQuery(t *testing.T) {
	from := time.Date(2009, 9, 15, 0, 0, 0, 0, Rome)
	f := DomandaFilter{Provincia: "CN", Stato: DomandaRicevuta, From: from, To: from.AddDate(0, 0, 2)}
	fromDay, toDay, eq, ok := f.CountQuery()
	if !ok || fromDay != "2009-09-15" || toDay != "2009-09-17" || fmt.Sprint(eq) != "[[provincia CN] [stato ricevuta]]" {
		t.Fatalf("CountQuery = %q %q %q %v", fromDay, toDay, eq, ok)
	}
	if _, toDay, _, _ := (DomandaFilter{}).CountQuery(); toDay != "9999" {
		t.Errorf("open end %q", toDay)
	}
	for _, f := range []DomandaFilter{{Q: "rossi"}, {From: from.Add(time.Hour)}, {To: from.Add(time.Minute)}} {
		if _, _, _, ok := f.CountQuery(); ok {
			t.Errorf("%+v answered by the counts", f)
		}
	}
	// The dashboard's days: an instant that is not a midnight counts its whole day.
	if a, b := (StatsFilter{From: from, To: from.Add(36 * time.Hour)}).Days(); a != "2009-09-15" || b != "2009-09-17" {
		t.Errorf("Days = %q %q", a, b)
	}
}
