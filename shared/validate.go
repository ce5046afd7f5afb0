package shared

import (
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"nullaosta/shared/codicefiscale"
	"nullaosta/shared/places"
)

// Validation runs in two passes over one slice of parsed values, indexed like Schema.Fields:
// first every field on its own (presence, type, format, list membership: rule C1, C2 and the
// format half of C3), then the cross-field rules, which only look at values the first pass
// found well formed. A value that failed the first pass therefore never produces a second,
// derived problem, and the same rule list serves ValidateGeneration, where only generation
// fields are parsed.

// Codes of the problems Validate reports. They are stable: tests, the UI and other tools match
// them.
const (
	CodeRequired         = "required"
	CodeMustConfirm      = "must_confirm"
	CodeFormat           = "format"
	CodeTooLong          = "too_long"
	CodeUnknownField     = "unknown_field"
	CodeUnknownModule    = "unknown_module"
	CodeNotInList        = "not_in_list"
	CodeLocked           = "locked"
	CodeComuneProvincia  = "comune_provincia"
	CodeCAPComune        = "cap_comune"
	CodeCAPNotCurrent    = "cap_not_current" // warning: not one of today's CAPs of the comune, but in its province's range
	CodeImpiegoProvincia = "impiego_provincia"
	CodeCFCheck          = "cf_check"
	CodeCFMismatch       = "cf_mismatch"
	CodeDateOrder        = "date_order"
	CodeFutureDate       = "future_date"
	CodeDocumentExpired  = "document_expired"
	CodeDocumentType     = "document_type"
	CodeMinAge           = "min_age"
	CodeWorkerMinAge     = "worker_min_age"
	CodeMansioneLivello  = "mansione_livello"
	CodeBadanteMansione  = "badante_mansione"
	CodeColfMansione     = "colf_mansione"
	CodeMinHours         = "min_hours"
	CodeMaxHours         = "max_hours"
	CodeBelowMinimumWage = "below_minimum_wage"
	CodeBelowAssegno     = "below_assegno_sociale"
	CodeDeductionConv    = "deduction_convivente"
	CodeDeductionNoHouse = "deduction_not_provided"
	CodeDeductionTooHigh = "deduction_too_high"
	CodeWorkerEU         = "worker_eu"
	CodeEmployerPermit   = "employer_permit"
	CodeIscrizione       = "iscrizione_anagrafica"
	CodeIncomeTooLow     = "income_too_low"
	CodeStartAfterCutoff = "start_after_cutoff"
	CodeF24TooEarly      = "f24_too_early"
	CodeNumericaNotAllow = "numerica_not_allowed"
	CodeRedditoAnno      = "reddito_anno"
	CodeDurataMesi       = "durata_mesi"
	CodeDuplicateWorker  = "duplicate_worker"
	CodeLimitColf        = "limit_colf"
	CodeLimitBadanti     = "limit_badanti"
)

// Ages and hours set by law, not by a campaign.
const (
	EmployerMinAge = 18 // C6 (outside the seeds)
	WorkerMinAge   = 16 // C7 (seed 001: art. 3 L. 977/1967)
	MinWeeklyHours = 20 // C9 (seed 003)
	MaxWeeklyHours = 54 // C9 (outside the seeds: CCNL maximum for conviventi)
)

// val is one field's value after the first pass.
type val struct {
	filled bool // holds something: non-blank text or true
	ok     bool // applies, filled and well formed: the rules may use it
	s      string
	b      bool
	t      time.Time
	n      int64
	tp     bool
	comune *places.Comune // TypeComune: the comune found (a pointer keeps val small)
	bad    bool           // a rule found it wrong: later rules do not build on it
}

type placed struct {
	pos int
	p   Problem
}

type checker struct {
	s     *Schema
	k     Kind
	c     *Campaign
	d     Data
	today time.Time
	gen   bool // ValidateGeneration: only generation fields
	vals  []val
	probs []placed
	// raws are the values of d as typed, by field position, taken in the one pass over d that
	// finds its unknown keys: the first pass then reads them without looking each key up again
	// (that was a fifth of a submission's validation). Nil in a FormCheck, which reads d.
	raws []rawVal
	// unknown are the keys of d the module does not have, kept for normalising them.
	unknown []string
	norms   []any           // by field position, the normal value normalizeInto kept (nil: none)
	pairs   []canonicalPair // scratch of content
	// tr is the part of the validation running now (a field's first pass, a rule) when a
	// FormCheck follows what each part reads; nil in Validate.
	tr *trace
}

