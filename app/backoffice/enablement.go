package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// settingEnablementDraft keeps what was typed in the request for enablement (JSON
// enablementDraft), so that a reload or a crash loses nothing.
const settingEnablementDraft = "enablementDraft"

// opRow is one operator of the request. Key is stable for the life of the row: element ids
// are built from it, so removing a row never gives its inputs to another.
type opRow struct {
	Key         int    `json:"key"`
	Nome        string `json:"nome"`
	Cognome     string `json:"cognome"`
	DataNascita string `json:"dataNascita"` // as typed, GG/MM/AAAA
	Email       string `json:"email"`
}

func (r opRow) empty() bool {
	return strings.TrimSpace(r.Nome+r.Cognome+r.DataNascita+r.Email) == ""
}

// enablementDraft is everything the request form holds (seed 000, step 3: the fax).
type enablementDraft struct {
	Ente      client.Ente      `json:"ente"`
	Referente client.Referente `json:"referente"`
	Operatori []opRow          `json:"operatori"`
	NextKey   int              `json:"nextKey"`
}

// enablementForm is the model of the page: the draft, the problems by element id (the
// server's and the local checks'), and the row keys in the order they were last sent, which
// turn the server's "operatori.N.email" back into a row.
type enablementForm struct {
	d        enablementDraft
	problems map[string]string // element id → message
	rowMsgs  map[int][]string  // row key → messages about the whole row
	sentKeys []int
}

func newEnablementForm() *enablementForm {
	f := &enablementForm{}
	f.addRow()
	return f
}

func (f *enablementForm) addRow() int {
	f.d.NextKey++
	k := f.d.NextKey
	f.d.Operatori = append(f.d.Operatori, opRow{Key: k})
	return k
}

func (f *enablementForm) removeRow(key int) {
	for i, r := range f.d.Operatori {
		if r.Key == key {
			f.d.Operatori = append(f.d.Operatori[:i:i], f.d.Operatori[i+1:]...)
			break
		}
	}
	delete(f.rowMsgs, key)
	for _, c := range opColumns {
		delete(f.problems, opInputID(key, c.name))
	}
	if len(f.d.Operatori) == 0 {
		f.addRow()
	}
}

// Element ids of the form.
func opInputID(key int, col string) string { return "ab-op-" + strconv.Itoa(key) + "-" + col }

// parseOpInputID is the row key and the column of an operator's input id.
func parseOpInputID(id string) (key int, col string, ok bool) {
	rest, ok := strings.CutPrefix(id, "ab-op-")
	if !ok {
		return 0, "", false
	}
	ks, col, ok := strings.Cut(rest, "-")
	key, err := strconv.Atoi(ks)
	return key, col, ok && err == nil
}

// opColumns are the columns of the operators' table and the row's string each edits.
var opColumns = []struct {
	name, label, typ, autocomplete, hint string
	at                                   func(*opRow) *string
}{
	{"nome", "Nome", "text", "off", "", func(r *opRow) *string { return &r.Nome }},
	{"cognome", "Cognome", "text", "off", "", func(r *opRow) *string { return &r.Cognome }},
	{"dataNascita", "Data di nascita", "text", "off", "GG/MM/AAAA", func(r *opRow) *string { return &r.DataNascita }},
	{"email", "E-mail", "email", "off", "", func(r *opRow) *string { return &r.Email }},
}

// entryField is one of the ente's and the referent's inputs: element id, server field, label,
// and the draft's string it edits.
type entryField struct {
	id, field, label, typ, autocomplete string
	at                                  func(*enablementDraft) *string
}

