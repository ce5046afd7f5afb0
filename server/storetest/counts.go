package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// TestCountsFollowWrites: the counts behind the dashboard and the list totals (migration 0003)
// agree with the applications themselves after submissions on either side of midnight in
// Italy, replays, conflicts and changes of status; and the keyset pages walk the whole list,
// newest first, without losing or repeating an application.
func testCountsFollowWrites(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "c@example.it")
	clerk := NewUser(t, db, "sportello@example.it")
	// 21:30 UTC on 15 September is 23:30 in Rome; each step is 7 minutes, so the applications
	// fall on two days in Italy (and on one UTC day).
	at := time.Date(2009, 9, 15, 21, 30, 0, 0, time.UTC)
	su.setNow(at)
	provs := []string{"CN", "TO", "CN", "RM"}
	tips := []string{"colf", "badante", "colf"}
	cits := []string{"UA", "MA", "UA", "PE", "CN"}
	var protocols []string
	for i := range 24 {
		m := CreateModule(t, db, u.ID, "em2009")
		in := Input(u, m, fmt.Sprintf("sub-%08d", i), fmt.Sprintf(`{"n":%d}`, i))
		in.Provincia, in.Tipologia, in.Cittadinanza, in.Kind = provs[i%len(provs)], tips[i%len(tips)], cits[i%len(cits)], shared.KindEM
		in.EmployerKey = fmt.Sprintf("EMPLOYER%02d", i)
		in.EmployerSearch, in.WorkerSearch = []string{"ROSSI MARIA", "BIANCHI ANNA"}[i%2], []string{"KOVALENKO OLENA", "ROSSO PIERO", "ALAOUI SARA"}[i%3]
		o := Submit1(t, db, in)
		if o.Status != core.StatusAccepted {
			t.Fatalf("submission %d: %+v", i, o)
		}
		protocols = append(protocols, o.Receipt.Protocol)
		// A replay and a conflict count nothing.
		if o := Submit1(t, db, in); o.Status != core.StatusAccepted {
			t.Fatalf("replay %d: %+v", i, o)
		}
		in.Content, in.SHA256 = `{"other":1}`, "ff"
		if o := Submit1(t, db, in); o.Status != core.StatusConflict {
			t.Fatalf("conflict %d: %+v", i, o)
		}
		at = at.Add(7 * time.Minute)
		su.setNow(at)
	}
	for i, p := range protocols[:9] {
		stati := []string{core.DomandaInIstruttoria}
		if i%3 == 0 {
			stati = append(stati, core.DomandaConvocato, core.DomandaAccolta)
		}
		for _, st := range stati {
			if _, err := db.SetStato(ctx, core.StatoChange{Protocol: p, Stato: st, Nota: "nota", By: clerk,
				Audit: core.NewAudit(clerk, core.AuditStato, p, st)}); err != nil {
				t.Fatalf("SetStato %s %s: %v", p, st, err)
			}
		}
	}
	// A refused move counts nothing.
	if _, err := db.SetStato(ctx, core.StatoChange{Protocol: protocols[0], Stato: core.DomandaRicevuta, By: clerk,
		Audit: core.NewAudit(clerk, core.AuditStato, protocols[0], "x")}); core.ErrorCode(err) != core.ECONFLICT {
		t.Fatalf("refused move: %v", err)
	}

	all := func(f core.DomandaFilter) []core.DomandaItem {
		f.Limit = 1000
		_, items, err := db.Domande(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, core.Rome)
		return d.UTC()
	}
	filters := []core.DomandaFilter{{}, {Provincia: "CN"}, {Provincia: "TO", Tipologia: "badante"}, {Cittadinanza: "UA"},
		{Stato: core.DomandaInIstruttoria}, {Stato: core.DomandaAccolta, Provincia: "CN"}, {Kind: shared.KindEM, Stato: core.DomandaRicevuta},
		{From: day("2009-09-16")}, {To: day("2009-09-16")}, {Provincia: "RM", From: day("2009-09-16"), To: day("2009-09-17")},
		{Provincia: "XX"}, {Q: "ross"}, {Q: "kov", Provincia: "CN"}, {Q: "ros", Stato: core.DomandaRicevuta, Tipologia: "colf"}}
	for _, f := range filters {
		want := all(f)
		f.Limit = 5
		total, _, err := db.Domande(ctx, f)
		if err != nil || total != len(want) {
			t.Errorf("%+v: total %d, %v; the applications are %d", f, total, err, len(want))
		}
		// Keyset pages of 5.
		var got []core.DomandaItem
		for range 20 {
			_, page, err := db.Domande(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			if len(page) < f.Limit {
				break
			}
			last := page[len(page)-1]
			f.After = &core.DomandaCursor{ReceivedAt: last.ReceivedAt, Protocol: last.Protocol}
		}
		if !slices.EqualFunc(got, want, func(a, b core.DomandaItem) bool { return a.Protocol == b.Protocol }) {
			t.Errorf("%+v: keyset pages %d items, the list %d", f, len(got), len(want))
		}
	}
	if n := len(all(core.DomandaFilter{})); n != 24 {
		t.Fatalf("%d applications", n)
	}
	// "ross" finds ROSSI MARIA, the employer of the even ones, and ROSSO PIERO, the worker of
	// one in three (i%3 == 1): 12 + 8 applications, 4 of which have both names, listed once.
	ross := all(core.DomandaFilter{Q: "ross"})
	seen := map[string]bool{}
	for _, it := range ross {
		if seen[it.Protocol] {
			t.Errorf("search ross lists %s twice", it.Protocol)
		}
		seen[it.Protocol] = true
	}
	if total, _, _ := db.Domande(ctx, core.DomandaFilter{Q: "ross", Limit: 1}); len(ross) != 16 || total != 16 {
		t.Errorf("search ross: %d listed, total %d; want 16", len(ross), total)
	}

	st, err := db.Dashboard(ctx, core.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Totals.Sent != 24 || st.Totals.Generated != 24 {
		t.Fatalf("totals %+v", st.Totals)
	}
	// 23:30 Rome plus 7-minute steps: 5 applications on the 15th, 19 on the 16th.
	if len(st.PerDay) != 2 || st.PerDay[0] != (core.DayCount{Day: "2009-09-15", Generated: 5, Sent: 5}) ||
		st.PerDay[1] != (core.DayCount{Day: "2009-09-16", Generated: 19, Sent: 19}) {
		t.Fatalf("per day %+v", st.PerDay)
	}
	count := func(cs []core.Count) map[string]int {
		m := map[string]int{}
		for _, c := range cs {
			m[c.Key] = c.Count
		}
		return m
	}
	recount := func(key func(core.DomandaItem) string) map[string]int {
		m := map[string]int{}
		for _, it := range all(core.DomandaFilter{}) {
			m[key(it)]++
		}
		return m
	}
	for name, c := range map[string]struct {
		got  []core.Count
		want map[string]int
	}{
		"stato":        {st.PerStato, recount(func(it core.DomandaItem) string { return it.Stato })},
		"provincia":    {st.PerProvincia, recount(func(it core.DomandaItem) string { return it.Provincia })},
		"tipologia":    {st.PerTipologia, recount(func(it core.DomandaItem) string { return it.Tipologia })},
		"cittadinanza": {st.PerNazionalita, recount(func(it core.DomandaItem) string { return it.Cittadinanza })},
	} {
		if g := count(c.got); fmt.Sprint(g) != fmt.Sprint(c.want) {
			t.Errorf("per %s: %v, the applications say %v", name, g, c.want)
		}
	}
	if st.PerStato[0].Key != core.DomandaRicevuta || st.PerStato[0].Count != 15 {
		t.Errorf("per stato, largest first: %+v", st.PerStato)
	}
	// A period: the 16th only.
	st, err = db.Dashboard(ctx, core.StatsFilter{From: day("2009-09-16"), To: day("2009-09-17")})
	if err != nil || st.Totals.Sent != 19 || st.Totals.Generated != 19 || len(st.PerDay) != 1 {
		t.Fatalf("the 16th: %+v %v", st, err)
	}
}
