package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// The back office of docs/API.md, "Back office (issue 5)": enablement requests of comuni and
// patronati, the Ministry's console, the Sportello Unico's applications, statistics and the
// audit log.

// The statuses, kinds of ente and roles are shared/wire's constants (wire.EnablementInAttesa,
// wire.DomandaRicevuta, wire.RoleAdmin, …), with their labels.

// Ente is a Comune, an Unione di comuni or a patronato.
type Ente = wire.Ente

// Referente is the ente's contact person for the service.
type Referente = wire.Referente

// OperatoreInput is one row of the operators table of a new request.
type OperatoreInput = wire.OperatoreInput

// EnablementInput is the request form of an ente; EnablementInput.Validate is the server's check.
type EnablementInput = wire.EnablementInput

// EnablementOperator is one operator of a stored request, matched to their account.
type EnablementOperator = wire.EnablementOperator

// Enablement is a stored enablement request.
type Enablement = wire.Enablement

// DomandaStato is the Sportello Unico's status of a sent module, as its owner sees it.
type DomandaStato = wire.DomandaStato

// ModuleFilter narrows the logged-in user's modules (an operator has hundreds).
type ModuleFilter struct {
	Q      string // employer's surname or name, prefix, any case
	CF     string // employer's codice fiscale (known once the module is sent)
	Stato  string // ModuleGenerated or ModuleSent; "" for both
	Limit  int    // 0: all
	Offset int
}

// DomandeFilter narrows the applications a Sportello (or the Ministry) sees.
type DomandeFilter struct {
	Kind         shared.Kind // "" for both in the list; required by the export
	Provincia    string      // admin only; a sportello always sees its own
	Dal, Al      string      // days of receipt in Italy, YYYY-MM-DD, inclusive
	Tipologia    string      // colf | badante
	Cittadinanza string      // ISO code of the worker's citizenship, "LK"
	Stato        string      // DomandaRicevuta, …
	Q            string      // protocol, or employer's or worker's surname (prefix)
	Limit        int         // default 50, at most 500
	Offset       int
}

// DomandaItem is one application in the Sportello's list.
type DomandaItem = wire.DomandaItem

// DomandePage is one page of the list and how many match in all.
type DomandePage = wire.DomandePage

// StatoEvent is one step of an application's history at the Sportello.
type StatoEvent = wire.StatoEvent

// Domanda is one application in full: its receipt, the data received, its history, and the
// data laid out like the printed module.
type Domanda = wire.Domanda

// StatsFilter is the period of the statistics (days in Italy, inclusive; "" for no bound).
type StatsFilter struct {
	Dal, Al string
}

// DayCount is one day of the dashboard: modules generated and applications sent.
type DayCount = wire.DayCount

// Count is one bar of a chart.
type Count = wire.Count

// StatsTotals are the dashboard's headline figures.
type StatsTotals = wire.StatsTotals

// Stats are the Ministry's figures.
type Stats = wire.Stats

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     ID        `json:"id"`
	At     time.Time `json:"at"`
	AtRome string    `json:"atRome"`
	Actor  string    `json:"actor"` // e-mail
	Role   string    `json:"role"`
	Action string    `json:"action"` // login, approva, respingi, revoca, stato, export, dettaglio, …
	Target string    `json:"target"` // what it was done on: "richiesta 3", "EM2009-0000001", …
	Detail string    `json:"detail,omitempty"`
}

// AuditFilter pages through the audit log, newest first.
type AuditFilter struct {
	Limit  int    // default 100, at most 500
	Before ID     // entries older than this id
	Action string // only this action
	Actor  string // only this actor's e-mail
}

// Enablement requests.

// CreateEnablement sends an enablement request. When rows or fields are wrong nothing is
// stored, the error is an *Error with CodeInvalid, and the problems (fields like
// "operatori.2.email") are returned too, for the form to show beside each field.
func (c *Client) CreateEnablement(ctx context.Context, in EnablementInput) (Enablement, []shared.Problem, error) {
	var r Enablement
	err := c.do(ctx, http.MethodPost, "/enti/richieste", in, &r)
	var e *Error
	if errors.As(err, &e) {
		return Enablement{}, e.Problems, err
	}
	return r, nil, err
}