var enablementFields = []entryField{
	{"ab-ente-nome", "ente.nome", "Nome dell'ente", "text", "organization", func(d *enablementDraft) *string { return &d.Ente.Nome }},
	{"ab-ente-tipo", "ente.tipo", "Tipo di ente", "select", "", func(d *enablementDraft) *string { return &d.Ente.Tipo }},
	{"ab-ente-provincia", "ente.provincia", "Provincia", "select", "", func(d *enablementDraft) *string { return &d.Ente.Provincia }},
	{"ab-ref-nome", "referente.nome", "Nome", "text", "given-name", func(d *enablementDraft) *string { return &d.Referente.Nome }},
	{"ab-ref-cognome", "referente.cognome", "Cognome", "text", "family-name", func(d *enablementDraft) *string { return &d.Referente.Cognome }},
	{"ab-ref-ruolo", "referente.ruolo", "Ruolo", "text", "organization-title", func(d *enablementDraft) *string { return &d.Referente.Ruolo }},
	{"ab-ref-telefono", "referente.telefono", "Telefono", "tel", "tel", func(d *enablementDraft) *string { return &d.Referente.Telefono }},
	{"ab-ref-fax", "referente.fax", "Fax", "tel", "off", func(d *enablementDraft) *string { return &d.Referente.Fax }},
	{"ab-ref-email", "referente.email", "E-mail", "email", "email", func(d *enablementDraft) *string { return &d.Referente.Email }},
}

// ptr returns the draft's string that an element id edits.
func (f *enablementForm) ptr(id string) *string {
	for _, fl := range enablementFields {
		if fl.id == id {
			return fl.at(&f.d)
		}
	}
	key, col, ok := parseOpInputID(id)
	if !ok {
		return nil
	}
	for i := range f.d.Operatori {
		if r := &f.d.Operatori[i]; r.Key == key {
			for _, c := range opColumns {
				if c.name == col {
					return c.at(r)
				}
			}
		}
	}
	return nil
}

func (f *enablementForm) Get(id string) string {
	if p := f.ptr(id); p != nil {
		return *p
	}
	return ""
}

// set changes one value. The problem of that input goes: the person is correcting it; a
// row's own message goes when its e-mail or birth date changes.
func (f *enablementForm) set(id, v string) bool {
	p := f.ptr(id)
	if p == nil || *p == v {
		return false
	}
	*p = v
	delete(f.problems, id)
	if k, col, ok := parseOpInputID(id); ok && (col == "email" || col == "dataNascita") {
		delete(f.rowMsgs, k)
	}
	return true
}

func (f *enablementForm) rowInvalid(key int) bool {
	if len(f.rowMsgs[key]) > 0 {
		return true
	}
	for _, c := range opColumns {
		if f.problems[opInputID(key, c.name)] != "" {
			return true
		}
	}
	return false
}

// problem is one message of the error summary, with the input it points to.
type problem struct{ ID, Message string }

// summary lists every problem in the order of the form.
func (f *enablementForm) summary() []problem {
	var out []problem
	for _, fl := range enablementFields {
		if m := f.problems[fl.id]; m != "" {
			out = append(out, problem{fl.id, m})
		}
	}
	for i, r := range f.d.Operatori {
		for _, m := range f.rowMsgs[r.Key] {
			out = append(out, problem{opInputID(r.Key, "email"), rowText(i+1, "", m)})
		}
		for _, c := range opColumns {
			if m := f.problems[opInputID(r.Key, c.name)]; m != "" {
				out = append(out, problem{opInputID(r.Key, c.name), rowText(i+1, strings.ToLower(c.label), m)})
			}
		}
	}
	return out
}

// rowText names the row (and the column) of a message, unless the server's message already
// does ("Riga 2 (Sara Neri): …").
func rowText(n int, col, msg string) string {
	if strings.HasPrefix(msg, "Riga ") {
		return msg
	}
	if col != "" {
		return fmt.Sprintf("Riga %d, %s: %s", n, col, msg)
	}
	return fmt.Sprintf("Riga %d: %s", n, msg)
}

