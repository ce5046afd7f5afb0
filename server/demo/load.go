package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// Password is the password of every demonstration account (docs/API.md says so).
const Password = "demo-nullaosta-2009"

// demoDomain is where the demonstration accounts live: example.it never delivers mail.
const demoDomain = "demo.example.it"

// demoProvinces are the provinces of the demonstration's applications, with their weights:
// Cuneo first (the Comune di Cuneo's operators work there), then the big cities.
var demoProvinces = []struct {
	sigla  string
	weight int
}{{"CN", 30}, {"TO", 14}, {"MI", 14}, {"RM", 14}, {"NA", 10}, {"BO", 6}, {"FI", 5}, {"BA", 4}, {"PA", 3}}

// demoDays is how many days back the applications go; most come in the first days, as on
// the click days of 2009.
const demoDays = 20

type account struct {
	what, email string
}

// Store is what the loader writes through: the services of either store (server/sqlite,
// server/postgres) and their clock, set to the moment each thing happened.
type Store interface {
	core.UserService
	core.ModuleService
	core.SubmissionService
	core.EnablementService
	core.DomandaService
	SetClock(now func() time.Time)
}

// Loader fills a store with the demonstration: the Ministry, a Comune with an approved request
// and enabled operators, a patronato waiting, a Sportello per province used and applications
// generated and sent through the store, with real protocols, signed receipts and some
// statuses at the Sportello.
type Loader struct {
	db  Store
	gen *Generator
	now time.Time // the real time: the applications lie in the demoDays before it
	out io.Writer

	hash      string
	admin     *core.User
	operators []*core.User // of the Comune di Cuneo, enabled
	privati   map[string][]*core.User
	sportelli map[string]*core.User
	accounts  []account

	generated, sent, changed int
}

// NewLoader returns a loader into db (whose Signer signs the receipts) that prints the
// accounts to out; the same seed gives the same people.
func NewLoader(db Store, seed uint64, out io.Writer) *Loader {
	return &Loader{db: db, gen: New(seed), now: time.Now().UTC(), out: out}
}

// Loaded reports whether the demonstration is already in the store.
func (d *Loader) Loaded(ctx context.Context) bool {
	_, err := d.db.UserByEmail(ctx, "ministero@"+demoDomain)
	return err == nil
}

// Load writes the accounts and n applications.
func (d *Loader) Load(n int) error { return d.load(n) }

// Counts are the modules generated, the applications sent and those moved on at a Sportello.
func (d *Loader) Counts() (generated, sent, changed int) { return d.generated, d.sent, d.changed }

// PrintAccounts writes the accounts to log in with; again: a short list, for a store loaded
// before.
func (d *Loader) PrintAccounts(again bool) { d.printAccounts(again) }

// at sets the store's clock.
func (d *Loader) at(t time.Time) { d.db.SetClock(func() time.Time { return t }) }

func (d *Loader) user(email, nome, cognome, nascita string, role core.Role, provincia string) (*core.User, error) {
	u := &core.User{Email: email, Nome: nome, Cognome: cognome, DataNascita: nascita, Role: role, Provincia: provincia, PasswordHash: d.hash}
	var audit *core.AuditEntry
	if role == core.RoleAdmin || role == core.RoleSportello {
		a := core.NewAudit(nil, core.AuditCreaUtente, email, "demo: ruolo "+string(role))
		audit = &a
	}
	return u, d.db.CreateActiveUser(context.Background(), u, audit)
}

