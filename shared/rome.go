package shared

import (
	"sync"
	"time"
)

// Deadlines and "today" are civil days in Italy. The browser build has no time zone database
// (embedding time/tzdata would add ~450 kB to app.wasm), so when Europe/Rome cannot be loaded
// the offset is computed from the EU rule that has governed Italy since 1996: CEST (UTC+2) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, CET (UTC+1)
// otherwise. Every date this project judges is after 1996.

var (
	romeOnce sync.Once
	romeLoc  *time.Location // nil when the database is missing
	cet      = time.FixedZone("CET", 3600)
	cest     = time.FixedZone("CEST", 7200)
)

func loadRome() {
	if loc, err := time.LoadLocation("Europe/Rome"); err == nil {
		romeLoc = loc
	}
}

// InRome returns t as a clock in Italy shows it.
func InRome(t time.Time) time.Time {
	romeOnce.Do(loadRome)
	if romeLoc != nil {
		return t.In(romeLoc)
	}
	return romeByRule(t)
}

// romeByRule applies the EU summer-time rule; it is also what tests compare the database with.
func romeByRule(t time.Time) time.Time {
	u := t.UTC()
	y := u.Year()
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, time.October).Add(time.Hour)
	if !u.Before(start) && u.Before(end) {
		return t.In(cest)
	}
	return t.In(cet)
}

// lastSunday returns midnight UTC of the last Sunday of month m.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// RomeDay returns the civil day in Italy at instant t, as midnight UTC of that day, the form
// every date in this package takes.
func RomeDay(t time.Time) time.Time {
	y, m, d := InRome(t).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