// request builds the API request from the rows that hold something and checks it with the
// server's own check (wire.EnablementInput.Validate), placing each problem beside its input. It
// returns the request cleaned as the server would store it, and whether nothing is wrong.
func (f *enablementForm) request() (client.EnablementInput, bool) {
	in := client.EnablementInput{Ente: f.d.Ente, Referente: f.d.Referente}
	f.sentKeys = f.sentKeys[:0]
	for _, r := range f.d.Operatori {
		if r.empty() {
			continue
		}
		in.Operatori = append(in.Operatori, client.OperatoreInput{Nome: r.Nome, Cognome: r.Cognome, DataNascita: r.DataNascita, Email: r.Email})
		f.sentKeys = append(f.sentKeys, r.Key)
	}
	clean, _, ps, byRow := in.Validate(shared.RomeDay(session.Environment().Now()))
	for pos := 1; pos <= len(in.Operatori); pos++ {
		ps = append(ps, byRow[pos]...)
	}
	rest := f.serverProblems(ps)
	if len(rest) > 0 && len(f.d.Operatori) > 0 {
		k := f.d.Operatori[0].Key
		f.rowMsgs[k] = append(f.rowMsgs[k], rest...)
	}
	return clean, len(ps) == 0
}

// serverProblems places the server's field problems: "ente.nome" beside its input,
// "operatori.2.email" beside the e-mail of the second row sent (rows count from 1), an
// account problem ("no_account") on its row.
// Anything else is returned for the message at the top.
func (f *enablementForm) serverProblems(ps []shared.Problem) (rest []string) {
	f.problems, f.rowMsgs = map[string]string{}, map[int][]string{}
	for _, p := range ps {
		placed := false
		for _, fl := range enablementFields {
			if p.Field == fl.field {
				f.problems[fl.id] = p.Message
				placed = true
			}
		}
		if rest, ok := strings.CutPrefix(p.Field, "operatori."); ok && !placed {
			idx, col, _ := strings.Cut(rest, ".")
			// Rows are numbered from 1, as on the form (docs/API.md).
			if n, err := strconv.Atoi(idx); err == nil && n >= 1 && n <= len(f.sentKeys) {
				key := f.sentKeys[n-1]
				switch col {
				case "nome", "cognome", "dataNascita", "email":
					if p.Code == "no_account" {
						f.rowMsgs[key] = append(f.rowMsgs[key], p.Message)
					} else {
						f.problems[opInputID(key, col)] = p.Message
					}
				default:
					f.rowMsgs[key] = append(f.rowMsgs[key], p.Message)
				}
				placed = true
			}
		}
		if !placed && p.Field == "operatori" && len(f.d.Operatori) > 0 {
			k := f.d.Operatori[0].Key
			f.rowMsgs[k] = append(f.rowMsgs[k], p.Message)
			placed = true
		}
		if !placed {
			rest = append(rest, p.Message)
		}
	}
	return rest
}

// Enablement is the page /abilitazione: a comune, an unione di comuni or a patronato asks the
// Ministry to enable its operators (the fax of seed 000, step 3), and follows its requests.
type Enablement struct {
	goapp.Compo

	status  ui.LoadStatus
	user    string
	me      client.User
	form    *enablementForm
	list    []client.Enablement
	listErr string
	busy    bool
	msg     string
	msgKind string
	saver   *session.Saver[*enablementDraft] // nil until something is typed; a nil draft deletes the saved one
}

func (p *Enablement) OnNav(ctx goapp.Context) {
	p.status = ui.StatusLoading
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		me, _ := session.LoadProfile(bg)
		f := loadEnablementDraft(bg, user)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.user, p.me, p.form, p.status = user, me, f, ui.StatusLoaded
			p.prefill()
			if user != "" {
				p.loadList(ctx)
			}
		})
	})
}

func (p *Enablement) OnDismount() {
	if p.saver != nil {
		p.saver.Close()
		p.saver = nil
	}
}

// draftSaver is the saver of the form, made on first use; saving nil deletes the saved draft
// (the request went).
func (p *Enablement) draftSaver() *session.Saver[*enablementDraft] {
	if p.saver == nil {
		user := p.user
		p.saver = session.NewSaver(func(ctx context.Context, d *enablementDraft) error {
			if d == nil {
				err := session.Environment().Store.DeleteSetting(ctx, user, settingEnablementDraft)
				if errors.Is(err, store.ErrNotFound) {
					err = nil
				}
				return err
			}
			b, err := json.Marshal(d)
			if err != nil {
				return err
			}
			return session.Environment().Store.PutSetting(ctx, user, settingEnablementDraft, string(b))
		}, nil)
	}
	return p.saver
}

