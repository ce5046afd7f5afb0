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
// given, "cf:<codice fiscale>". The document number keeps only letters and digits, upper-cased,
// so that "AB 123-456" and "ab123456" are the same passport.
func WorkerKeys(d Data) []string {
	var keys []string
	num := docNumber(d.Str("lavoratore.documento.numero"))
	country := strings.ToUpper(d.Str("lavoratore.cittadinanza"))
	if num != "" && country != "" {
		keys = append(keys, "doc:"+country+":"+num)
	}
	if cf := codicefiscale.Normalize(d.Str("lavoratore.codice_fiscale")); cf != "" {
		keys = append(keys, "cf:"+cf)
	}
	return keys
}

func docNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EmployerKey returns the normalised codice fiscale of the employer (rule E3).
func EmployerKey(d Data) string {
	return codicefiscale.Normalize(d.Str("datore.codice_fiscale"))
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