func (d *Loader) load(n int) error {
	ctx := context.Background()
	var err error
	if d.hash, err = auth.HashPassword(Password); err != nil {
		return err
	}
	first := shared.RomeDay(d.now).AddDate(0, 0, -demoDays)
	// Accounts and the Comune's request come before the first application.
	d.at(first.AddDate(0, 0, -6).Add(7 * time.Hour))

	// The Ministry.
	if d.admin, err = d.user("ministero@"+demoDomain, "Chiara", "Valentini", "1968-05-14", core.RoleAdmin, ""); err != nil {
		return err
	}
	d.accounts = append(d.accounts, account{"Ministero (admin): console, richieste, statistiche, registro", d.admin.Email})

	// The Comune di Cuneo: a referente and three operators, all registered private users.
	ref, err := d.user("paolo.giordano@comune-cuneo."+demoDomain, "Paolo", "Giordano", "1961-02-11", core.RolePrivato, "")
	if err != nil {
		return err
	}
	d.accounts = append(d.accounts, account{"Referente del Comune di Cuneo (richiesta approvata)", ref.Email})
	var rows []core.OperatoreInput
	for i, p := range [][4]string{{"Anna", "Bertola", "1979-04-02", "anna.bertola"}, {"Luca", "Dalmasso", "1983-11-20", "luca.dalmasso"},
		{"Chiara", "Ghibaudo", "1990-07-08", "chiara.ghibaudo"}} {
		u, err := d.user(p[3]+"@comune-cuneo."+demoDomain, p[0], p[1], p[2], core.RolePrivato, "")
		if err != nil {
			return err
		}
		d.operators = append(d.operators, u)
		rows = append(rows, core.OperatoreInput{Pos: i + 1, Nome: p[0], Cognome: p[1], DataNascita: p[2], Email: u.Email})
		d.accounts = append(d.accounts, account{"Operatore abilitato del Comune di Cuneo (moduli illimitati)", u.Email})
	}
	cuneo := &core.Enablement{CreatedByID: ref.ID, Ente: core.Ente{Nome: "Comune di Cuneo", Tipo: core.EnteComune, Provincia: "CN"},
		Referente: core.Referente{Nome: "Paolo", Cognome: "Giordano", Ruolo: "Dirigente del Settore Servizi demografici",
			Telefono: "0171444111", Fax: "0171444222", Email: ref.Email}}
	if err := d.db.CreateEnablement(ctx, cuneo, rows); err != nil {
		return err
	}
	d.at(first.AddDate(0, 0, -3).Add(9 * time.Hour))
	if _, err := d.db.Decide(ctx, core.Decision{EnablementID: cuneo.ID, Approve: true, By: d.admin,
		Mail: func(r *core.Enablement, decided []core.EnablementOperator) []core.Mail {
			ms := []core.Mail{mail.EnabledList(r, decided)}
			for _, o := range decided {
				ms = append(ms, mail.Enabled("http://localhost:8080", r, o))
			}
			return ms
		},
		Audit: core.NewAudit(d.admin, core.AuditApprova, fmt.Sprintf("richiesta %d (Comune di Cuneo)", cuneo.ID), "demo: operatori abilitati: tutti"),
	}); err != nil {
		return err
	}
	for _, u := range d.operators {
		u.Role = core.RoleOperatore
	}

	// A patronato in Torino, waiting: its operators are still private users.
	pref, err := d.user("rosa.marengo@patronato-torino."+demoDomain, "Rosa", "Marengo", "1966-09-30", core.RolePrivato, "")
	if err != nil {
		return err
	}
	d.accounts = append(d.accounts, account{"Referente del patronato di Torino (richiesta in attesa)", pref.Email})
	rows = nil
	for i, p := range [][4]string{{"Marco", "Olivero", "1985-01-17", "marco.olivero"}, {"Giulia", "Musso", "1992-03-05", "giulia.musso"}} {
		u, err := d.user(p[3]+"@patronato-torino."+demoDomain, p[0], p[1], p[2], core.RolePrivato, "")
		if err != nil {
			return err
		}
		rows = append(rows, core.OperatoreInput{Pos: i + 1, Nome: p[0], Cognome: p[1], DataNascita: p[2], Email: u.Email})
		d.accounts = append(d.accounts, account{"Operatore del patronato in attesa (limiti di utente privato)", u.Email})
	}
	d.at(d.now.Add(-3 * time.Hour))
	if err := d.db.CreateEnablement(ctx, &core.Enablement{CreatedByID: pref.ID,
		Ente: core.Ente{Nome: "Patronato INCA CGIL — sede provinciale di Torino", Tipo: core.EntePatronato, Provincia: "TO"},
		Referente: core.Referente{Nome: "Rosa", Cognome: "Marengo", Ruolo: "Responsabile di sede", Telefono: "0112442111",
			Email: pref.Email}}, rows); err != nil {
		return err
	}

	// A Sportello Unico per province, and a few private users in each.
	d.sportelli, d.privati = map[string]*core.User{}, map[string][]*core.User{}
	d.at(first.AddDate(0, 0, -6).Add(8 * time.Hour))
	for _, p := range demoProvinces {
		prov, _ := places.ProvinceBySigla(p.sigla)
		u, err := d.user("sportello."+strings.ToLower(p.sigla)+"@"+demoDomain, "Sportello Unico", prov.Name, "", core.RoleSportello, p.sigla)
		if err != nil {
			return err
		}
		d.sportelli[p.sigla] = u
		d.accounts = append(d.accounts, account{"Sportello Unico di " + prov.Name + " (" + p.sigla + ")", u.Email})
	}
	return d.applications(ctx, n)
}