// loadEnablementDraft reads the saved form of user (a new one when there is none).
func loadEnablementDraft(ctx context.Context, user string) *enablementForm {
	f := newEnablementForm()
	s, err := session.Environment().Store.GetSetting(ctx, user, settingEnablementDraft)
	if err != nil {
		return f
	}
	var d enablementDraft
	if json.Unmarshal([]byte(s), &d) != nil {
		return f
	}
	f.d = d
	if len(f.d.Operatori) == 0 {
		f.addRow()
	}
	for _, r := range f.d.Operatori {
		f.d.NextKey = max(f.d.NextKey, r.Key)
	}
	return f
}

// prefill proposes the logged-in person as the referent of a new request.
func (p *Enablement) prefill() {
	r := &p.form.d.Referente
	if r.Nome == "" && r.Cognome == "" && r.Email == "" && p.me.Email != "" {
		r.Nome, r.Cognome, r.Email = p.me.Nome, p.me.Cognome, p.me.Email
	}
}

func (p *Enablement) loadList(ctx goapp.Context) {
	api := session.Environment().API
	if api == nil {
		return
	}
	ctx.Async(func() {
		list, err := api.ListMyEnablements(context.Background())
		ctx.Dispatch(func(ctx goapp.Context) { p.setList(list, err) })
	})
}

func (p *Enablement) setList(list []client.Enablement, err error) {
	p.list = list
	p.listErr = session.ErrorText(err, "Senza connessione non è possibile vedere lo stato delle richieste già inviate.")
}

// saveDraft keeps the form on the device (debounced; flushAll writes it at once).
func (p *Enablement) saveDraft() {
	d := p.form.d
	d.Operatori = append([]opRow(nil), d.Operatori...) // the form goes on changing its rows
	p.draftSaver().Schedule(&d)
}

func (p *Enablement) onInput(ctx goapp.Context, e goapp.Event) {
	v := ctx.JSSrc().Get("value").String()
	if v == ui.PlaceholderValue {
		v = ""
	}
	if p.form.set(ctx.JSSrc().Get("id").String(), v) {
		p.saveDraft()
	}
}

func (p *Enablement) onAddRow(ctx goapp.Context, e goapp.Event) {
	k := p.form.addRow()
	p.saveDraft()
	ctx.Defer(func(goapp.Context) {
		if el := goapp.Window().GetElementByID(opInputID(k, "nome")); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *Enablement) onRemoveRow(ctx goapp.Context, e goapp.Event) {
	k, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("key").String())
	if err != nil {
		return
	}
	p.form.removeRow(k)
	p.saveDraft()
	ctx.Defer(func(goapp.Context) {
		if el := goapp.Window().GetElementByID("ab-add-row"); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *Enablement) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	in, ok := p.form.request()
	if !ok {
		p.msgKind, p.msg = "danger", "Correggi i dati indicati: nulla di quanto hai scritto è andato perso."
		focusSummary(ctx)
		return
	}
	api := session.Environment().API
	if api == nil {
		p.msgKind, p.msg = "danger", session.ErrorText(session.ErrNoServer)
		return
	}
	p.busy = true
	p.msgKind, p.msg = "info", "Invio della richiesta in corso…"
	p.draftSaver().Flush()
	ctx.Async(func() {
		r, _, err := api.CreateEnablement(context.Background(), in)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.busy = false
			p.sent(r, err)
			if err != nil {
				focusSummary(ctx)
				return
			}
			p.loadList(ctx)
		})
	})
}

