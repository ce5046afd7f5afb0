package shared

import (
	"strings"
	"time"

	"nullaosta/shared/codicefiscale"
	"nullaosta/shared/places"
)

// rules run in this order after the first pass. C5 comes before the rules that build on dates,
// so that a date in the future is reported once, as such.
var rules = []func(*checker){
	ruleC4Places,
	ruleC5Dates,
	ruleC3Mismatch,
	ruleC6EmployerAge,
	ruleC7WorkerAge,
	ruleC8Mansione,
	ruleC9Hours,
	ruleC10Salary,
	ruleC11Deduction,
	ruleC12Worker,
	ruleC13Employer,
	ruleE4Income,
	ruleE5Start,
	ruleE8Payment,
	ruleA1Numerica,
	ruleA2Income,
	ruleA3Durata,
	ruleA4Anno,
}

// C3: a well-formed codice fiscale that does not match the person is only a warning: the
// Agenzia delle Entrate issues codes one would not compute (omocodia, corrections), and a real
// person's code must never be refused. The check character was verified in the first pass.
func ruleC3Mismatch(ch *checker) {
	for _, who := range []string{"datore", "lavoratore"} {
		cf, ok := ch.use(who + ".codice_fiscale")
		if !ok {
			continue
		}
		names := nameKeys[who]
		p := codicefiscale.Person{Surname: ch.raw().Str(names[0]), Name: ch.raw().Str(names[1])}
		if sex, ok := ch.use(who + ".sesso"); ok {
			p.Female = sex.s == "F"
		} else {
			p.SexUnknown = true
		}
		if b, ok := ch.use(who + ".data_nascita"); ok {
			p.Birth = b.t
		}
		p.Place = ch.birthPlace(who)
		mm := codicefiscale.Mismatches(cf.s, p)
		if len(mm) == 0 {
			continue
		}
		parts := make([]string, len(mm))
		for i, m := range mm {
			parts[i] = cfPartNames[m]
		}
		// The participle agrees with what it names: «al luogo di nascita indicato», «alla
		// data di nascita indicata», «al cognome e al nome indicati».
		indicated, those := "indicati", "quei dati"
		if len(mm) == 1 {
			indicated, those = "indicato", "quel dato"
			if mm[0] == "data_nascita" {
				indicated = "indicata"
			}
		}
		ch.add(who+".codice_fiscale", CodeCFMismatch, SeverityWarning,
			ch.ref(who+".codice_fiscale")+" non corrisponde "+joinAnd(parts)+" "+indicated+" nel modulo. "+
				"Se è il codice rilasciato dall'Agenzia delle Entrate (per esempio in caso di omocodia) lascialo così; altrimenti controlla il codice e "+those+".")
	}
}

// nameKeys are the keys of a person's surname and name, built once (a key read through a
// reader escapes: built in the rule it would be allocated on every validation).
var nameKeys = map[string][2]string{
	"datore":     {"datore.cognome", "datore.nome"},
	"lavoratore": {"lavoratore.cognome", "lavoratore.nome"},
}

// cfPartNames name the data a codice fiscale encodes, with the preposition «a» and article.
var cfPartNames = map[string]string{
	"cognome":       "al cognome",
	"nome":          "al nome",
	"data_nascita":  "alla data di nascita",
	"sesso":         "al sesso",
	"luogo_nascita": "al luogo di nascita",
}

// birthPlace returns the Belfiore code the codice fiscale carries for a birthplace: the comune
// for a person born in Italy, the country's Z code otherwise ("" if not known).
func (ch *checker) birthPlace(who string) string {
	st, ok := ch.use(who + ".nascita.stato")
	if !ok {
		return ""
	}
	if st.s == cittItalian {
		if c, ok := ch.use(who + ".nascita.comune"); ok {
			return c.s
		}
		return ""
	}
	if c, ok := places.CountryByISO(st.s); ok {
		return c.Belfiore
	}
	return ""
}

