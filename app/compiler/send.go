package compiler

import (
	"context"
	"errors"
	"fmt"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/outbox"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// UserSender sends each batch with the credentials of the user it belongs to: that user's
// import token when the device holds one, otherwise the session cookie. On a shared tablet the
// queue of one person never goes out under another's name.
type UserSender struct{}

func (UserSender) Send(ctx context.Context, items []store.OutboxItem) ([]client.SubmissionResult, error) {
	if len(items) == 0 {
		return nil, nil
	}
	api := session.UserAPI(ctx, items[0].User)
	if api == nil {
		return nil, session.ErrNoServer
	}
	res, err := api.Send(ctx, items)
	session.NoteReachability(err)
	return res, err
}

// sendOutcome is what pressing "Invia" did.
type sendOutcome struct {
	Queued  int           // modules put in the queue now
	Invalid int           // completed modules not queued: the server's check finds errors
	Report  outbox.Report // what the flush settled
	Offline bool          // no connection: everything waits in the queue
	Busy    bool          // a flush was already running (the watcher): it will report
	Err     error         // another failure of the flush (the items stay queued)
}

// sendAll puts every completed module of user in the queue and tries to send the queue now.
func sendAll(ctx context.Context, q *outbox.Queue, user string) (sendOutcome, error) {
	var out sendOutcome
	if q == nil {
		return out, session.ErrNoServer
	}
	ds, err := q.Store.ListDrafts(ctx, user)
	if err != nil {
		return out, err
	}
	for _, d := range ds {
		if d.Status != store.StatusCompleted {
			continue
		}
		// The same check the server makes on receipt (shared.PrepareSubmission): a module
		// confirmed under rules that have changed since goes back to the compiler instead of
		// being refused by the server.
		camp := session.CampaignFor(ctx, user, d.Kind, d.CampaignID)
		if sub := shared.PrepareSubmission(d.Kind, &camp, d.Data, session.Environment().Now()); !sub.OK() {
			d.Status, d.Problems = store.StatusDraft, sub.Problems
			if err := q.Store.PutDraft(ctx, d); err != nil {
				return out, err
			}
			out.Invalid++
			continue
		}
		if _, err := q.Enqueue(ctx, user, d); err != nil {
			return out, fmt.Errorf("%s: %v", d.ModuleID, err)
		}
		out.Queued++
	}
	rep, err := q.Flush(ctx, user)
	out.Report = rep
	switch {
	case err == nil:
	case errors.Is(err, outbox.ErrFlushing):
		out.Busy = true
	case client.IsOffline(err):
		out.Offline = true
	default:
		out.Err = err
	}
	return out, nil
}

// message tells the person what happened, in one sentence or two.
func (o sendOutcome) message() (kind, text string) {
	r := o.Report
	switch {
	case o.Offline && !session.Device.IsOnline():
		// The same cause as the connection banner says, in its words.
		return "warning", "Sei senza connessione: le domande restano in coda su questo dispositivo e partiranno da sole appena torna la connessione. Puoi chiudere la pagina."
	case o.Offline:
		return "warning", "Server non raggiungibile: le domande restano in coda su questo dispositivo e partiranno da sole appena il server risponde. Puoi chiudere la pagina."
	case o.Busy:
		return "info", "Invio in corso: l'elenco si aggiornerà da solo."
	case o.Err != nil:
		return "warning", "Invio non riuscito, le domande restano in coda e verranno ritentate: " + session.ErrorText(o.Err)
	case r.Sent+r.Rejected+r.Retrying == 0 && o.Queued == 0 && o.Invalid == 0:
		return "info", "Non ci sono moduli completati da inviare."
	}
	text = ""
	kind = "success"
	if o.Invalid > 0 {
		kind = "danger"
		text += fmt.Sprintf("Moduli non inviati perché contengono errori: %d — sono tornati in compilazione: aprili per correggerli e confermali di nuovo. ", o.Invalid)
	}
	if r.Sent > 0 {
		text += fmt.Sprintf("Domande inviate e accettate: %d. ", r.Sent)
	}
	if r.Rejected > 0 {
		kind = "danger"
		text += fmt.Sprintf("Domande respinte: %d — apri il modulo per vedere cosa correggere. ", r.Rejected)
	}
	if r.Retrying > 0 {
		if kind == "success" {
			kind = "warning"
		}
		text += fmt.Sprintf("In attesa di un nuovo tentativo: %d.", r.Retrying)
	}
	return kind, text
}

// queueRow is one module on the send page.
type queueRow struct {
	draftRow
	Attempts    int
	NextAttempt time.Time
	LastError   string
	Problems    int
}

// sendState is what the send page shows for user.
type sendState struct {
	Ready    []queueRow // completed, to send
	Queued   []queueRow
	Rejected []queueRow
	Sent     int
	Drafting int // still being filled in
}

func loadSendState(ctx context.Context, st store.Store, user string, now time.Time) (sendState, error) {
	var s sendState
	if user == "" {
		return s, nil
	}
	rows, err := listDraftRows(ctx, st, user, now)
	if err != nil {
		return s, err
	}
	items, err := st.ListOutbox(ctx, user)
	if err != nil {
		return s, err
	}
	byModule := map[string]store.OutboxItem{}
	for _, it := range items {
		byModule[it.ModuleID] = it
	}
	problems := map[string]int{}
	if ds, err := st.ListDrafts(ctx, user); err == nil {
		for _, d := range ds {
			problems[d.ModuleID] = len(d.Problems)
		}
	}
	for _, r := range rows {
		q := queueRow{draftRow: r, Problems: problems[r.ModuleID]}
		switch r.Status {
		case store.StatusCompleted:
			s.Ready = append(s.Ready, q)
		case store.StatusQueued:
			if it, ok := byModule[r.ModuleID]; ok {
				q.Attempts, q.NextAttempt, q.LastError = it.Attempts, it.NextAttempt, it.LastError
			}
			s.Queued = append(s.Queued, q)
		case store.StatusRejected:
			s.Rejected = append(s.Rejected, q)
		case store.StatusSent:
			s.Sent++
		default:
			s.Drafting++
		}
	}
	return s, nil
}

// Sender is the page /invia.
type Sender struct {
	goapp.Compo

	status  ui.LoadStatus
	user    string
	state   sendState
	busy    bool
	msg     string
	msgKind string
	cancel  func()
}

func (p *Sender) OnNav(ctx goapp.Context) {
	p.status = ui.StatusLoading
	p.reload(ctx)
}

func (p *Sender) OnMount(ctx goapp.Context) {
	p.cancel = session.Changes.Subscribe(func() { ctx.Dispatch(func(ctx goapp.Context) { p.reload(ctx) }) },
		session.TopicQueue, session.TopicUser)
}

func (p *Sender) OnDismount() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *Sender) reload(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		st, err := loadSendState(bg, session.Environment().Store, user, session.Environment().Now())
		ctx.Dispatch(func(ctx goapp.Context) {
			p.user, p.state, p.status = user, st, ui.StatusLoaded
			if err != nil {
				p.msgKind, p.msg = "danger", "Non riesco a leggere i moduli: "+session.ErrorText(err)
			}
		})
	})
}