// sent shows the server's answer: on success a new, empty form; on refusal every problem in
// its place, and the form as it was.
func (p *Enablement) sent(r client.Enablement, err error) {
	var ce *client.Error
	switch {
	case err == nil:
		p.msgKind, p.msg = "success", fmt.Sprintf("Richiesta inviata il %s per %s: il Ministero la esaminerà. Ogni operatore riceverà un'e-mail quando sarà abilitato.", r.CreatedAtRome, shared.Plural(len(r.Operatori), "operatore", "operatori"))
		p.form = newEnablementForm()
		p.prefill()
		s := p.draftSaver()
		s.Schedule(nil)
		s.Flush()
	case client.IsOffline(err):
		p.msgKind, p.msg = "warning", session.ErrorText(err, "Non c'è connessione con il server: la richiesta non è partita. I dati restano su questo dispositivo: inviala quando sei di nuovo in linea.")
	case errors.As(err, &ce) && len(ce.Problems) > 0:
		rest := p.form.serverProblems(ce.Problems)
		msg := ce.Message
		if len(rest) > 0 {
			msg += " " + strings.Join(rest, " ")
		}
		p.msgKind, p.msg = "danger", msg+" Nulla di quanto hai scritto è andato perso."
	case session.NeedLogin(err):
		p.msgKind, p.msg = "warning", "La sessione è scaduta: accedi di nuovo. I dati restano su questo dispositivo."
	default:
		p.msgKind, p.msg = "danger", session.ErrorText(err)
	}
}

func focusSummary(ctx goapp.Context) {
	ctx.Defer(func(goapp.Context) {
		if el := goapp.Window().GetElementByID("ab-summary"); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *Enablement) Render() goapp.UI {
	return ui.Page("/abilitazione",
		goapp.H1().Text("Richiesta di abilitazione operatori"),
		goapp.P().Class("lead").Text("Per comuni, unioni di comuni e patronati: chiedi al Ministero dell'Interno di abilitare i tuoi operatori a compilare e inviare domande senza limite di numero. Sostituisce il fax su carta intestata."),
		p.body(),
	)
}

func (p *Enablement) body() goapp.UI {
	switch {
	case p.status == ui.StatusLoading || p.form == nil:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.user == "":
		return goapp.Div().Body(
			ui.Notice("info", "Accedi per richiedere l'abilitazione: la richiesta parte dal tuo account, e ogni operatore deve essersi già registrato."),
			goapp.A().Href(session.LoginLink("/abilitazione")).Class("btn btn-primary").Text("Accedi"),
		)
	}
	f := p.form
	sum := f.summary()
	return goapp.Div().Body(
		goapp.Div().Class("callout-steps mb-4").Body(
			goapp.H2().Class("h5").Text("Prima di inviare"),
			goapp.Ol().Class("mb-0").Body(
				goapp.Li().Text("Ogni operatore deve avere già un account registrato e attivato con la propria e-mail personale e istituzionale."),
				goapp.Li().Text("Indica per ogni operatore la stessa e-mail e la stessa data di nascita della sua registrazione: le righe che non corrispondono a nessun account vengono segnalate."),
				goapp.Li().Text("Finché il Ministero non li abilita, gli operatori sono utenti privati: non devono compilare né inviare domande."),
			),
		),
		goapp.Div().ID("ab-summary").TabIndex(-1).Attr("role", "alert").Body(
			goapp.If(len(sum) > 0, func() goapp.UI {
				return goapp.Div().Class("alert alert-danger error-summary").Body(
					goapp.H2().Class("h5").Text("Correggi questi dati"),
					goapp.Ul().Class("mb-0").Body(goapp.Range(sum).Slice(func(i int) goapp.UI {
						return goapp.Li().Body(goapp.A().Href("#" + sum[i].ID).Text(sum[i].Message))
					})),
				)
			}),
		),
		goapp.Form().ID("ab-form").OnSubmit(p.onSubmit).Attr("novalidate", true).Body(
			goapp.FieldSet().Class("mb-4").Body(
				goapp.Legend().Class("h4").Text("Ente"),
				goapp.Div().Class("row").Body(
					goapp.Div().Class("col-12 col-md-6").Body(p.Input(enablementFields[0])),
					goapp.Div().Class("col-12 col-md-3").Body(p.selectInput(enablementFields[1], enteTipoOptions())),
					goapp.Div().Class("col-12 col-md-3").Body(p.selectInput(enablementFields[2], provinceSelectOptions())),
				),
			),
			goapp.FieldSet().Class("mb-4").Body(
				goapp.Legend().Class("h4").Text("Referente del servizio"),
				goapp.Div().Class("row").Body(
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[3])),
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[4])),
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[5])),
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[6])),
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[7])),
					goapp.Div().Class("col-12 col-md-4").Body(p.Input(enablementFields[8])),
				),
			),
			goapp.FieldSet().Class("mb-4").Body(
				goapp.Legend().Class("h4").Text("Operatori da abilitare"),
				goapp.P().Class("small text-muted").ID("ab-op-help").Text("Le credenziali di utente privato da abilitare come operatore: nome, cognome, data di nascita ed e-mail come nella registrazione."),
				p.operatorTable(),
				goapp.Button().ID("ab-add-row").Type("button").Class("btn btn-outline-primary").
					Text("+ Aggiungi operatore").OnClick(p.onAddRow),
			),
			goapp.Div().Class("form-status").Attr("role", "status").Aria("live", "polite").Body(
				goapp.If(p.msg != "", func() goapp.UI { return goapp.Div().Class("alert alert-" + p.msgKind).Text(p.msg) }),
			),
			goapp.Button().Type("submit").Class("btn btn-primary btn-lg").Disabled(p.busy).Text("Invia la richiesta"),
			goapp.P().Class("small text-muted mt-2").Text("Quanto scrivi è salvato su questo dispositivo mentre scrivi: puoi chiudere la pagina e riprendere più tardi."),
		),
		p.renderList(),
	)
}