// C4: a comune must lie in the provincia given with it, and a CAP must be one of its comune's.
// The comuni of addresses (residence, work, housing) must have existed at the time of the
// campaign; a birthplace may be any comune, also one suppressed since.
// When the place of work is declared to be the residence, the province of work (which decides
// the Sportello Unico) must be the province of residence.
func ruleC4Places(ch *checker) {
	for _, f := range ch.s.fields {
		if f.Type != TypeComune || f.PlaceOf == "" {
			continue
		}
		com, ok := ch.use(f.Key)
		if !ok {
			continue
		}
		prov, ok := ch.use(f.PlaceOf)
		if !ok || com.comune.Provincia == prov.s {
			continue
		}
		ch.fail(f.Key, CodeComuneProvincia, "Il comune di "+com.comune.Name+" non è in provincia di "+provinceName(prov.s)+". "+
			ch.remedy(f, "Scegli "+f.ref+" tra i comuni della provincia, oppure correggi la provincia."))
	}
	day := ch.c.placesDay()
	for _, f := range ch.s.fields {
		if f.Type != TypeComune || strings.Contains(f.Key, ".nascita.") {
			continue
		}
		com, ok := ch.use(f.Key)
		if !ok {
			continue
		}
		switch c := com.comune; {
		case c.Cessato != "" && c.Cessato <= day:
			ch.fail(f.Key, CodeNotInList, "Il comune di "+c.Name+" è stato soppresso il "+isoToItalian(c.Cessato)+
				", prima di questa procedura. "+ch.remedy(f, "Scegli "+f.ref+" tra i comuni che esistevano allora (di solito quello in cui è confluito)."))
		case c.Cessato == "" && !c.Nel2009:
			ch.fail(f.Key, CodeNotInList, "Il comune di "+c.Name+" è stato istituito dopo il 2009 e non esisteva al tempo di questa procedura. "+
				ch.remedy(f, "Scegli "+f.ref+" tra i comuni di allora (quello da cui è nato)."))
		}
	}
	for _, f := range ch.s.fields {
		if f.Type != TypeCAP || f.PlaceOf == "" {
			continue
		}
		cap, ok := ch.use(f.Key)
		if !ok {
			continue
		}
		com, ok := ch.use(f.PlaceOf)
		if !ok || places.ComuneHasCAP(*com.comune, cap.s) {
			continue
		}
		c := com.comune
		today := ""
		switch n := len(c.CAPs); {
		case n == 1:
			today = c.CAPs[0]
		case n > 1 && n <= 4:
			today = joinAnd(c.CAPs)
		}
		other, taken := places.ComuneWithCAP(c.Provincia, cap.s)
		if !taken && places.CAPInProvinceRange(c.Provincia, cap.s) {
			// The sources have today's CAPs only; many changed since the campaign's year
			// (Monza 20052 → 20900): a CAP of the province's range may be the one of then.
			msg := "Il CAP " + cap.s + " non è tra i CAP di oggi del comune di " + c.Name
			if today != "" {
				msg += " (" + today + ")"
			}
			msg += ", ma è della sua provincia: se era il CAP dell'indirizzo " + ch.c.yearPhrase() + " lascialo così, altrimenti correggilo."
			ch.add(f.Key, CodeCAPNotCurrent, SeverityWarning, msg)
			continue
		}
		hint := "Controlla il codice di avviamento postale dell'indirizzo."
		switch n := len(c.CAPs); {
		case n == 1:
			hint = "Il CAP di " + c.Name + " è " + today + "."
		case n > 1 && n <= 4:
			hint = "I CAP di " + c.Name + " sono " + today + "."
		}
		msg := "Il CAP " + cap.s + " non è del comune di " + c.Name + " né della sua provincia. "
		if taken {
			msg = "Il CAP " + cap.s + " è del comune di " + other.Name + ", non di " + c.Name + ". "
		}
		ch.fail(f.Key, CodeCAPComune, msg+ch.remedy(f, hint))
	}
	if co, ok := ch.use("impiego.coincide_residenza"); ok && co.b {
		imp, ok1 := ch.use("impiego.provincia")
		res, ok2 := ch.use("datore.residenza.provincia")
		if ok1 && ok2 && imp.s != res.s {
			ch.fail("impiego.coincide_residenza", CodeImpiegoProvincia, "La località di impiego non può coincidere con la residenza: la provincia di impiego, "+
				provinceName(imp.s)+", è diversa da quella di residenza, "+provinceName(res.s)+". Togli la spunta e indica l'indirizzo di impiego.")
		}
	}
}

func provinceName(sigla string) string {
	if p, ok := places.ProvinceBySigla(sigla); ok {
		return p.Name + " (" + p.Sigla + ")"
	}
	if p, ok := places.FormerProvinceBySigla(sigla); ok {
		return p.Name + " (" + p.Sigla + ")"
	}
	return sigla
}

