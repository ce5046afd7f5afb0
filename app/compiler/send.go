package compiler

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	case r.Sent+r.Rejected+r.Retrying+r.Waiting == 0 && o.Queued == 0 && o.Invalid == 0:
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
		text += fmt.Sprintf("In attesa di un nuovo tentativo: %d. ", r.Retrying)
	}
	if r.Waiting > 0 {
		if kind == "success" {
			kind = "info"
		}
		text += fmt.Sprintf("Da inviare all'apertura: %d — partiranno da sole all'apertura dell'invio, senza bisogno di premere nulla: tieni aperta l'app.", r.Waiting)
	}
	return kind, strings.TrimSpace(text)
}

// queueRow is one module on the send page.
type queueRow struct {
	draftRow
	Attempts    int
	NextAttempt time.Time
	LastError   string
	OpensAt     time.Time // waiting for the send window to open (server's clock)
	Problems    int
}

// sendState is what the send page shows for user.
type sendState struct {
	Ready    []queueRow // completed, to send
	Queued   []queueRow
	Rejected []queueRow
	Sent     int
	Drafting int             // still being filled in
	Receipts []store.Receipt // the latest, newest first
	OpensAt  time.Time       // the earliest opening a queued module waits for (server's clock)
	// Early: a module ready to send belongs to a campaign whose window has not opened yet:
	// sending it now marks it «da inviare all'apertura».
	Early bool
}

// latestReceipts is how many receipts the send page lists as they arrive.
const latestReceipts = 10

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
	problems, campaign := map[string]int{}, map[string]string{}
	if ds, err := st.ListDrafts(ctx, user); err == nil {
		for _, d := range ds {
			problems[d.ModuleID] = len(d.Problems)
			campaign[d.ModuleID] = d.CampaignID
		}
	}
	for _, r := range rows {
		q := queueRow{draftRow: r, Problems: problems[r.ModuleID]}
		switch r.Status {
		case store.StatusCompleted:
			s.Ready = append(s.Ready, q)
			if c := session.CampaignFor(ctx, user, r.Kind, campaign[r.ModuleID]); c.OpensAt().After(serverNow()) {
				s.Early = true
			}
		case store.StatusQueued:
			if it, ok := byModule[r.ModuleID]; ok {
				q.Attempts, q.NextAttempt, q.LastError, q.OpensAt = it.Attempts, it.NextAttempt, it.LastError, it.OpensAt
				if !it.OpensAt.IsZero() && (s.OpensAt.IsZero() || it.OpensAt.Before(s.OpensAt)) {
					s.OpensAt = it.OpensAt
				}
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
	if rs, err := st.ListReceipts(ctx, user); err == nil {
		s.Receipts = rs[:min(len(rs), latestReceipts)]
	}
	return s, nil
}

// serverNow is the server's clock as this device estimates it.
func serverNow() time.Time {
	env := session.Environment()
	now := env.Now()
	if env.API != nil {
		if off, ok := env.API.ServerOffset(); ok {
			now = now.Add(off)
		}
	}
	return now
}

// countdown writes the time left, «00:01:05»; «00:00:00» once it has come.
func countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
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
	now     time.Time // the server's clock, ticking while a module waits for the opening
	stopped chan struct{}
}

func (p *Sender) OnNav(ctx goapp.Context) {
	p.status = ui.StatusLoading
	p.reload(ctx)
}

func (p *Sender) OnMount(ctx goapp.Context) {
	p.cancel = session.Changes.Subscribe(func() { ctx.Dispatch(func(ctx goapp.Context) { p.reload(ctx) }) },
		session.TopicQueue, session.TopicUser)
	// The countdown to the opening: a tick a second, only while a module waits for it.
	p.stopped = make(chan struct{})
	stopped := p.stopped
	ctx.Async(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stopped:
				return
			case <-t.C:
				ctx.Dispatch(func(goapp.Context) {
					if !p.state.OpensAt.IsZero() {
						p.now = serverNow()
					}
				})
			}
		}
	})
}

func (p *Sender) OnDismount() {
	if p.cancel != nil {
		p.cancel()
	}
	if p.stopped != nil {
		close(p.stopped)
		p.stopped = nil
	}
}

func (p *Sender) reload(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		st, err := loadSendState(bg, session.Environment().Store, user, session.Environment().Now())
		ctx.Dispatch(func(ctx goapp.Context) {
			p.user, p.state, p.status, p.now = user, st, ui.StatusLoaded, serverNow()
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
	label := fmt.Sprintf("Invia (%d)", n)
	if s.Early {
		label = fmt.Sprintf("Da inviare all'apertura (%d)", n)
	}
	btn := goapp.Button().Type("button").Class("btn btn-primary btn-lg").OnClick(p.onSend).Text(label)
	if n == 0 || p.busy {
		btn = btn.Disabled(true)
	}
	return goapp.Div().Body(
		goapp.P().Text("Vengono inviate tutte le domande completate e confermate dell'utente collegato. Se non c'è connessione restano in coda su questo dispositivo e partono da sole quando la connessione torna; un nuovo tentativo non crea mai una domanda doppia."),
		goapp.Div().Class("form-status").Attr("role", "status").Aria("live", "polite").Body(
			goapp.If(p.msg != "", func() goapp.UI { return goapp.Div().Class("alert alert-" + p.msgKind).Text(p.msg) }),
		),
		btn,
		goapp.Div().Class("slot-opening").Body(p.renderOpening()),
		sendSection("Pronte per l'invio", "Completate e confermate.", s.Ready, false),
		sendSection("In coda", "Partono appena c'è connessione; quelle da inviare all'apertura partono da sole all'apertura.", s.Queued, true),
		goapp.Div().Class("slot-receipts").Body(p.renderReceipts()),
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

// renderOpening counts down to the opening of the send window that queued modules wait for.
func (p *Sender) renderOpening() goapp.UI {
	at := p.state.OpensAt
	if at.IsZero() {
		return nil
	}
	left := at.Sub(p.now)
	return goapp.Div().ID("apertura").Class("alert alert-info mt-3").Body(
		goapp.H2().Class("h5").Text("Da inviare all'apertura"),
		goapp.P().Text("L'invio apre il "+shared.InRome(at).Format("02/01/2006 alle 15:04:05")+" (ora italiana, orologio del server). "+
			"Le domande in coda partono da sole in quell'istante, senza bisogno di premere nulla: tieni aperta l'app."),
		goapp.P().Class("h3 mb-0 countdown").Attr("aria-live", "off").Text(map[bool]string{true: "Invio in corso…", false: "Tra " + countdown(left)}[left <= 0]),
	)
}

// renderReceipts lists the latest receipts, so those sent at the opening show up one by one.
func (p *Sender) renderReceipts() goapp.UI {
	rs := p.state.Receipts
	if len(rs) == 0 {
		return nil
	}
	return goapp.Section().ID("ricevute-arrivate").Class("mt-4").Body(
		goapp.H2().Class("h4").Text("Ultime ricevute"),
		goapp.Ul().Class("list-unstyled").Body(goapp.Range(rs).Slice(func(i int) goapp.UI {
			r := rs[i]
			return goapp.Li().Class("mb-1").Body(
				goapp.Span().Class("code protocol").Text(r.Protocol),
				goapp.Text(" — modulo "+r.ModuleID+", ricevuta il "+r.ReceivedAtRome),
			)
		})),
	)
}