func (p *Enablement) Input(fl entryField) goapp.UI {
	prob := p.form.problems[fl.id]
	required := fl.id != "ab-ref-fax"
	in := goapp.Input().ID(fl.id).Type(fl.typ).Class("form-control").Value(p.form.Get(fl.id)).
		Attr("autocomplete", fl.autocomplete).OnInput(p.onInput).OnChange(p.onInput)
	if required {
		in = in.Aria("required", "true")
	}
	if prob != "" {
		in = in.Class("is-invalid").Aria("invalid", "true").Aria("describedby", fl.id+"-err")
	}
	return goapp.Div().Class("mb-3").Body(
		goapp.Label().For(fl.id).Class("form-label").Body(
			goapp.Text(fl.label),
			goapp.If(required, func() goapp.UI { return goapp.Span().Class("required-mark").Aria("hidden", "true").Text(" *") }),
		),
		in,
		goapp.Div().Class("field-messages").Body(
			goapp.If(prob != "", func() goapp.UI { return goapp.Div().ID(fl.id + "-err").Class("field-error").Text(prob) }),
		),
	)
}

func (p *Enablement) selectInput(fl entryField, opts []ui.OptionPair) goapp.UI {
	prob := p.form.problems[fl.id]
	v := p.form.Get(fl.id)
	sel := goapp.Select().ID(fl.id).Class("form-select").Aria("required", "true").OnChange(p.onInput)
	if prob != "" {
		sel = sel.Class("is-invalid").Aria("invalid", "true").Aria("describedby", fl.id+"-err")
	}
	return goapp.Div().Class("mb-3").Body(
		goapp.Label().For(fl.id).Class("form-label").Body(
			goapp.Text(fl.label),
			goapp.Span().Class("required-mark").Aria("hidden", "true").Text(" *"),
		),
		sel.Body(
			goapp.Option().Value(ui.PlaceholderValue).Selected(v == "").Text("— scegli —"),
			goapp.Range(opts).Slice(func(i int) goapp.UI {
				return goapp.Option().Value(opts[i].Value).Selected(opts[i].Value == v).Text(opts[i].Label)
			}),
		),
		goapp.Div().Class("field-messages").Body(
			goapp.If(prob != "", func() goapp.UI { return goapp.Div().ID(fl.id + "-err").Class("field-error").Text(prob) }),
		),
	)
}

func enteTipoOptions() []ui.OptionPair {
	os := make([]ui.OptionPair, len(wire.EnteTipi))
	for i, t := range wire.EnteTipi {
		os[i] = ui.OptionPair{Value: t, Label: wire.EnteTipoLabel(t)}
	}
	return os
}

