package compiler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// importSummary says what an import did.
type importSummary struct {
	Added []string // module ids new on the device
	Kept  int      // modules already on the device, left as they were
}

// saveImport stores what GET /import brought for user: new modules become drafts; modules the
// device already holds are not touched (they may be half filled in); receipts of modules sent
// elsewhere are kept; the campaigns and the token are saved as the user's settings.
func saveImport(ctx context.Context, st store.Store, user, token string, res client.ImportResult, now time.Time) (importSummary, error) {
	var sum importSummary
	if user == "" {
		return sum, errors.New("utente mancante")
	}
	for _, m := range res.Modules {
		_, err := st.GetDraft(ctx, user, m.ID)
		if err == nil {
			sum.Kept++
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return sum, err
		}
		d := store.Draft{
			User:       user,
			ModuleID:   m.ID,
			Kind:       m.Kind,
			CampaignID: m.CampaignID,
			Generation: m.Data.Clone(),
			Data:       m.Data.Clone(),
			Status:     store.StatusDraft,
			CreatedAt:  m.CreatedAt,
			UpdatedAt:  now,
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = now
		}
		d.RecordCampaign(session.PickCampaign(res.Campaigns, m.Kind, m.CampaignID, now))
		if m.Status == client.ModuleSent {
			d.Status = store.StatusSent
		}
		if err := st.PutDraft(ctx, d); err != nil {
			return sum, err
		}
		sum.Added = append(sum.Added, m.ID)
	}
	for _, m := range res.Modules {
		if m.Receipt != nil {
			if err := st.PutReceipt(ctx, store.NewReceipt(user, *m.Receipt)); err != nil {
				return sum, err
			}
		}
	}
	camps, err := json.Marshal(res.Campaigns)
	if err != nil {
		return sum, err
	}
	settings := map[string]string{
		session.SettingCampaigns:  string(camps),
		session.SettingLastImport: now.UTC().Format(time.RFC3339),
	}
	if token != "" {
		settings[session.SettingToken] = token
	}
	if res.User.Email != "" {
		b, _ := json.Marshal(res.User)
		settings[session.SettingProfile] = string(b)
	}
	for k, v := range settings {
		if err := st.PutSetting(ctx, user, k, v); err != nil {
			return sum, err
		}
	}
	if res.User.Email != "" && session.NormUser(res.User.Email) == user {
		session.SetProfile(user, res.User)
	}
	return sum, nil
}

// runImport is the whole "Importa": a token from e-mail and password, the download, the store,
// and the person becomes the device's current user. name is what the person calls this
// device ("" for its type): the account page lists the import codes by it.
func runImport(ctx context.Context, email, password, name string) (importSummary, error) {
	api := session.Environment().API
	if api == nil {
		return importSummary{}, session.ErrNoServer
	}
	user := session.NormUser(email)
	label := strings.TrimSpace(name)
	if label == "" {
		label = "Importa — " + deviceLabel()
	}
	tok, err := api.CreateToken(ctx, email, password, label)
	session.NoteReachability(err)
	if err != nil {
		return importSummary{}, err
	}
	// The modules are saved encrypted under the person's data key: unlock it first.
	if err := session.RememberUser(ctx, user, password, nil); err != nil {
		if errors.Is(err, session.ErrPreviousPassword) {
			return importSummary{}, errors.New("Su questo dispositivo i tuoi dati sono protetti con la password precedente: vai su «Accedi», entra con la nuova password e scegli se recuperarli; poi importa di nuovo.")
		}
		return importSummary{}, err
	}
	res, err := api.WithToken(tok.Token).Import(ctx)
	if err != nil {
		return importSummary{}, err
	}
	sum, err := saveImport(ctx, session.Environment().Store, user, tok.Token, res, session.Environment().Now())
	if err != nil {
		return sum, fmt.Errorf("I moduli sono stati scaricati ma non salvati sul dispositivo: %v", err)
	}
	return sum, session.SetCurrentUser(ctx, user)
}

