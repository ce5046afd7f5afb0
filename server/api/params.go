package api

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// maxQueryText bounds a text typed in a search box.
const maxQueryText = 100

// clipQuery trims a search text and keeps at most maxQueryText characters of it.
func clipQuery(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxQueryText {
		s = string([]rune(s)[:maxQueryText])
	}
	return s
}

// intParam reads a whole number between lo and hi from the query (def when absent).
func intParam(q url.Values, name string, def, hi int) (int, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, core.Errorf(core.EINVALID, "Il parametro %s deve essere un numero intero non negativo, non «%s».", name, clip(v))
	}
	return min(n, hi), nil
}

// dayRange reads the days dal and al (YYYY-MM-DD or GG/MM/AAAA, civil days in Italy,
// inclusive) as the instants [from, to) in UTC; an absent bound is zero.
func dayRange(q url.Values) (from, to time.Time, err error) {
	parse := func(name string) (time.Time, error) {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}, nil
		}
		d, err := shared.ParseDate(v)
		if err != nil {
			return time.Time{}, core.Errorf(core.EINVALID, "Il parametro %s non è una data: scrivila come AAAA-MM-GG o GG/MM/AAAA, per esempio 2009-09-15.", name)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, core.Rome), nil
	}
	if from, err = parse("dal"); err != nil {
		return
	}
	if to, err = parse("al"); err != nil {
		return
	}
	if !to.IsZero() {
		to = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, core.Rome) // the whole day
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, core.Errorf(core.EINVALID, "Il periodo non è valido: la data «dal» viene dopo la data «al».")
	}
	return from.UTC(), to.UTC(), nil
}
