package shared

import (
	"slices"

	"nullaosta/shared/places"
)

// Rules of Modulo A only (seed 001). A5 (the competent Sportello Unico) is SportelloOf.

// A1: a numerica request needs a published list for the worker's country.
func ruleA1Numerica(ch *checker) {
	if ch.k != KindA {
		return
	}
	t, ok1 := ch.use("richiesta.tipo")
	c, ok2 := ch.use("lavoratore.cittadinanza")
	if !ok1 || !ok2 || t.s != "numerica" {
		return
	}
	for _, iso := range ch.c.NumericaCountries {
		if iso == c.s {
			return
		}
	}
	name := c.s
	if ct, ok := places.CountryByISO(c.s); ok {
		name = ct.Name
	}
	var names []string
	for _, iso := range ch.c.NumericaCountries {
		if ct, ok := places.CountryByISO(iso); ok {
			names = append(names, ct.Name)
		}
	}
	slices.Sort(names)
	list := "nessun Paese"
	if len(names) > 0 {
		list = joinAnd(names)
	}
	// The message goes on the country: that is what has no list, and what the person changes
	// (or else the request type).
	ch.fail("lavoratore.cittadinanza", CodeNumericaNotAllow, "Per "+name+" non c'è una lista pubblicata: la richiesta numerica si può presentare solo per "+list+". "+
		ch.remedy(ch.s.index["lavoratore.cittadinanza"], "Scegli uno di questi Paesi, oppure presenta una richiesta nominativa."))
}

// A2: the income (taxable income plus other supplementary income) is at least IncomeFactor
// times the annual cost of the worker: salary × SalaryMonths plus the INPS contributions.
func ruleA2Income(ch *checker) {
	if ch.k != KindA {
		return
	}
	sal, ok1 := ch.use("rapporto.retribuzione_mensile")
	h := ch.v("rapporto.orario_settimanale")
	inc, ok2 := ch.use("reddito.imponibile")
	if !ok1 || !h.ok || !ok2 {
		return
	}
	total := inc.n
	if other := ch.v("reddito.altri"); other.filled {
		if !other.ok {
			return
		}
		total += other.n
	}
	factor := int64(ch.c.IncomeFactor)
	if factor == 0 {
		return
	}
	cost := ch.c.AnnualCost(sal.n, int(h.n))
	need := factor * cost
	if total >= need {
		return
	}
	ch.fail("reddito.imponibile", CodeIncomeTooLow, "Il reddito ("+euro(total)+", altri redditi compresi) deve essere almeno "+itoa(int(factor))+
		" volte la retribuzione annuale dovuta al lavoratore aumentata dei contributi ("+euro(cost)+"): almeno "+euro(need)+
		". Indica il reddito complessivo, compresi i redditi dei familiari che concorrono, oppure rivedi la proposta di contratto.")
}

// A3: a fixed-term contract lasts at least one month.
func ruleA3Durata(ch *checker) {
	if ch.k != KindA {
		return
	}
	m, ok := ch.use("rapporto.durata_mesi")
	if !ok || m.n >= 1 {
		return
	}
	ch.fail("rapporto.durata_mesi", CodeDurataMesi, "Un rapporto a tempo determinato dura almeno 1 mese: indica il numero di mesi.")
}

// A4: the income is that of the last tax return, so of the year before the campaign's or the
// one before that.
func ruleA4Anno(ch *checker) {
	if ch.k != KindA || ch.c.Year == 0 {
		return
	}
	y, ok := ch.use("reddito.anno")
	if !ok || y.n == int64(ch.c.Year-1) || y.n == int64(ch.c.Year-2) {
		return
	}
	ch.fail("reddito.anno", CodeRedditoAnno, "Indica il reddito dell'ultima dichiarazione fiscale presentata: l'anno deve essere il "+
		itoa(ch.c.Year-1)+" o il "+itoa(ch.c.Year-2)+", non il "+itoa(int(y.n))+".")
}