// C5: no date after the day of sending except expiry dates; a document is issued before it
// expires; an expired identity document is a warning (the seeds ask only that it be shown, a
// copy if expired, at the convocation).
func ruleC5Dates(ch *checker) {
	for _, f := range ch.s.fields {
		if f.Type != TypeDate || f.expiry {
			continue
		}
		v, ok := ch.use(f.Key)
		if !ok || !v.t.After(ch.today) {
			continue
		}
		ch.fail(f.Key, CodeFutureDate, f.ref+" ("+FormatDate(v.t)+") è successiva a oggi ("+FormatDate(ch.today)+"): non può essere una data futura. Correggila.")
	}
	// The keys are written out, not joined on every validation.
	for _, doc := range [...]struct{ who, issued, expires string }{
		{"datore", "datore.documento.data_rilascio", "datore.documento.data_scadenza"},
		{"lavoratore", "lavoratore.documento.data_rilascio", "lavoratore.documento.data_scadenza"},
	} {
		who := doc.who
		ril, ok1 := ch.use(doc.issued)
		scad, ok2 := ch.use(doc.expires)
		if ok1 && ok2 && scad.t.Before(ril.t) {
			ch.fail(doc.expires, CodeDateOrder, ch.ref(doc.expires)+" ("+FormatDate(scad.t)+
				") è precedente alla data di rilascio ("+FormatDate(ril.t)+"): controlla le due date.")
			continue
		}
		if ok2 && scad.t.Before(ch.today) {
			msg := "Attenzione: il documento di identità del datore di lavoro è scaduto il " + FormatDate(scad.t) +
				". La domanda si può inviare, ma al momento della convocazione presso lo Sportello Unico dovrai esibire un documento in corso di validità: rinnovalo per tempo."
			if who == "lavoratore" {
				msg = "Attenzione: il documento del lavoratore è scaduto il " + FormatDate(scad.t) +
					". La domanda si può inviare, ma al momento della convocazione presso lo Sportello Unico il lavoratore dovrà comunque esibirne una copia."
				if ch.k == KindA {
					msg = "Attenzione: il passaporto del lavoratore è scaduto il " + FormatDate(scad.t) +
						". La domanda si può inviare, ma per entrare in Italia e firmare il contratto di soggiorno il lavoratore dovrà avere un passaporto in corso di validità."
				}
			}
			ch.add(doc.expires, CodeDocumentExpired, SeverityWarning, msg)
		}
	}
}

// ageOn returns the completed years at day of a person born on birth (born on 29 February, one
// comes of age on 1 March in common years).
func ageOn(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		y--
	}
	return y
}

// C6: the employer is of age on the day of sending.
func ruleC6EmployerAge(ch *checker) {
	b, ok := ch.use("datore.data_nascita")
	if !ok || ageOn(b.t, ch.today) >= EmployerMinAge {
		return
	}
	ch.fail("datore.data_nascita", CodeMinAge, "Il datore di lavoro deve avere almeno "+itoa(EmployerMinAge)+
		" anni il giorno dell'invio: con la data di nascita "+FormatDate(b.t)+" li compie il "+FormatDate(b.t.AddDate(EmployerMinAge, 0, 0))+
		". Controlla «Data di nascita» del datore di lavoro.")
}

// C7: the worker is at least 16 when work starts: the start date in EM; in Modulo A, which has
// none (work begins after the nulla osta), the day of the request.
func ruleC7WorkerAge(ch *checker) {
	b, ok := ch.use("lavoratore.data_nascita")
	if !ok {
		return
	}
	on := ch.today
	if ch.k == KindEM {
		start, ok := ch.use("rapporto.data_inizio")
		if !ok {
			return
		}
		on = start.t
	}
	if ageOn(b.t, on) >= WorkerMinAge {
		return
	}
	// The message is written only when it is needed: this rule runs on every validation.
	when := "alla data della richiesta (" + FormatDate(on) + ")"
	if ch.k == KindEM {
		when = "all'inizio del rapporto di lavoro (" + FormatDate(on) + ")"
	}
	ch.fail("lavoratore.data_nascita", CodeWorkerMinAge, "Il lavoratore deve avere almeno "+itoa(WorkerMinAge)+" anni compiuti "+when+
		": con la data di nascita "+FormatDate(b.t)+" li compie il "+FormatDate(b.t.AddDate(WorkerMinAge, 0, 0))+". Controlla le date.")
}