func provinceSelectOptions() []ui.OptionPair {
	opts := ui.ProvinceOptions()
	out := make([]ui.OptionPair, len(opts))
	for i, o := range opts {
		out[i] = ui.OptionPair{Value: o.Value, Label: o.Label}
	}
	return out
}

// operatorTable draws the editable table. Each operator is two rows, always present: its
// inputs, and its messages (hidden when there are none), so nothing shifts when a message
// appears.
func (p *Enablement) operatorTable() goapp.UI {
	f := p.form
	var rows []goapp.UI
	for i, r := range f.d.Operatori {
		n := i + 1
		invalid := f.rowInvalid(r.Key)
		cls := "op-row"
		if invalid {
			cls += " op-row-invalid"
		}
		cells := []goapp.UI{goapp.Th().Scope("row").Class("op-num").Text(strconv.Itoa(n))}
		for _, c := range opColumns {
			id := opInputID(r.Key, c.name)
			prob := f.problems[id]
			in := goapp.Input().ID(id).Type(c.typ).Class("form-control form-control-sm").Value(f.Get(id)).
				Attr("autocomplete", c.autocomplete).Attr("spellcheck", "false").
				Aria("required", "true").OnInput(p.onInput).OnChange(p.onInput)
			if c.hint != "" {
				in = in.Placeholder(c.hint).Attr("inputmode", "numeric").MaxLength(10)
			}
			desc := []string{}
			if len(f.rowMsgs[r.Key]) > 0 {
				desc = append(desc, "ab-op-"+strconv.Itoa(r.Key)+"-msg")
			}
			if prob != "" {
				in = in.Class("is-invalid").Aria("invalid", "true")
				desc = append(desc, id+"-err")
			} else if len(f.rowMsgs[r.Key]) > 0 && (c.name == "email" || c.name == "dataNascita") {
				in = in.Class("is-invalid").Aria("invalid", "true")
			}
			if len(desc) > 0 {
				in = in.Aria("describedby", strings.Join(desc, " "))
			}
			cells = append(cells, goapp.Td().Body(
				goapp.Label().For(id).Class("visually-hidden").Text(fmt.Sprintf("%s dell'operatore %d", c.label, n)),
				in,
				goapp.Div().Class("field-messages").Body(
					goapp.If(prob != "", func() goapp.UI { return goapp.Div().ID(id + "-err").Class("field-error small").Text(prob) }),
				),
			))
		}
		who := strings.TrimSpace(r.Nome + " " + r.Cognome)
		label := fmt.Sprintf("Rimuovi l'operatore %d", n)
		if who != "" {
			label += " (" + who + ")"
		}
		cells = append(cells, goapp.Td().Body(
			goapp.Button().Type("button").Class("btn btn-outline-danger btn-sm").
				DataSet("key", r.Key).Aria("label", label).Text("Rimuovi").OnClick(p.onRemoveRow),
		))
		msgs := f.rowMsgs[r.Key]
		rows = append(rows,
			goapp.Tr().Class(cls).DataSet("row", n).Body(cells...),
			goapp.Tr().Class("op-msg").Hidden(len(msgs) == 0).Body(
				goapp.Td().ColSpan(6).Body(
					goapp.Div().ID("ab-op-"+strconv.Itoa(r.Key)+"-msg").Class("field-error").Body(
						goapp.Range(msgs).Slice(func(j int) goapp.UI {
							return goapp.P().Class("mb-1").Text(rowText(n, "", msgs[j]))
						}),
					),
				),
			),
		)
	}
	return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table op-table align-top").Aria("describedby", "ab-op-help").Body(
		goapp.Caption().Class("visually-hidden").Text("Tabella degli operatori da abilitare"),
		goapp.THead().Body(goapp.Tr().Body(
			goapp.Th().Scope("col").Text("N."),
			goapp.Th().Scope("col").Text("Nome"),
			goapp.Th().Scope("col").Text("Cognome"),
			goapp.Th().Scope("col").Text("Data di nascita"),
			goapp.Th().Scope("col").Text("E-mail"),
			goapp.Th().Scope("col").Body(goapp.Span().Class("visually-hidden").Text("Azioni")),
		)),
		goapp.TBody().Body(rows...),
	))
}

