package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// Kinds of ente that ask for operators to be enabled (seed 000, step 3).
const (
	EnteComune       = wire.EnteComune
	EnteUnioneComuni = wire.EnteUnioneComuni
	EntePatronato    = wire.EntePatronato
)

// EnteTipoLabel is a kind of ente for people.
func EnteTipoLabel(t string) string { return wire.EnteTipoLabel(t) }

// Statuses of a request, derived from its rows (EnablementStato).
const (
	EnablementInAttesa  = wire.EnablementInAttesa
	EnablementParziale  = wire.EnablementParziale
	EnablementApprovata = wire.EnablementApprovata
	EnablementRespinta  = wire.EnablementRespinta
)

// Statuses of one operator of a request.
const (
	OperatoreInAttesa  = wire.OperatoreInAttesa
	OperatoreAbilitato = wire.OperatoreAbilitato
	OperatoreRespinto  = wire.OperatoreRespinto
	OperatoreRevocato  = wire.OperatoreRevocato
)

// Ente is a Comune, an Unione di comuni or a patronato.
type Ente = wire.Ente

// Referente is the ente's contact person for the service.
type Referente = wire.Referente

// EnablementOperator is one row of the operators table, matched to a registered account.
type EnablementOperator = wire.EnablementOperator

// Enablement is an ente's request to enable its operators.
type Enablement = wire.Enablement

// EnablementStato derives a request's status from its rows' statuses.
func EnablementStato(rows []string) string {
	waiting, enabled := 0, 0
	for _, s := range rows {
		switch s {
		case OperatoreInAttesa:
			waiting++
		case OperatoreAbilitato, OperatoreRevocato:
			enabled++
		}
	}
	switch {
	case waiting == len(rows):
		return EnablementInAttesa
	case waiting > 0:
		return EnablementParziale
	case enabled > 0:
		return EnablementApprovata
	}
	return EnablementRespinta
}

// OperatoreInput is one row of the operators table as the ente typed it, its format already
// checked: DataNascita is YYYY-MM-DD, Email lower-case.
type OperatoreInput struct {
	Pos                               int // row of the form, from 1: problems name it
	Nome, Cognome, DataNascita, Email string
}

// Decision is what the Ministry decided on some rows of a request.
type Decision struct {
	EnablementID int64
	Approve      bool    // enable; false rejects
	UserIDs      []int64 // the rows decided; nil: every row still waiting
	Motivo       string  // the reason of a rejection
	By           *User
	// Mail writes the e-mails of the decision (to each enabled operator, and to the referente
	// with the list of the users enabled or the reason of the rejection); they are queued in the
	// transaction that stores it. decided are the rows this decision changed.
	Mail func(r *Enablement, decided []EnablementOperator) []Mail
	// Audit is recorded in the same transaction.
	Audit AuditEntry
}

// OperatorInfo is what the profile says about a user and enablement.
type OperatorInfo struct {
	Ente      *Ente     // the ente of the request that enabled the operator
	EnabledAt time.Time // when
	Pending   bool      // a request names the user and is not decided yet
	// Decision is the Ministry's last decision about the user (enabled, rejected with the
	// reason, revoked); nil if no request naming the user was decided.
	Decision *OperatorDecision
}

// OperatorDecision is the Ministry's last decision about a person named in a request.
type OperatorDecision = wire.OperatorDecision

// Operator is an enabled operator in the Ministry's list.
type Operator struct {
	User             User
	Ente             *Ente
	EnablementID     int64
	EnabledAt        time.Time
	ModulesGenerated int
}

// EnablementService stores enablement requests and their decisions.
type EnablementService interface {
	// CreateEnablement matches every row to an active account by e-mail and birth date and
	// stores the request, or stores nothing and returns EINVALID with one problem per bad row
	// (operatori.N.email, N counting from 1).
	CreateEnablement(ctx context.Context, r *Enablement, rows []OperatoreInput) error
	// CheckOperatori returns the problems CreateEnablement would find with rows, without storing
	// anything (to report them together with the problems of other fields).
	CheckOperatori(ctx context.Context, rows []OperatoreInput) ([]shared.Problem, error)
	Enablement(ctx context.Context, id int64) (*Enablement, error)
	// Enablements lists requests, newest first: of a creator (createdBy > 0), with a status
	// (stato != ""), or all.
	Enablements(ctx context.Context, createdBy int64, stato string) ([]Enablement, error)
	// Decide applies a decision: an approval makes each row's user an operatore; a rejection
	// records the reason. Rows not waiting give ECONFLICT, unknown rows EINVALID.
	Decide(ctx context.Context, d Decision) (*Enablement, error)
	// Revoke takes an operator back to privato, marking their enabled rows revocato.
	Revoke(ctx context.Context, userID int64, motivo string, by *User, mail func(u *User) Mail, audit AuditEntry) (*User, error)
	// OperatorInfo says whether a user is waiting for enablement and which ente enabled them.
	OperatorInfo(ctx context.Context, userID int64) (OperatorInfo, error)
	// Operators lists enabled operators whose surname, e-mail or ente starts with q.
	Operators(ctx context.Context, q string) ([]Operator, error)
}