// C8: the mansione belongs to the level; a badante assists a person who is not self-sufficient
// (CS or DS), a colf does anything else.
func ruleC8Mansione(ch *checker) {
	lv, ok1 := ch.use("rapporto.livello")
	ma, ok2 := ch.use("rapporto.mansione")
	if !ok1 || !ok2 {
		return
	}
	f := ch.s.index["rapporto.mansione"]
	opt, _ := f.option(ma.s)
	if opt.Parent != lv.s {
		ch.fail("rapporto.mansione", CodeMansioneLivello, "La mansione «"+opt.Label+"» non appartiene al livello "+lv.s+
			" ma al livello "+opt.Parent+": scegli una mansione del livello "+lv.s+", oppure il livello "+opt.Parent+".")
		return
	}
	tip, ok := ch.use("rapporto.tipologia")
	if !ok {
		return
	}
	switch {
	case tip.s == "badante" && !isBadanteMansione(ma.s):
		ch.fail("rapporto.mansione", CodeBadanteMansione, "Per l'assistenza a una persona non autosufficiente (badante) la mansione è «Assistente a persone non autosufficienti»: scegli il livello CS (non formato) o DS (formato) e quella mansione, oppure cambia la tipologia in lavoro domestico (colf).")
	case tip.s == "colf" && isBadanteMansione(ma.s):
		ch.fail("rapporto.mansione", CodeColfMansione, "La mansione «"+opt.Label+"» è quella dell'assistenza a persone non autosufficienti: cambia la tipologia in «Assistenza a persona non autosufficiente (badante)», oppure scegli un'altra mansione.")
	}
}

// C9: at least 20 hours a week (or full time), at most 54.
func ruleC9Hours(ch *checker) {
	h, ok := ch.use("rapporto.orario_settimanale")
	if !ok || h.tp {
		return
	}
	switch {
	case h.n < MinWeeklyHours:
		ch.fail("rapporto.orario_settimanale", CodeMinHours, "L'orario settimanale non può essere inferiore a "+itoa(MinWeeklyHours)+
			" ore: hai indicato "+itoa(int(h.n))+" ore. Indica almeno "+itoa(MinWeeklyHours)+" ore, oppure TP per il tempo pieno.")
	case h.n > MaxWeeklyHours:
		ch.fail("rapporto.orario_settimanale", CodeMaxHours, "L'orario settimanale non può superare le "+itoa(MaxWeeklyHours)+
			" ore previste dal contratto collettivo: hai indicato "+itoa(int(h.n))+" ore. Correggi l'orario.")
	}
}

// C10: the salary reaches the CCNL minimum and the assegno sociale. The hours are read even
// when C9 refused them: the minimum for the hours written is still the right thing to say.
func ruleC10Salary(ch *checker) {
	lv, ok1 := ch.use("rapporto.livello")
	cv, ok2 := ch.use("rapporto.convivenza")
	sal, ok3 := ch.use("rapporto.retribuzione_mensile")
	h := ch.v("rapporto.orario_settimanale")
	if !ok1 || !ok2 || !ok3 || !h.ok {
		return
	}
	conv := cv.s == "convivente"
	floor, byAssegno := ch.c.SalaryFloor(lv.s, conv, h.s)
	if sal.n >= floor {
		return
	}
	if byAssegno {
		ch.fail("rapporto.retribuzione_mensile", CodeBelowAssegno, "La retribuzione mensile ("+euro(sal.n)+
			") è inferiore all'importo mensile dell'assegno sociale: "+euro(floor)+". Indica almeno "+euro(floor)+".")
		return
	}
	what := "convivente"
	switch {
	case lv.s == "CS" && ch.c.CSMinimum > 0 && conv:
		what = "CS convivente"
	case lv.s == "CS" && ch.c.CSMinimum > 0:
		what = "CS non convivente, qualunque sia l'orario"
	case conv:
		what = lv.s + " convivente"
		if !h.tp && h.n <= 30 {
			if row, _ := ch.c.Level(lv.s); row.Monthly30h > 0 {
				what += " fino a 30 ore settimanali"
			}
		}
	default:
		what = lv.s + " non convivente con " + h.s + " ore settimanali"
		if h.tp {
			what = lv.s + " non convivente a tempo pieno (" + itoa(FullTimeHours) + " ore settimanali)"
		}
	}
	ch.fail("rapporto.retribuzione_mensile", CodeBelowMinimumWage, "La retribuzione mensile ("+euro(sal.n)+
		") è inferiore al minimo del CCNL per il livello "+what+": "+euro(floor)+". Indica almeno "+euro(floor)+".")
}

