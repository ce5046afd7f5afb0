package wire

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"nullaosta/shared"
	"nullaosta/shared/places"
)

// Ente is a Comune, an Unione di comuni or a patronato.
type Ente struct {
	Nome      string `json:"nome"`
	Tipo      string `json:"tipo"`      // "comune", "unione_comuni" or "patronato"
	Provincia string `json:"provincia"` // sigla, "CN"
}

// Referente is the ente's contact person for the service.
type Referente struct {
	Nome     string `json:"nome"`
	Cognome  string `json:"cognome"`
	Ruolo    string `json:"ruolo"`
	Telefono string `json:"telefono"`
	Fax      string `json:"fax"` // optional
	Email    string `json:"email"`
}

// OperatoreInput is one row of the operators table of a new request, as typed.
type OperatoreInput struct {
	Nome        string `json:"nome"`
	Cognome     string `json:"cognome"`
	DataNascita string `json:"dataNascita"` // YYYY-MM-DD or GG/MM/AAAA
	Email       string `json:"email"`
}

// EnablementInput is an ente's request to enable its operators (POST /enti/richieste).
type EnablementInput struct {
	Ente      Ente             `json:"ente"`
	Referente Referente        `json:"referente"`
	Operatori []OperatoreInput `json:"operatori"`
}

// EnablementOperator is one operator of a stored request, matched to their account.
type EnablementOperator struct {
	UserID        int64     `json:"userId"`
	Nome          string    `json:"nome"`
	Cognome       string    `json:"cognome"`
	DataNascita   string    `json:"dataNascita"` // YYYY-MM-DD
	Email         string    `json:"email"`
	Stato         string    `json:"stato"` // OperatoreInAttesa, …
	Motivo        string    `json:"motivo,omitempty"`
	DecidedAt     time.Time `json:"decidedAt,omitzero"`
	DecidedAtRome string    `json:"decidedAtRome,omitempty"`
}

// Enablement is a stored enablement request.
type Enablement struct {
	ID            int64                `json:"id"`
	CreatedAt     time.Time            `json:"createdAt"`
	CreatedAtRome string               `json:"createdAtRome"`
	CreatedByID   int64                `json:"-"`         // the server's user id of who sent it
	CreatedBy     string               `json:"createdBy"` // e-mail of who sent it
	Stato         string               `json:"stato"`     // EnablementInAttesa, …
	Ente          Ente                 `json:"ente"`
	Referente     Referente            `json:"referente"`
	Operatori     []EnablementOperator `json:"operatori"`
	Motivo        string               `json:"motivo,omitempty"` // the last rejection's reason
	DecidedAt     time.Time            `json:"decidedAt,omitzero"`
	DecidedAtRome string               `json:"decidedAtRome,omitempty"`
	DecidedBy     string               `json:"decidedBy,omitempty"` // e-mail of the Ministry user
}

// Decision is the Ministry's «Abilita» or «Respingi» on a request (POST
// /admin/richieste/{id}/approva and …/respingi): the user ids of the rows decided (none: every
// row still waiting) and, for a rejection, the reason sent to the referente.
type Decision struct {
	Motivo    string  `json:"motivo,omitempty"`
	Operatori []int64 `json:"operatori,omitempty"`
}

// MaxOperatori bounds the operators table of one request (a patronato may list many).
const MaxOperatori = 200

// MaxMotivo bounds a reason or a note, in characters.
const MaxMotivo = 1000