var noVal val

// rawVal is one value of d as typed; present tells a JSON null from a missing key.
type rawVal struct {
	v       any
	present bool
}

// Validate checks a whole application on the given day: today is the day of sending, an instant
// or a civil date at midnight UTC (what ParseDate returns), read as a civil day in Italy. A nil
// campaign means the official campaign of kind k. Problems come in schema order, unknown keys
// last in alphabetical order; the result is never nil.
func Validate(k Kind, c *Campaign, d Data, today time.Time) []Problem {
	return run(k, c, d, today, false)
}

// ValidateGeneration checks only the generation data (the website's "Genera modulo" form): any
// other key is unknown there.
func ValidateGeneration(k Kind, c *Campaign, d Data, today time.Time) []Problem {
	return run(k, c, d, today, true)
}

// ValidateJSON decodes a JSON object and validates it (the command line's validate). The error
// is for input that is not an application at all (not JSON, not an object); its message is
// Italian.
func ValidateJSON(k Kind, c *Campaign, b []byte, today time.Time) (Result, error) {
	if SchemaOf(k) == nil {
		return Result{}, errors.New("modulo «" + string(k) + "» sconosciuto: scegli EM oppure A")
	}
	d, err := ParseData(b)
	if err != nil {
		return Result{}, err
	}
	return NewResult(Validate(k, c, d, today)), nil
}

func run(k Kind, c *Campaign, d Data, today time.Time, gen bool) []Problem {
	return runThen(k, c, d, today, gen, nil)
}

// runThen is run that calls then with the checker once the rules have run, before it is put
// back: the server's preparation (PrepareSubmissionContent) normalises and writes the content
// from the values the checker parsed. A function, not a flag, so that the browser's code, which
// never passes one, does not hold what it calls.
func runThen(k Kind, c *Campaign, d Data, today time.Time, gen bool, then func(*checker)) []Problem {
	s := SchemaOf(k)
	if s == nil {
		return []Problem{{Code: CodeUnknownModule, Severity: SeverityError,
			Message: "Il modulo «" + clip(string(k)) + "» non esiste: i moduli sono EM (emersione) e A (nulla osta)."}}
	}
	if c == nil {
		oc, _ := OfficialCampaign(k)
		c = &oc
	}
	ch := checkers.Get().(*checker)
	defer ch.release()
	*ch = checker{s: s, k: k, c: c, d: d, today: RomeDay(today), gen: gen, vals: ch.vals[:0], probs: ch.probs[:0],
		raws: ch.raws[:0], unknown: ch.unknown[:0], norms: ch.norms[:0], pairs: ch.pairs[:0]}
	ch.vals = slices.Grow(ch.vals, len(s.fields))[:len(s.fields)]
	ch.raws = slices.Grow(ch.raws, len(s.fields))[:len(s.fields)]
	ch.unknownKeys()
	for _, f := range s.fields {
		if !gen || f.Generation {
			ch.parse(f)
		}
	}
	for _, r := range rules {
		r(ch)
	}
	if then != nil {
		then(ch)
	}
	slices.SortStableFunc(ch.probs, func(a, b placed) int { return a.pos - b.pos })
	out := make([]Problem, len(ch.probs))
	for i, p := range ch.probs {
		out[i] = p.p
	}
	return out
}

// Checkers are reused: validation runs on every keystroke, and the parsed values of a whole
// form are most of what it allocates.
var checkers = sync.Pool{New: func() any { return new(checker) }}

func (ch *checker) release() {
	clear(ch.vals)
	clear(ch.probs)
	clear(ch.raws)
	clear(ch.unknown)
	clear(ch.norms)
	clear(ch.pairs)
	pairs := ch.pairs[:0]
	if cap(pairs) > maxCanonicalRanks {
		pairs = nil // an application of many unknown keys: not kept for the next
	}
	*ch = checker{vals: ch.vals[:0], probs: ch.probs[:0], raws: ch.raws[:0], unknown: ch.unknown[:0], norms: ch.norms[:0], pairs: pairs}
	checkers.Put(ch)
}

