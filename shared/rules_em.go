package shared

// Rules of the EM module only (seed 003). E1–E3 concern sending, not the content of one
// module: see Campaign.SendOpen and CheckLimits. E6 and E7 are requirements the schema states
// (assistito.* and the certification undertaking for a badante; the 2007 application code when
// renouncing), so the first pass enforces them.

// E4: for a colf the household's taxable income reaches the campaign's threshold, which depends
// on how many members earn.
func ruleE4Income(ch *checker) {
	if ch.k != KindEM {
		return
	}
	per, ok1 := ch.use("reddito.percettori")
	inc, ok2 := ch.use("reddito.importo")
	if !ok1 || !ok2 {
		return
	}
	min, who := ch.c.IncomeOneEarner, "con un solo percettore di reddito"
	if per.s == "piu" {
		min, who = ch.c.IncomeSeveral, "con più percettori di reddito"
	}
	if min == 0 || inc.n >= min {
		return
	}
	ch.fail("reddito.importo", CodeIncomeTooLow, "Per regolarizzare un lavoratore domestico di sostegno al bisogno familiare (colf) il reddito imponibile di un nucleo familiare "+
		who+" deve essere almeno "+euro(min)+": hai indicato "+euro(inc.n)+". Controlla l'importo e il numero di percettori.")
}

// E5: the worker was employed for at least three months at the reference date, i.e. from the
// campaign's cutoff at the latest.
func ruleE5Start(ch *checker) {
	if ch.k != KindEM {
		return
	}
	start, ok := ch.use("rapporto.data_inizio")
	cutoff, ok2 := campaignDate(ch.c.StartCutoff)
	if !ok || !ok2 || !start.t.After(cutoff) {
		return
	}
	ref := ""
	if r, ok := campaignDate(ch.c.ReferenceDate); ok {
		ref = " (il lavoratore deve essere occupato da almeno tre mesi al " + FormatDate(r) + ")"
	}
	ch.fail("rapporto.data_inizio", CodeStartAfterCutoff, "Il rapporto di lavoro deve essere iniziato al più tardi il "+FormatDate(cutoff)+ref+
		": hai indicato il "+FormatDate(start.t)+". Controlla la data di inizio.")
}

// E8: the € 500 contribution is paid with the F24 from the campaign's opening date on (and not
// after the day of sending: C5 reports a date in the future). The marca da bollo's 14 digits
// are a format the first pass checks.
func ruleE8Payment(ch *checker) {
	if ch.k != KindEM {
		return
	}
	f24, ok := ch.use("versamento.data_f24")
	from, ok2 := campaignDate(ch.c.PaymentFrom)
	if !ok || !ok2 || !f24.t.Before(from) {
		return
	}
	ch.fail("versamento.data_f24", CodeF24TooEarly, "Il contributo forfetario si versa con il modello F24 a partire dal "+FormatDate(from)+
		": la data "+FormatDate(f24.t)+" è precedente. Controlla la data del versamento.")
}