// deviceLabel names this device in the list of import tokens.
func deviceLabel() string {
	ua := goapp.Window().Get("navigator").Get("userAgent")
	if !ua.Truthy() {
		return "dispositivo"
	}
	s := ua.String()
	for _, k := range []string{"Android", "iPad", "iPhone", "Windows", "Macintosh", "Linux", "CrOS"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return "browser"
}

// Importer is the page /importa.
type Importer struct {
	goapp.Compo
	form ui.SimpleForm
	sum  *importSummary
}

// deviceNameKey is where the device keeps the name the person gave it, proposed at the next
// import.
const deviceNameKey = "nullaosta-nome-dispositivo"

func (p *Importer) OnNav(ctx goapp.Context) {
	var name string
	ctx.LocalStorage().Get(deviceNameKey, &name)
	if name != "" && p.form.Get("imp-label") == "" {
		p.form.Put("imp-label", name)
	}
	ctx.Async(func() {
		u := session.CurrentUser(context.Background())
		ctx.Dispatch(func(ctx goapp.Context) {
			if u != "" && p.form.Get("imp-email") == "" {
				p.form.Put("imp-email", u)
			}
		})
	})
}

func (p *Importer) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	email, pw, name := strings.TrimSpace(f.Get("imp-email")), f.Get("imp-password"), strings.TrimSpace(f.Get("imp-label"))
	if email == "" || pw == "" {
		f.Say("danger", "Indica e-mail e password del tuo account.")
		return
	}
	f.Busy = true
	f.Say("info", "Importazione in corso…")
	ctx.Async(func() {
		sum, err := runImport(context.Background(), email, pw, name)
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			f.Put("imp-password", "")
			if err != nil {
				f.Fail(err, "imp-") // a name too long is said beside it
				return
			}
			p.sum = &sum
			ctx.LocalStorage().Set(deviceNameKey, name)
			msg := "Importazione completata: " + shared.Plural(len(sum.Added), "modulo nuovo", "moduli nuovi")
			if sum.Kept > 0 {
				msg += ", " + shared.Plural(sum.Kept, "già presente e lasciato com'era", "già presenti e lasciati come erano")
			}
			f.Say("success", msg+".")
		})
	})
}

func (p *Importer) Render() goapp.UI {
	f := &p.form
	return ui.Page("/importa",
		goapp.H1().Text("Importa i moduli"),
		goapp.P().Text("Scarica su questo dispositivo i moduli che hai generato sul sito, per compilarli anche senza connessione. Indica di nuovo e-mail e password: il dispositivo riceve un codice di importazione personale, che puoi revocare dalla pagina «Account»."),
		goapp.P().Text("Puoi importare più volte: vengono aggiunti soltanto i moduli nuovi, quelli che stai già compilando non vengono toccati."),
		f.Status(),
		goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
			f.Input("imp-email", "Indirizzo e-mail", "email", "username", true, ""),
			f.Input("imp-password", "Password", "password", "current-password", true, ""),
			f.Input("imp-label", "Nome di questo dispositivo (facoltativo)", "text", "off", false,
				"Per riconoscerlo tra i codici di importazione della pagina «Account», per esempio «PC dell'ufficio» o «Tablet sportello 2»."),
			f.Submit("Importa"),
		),
		goapp.If(p.sum != nil, func() goapp.UI {
			return goapp.Div().Class("mt-4").Body(
				goapp.If(len(p.sum.Added) > 0, func() goapp.UI {
					return goapp.Ul().Body(goapp.Range(p.sum.Added).Slice(func(i int) goapp.UI {
						id := p.sum.Added[i]
						return goapp.Li().Body(goapp.A().Href("/compila/" + id).Text("Compila " + id))
					}))
				}),
				goapp.A().Href("/compila").Class("btn btn-primary").Text("Moduli su questo dispositivo"),
			)
		}),
	)
}