// v returns the parsed value of a key; a key this module does not have reads as empty.
func (ch *checker) v(key string) *val {
	if f, ok := ch.s.field(key); ok {
		if ch.tr != nil {
			ch.tr.vals = append(ch.tr.vals, int32(f.pos))
		}
		return &ch.vals[f.pos]
	}
	return &noVal
}

// raw is what conditions and rules read values as typed through: the data itself, or while
// a FormCheck follows the reads, a reader that notes each key.
func (ch *checker) raw() reader {
	if ch.tr != nil {
		return tracer{ch}
	}
	return ch.d
}

func (ch *checker) ref(key string) string {
	if f, ok := ch.s.field(key); ok {
		return f.ref
	}
	return "«" + key + "»"
}

func (ch *checker) add(key, code string, sev Severity, msg string) {
	pos := len(ch.s.fields)
	if f, ok := ch.s.field(key); ok {
		pos = f.pos
	}
	p := placed{pos, Problem{Field: key, Code: code, Severity: sev, Message: msg}}
	if ch.tr != nil {
		ch.tr.probs = append(ch.tr.probs, p)
		return
	}
	ch.probs = append(ch.probs, p)
}

func (ch *checker) errorf(key, code, msg string) { ch.add(key, code, SeverityError, msg) }

// fail reports an error and marks the value so later rules do not build on it.
func (ch *checker) fail(key, code, msg string) {
	ch.errorf(key, code, msg)
	v := ch.v(key)
	v.bad = true
	if f, ok := ch.s.field(key); ok && ch.tr != nil {
		ch.tr.fails = append(ch.tr.fails, int32(f.pos))
	}
}

// use reports whether the rules may rely on the value of key.
func (ch *checker) use(key string) (*val, bool) {
	v := ch.v(key)
	return v, v.ok && !v.bad
}

func (ch *checker) unknownKeys() {
	unknown := ch.unknown[:0]
	for key, raw := range ch.d {
		f, ok := ch.s.field(key)
		if ok && ch.raws != nil {
			ch.raws[f.pos] = rawVal{raw, true}
		}
		if !ok || (ch.gen && !f.Generation) {
			unknown = append(unknown, key)
		}
	}
	ch.unknown = unknown
	if len(unknown) == 0 {
		return
	}
	sort.Strings(unknown)
	shown := unknown
	if len(shown) > MaxUnknownShown {
		shown = shown[:MaxUnknownShown]
	}
	for i, key := range shown {
		msg := "Il campo «" + clip(key) + "» non esiste nel modulo " + string(ch.k) + ": toglilo (o controlla come è scritto il nome)."
		if ch.gen {
			if _, ok := ch.s.field(key); ok {
				msg = "«" + clip(key) + "» non fa parte dei dati per generare il modulo: lo compilerai dopo, nel modulo generato. Toglilo."
			}
		}
		ch.probs = append(ch.probs, placed{len(ch.s.fields) + i, Problem{Field: key, Code: CodeUnknownField, Severity: SeverityError, Message: msg}})
	}
	// The rest are counted, not listed: the answer stays the size of the form however many
	// keys were sent.
	if rest := len(unknown) - len(shown); rest > 0 {
		msg := "Altri " + itoa(rest) + " campi non esistono nel modulo " + string(ch.k) + ": toglili (o controlla di usare la versione aggiornata del programma)."
		if rest == 1 {
			msg = "Un altro campo («" + clip(unknown[len(shown)]) + "») non esiste nel modulo " + string(ch.k) + ": toglilo."
		}
		ch.probs = append(ch.probs, placed{len(ch.s.fields) + len(shown), Problem{Field: "", Code: CodeUnknownField, Severity: SeverityError, Message: msg}})
	}
}

// lockedRemedy is what to do about a wrong generation datum, which the compiler shows locked.
const lockedRemedy = "È un dato della generazione del modulo e qui non si può modificare: se è sbagliato, genera un nuovo modulo sul sito con il dato giusto."