// privato returns a private user of the province who can still generate a module of campaign
// (at most 4 each, under the limit of 5), creating one when needed.
func (d *Loader) privato(ctx context.Context, sigla string, campaign string) (*core.User, error) {
	for _, u := range d.privati[sigla] {
		counts, err := d.db.ModuleCounts(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if counts[campaign] < 4 {
			return u, nil
		}
	}
	p := d.gen.Employer(sigla)
	i := len(d.privati[sigla]) + 1
	email := fmt.Sprintf("%s.%s%d@%s", strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(p.Nome)),
		strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(p.Cognome)), i, strings.ToLower(sigla)+"."+demoDomain)
	u, err := d.user(email, p.Nome, p.Cognome, p.Nascita.Format(time.DateOnly), core.RolePrivato, "")
	if err != nil {
		return nil, err
	}
	d.privati[sigla] = append(d.privati[sigla], u)
	if len(d.privati) == 1 && i == 1 {
		d.accounts = append(d.accounts, account{"Utente privato (al massimo 5 moduli per procedura)", u.Email})
	}
	return u, nil
}

type demoSent struct {
	protocol, provincia string
	at                  time.Time
}

// applications generates n modules, sends most of them through the store on their day, and
// moves some at the Sportello.
func (d *Loader) applications(ctx context.Context, n int) error {
	first := shared.RomeDay(d.now).AddDate(0, 0, -demoDays)
	campaigns := map[shared.Kind]shared.Campaign{
		shared.KindEM: shared.DemoCampaign(shared.KindEM, d.now), shared.KindA: shared.DemoCampaign(shared.KindA, d.now)}
	// The days in order, each with its share: a peak on the first days, then a long tail.
	var dayWeights []int
	for i := range demoDays {
		dayWeights = append(dayWeights, 3+40/(i+2))
	}
	provWeights := make([]int, len(demoProvinces))
	for i, p := range demoProvinces {
		provWeights[i] = p.weight
	}
	type job struct {
		at   time.Time
		kind shared.Kind
		tip  string
		prov string
	}
	jobs := make([]job, n)
	for i := range jobs {
		day := first.AddDate(0, 0, d.gen.Weighted(dayWeights))
		at := day.Add(time.Duration(8*60+d.gen.Intn(11*60)) * time.Minute)
		if at.After(d.now) {
			at = d.now.Add(-time.Duration(1+d.gen.Intn(120)) * time.Minute)
		}
		j := job{at: at, kind: shared.KindEM, tip: "colf", prov: demoProvinces[d.gen.Weighted(provWeights)].sigla}
		switch r := d.gen.Intn(100); {
		case r < 35:
			j.tip = "badante"
		case r >= 85:
			j.kind = shared.KindA
		}
		jobs[i] = j
	}
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].at.Before(jobs[b].at) })

	type toSend struct {
		at   time.Time
		in   *core.SubmissionInput
		prov string
	}
	var sends []toSend
	for i, j := range jobs {
		c := campaigns[j.kind]
		var owner *core.User
		if j.prov == "CN" || (j.prov == "TO" && d.gen.Intn(3) == 0) {
			owner = d.operators[d.gen.Intn(len(d.operators))]
		} else {
			var err error
			if owner, err = d.privato(ctx, j.prov, c.ID); err != nil {
				return err
			}
		}
		data := d.gen.Application(j.kind, j.tip, j.prov)
		sub := shared.PrepareSubmission(j.kind, &c, data, j.at)
		if !sub.OK() {
			ps := sub.Problems
			return fmt.Errorf("domanda %d non valida (%s): %s", i, ps[0].Field, ps[0].Message)
		}
		gen := shared.Data{}
		for _, f := range shared.GenerationFields(j.kind) {
			if v, ok := data[f.Key]; ok {
				gen[f.Key] = v
			}
		}
		d.at(j.at)
		m := &core.Module{Kind: j.kind, CampaignID: c.ID, UserID: owner.ID, Data: shared.Normalize(j.kind, gen)}
		if err := d.db.CreateModule(ctx, m, 0); err != nil {
			return err
		}
		d.generated++
		if d.gen.Intn(100) < 12 { // generated, still being filled in
			continue
		}
		sendAt := j.at.Add(time.Duration(5+d.gen.Intn(90)) * time.Minute)
		if sendAt.After(d.now) {
			sendAt = d.now
		}
		in := core.NewSubmissionInput(fmt.Sprintf("demo-%06d-%s", i, strings.ToLower(strings.ReplaceAll(m.ID, "-", ""))), m, &c, data, sub)
		sends = append(sends, toSend{sendAt, &in, j.prov})
	}
	// Sent in order of time, so that protocol numbers grow with the time of receipt.
	sort.SliceStable(sends, func(a, b int) bool { return sends[a].at.Before(sends[b].at) })
	var sent []demoSent
	for _, s := range sends {
		d.at(s.at)
		o := d.db.Submit(ctx, []core.SubmissionInput{*s.in})[0]
		if o.Status != core.StatusAccepted {
			return fmt.Errorf("invio del modulo %s: %s: %v", s.in.ModuleID, o.Status, o.Err)
		}
		d.sent++
		sent = append(sent, demoSent{o.Receipt.Protocol, o.Receipt.Provincia, s.at})
	}
	return d.statuses(ctx, sent)
}