// ListMyEnablements lists the requests the logged-in user sent, newest first.
func (c *Client) ListMyEnablements(ctx context.Context) ([]Enablement, error) {
	var rs []Enablement
	err := c.do(ctx, http.MethodGet, "/enti/richieste", nil, &rs)
	return rs, err
}

// AdminEnablements lists the requests with that status ("" for all), newest first.
func (c *Client) AdminEnablements(ctx context.Context, stato string) ([]Enablement, error) {
	var rs []Enablement
	err := c.do(ctx, http.MethodGet, "/admin/richieste"+query(url.Values{"stato": {stato}}), nil, &rs)
	return rs, err
}

// AdminEnablement returns one request.
func (c *Client) AdminEnablement(ctx context.Context, id int64) (Enablement, error) {
	var r Enablement
	err := c.do(ctx, http.MethodGet, "/admin/richieste/"+strconv.FormatInt(id, 10), nil, &r)
	return r, err
}

// Approva enables the operators of a request: those listed, or every row still waiting when
// operatori is nil.
func (c *Client) Approva(ctx context.Context, id int64, operatori []int64) (Enablement, error) {
	var r Enablement
	err := c.do(ctx, http.MethodPost, "/admin/richieste/"+strconv.FormatInt(id, 10)+"/approva", wire.Decision{Operatori: operatori}, &r)
	return r, err
}

// Respingi rejects, with a reason, the operators listed or every row still waiting when
// operatori is nil.
func (c *Client) Respingi(ctx context.Context, id int64, motivo string, operatori []int64) (Enablement, error) {
	var r Enablement
	err := c.do(ctx, http.MethodPost, "/admin/richieste/"+strconv.FormatInt(id, 10)+"/respingi", wire.Decision{Motivo: motivo, Operatori: operatori}, &r)
	return r, err
}

// Revoca takes an enabled operator back to a private user.
func (c *Client) Revoca(ctx context.Context, userID ID, motivo string) (User, error) {
	var u User
	in := struct {
		Motivo string `json:"motivo"`
	}{motivo}
	err := c.do(ctx, http.MethodPost, "/admin/operatori/"+url.PathEscape(string(userID))+"/revoca", in, &u)
	return u, err
}

// AdminOperatori lists the enabled operators with their ente; q ("" for all) matches the
// start of the surname, the e-mail or the ente's name.
func (c *Client) AdminOperatori(ctx context.Context, q string) ([]User, error) {
	var us []User
	err := c.do(ctx, http.MethodGet, "/admin/operatori"+query(url.Values{"q": {q}}), nil, &us)
	return us, err
}

// The operator's modules.

// SearchModules lists the logged-in user's modules that match f, newest first, and how many
// match in all.
func (c *Client) SearchModules(ctx context.Context, f ModuleFilter) ([]Module, int, error) {
	v := url.Values{"q": {f.Q}, "cf": {f.CF}, "stato": {f.Stato}}
	setInt(v, "limit", f.Limit)
	setInt(v, "offset", f.Offset)
	resp, err := c.send(ctx, http.MethodGet, "/modules"+query(v), "application/json", nil)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, readError(resp)
	}
	var ms []Module
	if err := decodeJSON(resp.Body, &ms); err != nil {
		return nil, 0, err
	}
	total, err := strconv.Atoi(resp.Header.Get("X-Total-Count"))
	if err != nil {
		total = len(ms)
	}
	return ms, total, nil
}

// The Sportello Unico.

// Domande lists the applications of the caller's provincia (all, or f.Provincia's,
// for the Ministry) that match f, newest first.
// A page at an offset the client reached by going forward is asked for with the server's
// cursor (after) instead of the offset: a seek, as fast on page 400 as on page 1.
func (c *Client) Domande(ctx context.Context, f DomandeFilter) (DomandePage, error) {
	v := f.values()
	v.Del("offset")
	key := v.Encode()
	if after := c.pages.get(key, f.Offset); after != "" {
		v.Set("after", after)
	} else {
		setInt(v, "offset", f.Offset)
	}
	var p DomandePage
	err := c.do(ctx, http.MethodGet, "/sportello/domande"+query(v), nil, &p)
	if err == nil && p.Next != "" {
		c.pages.put(key, f.Offset+len(p.Items), p.Next)
	}
	return p, err
}