// remedy ends a message about f with what to do: fix, or, when f is a generation datum that the
// compiler cannot change, generating a new module (telling to correct a locked field would send
// the person looking for a way that does not exist).
func (ch *checker) remedy(f *Field, fix string) string {
	if f != nil && f.Generation && !ch.gen {
		return lockedRemedy
	}
	return fix
}

// parse is the first pass for one field. A field that does not apply is not read at all, so
// whatever it holds (a value left over from an earlier choice, of any type) is ignored; only a
// field locked by a condition must then be empty.
func (ch *checker) parse(f *Field) {
	v := &ch.vals[f.pos]
	var raw any
	var present bool
	if ch.raws != nil {
		raw, present = ch.raws[f.pos].v, ch.raws[f.pos].present
	} else {
		raw, present = ch.d[f.Key]
	}
	if ch.tr != nil {
		ch.tr.raw = append(ch.tr.raw, f.Key)
	}
	if ch.tr != nil {
		// What makes the field required is read even when it is filled, so that the trace
		// holds every key that decides whether it applies and is required (the compiler's
		// progress counts required fields: FormCheck.Reparsed).
		f.requiredFor(ch.raw())
	}
	if !f.appliesTo(ch.raw()) {
		if present && rawFilled(raw) && f.lockedWhen != nil && f.lockedWhen(ch.raw()) {
			ch.errorf(f.Key, CodeLocked, f.ref+" non si compila: "+lowerFirst(f.LockedIf)+" Svuota il campo.")
		}
		return
	}
	var text string
	if present {
		switch x := raw.(type) {
		case string:
			text = strings.TrimSpace(x)
			if f.Type == TypeBool {
				switch strings.ToLower(text) {
				case "", "false", "off":
				case "true", "on":
					v.b = true
				default:
					ch.errorf(f.Key, CodeFormat, f.ref+" è una casella da spuntare: il valore deve essere vero o falso, non «"+clip(text)+"».")
					return
				}
				v.filled = v.b
			} else {
				v.filled = text != ""
			}
		case bool:
			if f.Type != TypeBool {
				ch.errorf(f.Key, CodeFormat, f.ref+" è un campo di testo: scrivi il valore tra virgolette, non vero/falso.")
				return
			}
			v.b, v.filled = x, x
		default:
			// Only a file or a program can put a number or a list here: say what to do in the
			// form first, then in the file.
			msg := "Il valore di " + f.ref + " non si può leggere: è " + jsonKind(raw) + jsonShown(raw) + " e non un testo. Riscrivilo nel campo (in un file JSON va scritto tra virgolette, per esempio \"15\")."
			if f.Type == TypeBool {
				msg = f.ref + " è una casella da spuntare: il valore deve essere vero o falso (true/false), non " + jsonKind(raw) + jsonShown(raw) + "."
			}
			ch.errorf(f.Key, CodeFormat, msg)
			return
		}
	}
	if !v.filled {
		if f.requiredFor(ch.raw()) {
			ch.required(f)
		}
		return
	}
	if f.Type == TypeBool {
		v.ok = true
		return
	}
	if ch.parseText(f, v, text) {
		v.ok = true
	}
}

// rawFilled tells whether a value holds anything at all: non-blank text, true, or a value of
// another JSON type.
func rawFilled(raw any) bool {
	switch x := raw.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(x) != ""
	case bool:
		return x
	}
	return true
}

func (ch *checker) required(f *Field) {
	code, msg := CodeRequired, ""
	switch f.Type {
	case TypeBool:
		code = CodeMustConfirm
		msg = "Per inviare la domanda devi spuntare " + f.ref + "."
	case TypeEnum, TypeCountry, TypeProvincia, TypeComune:
		msg = "Scegli " + f.ref + " dall'elenco: è obbligatorio."
	default:
		msg = "Compila " + f.ref + ": è obbligatorio."
	}
	if f.Generation && !ch.gen {
		msg = "Manca " + f.ref + ". " + lockedRemedy
	}
	if f.requiredCode != "" {
		code = f.requiredCode
	}
	if f.requiredMsg != "" {
		msg = f.requiredMsg
	}
	ch.errorf(f.Key, code, msg)
}