// renderList shows the person's requests and what became of each operator.
func (p *Enablement) renderList() goapp.UI {
	return goapp.Section().Class("mt-5").Aria("labelledby", "ab-list-title").Body(
		goapp.H2().ID("ab-list-title").Class("h3").Text("Le tue richieste"),
		goapp.Div().Attr("role", "status").Body(goapp.If(p.listErr != "", func() goapp.UI { return ui.Notice("warning", p.listErr) })),
		goapp.If(len(p.list) == 0 && p.listErr == "", func() goapp.UI {
			return goapp.P().Class("text-muted").Text("Non hai ancora inviato richieste di abilitazione.")
		}),
		goapp.Range(p.list).Slice(func(i int) goapp.UI {
			r := p.list[i]
			return goapp.Div().Class("card mb-3 richiesta-card").Body(goapp.Div().Class("card-body").Body(
				goapp.H3().Class("h5 card-title").Body(
					goapp.Text(session.EnteName(r.Ente)+" "),
					goapp.Span().Class(enablementStatoClass(r.Stato)).Text(wire.EnablementLabel(r.Stato)),
				),
				goapp.P().Class("small text-muted").Text(fmt.Sprintf("Richiesta n. %d del %s — referente %s %s", r.ID, r.CreatedAtRome, r.Referente.Nome, r.Referente.Cognome)),
				goapp.If(r.Motivo != "", func() goapp.UI { return goapp.P().Body(goapp.Strong().Text("Motivo: "), goapp.Text(r.Motivo)) }),
				operatorStatusTable(r.Operatori, nil),
			))
		}),
	)
}

// operatorStatusTable lists the operators of a request with their status; actions, when not
// nil, draws the console's buttons for each row.
func operatorStatusTable(ops []client.EnablementOperator, actions func(i int) goapp.UI) goapp.UI {
	return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table table-sm align-middle mb-0").Body(
		goapp.THead().Body(goapp.Tr().Body(
			goapp.Th().Scope("col").Text("Operatore"),
			goapp.Th().Scope("col").Text("Data di nascita"),
			goapp.Th().Scope("col").Text("E-mail"),
			goapp.Th().Scope("col").Text("Stato"),
			goapp.If(actions != nil, func() goapp.UI {
				return goapp.Th().Scope("col").Body(goapp.Span().Class("visually-hidden").Text("Azioni"))
			}),
		)),
		goapp.TBody().Body(goapp.Range(ops).Slice(func(i int) goapp.UI {
			o := ops[i]
			return goapp.Tr().Body(
				goapp.Td().Text(strings.TrimSpace(o.Cognome+" "+o.Nome)),
				goapp.Td().Text(shared.ItalianDate(o.DataNascita)),
				goapp.Td().Text(o.Email),
				goapp.Td().Body(
					goapp.Span().Class(operatorStatoClass(o.Stato)).Text(wire.OperatoreLabel(o.Stato)),
					goapp.If(o.Motivo != "", func() goapp.UI { return goapp.Div().Class("small").Text("Motivo: " + o.Motivo) }),
				),
				goapp.If(actions != nil, func() goapp.UI { return goapp.Td().Body(actions(i)) }),
			)
		})),
	))
}

// enablementStatoClass and operatorStatoClass are the badges of the statuses (labels:
// wire.EnablementLabel, wire.OperatoreLabel).
func enablementStatoClass(s string) string {
	switch s {
	case wire.EnablementApprovata:
		return "badge bg-success"
	case wire.EnablementRespinta:
		return "badge bg-danger"
	case wire.EnablementParziale:
		return "badge bg-primary"
	}
	return "badge bg-warning"
}

func operatorStatoClass(s string) string {
	switch s {
	case wire.OperatoreAbilitato:
		return "badge bg-success"
	case wire.OperatoreRespinto, wire.OperatoreRevocato:
		return "badge bg-danger"
	}
	return "badge bg-warning"
}