var demoNotes = map[string][]string{
	core.DomandaInIstruttoria: {"Documentazione completa: avviata l'istruttoria.", "Richiesti i pareri alla Questura e alla DPL.", ""},
	core.DomandaConvocato: {"Convocazione allo Sportello: presentarsi con passaporto del lavoratore, contratto di soggiorno firmato e ricevuta F24.",
		"Convocati datore e lavoratore per la firma del contratto di soggiorno."},
	core.DomandaAccolta:  {"Contratto di soggiorno firmato: rilasciata la richiesta di permesso di soggiorno.", ""},
	core.DomandaRespinta: {"Il reddito dichiarato non raggiunge la soglia prevista.", "Il lavoratore non si è presentato alla convocazione."},
}

// statuses moves the applications older than three days along at their Sportello.
func (d *Loader) statuses(ctx context.Context, sent []demoSent) error {
	for _, s := range sent {
		age := d.now.Sub(s.at)
		if age < 72*time.Hour || d.gen.Intn(100) < 45 {
			continue
		}
		steps := []string{core.DomandaInIstruttoria}
		if age > 6*24*time.Hour && d.gen.Intn(100) < 60 {
			steps = append(steps, core.DomandaConvocato)
			if age > 10*24*time.Hour && d.gen.Intn(100) < 70 {
				steps = append(steps, map[bool]string{true: core.DomandaAccolta, false: core.DomandaRespinta}[d.gen.Intn(100) < 80])
			}
		} else if d.gen.Intn(100) < 8 {
			steps = append(steps, core.DomandaRespinta)
		}
		at := s.at
		by := d.sportelli[s.provincia]
		for _, st := range steps {
			// One to three days later, in office hours in Rome.
			r := at.In(core.Rome)
			at = time.Date(r.Year(), r.Month(), r.Day()+1+d.gen.Intn(3), 9+d.gen.Intn(8), d.gen.Intn(60), 0, 0, core.Rome).UTC()
			if at.After(d.now) {
				break
			}
			nota := d.gen.Pick(demoNotes[st])
			d.at(at)
			if _, err := d.db.SetStato(ctx, core.StatoChange{Protocol: s.protocol, Provincia: s.provincia, Stato: st, Nota: nota, By: by,
				Audit: core.NewAudit(by, core.AuditStato, s.protocol, "demo: nuovo stato: "+st)}); err != nil {
				return err
			}
		}
		d.changed++
	}
	d.db.SetClock(time.Now)
	return nil
}

func (d *Loader) printAccounts(again bool) {
	if again {
		fmt.Fprintf(d.out, "Account del demo (password per tutti: %s):\n\n", Password)
		fmt.Fprintf(d.out, "  Ministero (admin)        ministero@%s\n", demoDomain)
		fmt.Fprintf(d.out, "  Operatore di Cuneo       anna.bertola@comune-cuneo.%s\n", demoDomain)
		fmt.Fprintf(d.out, "  Operatore in attesa      marco.olivero@patronato-torino.%s\n", demoDomain)
		fmt.Fprintf(d.out, "  Sportello di Cuneo       sportello.cn@%s (uno per provincia: sportello.to@…, sportello.mi@…)\n", demoDomain)
		return
	}
	fmt.Fprintf(d.out, "Account del demo (password per tutti: %s):\n\n", Password)
	tw := tabwriter.NewWriter(d.out, 0, 4, 2, ' ', 0)
	for _, a := range d.accounts {
		fmt.Fprintf(tw, "  %s\t%s\n", a.email, a.what)
	}
	tw.Flush()
	fmt.Fprintln(d.out, "\nAvvia il server con la stessa cartella dei dati (make run) e accedi con uno di questi account.")
}
