package core

import (
	"context"
	"strings"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// Statuses of an application at the Sportello Unico.
const (
	DomandaRicevuta      = wire.DomandaRicevuta
	DomandaInIstruttoria = wire.DomandaInIstruttoria
	DomandaConvocato     = wire.DomandaConvocato
	DomandaAccolta       = wire.DomandaAccolta
	DomandaRespinta      = wire.DomandaRespinta
)

// DomandaStati are the statuses in the order an application goes through them.
var DomandaStati = wire.DomandaStati

// DomandaNext returns the statuses an application in status from may move to.
func DomandaNext(from string) []string { return wire.DomandaNext(from) }

// DomandaCanMove reports whether the Sportello may move an application from one status to
// another.
func DomandaCanMove(from, to string) bool { return wire.DomandaCanMove(from, to) }

// DomandaLabel is a status for people.
func DomandaLabel(s string) string { return wire.DomandaLabel(s) }

// DomandaStato is the Sportello's status of a sent module, as its owner sees it.
type DomandaStato = wire.DomandaStato

// DomandaFilter selects applications. Zero values select everything.
type DomandaFilter struct {
	Provincia    string      // sigla; "" for every province (the Ministry)
	Kind         shared.Kind // "" for both
	From, To     time.Time   // received at From or later, and before To
	Tipologia    string
	Cittadinanza string
	Stato        string
	Q            string // a protocol, or the start of the employer's or the worker's surname
	Limit        int
	Offset       int // ignored when After is set
	// After, if not nil, starts the page after this application (the list is newest first):
	// a seek on the index, as fast on the last page as on the first.
	After *DomandaCursor
}

// DomandaCursor is a place in the list of applications: the receipt instant and the protocol
// of the last application of a page.
type DomandaCursor struct {
	ReceivedAt string // ReceivedAtLayout
	Protocol   string
}

// DomandaItem is one application in a list.
type DomandaItem = wire.DomandaItem

// StatoEvent is one step of an application's history; the first is its receipt.
type StatoEvent = wire.StatoEvent

// Domanda is one application in full, with its owner (never sent). The store leaves Sections
// empty: the API lays the data out (shared.Layout).
type Domanda struct {
	wire.Domanda
	OwnerID int64 `json:"-"`
}

// DomandaRow is one application as the export reads it: the columns it writes first and the
// stored content.
type DomandaRow struct {
	Protocol   string
	ReceivedAt string
	Stato      string
	Content    []byte // canonical JSON; valid only during the callback
}

// StatoChange moves an application to another status.
type StatoChange struct {
	Protocol  string
	Provincia string // the caller's; "" for any
	Stato     string
	Nota      string
	By        *User
	// Mail, if not nil, writes the e-mail to the applicant, queued with the change.
	Mail func(owner *User, d *Domanda) Mail
	// Audit is recorded in the same transaction.
	Audit AuditEntry
}

// DomandaService gives the Sportello Unico the applications of its province.
type DomandaService interface {
	// Domande returns a page of the applications matching f, newest first (by receipt instant,
	// then protocol), and how many match.
	Domande(ctx context.Context, f DomandaFilter) (total int, items []DomandaItem, err error)
	// Domanda returns one application of provincia ("" for any); ENOTFOUND otherwise.
	Domanda(ctx context.Context, protocol, provincia string) (*Domanda, error)
	// SetStato applies a change allowed by DomandaCanMove (ECONFLICT otherwise) with its
	// history event.
	SetStato(ctx context.Context, c StatoChange) (*Domanda, error)
	// EachDomanda calls fn for each application matching f (Limit and Offset ignored) in order
	// of receipt, from one cursor: nothing is accumulated, so memory stays flat however many
	// rows there are. An error from fn stops it and is returned.
	EachDomanda(ctx context.Context, f DomandaFilter, fn func(r *DomandaRow) error) error
}

// CountQuery says whether the counts table (domande_counts) can answer how many applications f
// selects: when f has no text search and its instants are midnights in Italy (whole days). It
// returns the days (from inclusive, "" for open; to exclusive, "9999" for open) and the
// columns that must equal a value, in a fixed order; each store writes them in its SQL.
func (f DomandaFilter) CountQuery() (fromDay, toDay string, eq [][2]string, ok bool) {
	if strings.TrimSpace(f.Q) != "" {
		return "", "", nil, false
	}
	midnight := func(t time.Time) bool {
		r := t.In(Rome)
		return r.Hour() == 0 && r.Minute() == 0 && r.Second() == 0 && r.Nanosecond() == 0
	}
	toDay = "9999"
	if !f.From.IsZero() {
		if !midnight(f.From) {
			return "", "", nil, false
		}
		fromDay = RomeDay(f.From)
	}
	if !f.To.IsZero() {
		if !midnight(f.To) {
			return "", "", nil, false
		}
		toDay = RomeDay(f.To)
	}
	for _, c := range [][2]string{{"provincia", f.Provincia}, {"kind", string(f.Kind)}, {"tipologia", f.Tipologia},
		{"cittadinanza", f.Cittadinanza}, {"stato", f.Stato}} {
		if c[1] != "" {
			eq = append(eq, c)
		}
	}
	return fromDay, toDay, eq, true
}
