package core

import (
	"context"
	"sort"
	"time"

	"nullaosta/shared/wire"
)

// StatsFilter bounds the statistics: instants at From or later and before To (zero: open).
type StatsFilter struct {
	From, To time.Time
}

// DayCount is one civil day in Italy: modules generated and applications sent.
type DayCount = wire.DayCount

// Count is one bar of a chart.
type Count = wire.Count

// StatsTotals are the headline figures of the period (operators: enabled now).
type StatsTotals = wire.StatsTotals

// Stats are the Ministry's figures. The store fills keys and counts; labels are for the caller.
type Stats = wire.Stats

// StatsService counts what was generated and sent.
type StatsService interface {
	Dashboard(ctx context.Context, f StatsFilter) (*Stats, error)
}

// maxStatsDays bounds the days filled in between the first and the last with data.
const maxStatsDays = 400

// RomeDay is the civil day in Italy of an instant, as the counts tables key it.
func RomeDay(t time.Time) string { return t.In(Rome).Format(time.DateOnly) }

// Days are the filter's bounds as days of the counts tables: from inclusive ("" for open), to
// exclusive ("9999" for open). The filter's instants are midnights in Italy (the API's whole
// days); another instant counts from the day it falls in.
func (f StatsFilter) Days() (fromDay, toDay string) {
	fromDay, toDay = "", "9999"
	if !f.From.IsZero() {
		fromDay = RomeDay(f.From)
	}
	if !f.To.IsZero() {
		toDay = RomeDay(f.To)
		if t := f.To.In(Rome); t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			toDay = RomeDay(f.To.AddDate(0, 0, 1))
		}
	}
	return fromDay, toDay
}

// StatsTally sums the counts tables' rows of a period into the dashboard, the same for every
// store: each store reads its rows and hands them here.
type StatsTally struct {
	days                                                  map[string]*DayCount
	totals                                                StatsTotals
	perTipologia, perProvincia, perCittadinanza, perStato map[string]int
}

// NewStatsTally starts an empty tally.
func NewStatsTally() *StatsTally {
	return &StatsTally{days: map[string]*DayCount{}, perTipologia: map[string]int{}, perProvincia: map[string]int{},
		perCittadinanza: map[string]int{}, perStato: map[string]int{}}
}

func (t *StatsTally) day(d string) *DayCount {
	if t.days[d] == nil {
		t.days[d] = &DayCount{Day: d}
	}
	return t.days[d]
}

// Generated counts n modules generated on day.
func (t *StatsTally) Generated(day string, n int) {
	t.day(day).Generated += n
	t.totals.Generated += n
}

// Sent counts n applications received on day with these columns (a row of domande_counts).
func (t *StatsTally) Sent(day, provincia, tipologia, cittadinanza, stato string, n int) {
	if n == 0 {
		return
	}
	t.day(day).Sent += n
	t.totals.Sent += n
	t.perTipologia[tipologia] += n
	t.perProvincia[provincia] += n
	t.perCittadinanza[cittadinanza] += n
	t.perStato[stato] += n
}

// Stats is the dashboard of what was counted, with the operators enabled now.
func (t *StatsTally) Stats(operators int) *Stats {
	s := &Stats{Totals: t.totals}
	s.Totals.Operators = operators
	s.PerDay = fillDays(t.days)
	s.PerTipologia, s.PerProvincia = sortedCounts(t.perTipologia), sortedCounts(t.perProvincia)
	s.PerNazionalita, s.PerStato = sortedCounts(t.perCittadinanza), sortedCounts(t.perStato)
	return s
}

// sortedCounts lists the non-zero counts, largest first, then by key.
func sortedCounts(m map[string]int) []Count {
	out := []Count{}
	for k, n := range m {
		if n != 0 {
			out = append(out, Count{Key: k, Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// fillDays returns the days in order, with the days without data between the first and the
// last filled with zeros (at most maxStatsDays in all).
func fillDays(days map[string]*DayCount) []DayCount {
	keys := make([]string, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []DayCount{}
	if len(keys) == 0 {
		return out
	}
	first, err1 := time.Parse(time.DateOnly, keys[0])
	last, err2 := time.Parse(time.DateOnly, keys[len(keys)-1])
	if err1 != nil || err2 != nil || last.Sub(first) > maxStatsDays*24*time.Hour {
		for _, k := range keys {
			out = append(out, *days[k])
		}
		return out
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		if c := days[k]; c != nil {
			out = append(out, *c)
		} else {
			out = append(out, DayCount{Day: k})
		}
	}
	return out
}