// pageCursors remembers, per filter, the cursor that starts the page at each offset reached.
type pageCursors struct {
	mu sync.Mutex
	m  map[string]string
}

// maxPageCursors bounds the memory: past it, the cursors are forgotten (the offset still works).
const maxPageCursors = 1000

func (pc *pageCursors) get(filter string, offset int) string {
	if pc == nil || offset == 0 {
		return ""
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.m[filter+"@"+strconv.Itoa(offset)]
}

func (pc *pageCursors) put(filter string, offset int, cursor string) {
	if pc == nil {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.m == nil || len(pc.m) >= maxPageCursors {
		pc.m = map[string]string{}
	}
	pc.m[filter+"@"+strconv.Itoa(offset)] = cursor
}

// Domanda returns one application in full. Viewing it is written in the audit log.
func (c *Client) Domanda(ctx context.Context, protocol string) (Domanda, error) {
	var d Domanda
	err := c.do(ctx, http.MethodGet, "/sportello/domande/"+url.PathEscape(protocol), nil, &d)
	return d, err
}

// SetStato moves an application to stato with a note (required for DomandaRespinta); the
// applicant sees both on their module.
func (c *Client) SetStato(ctx context.Context, protocol, stato, nota string) (Domanda, error) {
	var d Domanda
	in := struct {
		Stato string `json:"stato"`
		Nota  string `json:"nota"`
	}{stato, nota}
	err := c.do(ctx, http.MethodPost, "/sportello/domande/"+url.PathEscape(protocol)+"/stato", in, &d)
	return d, err
}

// ExportCSVURL is the address of the CSV export of the applications matching f (f.Kind is
// required; limit and offset are ignored), for a download link that carries the session cookie:
// the values as stored, or, readable, as the detail shows them (formato=leggibile).
func (c *Client) ExportCSVURL(f DomandeFilter, readable bool) string {
	v := f.values()
	v.Del("limit")
	v.Del("offset")
	if readable {
		v.Set("formato", "leggibile")
	}
	return c.base + APIPrefix + "/sportello/export.csv" + query(v)
}

func (f DomandeFilter) values() url.Values {
	v := url.Values{"kind": {string(f.Kind)}, "provincia": {f.Provincia}, "dal": {f.Dal}, "al": {f.Al},
		"tipologia": {f.Tipologia}, "cittadinanza": {f.Cittadinanza}, "stato": {f.Stato}, "q": {f.Q}}
	setInt(v, "limit", f.Limit)
	setInt(v, "offset", f.Offset)
	return v
}

// The Ministry's dashboard and audit log.

// Stats returns the figures of the dashboard for the period.
func (c *Client) Stats(ctx context.Context, f StatsFilter) (Stats, error) {
	var s Stats
	err := c.do(ctx, http.MethodGet, "/admin/stats"+query(url.Values{"dal": {f.Dal}, "al": {f.Al}}), nil, &s)
	return s, err
}

// Audit returns entries of the audit log, newest first.
func (c *Client) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	v := url.Values{"before": {string(f.Before)}, "action": {f.Action}, "actor": {f.Actor}}
	setInt(v, "limit", f.Limit)
	var es []AuditEntry
	err := c.do(ctx, http.MethodGet, "/admin/audit"+query(v), nil, &es)
	return es, err
}

// query encodes the non-empty values as "?a=1&b=2", or "" when there are none.
func query(v url.Values) string {
	for k, vs := range v {
		if len(vs) == 0 || vs[0] == "" {
			delete(v, k)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func setInt(v url.Values, key string, n int) {
	if n > 0 {
		v.Set(key, strconv.Itoa(n))
	}
}

func decodeJSON(r io.Reader, out any) error {
	if err := json.NewDecoder(io.LimitReader(r, maxResponse)).Decode(out); err != nil {
		return errors.New("risposta del server illeggibile: " + err.Error())
	}
	return nil
}