// C11: a deduction for housing is not possible for conviventi (seed 003), needs housing provided
// by the employer, and is at most a third of the monthly salary (seed 001; net = gross here).
func ruleC11Deduction(ch *checker) {
	cv, convOK := ch.use("rapporto.convivenza")
	conv := convOK && cv.s == "convivente"
	amountKey := "alloggio.decurtazione"
	if ch.k == KindA {
		flag, ok := ch.use("alloggio.decurtazione_stipendio")
		if !ok || !flag.b {
			return
		}
		if conv {
			ch.fail("alloggio.decurtazione_stipendio", CodeDeductionConv, deductionConvMsg+" Togli la spunta da «Decurtazione dello stipendio».")
			return
		}
		if house := ch.v("alloggio.locazione_datore"); !house.b {
			ch.fail("alloggio.decurtazione_stipendio", CodeDeductionNoHouse, "La decurtazione dello stipendio è possibile solo se l'alloggio è in locazione a carico del datore di lavoro: spunta «In locazione a carico del datore di lavoro» oppure togli la spunta da «Decurtazione dello stipendio».")
			return
		}
	}
	ded, ok := ch.use(amountKey)
	if !ok || ded.n == 0 {
		return
	}
	if conv {
		ch.fail(amountKey, CodeDeductionConv, deductionConvMsg+" Lascia vuota la decurtazione.")
		return
	}
	sal, ok := ch.use("rapporto.retribuzione_mensile")
	if !ok || ded.n*3 <= sal.n {
		return
	}
	ch.fail(amountKey, CodeDeductionTooHigh, "La decurtazione per l'alloggio ("+euro(ded.n)+") supera un terzo della retribuzione mensile ("+
		euro(sal.n)+"): indica al massimo "+euro(sal.n/3)+".")
}

const deductionConvMsg = "Per un lavoratore convivente non si tratta di rapporto di locazione: non si può prevedere una decurtazione dallo stipendio per l'alloggio."

// C12: both procedures are for workers who are not EU citizens.
func ruleC12Worker(ch *checker) {
	c, ok := ch.use("lavoratore.cittadinanza")
	if !ok {
		return
	}
	if ct, _ := places.CountryByISO(c.s); ct.EU {
		ch.fail("lavoratore.cittadinanza", CodeWorkerEU, "Il lavoratore ha la cittadinanza di uno Stato dell'Unione Europea ("+ct.Name+
			"): questa procedura riguarda solo lavoratori extracomunitari, perché i cittadini dell'Unione lavorano in Italia senza nulla osta. "+
			ch.remedy(ch.s.index["lavoratore.cittadinanza"], "Controlla la cittadinanza."))
	}
}

// C13: the employer's document fits the citizenship; a non-EU employer needs a valid title of
// residence (EM: a long-term EC permit or an EU family card, or the request of one; the EM
// requirement on the type is enforced by the options themselves).
func ruleC13Employer(ch *checker) {
	if doc, ok := ch.use("datore.documento.tipo"); ok {
		f := ch.s.index["datore.documento.tipo"]
		if g := employerDocGroup(ch.raw()); g != "" && !hasGroupOption(f.Options, g, doc.s) {
			msg := "Per un datore di lavoro cittadino italiano o dell'Unione Europea il documento è la carta d'identità o uno equivalente (passaporto, patente, …): scegli il tipo di documento dall'elenco."
			if g == groupExtra {
				msg = "Per un datore di lavoro che non è cittadino dell'Unione Europea il documento è il passaporto o uno equivalente: scegli il tipo di documento dall'elenco."
			}
			ch.fail("datore.documento.tipo", CodeDocumentType, msg)
		}
	}
	if !employerNonEU(ch.raw()) {
		return
	}
	scad, ok := ch.use("datore.soggiorno.scadenza")
	tipo := ch.v("datore.soggiorno.tipo")
	if !ok || !tipo.ok || !soggiornoExpires(tipo.s) || !scad.t.Before(ch.today) || rinnovoAsked(ch.raw()) {
		return
	}
	ch.fail("datore.soggiorno.scadenza", CodeEmployerPermit, "Il titolo di soggiorno del datore di lavoro è scaduto il "+FormatDate(scad.t)+
		": per presentare la domanda serve un titolo valido. Se ne hai chiesto il rinnovo, spunta «Richiesta di rinnovo/rilascio presentata» e indica la data della richiesta; altrimenti controlla la scadenza.")
}

func hasGroupOption(opts []Option, group, v string) bool {
	for _, o := range opts {
		if o.Parent == group && o.Value == v {
			return true
		}
	}
	return false
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " e " + parts[len(parts)-1]
}

// campaignDate reads a date parameter of the campaign; a missing or malformed one disables the
// rule that needs it rather than inventing a value.
func campaignDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := ParseDate(s)
	return t, err == nil
}

func isoToItalian(s string) string {
	if t, err := ParseDate(s); err == nil {
		return FormatDate(t)
	}
	return s
}