// parseText checks a non-empty text value by type and stores its canonical form.
func (ch *checker) parseText(f *Field, v *val, text string) bool {
	bad := func(code, msg string) bool {
		if f.Generation && !ch.gen {
			// The parse message ends with how to correct the value: keep what is wrong.
			if fact, _, ok := strings.Cut(msg, ": "); ok {
				msg = fact + "."
			}
			msg += " " + lockedRemedy
		}
		ch.errorf(f.Key, code, f.ref+": "+lowerFirst(msg))
		return false
	}
	var err error
	switch f.Type {
	case TypeText:
		if n := utf8.RuneCountInString(text); n > f.maxLen {
			ch.errorf(f.Key, CodeTooLong, f.ref+" è troppo lungo: al massimo "+itoa(f.maxLen)+" caratteri, ne hai scritti "+itoa(n)+". Abbrevialo.")
			return false
		}
		v.s = text
	case TypeDate:
		v.t, err = ParseDate(text)
	case TypeMoney:
		v.n, err = ParseMoney(text)
	case TypeHours:
		var h int
		h, v.tp, err = ParseHours(text)
		v.n = int64(h)
		if v.tp {
			v.s = "TP"
		} else {
			v.s = itoa(h)
		}
	case TypeInteger:
		var n int
		n, err = ParseInteger(text)
		v.n = int64(n)
	case TypeYear:
		var n int
		n, err = ParseYear(text)
		v.n = int64(n)
	case TypeEmail:
		v.s, err = ParseEmail(text)
	case TypePhone:
		v.s, err = ParsePhone(text)
	case TypeCAP:
		v.s, err = ParseCAP(text)
	case TypeDigits:
		v.s, err = parseDigits(text, f.Len)
	case TypeCodiceFiscale:
		v.s = codicefiscale.Normalize(text)
		if e := codicefiscale.Check(v.s); e != nil {
			return bad(CodeCFCheck, e.Error())
		}
	case TypeEnum:
		o, ok := f.option(text)
		if !ok {
			if ch.k == KindEM && f.Key == "datore.soggiorno.tipo" && strings.EqualFold(text, soggOrdin) {
				ch.errorf(f.Key, CodeEmployerPermit, emPermitMessage)
				return false
			}
			if f.Key == "lavoratore.documento.tipo" {
				if msg, ok := workerDocRefusal(text); ok {
					ch.errorf(f.Key, CodeDocumentType, msg)
					return false
				}
			}
			return bad(CodeNotInList, "«"+clip(text)+"» non è tra i valori ammessi: scegli dall'elenco.")
		}
		v.s = o.Value
	case TypeCountry:
		c, ok := places.CountryByISO(strings.ToUpper(text))
		if !ok {
			return bad(CodeNotInList, "«"+clip(text)+"» non è il codice di uno Stato: scegli lo Stato dall'elenco.")
		}
		v.s = c.ISO2
	case TypeProvincia:
		p, ok := places.ProvinceBySigla(strings.ToUpper(text))
		if !ok && strings.HasSuffix(f.Key, ".nascita.provincia") {
			// Pola, Fiume and Zara, ceded in 1947: a birthplace, never an address.
			p, ok = places.FormerProvinceBySigla(text)
		}
		if !ok {
			return bad(CodeNotInList, "«"+clip(text)+"» non è la sigla di una provincia italiana: scegli la provincia dall'elenco.")
		}
		v.s = p.Sigla
	case TypeComune:
		c, ok := places.ComuneRef(strings.ToUpper(text))
		if !ok {
			return bad(CodeNotInList, "«"+clip(text)+"» non è il codice di un comune italiano: scegli il comune dall'elenco.")
		}
		v.s, v.comune = c.Belfiore, c
	}
	if err != nil {
		return bad(CodeFormat, err.Error())
	}
	return true
}

const emPermitMessage = "Il datore di lavoro extracomunitario può presentare la dichiarazione di emersione solo se ha il permesso CE per soggiornanti di lungo periodo o la carta di soggiorno per familiari di cittadini italiani o comunitari, oppure se ne ha chiesto il rilascio: scegli il titolo che hai o che hai chiesto e, se l'hai chiesto, spunta «Richiesta di rinnovo/rilascio presentata»."

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	// Keep acronyms (CAP, F24) as they are.
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func itoa(n int) string { return strconv.Itoa(n) }
