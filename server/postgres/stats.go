package postgres

import (
	"context"
	"sort"
	"time"

	"nullaosta/server/core"
)

var _ core.StatsService = (*DB)(nil)

// maxStatsDays bounds the days filled in between the first and the last with data.
const maxStatsDays = 400

// Dashboard implements core.StatsService. Everything comes from the counts kept by the writes
// (migration 0002): a few hundred rows per day whatever the number of applications. The
// filter's instants are midnights in Italy (the API's whole days); another instant counts from
// the day it falls in.
func (db *DB) Dashboard(ctx context.Context, f core.StatsFilter) (*core.Stats, error) {
	fromDay, toDay := "", "9999"
	if !f.From.IsZero() {
		fromDay = romeDay(f.From)
	}
	if !f.To.IsZero() {
		toDay = romeDay(f.To)
		if t := f.To.In(core.Rome); t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			toDay = romeDay(f.To.AddDate(0, 0, 1))
		}
	}
	days := map[string]*core.DayCount{}
	day := func(d string) *core.DayCount {
		if days[d] == nil {
			days[d] = &core.DayCount{Day: d}
		}
		return days[d]
	}
	s := &core.Stats{}
	err := db.eachCount(ctx, `SELECT day, n FROM moduli_counts WHERE day >= $1 AND day < $2`, []any{fromDay, toDay}, func(k string, n int) {
		day(k).Generated += n
		s.Totals.Generated += n
	})
	if err != nil {
		return nil, err
	}
	// One pass over the counts of the period, summed here along each dimension.
	perTipologia, perProvincia, perCittadinanza, perStato := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	rows, err := db.pool.Query(ctx, `SELECT day, provincia, tipologia, cittadinanza, stato, sum(n) FROM domande_counts
		WHERE day >= $1 AND day < $2 GROUP BY 1, 2, 3, 4, 5`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d, provincia, tipologia, cittadinanza, stato string
		var n int
		if err := rows.Scan(&d, &provincia, &tipologia, &cittadinanza, &stato, &n); err != nil {
			return nil, err
		}
		if n == 0 {
			continue
		}
		day(d).Sent += n
		s.Totals.Sent += n
		perTipologia[tipologia] += n
		perProvincia[provincia] += n
		perCittadinanza[cittadinanza] += n
		perStato[stato] += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.PerDay = fillDays(days)
	s.PerTipologia, s.PerProvincia = sortedCounts(perTipologia), sortedCounts(perProvincia)
	s.PerNazionalita, s.PerStato = sortedCounts(perCittadinanza), sortedCounts(perStato)
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'operatore'`).Scan(&s.Totals.Operators); err != nil {
		return nil, err
	}
	return s, nil
}

// sortedCounts lists the non-zero counts, largest first, then by key.
func sortedCounts(m map[string]int) []core.Count {
	out := []core.Count{}
	for k, n := range m {
		if n != 0 {
			out = append(out, core.Count{Key: k, Count: n})
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

func (db *DB) eachCount(ctx context.Context, q string, args []any, fn func(key string, n int)) error {
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		fn(k, n)
	}
	return rows.Err()
}

// fillDays returns the days in order, with the days without data between the first and the
// last filled with zeros (at most maxStatsDays in all).
func fillDays(days map[string]*core.DayCount) []core.DayCount {
	keys := make([]string, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []core.DayCount{}
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
			out = append(out, core.DayCount{Day: k})
		}
	}
	return out
}
