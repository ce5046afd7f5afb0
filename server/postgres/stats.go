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

// Dashboard implements core.StatsService. The days are civil days in Italy, computed by
// PostgreSQL from the instants (AT TIME ZONE 'Europe/Rome').
func (db *DB) Dashboard(ctx context.Context, f core.StatsFilter) (*core.Stats, error) {
	from, to := time.Unix(0, 0).UTC(), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if !f.From.IsZero() {
		from = f.From.UTC()
	}
	if !f.To.IsZero() {
		to = f.To.UTC()
	}
	days := map[string]*core.DayCount{}
	day := func(d string) *core.DayCount {
		if days[d] == nil {
			days[d] = &core.DayCount{Day: d}
		}
		return days[d]
	}
	s := &core.Stats{}
	err := db.eachCount(ctx, `SELECT to_char(created_at AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD'), count(*) FROM modules
		WHERE created_at >= $1 AND created_at < $2 GROUP BY 1`, []any{from, to}, func(k string, n int) {
		day(k).Generated += n
		s.Totals.Generated += n
	})
	if err != nil {
		return nil, err
	}
	err = db.eachCount(ctx, `SELECT to_char(received_at AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD'), count(*) FROM submissions
		WHERE received_at >= $1 AND received_at < $2 GROUP BY 1`, []any{from, to}, func(k string, n int) {
		day(k).Sent += n
		s.Totals.Sent += n
	})
	if err != nil {
		return nil, err
	}
	s.PerDay = fillDays(days)

	for _, g := range []struct {
		col string
		out *[]core.Count
	}{{"tipologia", &s.PerTipologia}, {"provincia", &s.PerProvincia}, {"cittadinanza", &s.PerNazionalita}, {"stato", &s.PerStato}} {
		*g.out = []core.Count{}
		err := db.eachCount(ctx, `SELECT `+g.col+`, count(*) FROM submissions
			WHERE received_at >= $1 AND received_at < $2 GROUP BY 1 ORDER BY 2 DESC, `+g.col+` COLLATE "C"`, []any{from, to}, func(k string, n int) {
			*g.out = append(*g.out, core.Count{Key: k, Count: n})
		})
		if err != nil {
			return nil, err
		}
	}
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'operatore'`).Scan(&s.Totals.Operators); err != nil {
		return nil, err
	}
	return s, nil
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
