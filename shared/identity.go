package shared

import (
	"strings"
	"unicode"

	"nullaosta/shared/codicefiscale"
	"nullaosta/shared/places"
)

// SportelloOf returns the competent Sportello Unico: the province of impiego.provincia (A5).
func SportelloOf(d Data) (places.Province, bool) {
	s := strings.ToUpper(d.Str("impiego.provincia"))
	if s == "" {
		return places.Province{}, false
	}
	return places.ProvinceBySigla(s)
}

// WorkerKeys returns the identities of the worker for rule E2: "doc:<country>:<number>" and, if
// given, "cf:<codice fiscale>". Both are canonical (DocumentNumberKey, codicefiscale.Canonical),
// so that "AB 123-456", "ab123456", a full-width "ＡＢ１２３４５６" or one with a Cyrillic «А»
// are the same passport, and every omocodic form of a codice fiscale is the same person.
func WorkerKeys(d Data) []string {
	var keys []string
	num := DocumentNumberKey(d.Str("lavoratore.documento.numero"))
	country := strings.ToUpper(d.Str("lavoratore.cittadinanza"))
	if num != "" && country != "" {
		keys = append(keys, "doc:"+country+":"+num)
	}
	if cf := codicefiscale.Canonical(d.Str("lavoratore.codice_fiscale")); cf != "" {
		keys = append(keys, "cf:"+cf)
	}
	return keys
}

// DocumentNumberKey is the form of a document number that identifies the document: letters
// and digits only, upper-case, with the compatibility forms of NFKC (full-width letters and
// digits, as a phone's keyboard may type them) and the letters of other alphabets that look
// like Latin ones (Cyrillic «А», Greek «Ο»…) read as the Latin letters they imitate. Other
// characters (spaces, dashes, dots) do not count.
func DocumentNumberKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = latinLookalike(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// latinLookalike maps a character to the Latin letter or digit it stands for: full-width
// forms (U+FF10–FF5A, what NFKC folds), other scripts' decimal digits, and the Cyrillic and
// Greek capitals and small letters that are drawn like Latin ones (Unicode's confusables of
// the Latin alphabet). Anything else is returned as it is.
func latinLookalike(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r >= 0xFF10 && r <= 0xFF19:
		return '0' + (r - 0xFF10)
	case r >= 0xFF21 && r <= 0xFF3A:
		return 'A' + (r - 0xFF21)
	case r >= 0xFF41 && r <= 0xFF5A:
		return 'a' + (r - 0xFF41)
	}
	if unicode.IsDigit(r) {
		// Decimal digits come in runs of ten from zero (Unicode Nd): find the zero.
		for z := r; z > r-10; z-- {
			if !unicode.IsDigit(z - 1) {
				return '0' + (r - z)
			}
		}
	}
	if l, ok := lookalikes[r]; ok {
		return l
	}
	return r
}

// lookalikes are the Cyrillic and Greek letters drawn like a Latin letter.
var lookalikes = map[rune]rune{
	// Cyrillic capitals and small letters.
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C',
	'Т': 'T', 'У': 'Y', 'Х': 'X', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'Ԛ': 'Q', 'Ԝ': 'W',
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i',
	'ј': 'j', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l',
	// Greek capitals and small letters.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N',
	'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ο': 'o', 'ν': 'v', 'ρ': 'p',
}

// EmployerKey returns the canonical codice fiscale of the employer (rule E3): every omocodic
// form of a code is the same employer.
func EmployerKey(d Data) string {
	return codicefiscale.Canonical(d.Str("datore.codice_fiscale"))
}

// CheckLimits applies the rules that look across modules already sent (EM only; nil for Modulo
// A): E2, the same worker (same document number and country, or same codice fiscale) may not be
// declared twice by the same employer; E3, an employer (by codice fiscale) sends at most
// MaxColf modules for a colf and MaxBadanti for badanti. sent holds modules already accepted,
// of any employer (others are skipped), not including d itself. A nil campaign means the
// official one.
func CheckLimits(k Kind, c *Campaign, sent []Data, d Data) []Problem {
	if k != KindEM {
		return nil
	}
	if c == nil {
		oc, _ := OfficialCampaign(k)
		c = &oc
	}
	emp := EmployerKey(d)
	if emp == "" {
		return nil
	}
	mine := WorkerKeys(d)
	var ps []Problem
	dupReported := false
	colf, badanti := 0, 0
	for _, s := range sent {
		if EmployerKey(s) != emp {
			continue
		}
		if !dupReported {
			if key, ok := sharedKey(mine, WorkerKeys(s)); ok {
				field := "lavoratore.documento.numero"
				what := "lo stesso documento"
				if strings.HasPrefix(key, "cf:") {
					field, what = "lavoratore.codice_fiscale", "lo stesso codice fiscale"
				}
				ps = append(ps, Problem{Field: field, Code: CodeDuplicateWorker, Severity: SeverityError,
					Message: "Hai già inviato una dichiarazione per questo lavoratore (" + what + "): si invia un solo modulo per ogni lavoratore. Se il modulo già inviato contiene un errore, non inviarne un altro: lo correggerai presso lo Sportello Unico."})
				dupReported = true
			}
		}
		switch strings.ToLower(s.Str("rapporto.tipologia")) {
		case "colf":
			colf++
		case "badante":
			badanti++
		}
	}
	switch strings.ToLower(d.Str("rapporto.tipologia")) {
	case "colf":
		if c.MaxColf > 0 && colf >= c.MaxColf {
			ps = append(ps, Problem{Field: "rapporto.tipologia", Code: CodeLimitColf, Severity: SeverityError,
				Message: "Un datore di lavoro può regolarizzare al massimo " + Plural(c.MaxColf, "lavoratore domestico", "lavoratori domestici") +
					" di sostegno al bisogno familiare (colf): con questo codice fiscale " + sentPhrase(colf) + " per colf. Non puoi inviare questo modulo."})
		}
	case "badante":
		if c.MaxBadanti > 0 && badanti >= c.MaxBadanti {
			ps = append(ps, Problem{Field: "rapporto.tipologia", Code: CodeLimitBadanti, Severity: SeverityError,
				Message: "Un datore di lavoro può regolarizzare al massimo " + Plural(c.MaxBadanti, "badante", "badanti") +
					" per l'assistenza a persone non autosufficienti: con questo codice fiscale " + sentPhrase(badanti) + " per badanti. Non puoi inviare questo modulo."})
		}
	}
	return ps
}

// limitKeys are the keys of an application CheckLimits reads of the one it checks
// (TestLimitData).
var limitKeys = [...]string{"datore.codice_fiscale", "lavoratore.documento.numero", "lavoratore.cittadinanza",
	"lavoratore.codice_fiscale", "rapporto.tipologia"}

// LimitData is the part of d that CheckLimits reads of the application it checks: for each
// d, CheckLimits(k, c, sent, LimitData(d)) = CheckLimits(k, c, sent, d).
func LimitData(d Data) Data {
	out := make(Data, len(limitKeys))
	for _, k := range limitKeys {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}

func sharedKey(a, b []string) (string, bool) {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x, true
			}
		}
	}
	return "", false
}

func sentPhrase(n int) string {
	if n == 1 {
		return "risulta già inviato un modulo"
	}
	return "risultano già inviati " + itoa(n) + " moduli"
}