// Validate checks every field of the request form, as the browser does before sending and the
// server does on receipt. It returns the request cleaned (trimmed, e-mails lower-case, dates
// YYYY-MM-DD, phones normalised), the problems of the ente and referente and of the table as a
// whole, and the problems of each row keyed by its position from 1 (fields like
// "operatori.2.email"). Only the rows with no problem are in the cleaned request's Operatori,
// with their position in rows.
func (in EnablementInput) Validate(today time.Time) (out EnablementInput, rows []int, ps []shared.Problem, byRow map[int][]shared.Problem) {
	ps = append(ps, ValidText("ente.nome", "il nome dell'ente (per esempio Comune di Cuneo)", in.Ente.Nome, 200)...)
	out.Ente.Nome = strings.TrimSpace(in.Ente.Nome)
	switch t := strings.ToLower(strings.TrimSpace(in.Ente.Tipo)); t {
	case EnteComune, EnteUnioneComuni, EntePatronato:
		out.Ente.Tipo = t
	case "":
		ps = append(ps, problem("ente.tipo", "required", "Scegli il tipo di ente: Comune, Unione di comuni o patronato."))
	default:
		ps = append(ps, problem("ente.tipo", "format", "Tipo di ente sconosciuto: scegli Comune, Unione di comuni o patronato."))
	}
	if p, ok := places.ProvinceBySigla(strings.TrimSpace(in.Ente.Provincia)); ok {
		out.Ente.Provincia = p.Sigla
	} else if strings.TrimSpace(in.Ente.Provincia) == "" {
		ps = append(ps, problem("ente.provincia", "required", "Scegli la provincia dell'ente."))
	} else {
		ps = append(ps, problem("ente.provincia", "unknown_provincia", "Provincia sconosciuta: scegli la sigla dall'elenco, per esempio CN."))
	}

	ref := in.Referente
	ps = append(ps, ValidName("referente.nome", "nome del referente", ref.Nome)...)
	ps = append(ps, ValidName("referente.cognome", "cognome del referente", ref.Cognome)...)
	ps = append(ps, ValidText("referente.ruolo", "il ruolo del referente (per esempio Responsabile dei servizi demografici)", ref.Ruolo, 100)...)
	out.Referente = Referente{Nome: strings.TrimSpace(ref.Nome), Cognome: strings.TrimSpace(ref.Cognome), Ruolo: strings.TrimSpace(ref.Ruolo)}
	if strings.TrimSpace(ref.Telefono) == "" {
		ps = append(ps, problem("referente.telefono", "required", "Scrivi il numero di telefono del referente."))
	} else if tel, err := shared.ParsePhone(ref.Telefono); err != nil {
		ps = append(ps, problem("referente.telefono", "format", err.Error()))
	} else {
		out.Referente.Telefono = tel
	}
	if strings.TrimSpace(ref.Fax) != "" {
		if fax, err := shared.ParsePhone(ref.Fax); err != nil {
			ps = append(ps, problem("referente.fax", "format", err.Error()))
		} else {
			out.Referente.Fax = fax
		}
	}
	if strings.TrimSpace(ref.Email) == "" {
		ps = append(ps, problem("referente.email", "required", "Scrivi l'e-mail del referente: riceverà l'elenco degli operatori abilitati."))
	} else if e, err := shared.ParseEmail(ref.Email); err != nil {
		ps = append(ps, problem("referente.email", "format", err.Error()))
	} else {
		out.Referente.Email = strings.ToLower(e)
	}

	switch n := len(in.Operatori); {
	case n == 0:
		ps = append(ps, problem("operatori", "required", "Aggiungi almeno un operatore alla tabella: nome, cognome, data di nascita ed e-mail con cui si è registrato."))
	case n > MaxOperatori:
		ps = append(ps, problem("operatori", "too_many", fmt.Sprintf("La tabella ha %d righe: al massimo %d per richiesta. Dividila in più richieste.", n, MaxOperatori)))
		return out, nil, ps, nil
	}
	byRow = map[int][]shared.Problem{}
	for i, o := range in.Operatori {
		pos := i + 1
		f := fmt.Sprintf("operatori.%d.", pos)
		var rp []shared.Problem
		rp = append(rp, ValidName(f+"nome", fmt.Sprintf("nome dell'operatore della riga %d", pos), o.Nome)...)
		rp = append(rp, ValidName(f+"cognome", fmt.Sprintf("cognome dell'operatore della riga %d", pos), o.Cognome)...)
		row := OperatoreInput{Nome: strings.TrimSpace(o.Nome), Cognome: strings.TrimSpace(o.Cognome)}
		birth, err := shared.ParseDate(o.DataNascita)
		switch {
		case strings.TrimSpace(o.DataNascita) == "":
			rp = append(rp, problem(f+"dataNascita", "required", fmt.Sprintf("Riga %d: scrivi la data di nascita dell'operatore (GG/MM/AAAA).", pos)))
		case err != nil || birth.Year() < 1900 || birth.After(today):
			rp = append(rp, problem(f+"dataNascita", "format", fmt.Sprintf("Riga %d: la data di nascita non è valida: scrivila come GG/MM/AAAA, per esempio 07/03/1970.", pos)))
		default:
			row.DataNascita = birth.Format(time.DateOnly)
		}
		if strings.TrimSpace(o.Email) == "" {
			rp = append(rp, problem(f+"email", "required", fmt.Sprintf("Riga %d: scrivi l'e-mail con cui l'operatore si è registrato.", pos)))
		} else if e, err := shared.ParseEmail(o.Email); err != nil {
			rp = append(rp, problem(f+"email", "format", fmt.Sprintf("Riga %d: %s", pos, err.Error())))
		} else {
			row.Email = strings.ToLower(e)
		}
		if len(rp) > 0 {
			byRow[pos] = rp
			continue
		}
		out.Operatori = append(out.Operatori, row)
		rows = append(rows, pos)
	}
	return out, rows, ps, byRow
}

// ValidMotivo checks the reason of a rejection or a revocation, or a note: what is the
// sentence that asks for it when it is missing.
func ValidMotivo(field, what, v string) []shared.Problem {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return []shared.Problem{problem(field, "required", "Scrivi "+what+".")}
	case utf8.RuneCountInString(v) > MaxMotivo:
		return []shared.Problem{problem(field, "format", fmt.Sprintf("Il testo è troppo lungo: al massimo %d caratteri.", MaxMotivo))}
	}
	return nil
}

// ValidText checks a required free text of at most n characters.
func ValidText(field, what, v string, n int) []shared.Problem {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return []shared.Problem{problem(field, "required", "Scrivi "+what+".")}
	case utf8.RuneCountInString(v) > n:
		return []shared.Problem{problem(field, "format", fmt.Sprintf("Il testo è troppo lungo: al massimo %d caratteri.", n))}
	case strings.ContainsAny(v, "<>{}\\\r\n\t"):
		return []shared.Problem{problem(field, "format", "Il testo contiene caratteri non ammessi (< > { } \\ o a capo).")}
	}
	return nil
}

// ValidName checks a cognome or nome; label names it in the message ("nome del referente").
func ValidName(field, label, v string) []shared.Problem {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return []shared.Problem{problem(field, "required", "Scrivi il "+label+".")}
	case utf8.RuneCountInString(v) > 100:
		return []shared.Problem{problem(field, "format", "Il "+label+" può avere al massimo 100 caratteri.")}
	case strings.ContainsAny(v, "<>{}\\\"\r\n\t"):
		return []shared.Problem{problem(field, "format", "Il "+label+" contiene caratteri non ammessi.")}
	}
	return nil
}

func problem(field, code, msg string) shared.Problem {
	return shared.Problem{Field: field, Code: code, Severity: shared.SeverityError, Message: msg}
}