// SearchKey folds a name for prefix search: ASCII letters in upper case and the accented
// vowels of Italian names as their plain capital (à → A, É → E); anything else as it is. The
// migration that fills the search columns of existing rows (0002_backoffice.sql) applies the
// same folding in SQL: keep them in step.
func SearchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		default:
			if f, ok := accentFold[r]; ok {
				r = f
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

var accentFold = map[rune]rune{
	'à': 'A', 'è': 'E', 'é': 'E', 'ì': 'I', 'ò': 'O', 'ù': 'U',
	'À': 'A', 'È': 'E', 'É': 'E', 'Ì': 'I', 'Ò': 'O', 'Ù': 'U',
}

// OperatorLookup is what a store answers while the rows of a request are matched, in the
// transaction that stores them (or on the read pool, for a check): the account of an e-mail
// (ENOTFOUND when there is none) and the request, if any, in which a user already waits.
type OperatorLookup struct {
	UserByEmail func(email string) (*User, error)
	PendingIn   func(userID int64) (requestID int64, pending bool, err error)
}

// MatchOperatori finds the account of each row: active, with that e-mail and birth date, a
// private user not already waiting in another request, named once. It returns the accounts
// by row, and a problem per row that fails (Field operatori.N.email or .dataNascita, Italian
// message naming the row and what to do).
func MatchOperatori(rows []OperatoreInput, look OperatorLookup) ([]*User, []shared.Problem, error) {
	users := make([]*User, len(rows))
	var ps []shared.Problem
	seen := map[int64]int{}
	for i, row := range rows {
		who := fmt.Sprintf("Riga %d (%s %s)", row.Pos, strings.TrimSpace(row.Nome), strings.TrimSpace(row.Cognome))
		field := fmt.Sprintf("operatori.%d.", row.Pos)
		bad := func(code, msg string) {
			ps = append(ps, shared.Problem{Field: field + "email", Code: code, Severity: shared.SeverityError, Message: who + ": " + msg})
		}
		u, err := look.UserByEmail(row.Email)
		if ErrorCode(err) == ENOTFOUND || (err == nil && u.DataNascita != row.DataNascita) {
			// The same answer whether the e-mail or the date is wrong: it does not reveal which
			// addresses are registered.
			bad("no_account", "nessun account registrato con questa e-mail e data di nascita. Chiedi all'operatore di registrarsi sul sito, poi invia di nuovo la richiesta.")
			ps = append(ps, shared.Problem{Field: field + "dataNascita", Code: "no_account", Severity: shared.SeverityError,
				Message: who + ": controlla anche la data di nascita, che deve essere quella indicata dall'operatore registrandosi."})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case !u.Active:
			bad("not_active", "l'account esiste ma non è stato attivato. Chiedi all'operatore di aprire il collegamento ricevuto per e-mail dopo la registrazione, poi invia di nuovo la richiesta.")
			continue
		case u.Role == RoleAdmin || u.Role == RoleSportello:
			bad("role", "questo account appartiene al Ministero o a uno Sportello Unico e non può essere abilitato come operatore. Toglilo dalla tabella.")
			continue
		case u.Role == RoleOperatore:
			bad("already_operator", "è già abilitato come operatore: non serve chiederne di nuovo l'abilitazione. Toglilo dalla tabella.")
			continue
		}
		if prev, dup := seen[u.ID]; dup {
			bad("duplicate", fmt.Sprintf("è lo stesso operatore della riga %d. Toglilo dalla tabella.", prev))
			continue
		}
		seen[u.ID] = row.Pos
		other, pending, err := look.PendingIn(u.ID)
		if err != nil {
			return nil, nil, err
		}
		if pending {
			bad("already_pending", fmt.Sprintf("è già nella richiesta n. %d, in attesa di decisione. Toglilo dalla tabella o attendi la decisione del Ministero.", other))
			continue
		}
		users[i] = u
	}
	return users, ps, nil
}

// RowsProblem is the refusal of a request whose rows match no usable account.
func RowsProblem(ps []shared.Problem) error {
	return &Error{Code: EINVALID, Problems: ps, Message: "Controlla la richiesta: " + ps[0].Message +
		" La richiesta non è stata inviata: correggi i campi segnati e inviala di nuovo."}
}

// DecisionTargets returns the indexes of the rows a decision applies to: those of ids, which
// must be rows of the request still waiting, or every waiting row when ids is nil.
func DecisionTargets(r *Enablement, ids []int64) ([]int, error) {
	var out []int
	if ids == nil {
		for i, o := range r.Operatori {
			if o.Stato == OperatoreInAttesa {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			return nil, Errorf(ECONFLICT, "Nella richiesta n. %d non ci sono operatori in attesa di decisione.", r.ID)
		}
		return out, nil
	}
	if len(ids) == 0 {
		return nil, &Error{Code: EINVALID, Message: "Scegli almeno un operatore della richiesta.",
			Problems: []shared.Problem{{Field: "operatori", Code: "required", Severity: shared.SeverityError, Message: "Scegli almeno un operatore della richiesta."}}}
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		found := -1
		for i, o := range r.Operatori {
			if o.UserID == id {
				found = i
			}
		}
		if found < 0 {
			msg := fmt.Sprintf("L'utente n. %d non è fra gli operatori della richiesta n. %d.", id, r.ID)
			return nil, &Error{Code: EINVALID, Message: msg,
				Problems: []shared.Problem{{Field: "operatori", Code: "unknown_operator", Severity: shared.SeverityError, Message: msg}}}
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if o := r.Operatori[found]; o.Stato != OperatoreInAttesa {
			return nil, Errorf(ECONFLICT, "%s %s è già stato deciso (%s il %s): non si può decidere di nuovo.", o.Nome, o.Cognome, o.Stato, o.DecidedAtRome)
		}
		out = append(out, found)
	}
	return out, nil
}
