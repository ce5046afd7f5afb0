package shared

import (
	"strings"

	"nullaosta/shared/places"
)

// Helpers that let schema_em.go and schema_a.go read like the tables of MODULI.md.

type fieldOpt func(*Field)

// maxTextLen bounds free text: the longest real value (an address with its locality) is far
// shorter, and a bound keeps stored applications and receipts small.
const maxTextLen = 200

func field(t FieldType, key, label string, opts ...fieldOpt) Field {
	f := Field{Key: key, Label: label, Type: t}
	for _, o := range opts {
		o(&f)
	}
	if f.maxLen == 0 && (t == TypeText || t == TypeEmail) {
		f.maxLen = maxTextLen
	}
	return f
}

func required(f *Field) { f.Required = true }

// generation marks a datum asked on the website to generate the module: locked (grey) in the
// compiler.
func generation(f *Field) { f.Locked, f.Generation = true, true }

func help(s string) fieldOpt { return func(f *Field) { f.Help = s } }

func options(o []Option) fieldOpt { return func(f *Field) { f.Options = o } }

func placeOf(key string) fieldOpt { return func(f *Field) { f.PlaceOf = key } }

func length(n int) fieldOpt { return func(f *Field) { f.Len = n } }

func expiry(f *Field) { f.expiry = true }

// computedFrom marks a codice fiscale that can be computed from the data of the person whose
// keys start with prefix.
func computedFrom(prefix string) fieldOpt { return func(f *Field) { f.ComputedFrom = prefix } }

// nonEU marks a country that must lie outside the EU (C12).
func nonEU(f *Field) { f.NonEU = true }

// when restricts where a field applies; several conditions must all hold.
func when(cond func(reader) bool) fieldOpt {
	return func(f *Field) {
		if prev := f.applies; prev != nil {
			f.applies = func(d reader) bool { return prev(d) && cond(d) }
		} else {
			f.applies = cond
		}
	}
}

// requiredIf describes and decides a requirement that depends on other fields beyond whether
// the field applies.
func requiredIf(text string, cond func(reader) bool) fieldOpt {
	return func(f *Field) { f.RequiredIf, f.requiredWhen = text, cond }
}

// requiredWhereShown marks a field required wherever it applies, with the Italian description
// of when that is.
func requiredWhereShown(text string) fieldOpt {
	return func(f *Field) { f.Required, f.RequiredIf = true, text }
}

func requiredMessage(code, msg string) fieldOpt {
	return func(f *Field) { f.requiredCode, f.requiredMsg = code, msg }
}

func optionsFrom(key string, group func(reader) string) fieldOpt {
	return func(f *Field) { f.OptionsFrom, f.groupOf = key, group }
}

func lockedIf(text string, cond func(reader) bool) fieldOpt {
	return func(f *Field) { f.LockedIf, f.lockedWhen = text, cond }
}

func ref(s string) fieldOpt { return func(f *Field) { f.ref = s } }

// each applies opts to every field of a group (a section's shared condition).
func each(fs []Field, opts ...fieldOpt) []Field {
	for i := range fs {
		for _, o := range opts {
			o(&fs[i])
		}
	}
	return fs
}