func (p *Sender) onSend(ctx goapp.Context, e goapp.Event) {
	if p.busy {
		return
	}
	p.busy = true
	p.msgKind, p.msg = "info", "Invio in corso…"
	user := p.user
	ctx.Async(func() {
		bg := context.Background()
		session.FlushAll()
		out, err := sendAll(bg, session.Environment().Queue, user)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.busy = false
			if err != nil {
				p.msgKind, p.msg = "danger", "Invio non riuscito: "+session.ErrorText(err)
			} else {
				p.msgKind, p.msg = out.message()
			}
			p.reload(ctx)
		})
	})
}

func (p *Sender) Render() goapp.UI {
	return ui.Page("/invia",
		goapp.H1().Text("Invia le domande"),
		p.body(),
	)
}

func (p *Sender) body() goapp.UI {
	switch {
	case p.status == ui.StatusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.user == "":
		return goapp.Div().Body(
			ui.Notice("info", "Accedi per inviare i tuoi moduli."),
			goapp.A().Href(session.LoginLink("/invia")).Class("btn btn-primary").Text("Accedi"),
		)
	}
	s := p.state
	n := len(s.Ready) + len(s.Queued)
	btn := goapp.Button().Type("button").Class("btn btn-primary btn-lg").OnClick(p.onSend).
		Text(fmt.Sprintf("Invia (%d)", n))
	if n == 0 || p.busy {
		btn = btn.Disabled(true)
	}
	return goapp.Div().Body(
		goapp.P().Text("Vengono inviate tutte le domande completate e confermate dell'utente collegato. Se non c'è connessione restano in coda su questo dispositivo e partono da sole quando la connessione torna; un nuovo tentativo non crea mai una domanda doppia."),
		goapp.Div().Class("form-status").Attr("role", "status").Aria("live", "polite").Body(
			goapp.If(p.msg != "", func() goapp.UI { return goapp.Div().Class("alert alert-" + p.msgKind).Text(p.msg) }),
		),
		btn,
		sendSection("Pronte per l'invio", "Completate e confermate.", s.Ready, false),
		sendSection("In coda", "Partono appena c'è connessione.", s.Queued, true),
		sendSection("Respinte", "Il server le ha respinte: aprile per vedere cosa correggere, poi conferma di nuovo.", s.Rejected, false),
		goapp.P().Class("mt-4").Body(
			goapp.Text(fmt.Sprintf("Inviate: %d. ", s.Sent)),
			goapp.A().Href("/ricevute").Text("Vedi le ricevute"),
			goapp.Text(fmt.Sprintf(". Ancora in compilazione: %d. ", s.Drafting)),
			goapp.A().Href("/compila").Text("Continua a compilare"),
		),
	)
}

func sendSection(title, help string, rows []queueRow, queued bool) goapp.UI {
	if len(rows) == 0 {
		return goapp.Section() // an empty slot keeps the sections below in place
	}
	return goapp.Section().Class("mt-4").Body(
		goapp.H2().Class("h4").Text(fmt.Sprintf("%s (%d)", title, len(rows))),
		goapp.P().Class("text-muted").Text(help),
		goapp.Ul().Class("list-unstyled").Body(goapp.Range(rows).Slice(func(i int) goapp.UI {
			r := rows[i]
			return goapp.Li().Class("mb-2").Body(
				goapp.A().Href("/compila/"+r.ModuleID).Class("module-id").Text(r.ModuleID),
				goapp.Text(" — "+shared.KindName(r.Kind)),
				goapp.If(r.Worker != "", func() goapp.UI { return goapp.Text(" — " + r.Worker) }),
				goapp.If(queued && r.LastError != "", func() goapp.UI {
					return goapp.Div().Class("small text-muted").Text(fmt.Sprintf("Tentativi: %d. Ultimo esito: %s", r.Attempts, r.LastError))
				}),
				goapp.If(r.Problems > 0, func() goapp.UI {
					return goapp.Div().Class("small text-danger").Text(fmt.Sprintf("Problemi segnalati: %d", r.Problems))
				}),
			)
		})),
	)
}