func fields(groups ...[]Field) []Field {
	var out []Field
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// Conditions on the data. They read raw values the way Data does (trimmed, enum codes in any
// case), so that the UI, Applies and Validate always agree.

// reader is how conditions and rules read raw values: Data itself or, while a Checker follows
// which keys each part of the validation reads, a reader that notes every key it is asked for.
type reader interface {
	Str(key string) string
	Bool(key string) bool
	Filled(key string) bool
}

func (d Data) is(key, v string) bool { return is(d, key, v) }

func is(d reader, key, v string) bool { return strings.EqualFold(d.Str(key), v) }

func country(d reader, key string) (places.Country, bool) {
	s := d.Str(key)
	if s == "" {
		return places.Country{}, false
	}
	return places.CountryByISO(strings.ToUpper(s))
}

// The keys are built once, outside the conditions: a key handed to a reader escapes, and would
// be allocated on every validation.

func bornInItaly(prefix string) func(reader) bool {
	key := prefix + ".nascita.stato"
	return func(d reader) bool { return is(d, key, cittItalian) }
}

func bornAbroad(prefix string) func(reader) bool {
	key := prefix + ".nascita.stato"
	return func(d reader) bool {
		s := d.Str(key)
		return s != "" && !strings.EqualFold(s, cittItalian)
	}
}

func employerNonEU(d reader) bool {
	c, ok := country(d, "datore.cittadinanza")
	return ok && !c.EU
}

func employerEUNotItalian(d reader) bool {
	c, ok := country(d, "datore.cittadinanza")
	return ok && c.EU && c.ISO2 != cittItalian
}

// employerDocGroup selects the employer's document types by citizenship.
func employerDocGroup(d reader) string {
	c, ok := country(d, "datore.cittadinanza")
	switch {
	case !ok:
		return ""
	case c.EU:
		return groupITUE
	}
	return groupExtra
}

func levelGroup(d reader) string { return strings.ToUpper(d.Str("rapporto.livello")) }

func isColf(d reader) bool    { return is(d, "rapporto.tipologia", "colf") }
func isBadante(d reader) bool { return is(d, "rapporto.tipologia", "badante") }

func isNumerica(d reader) bool { return is(d, "richiesta.tipo", "numerica") }

// notNumerica: the worker's data apply to a nominativa request, and to one whose type is not
// chosen yet; a type that is neither leaves them aside until it is corrected.
func notNumerica(d reader) bool {
	return is(d, "richiesta.tipo", "nominativa") || d.Str("richiesta.tipo") == ""
}
func notCoincident(d reader) bool { return !d.Bool("impiego.coincide_residenza") }

func rinnovoAsked(d reader) bool { return d.Bool("datore.soggiorno.richiesta_rinnovo") }

// soggiornoWithExpiry tells whether the chosen title (one module k offers) has an expiry.
func soggiornoWithExpiry(k Kind) func(reader) bool {
	return func(d reader) bool {
		v := strings.ToLower(d.Str("datore.soggiorno.tipo"))
		return soggiornoExpires(v) && (k == KindA || v != soggOrdin)
	}
}

func section(id, title, helpText string, fs ...[]Field) Section {
	return Section{ID: id, Title: title, Help: helpText, Fields: fields(fs...)}
}

// Blocks both modules share, with the seeds' help.

const (
	helpNumeroCivico = "Attenzione! Nel campo «indirizzo» è consigliabile non scrivere il numero civico, che sarà richiesto solamente in seguito."
	helpDocID        = "Per le persone di cittadinanza italiana i documenti equivalenti alla carta d'identità (art. 35 del DPR 445/2000) sono: il passaporto, la patente di guida, la patente nautica, il libretto di pensione, il patentino di abilitazione alla conduzione di impianti termici, il porto d'armi, le tessere di riconoscimento, purché munite di fotografia e di timbro o di altra segnatura equivalente, rilasciate da un'amministrazione dello Stato. Un cittadino di un altro Stato dell'Unione Europea può indicare anche la carta d'identità valida per l'espatrio."
	helpDocPass      = "Per le persone di cittadinanza straniera i documenti equivalenti al passaporto sono: documento di viaggio per apolidi; documento di viaggio per rifugiati; titolo di viaggio per stranieri (impossibilitati a ricevere un valido documento di viaggio dall'Autorità del paese di cui sono cittadini); lasciapassare delle Nazioni Unite; documento individuale rilasciato da un Quartier Generale della NATO al personale militare di una forza della NATO; libretto di navigazione, rilasciato ai marittimi per l'esercizio della loro attività professionale; documento di navigazione aerea; carta d'identità valida per l'espatrio per i cittadini di uno Stato dell'Unione Europea; carta d'identità ed altri documenti dei cittadini degli Stati aderenti all'Accordo europeo sull'abolizione del passaporto (firmato a Parigi il 13.12.1957)."
	helpOrario       = "Indica le ore di lavoro settimanali con un numero intero; se a tempo pieno indica TP. L'orario non può comunque essere inferiore alle 20 ore settimanali."
)

// birthBlock: sex, birth date and birthplace of "datore" or "lavoratore".
func birthBlock(prefix string) []Field {
	who := "del datore di lavoro"
	if prefix == "lavoratore" {
		who = "del lavoratore"
	}
	return []Field{
		field(TypeEnum, prefix+".sesso", "Sesso", required, options(sessoOptions)),
		field(TypeDate, prefix+".data_nascita", "Data di nascita", required),
		field(TypeCountry, prefix+".nascita.stato", "Stato di nascita", required,
			help("Scegli «Italia» se la persona è nata in Italia: ti saranno chiesti provincia e comune; altrimenti lo Stato estero e la città.")),
		field(TypeProvincia, prefix+".nascita.provincia", "Provincia di nascita",
			when(bornInItaly(prefix)), requiredWhereShown("Se nato/a in Italia"), ref("«Provincia di nascita» "+who)),
		field(TypeComune, prefix+".nascita.comune", "Comune di nascita", placeOf(prefix+".nascita.provincia"),
			when(bornInItaly(prefix)), requiredWhereShown("Se nato/a in Italia"), ref("«Comune di nascita» "+who),
			help("Sono elencati anche i comuni che esistevano alla data di nascita e sono stati poi soppressi o fusi.")),
		field(TypeText, prefix+".nascita.localita", "Città di nascita (estero)",
			when(bornAbroad(prefix)), requiredWhereShown("Se nato/a all'estero"), ref("«Città di nascita» "+who)),
	}
}

// residenceBlock: the employer's residence; address, comune, provincia and CAP come from the
// generation of the module.
func residenceBlock() []Field {
	return []Field{
		field(TypeProvincia, "datore.residenza.provincia", "Provincia di residenza", generation, required),
		field(TypeComune, "datore.residenza.comune", "Comune di residenza", generation, required, placeOf("datore.residenza.provincia")),
		field(TypeText, "datore.residenza.indirizzo", "Indirizzo di residenza", generation, required,
			help("Via o piazza, senza numero civico. "+helpNumeroCivico)),
		field(TypeText, "datore.residenza.numero_civico", "Numero civico", required, help("Il numero civico dell'indirizzo di residenza (anche con lettera o barra, per esempio 12/B).")),
		field(TypeCAP, "datore.residenza.cap", "CAP", generation, required, placeOf("datore.residenza.comune"),
			help("Il codice di avviamento postale: 5 cifre, uno di quelli del comune di residenza.")),
	}
}

// employerDocBlock: the employer's identity document, whose accepted types follow citizenship.
func employerDocBlock() []Field {
	return []Field{
		field(TypeEnum, "datore.documento.tipo", "Tipo di documento", required,
			options(employerDocOptions()), optionsFrom("datore.cittadinanza", employerDocGroup),
			help(helpDocID+"\n\n"+helpDocPass)),
		field(TypeText, "datore.documento.numero", "Numero", required),
		field(TypeDate, "datore.documento.data_rilascio", "Data di rilascio", required),
		field(TypeText, "datore.documento.rilasciato_da", "Rilasciato da", required, help("L'autorità che ha rilasciato il documento, per esempio «Comune di Cuneo» o «Questura di Torino».")),
		field(TypeDate, "datore.documento.data_scadenza", "Data di scadenza", required, expiry,
			help("Il documento di identità, ovvero il permesso o la carta di soggiorno, in corso di validità dovrà essere esibito dal datore di lavoro al momento della convocazione presso lo Sportello Unico.")),
	}
}

// permitBlock: the non-EU employer's residence title.
func permitBlock(k Kind) []Field {
	opts := soggiornoOptions
	tipoHelp := "Il titolo di soggiorno del datore di lavoro straniero: la richiesta può essere presentata da uno straniero regolarmente soggiornante in Italia."
	if k == KindEM {
		opts = soggiornoOptions[:2]
		tipoHelp = "Attenzione! I datori di lavoro extracomunitari possono accedere alla procedura solamente se in possesso del permesso CE per soggiornanti di lungo periodo o della carta di soggiorno per familiari di cittadini italiani o comunitari. Lo straniero che abbia presentato richiesta di rilascio di uno di questi titoli può comunque partecipare: indica il titolo richiesto e spunta «Richiesta di rinnovo/rilascio presentata»."
	}
	return each([]Field{
		field(TypeEnum, "datore.soggiorno.tipo", "Titolo di soggiorno", required, options(opts), help(tipoHelp)),
		field(TypeText, "datore.soggiorno.numero", "Numero", required,
			help("Se hai chiesto il rilascio o il rinnovo del titolo, inserisci il codice identificativo del vecchio permesso di soggiorno o della ricevuta di richiesta del nuovo titolo.")),
		field(TypeDate, "datore.soggiorno.scadenza", "Scadenza", expiry,
			requiredIf("Se il titolo ha una scadenza (carta di soggiorno per familiari, permesso di soggiorno); il permesso CE per soggiornanti di lungo periodo non scade", soggiornoWithExpiry(k))),
		field(TypeText, "datore.soggiorno.motivo", "Per motivi di", required, help("Il motivo del soggiorno scritto sul titolo, per esempio «lavoro subordinato» o «famiglia».")),
		field(TypeBool, "datore.soggiorno.richiesta_rinnovo", "Richiesta di rinnovo/rilascio presentata"),
		field(TypeDate, "datore.soggiorno.data_richiesta", "Data della richiesta", when(rinnovoAsked), requiredWhereShown("Se hai presentato la richiesta di rinnovo o di rilascio")),
	}, when(employerNonEU), func(f *Field) {
		if f.RequiredIf == "" && f.Required {
			f.RequiredIf = "Se il datore di lavoro non è cittadino dell'Unione Europea"
		}
	})
}

// workerDocBlock: the worker's passport or equivalent document.
func workerDocBlock(k Kind) []Field {
	scadHelp := "Nel caso di passaporto scaduto, o di documento scaduto nelle more del procedimento, copia dello stesso dovrà comunque essere esibita al momento della convocazione presso lo Sportello Unico: un passaporto scaduto è accettato, con un avviso."
	if k == KindA {
		scadHelp = "Il passaporto (o altro documento equivalente) in corso di validità dovrà essere esibito dal lavoratore al competente Sportello Unico ai fini della sottoscrizione del contratto di soggiorno, entro 8 giorni dall'ingresso in Italia."
	}
	return []Field{
		field(TypeEnum, "lavoratore.documento.tipo", "Documento valido per l'espatrio", required, options(workerDocOptions()),
			help("Il documento di identità dovrà essere esibito al momento della convocazione allo Sportello Unico. "+
				"Attenzione! In caso di smarrimento o furto del passaporto scegli comunque «Passaporto» e indica come numero il protocollo del foglio consolare.\n\n"+helpDocPass)),
		field(TypeText, "lavoratore.documento.numero", "Numero", required,
			help("Attenzione! Nel caso di smarrimento o furto del passaporto si può indicare il numero identificativo di protocollo del foglio consolare rilasciato dalle rappresentanze diplomatiche per certificare l'identità della persona, pur non essendo questo documento tra quelli equipollenti. Se il foglio consolare non riporta un codice identificativo è necessario tornare presso gli uffici delle rappresentanze diplomatiche e farsi apporre un protocollo con un codice di identificazione.")),
		field(TypeDate, "lavoratore.documento.data_rilascio", "Data di rilascio", required),
		field(TypeText, "lavoratore.documento.rilasciato_da", "Rilasciato da", required, help("L'autorità che ha rilasciato il documento, per esempio «Ambasciata di Sri Lanka» o «Department of Immigration, Colombo».")),
		field(TypeDate, "lavoratore.documento.data_scadenza", "Data di scadenza", required, expiry, help(scadHelp)),
	}
}

// contractCore: level, mansione, convivenza, hours and salary.
func contractCore(k Kind) (livello, mansione, convivenza, orario, retribuzione Field) {
	salaryHelp := "La retribuzione mensile lorda non può essere inferiore al minimo previsto dal contratto collettivo nazionale per il livello e il tipo di rapporto, e comunque non inferiore all'importo mensile dell'assegno sociale."
	if k == KindEM {
		salaryHelp += " Per l'assistenza a persone non autosufficienti inquadrate nel livello C super (CS) la retribuzione minima è quella fissata per il 2009 (€ 880,17) indipendentemente dall'orario di lavoro."
	} else {
		salaryHelp += " Per i lavoratori non conviventi dei livelli A e A super impiegati per almeno 20 ore settimanali il minimo orario è comunque € 4,87, così da assicurare almeno l'assegno sociale 2007 (€ 389,36 al mese)."
	}
	livello = field(TypeEnum, "rapporto.livello", "Livello", required, options(livelloOptions),
		help("Il livello del contratto collettivo nazionale (CCNL 2007). Il lavoratore addetto a mansioni plurime ha diritto all'inquadramento nel livello corrispondente alle mansioni prevalenti."))
	mansione = field(TypeEnum, "rapporto.mansione", "Mansione", required, options(mansioneOptions),
		optionsFrom("rapporto.livello", levelGroup),
		help("Le mansioni dipendono dal livello. L'assistenza a persone non autosufficienti (badante) è del livello C super (non formato) o D super (formato)."))
	convivenza = field(TypeEnum, "rapporto.convivenza", "Tipo di rapporto", required, options(convivenzaOptions))
	orario = field(TypeHours, "rapporto.orario_settimanale", "Orario settimanale", required, help(helpOrario))
	retribuzione = field(TypeMoney, "rapporto.retribuzione_mensile", "Retribuzione mensile lorda (€)", required, help(salaryHelp))
	return
}

func assistitoBlock() []Field {
	return []Field{
		field(TypeText, "assistito.cognome", "Cognome della persona assistita"),
		field(TypeText, "assistito.nome", "Nome della persona assistita"),
		field(TypeDate, "assistito.data_nascita", "Data di nascita della persona assistita"),
		field(TypeText, "assistito.luogo_nascita", "Luogo di nascita della persona assistita", help("Il comune, o la città e lo Stato se estero.")),
	}
}

// placeBlock: a comune with its provincia, address, house number and CAP (impiego, alloggio).
// of ("di impiego", "dell'alloggio") tells the places apart in a chapter that has both.
func placeBlock(prefix, of string, withProvincia bool) []Field {
	var out []Field
	if withProvincia {
		out = append(out, field(TypeProvincia, prefix+".provincia", "Provincia "+of, required))
	}
	return append(out,
		field(TypeComune, prefix+".comune", "Comune "+of, required, placeOf(prefix+".provincia")),
		field(TypeText, prefix+".indirizzo", "Indirizzo "+of, required, help("Via o piazza, senza numero civico.")),
		field(TypeText, prefix+".numero_civico", "Numero civico "+of, required),
		field(TypeCAP, prefix+".cap", "CAP "+of, required, placeOf(prefix+".comune")),
	)
}
