package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

var (
	errNoFile   = errors.New("nessun file scelto")
	errTooBig   = fmt.Errorf("il file supera i %d MB: scegli il PDF della ricevuta o una foto del solo codice", maxFileMB)
	errNotImage = errors.New("il file non è un'immagine leggibile né un PDF: scegli il PDF della ricevuta o una foto del codice QR")
)

// maxFileMB bounds a chosen file: a receipt's PDF is ~10 kB, a phone's photo a few MB.
const (
	maxFileMB    = 25
	maxFileBytes = maxFileMB << 20
)

// hasPDFName reports whether a file's name says it is a PDF (some systems give no type).
func hasPDFName(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".pdf") }

// verdict is what the page says of one receipt code.
type verdict struct {
	OK     bool
	Title  string // «Ricevuta autentica», «Ricevuta alterata», «Chiave sconosciuta», «Non è una ricevuta»
	Reason string // why not, and what to do
	Source string // where the code came from: «dal file ricevuta.pdf»
	Code   *shared.ReceiptCode
}

// judge verifies a receipt code's text with the keys kept on the device.
func judge(text, source string, keys map[string][]byte) verdict {
	c, err := shared.VerifyReceiptCode(text, keys)
	v := verdict{Source: source, Code: c}
	switch {
	case err == nil:
		v.OK, v.Title = true, "Ricevuta autentica"
	case errors.Is(err, shared.ErrUnknownKey):
		v.Title, v.Reason = "Chiave sconosciuta", errReason(err)
		if len(keys) == 0 {
			v.Reason = "Questo dispositivo non ha ancora le chiavi del server: apri questa pagina una volta con la connessione, poi la verifica funziona anche senza."
		}
	case errors.Is(err, shared.ErrAltered):
		v.Title, v.Reason, v.Code = "Ricevuta alterata", errReason(err), nil
	default:
		v.Title, v.Reason, v.Code = "Non è una ricevuta", errReason(err), nil
	}
	return v
}

// errReason is the error's detail after its reason, capitalised: «La firma non corrisponde…».
func errReason(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return capitalise(s) + "."
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// judgeFile verifies what a chosen file holds: a PDF's code is found in its bytes, a photo's
// was read from its QR code.
func judgeFile(name string, pdf []byte, qrText string, keys map[string][]byte) verdict {
	source := "dal file «" + name + "»"
	if pdf != nil {
		code, ok := shared.FindReceiptCode(pdf)
		if !ok {
			return verdict{Source: source, Title: "Non è una ricevuta",
				Reason: "Nel PDF non c'è il codice di una ricevuta di Nullaosta: scegli il PDF scaricato dalla pagina «Ricevute», oppure una foto del suo codice QR."}
		}
		return judge(code, source, keys)
	}
	if qrText == "" {
		return verdict{Source: source, Title: "Non è una ricevuta",
			Reason: "Nell'immagine non si trova un codice QR leggibile: fotografa il codice da vicino, dritto e ben illuminato, oppure scegli il PDF della ricevuta."}
	}
	return judge(qrText, source, keys)
}

// Verify is the page /verifica, «Verifica ricevuta», open to anyone: it checks a receipt's QR
// code (camera, photo, the PDF itself or pasted text) against the server's keys kept on the
// device, so it works with no connection once the page has been opened with one.
type Verify struct {
	goapp.Compo

	keys     map[string][]byte
	keysNote string
	text     string
	busy     string
	camera   bool
	stopCam  func()
	result   *verdict
	decoder  string
}

func (p *Verify) OnMount(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		keys, _ := session.ReceiptKeys(bg)
		ctx.Dispatch(func(goapp.Context) { p.setKeys(keys, nil, false) })
		err := session.RefreshReceiptKeys(bg)
		if err == nil {
			keys, _ = session.ReceiptKeys(bg)
		}
		dec := decoderName()
		ctx.Dispatch(func(goapp.Context) { p.setKeys(keys, err, true); p.decoder = dec })
	})
}

func (p *Verify) OnDismount() { p.stopCamera() }

func (p *Verify) setKeys(keys map[string][]byte, err error, refreshed bool) {
	p.keys = keys
	n := len(keys)
	switch {
	case !refreshed:
		p.keysNote = "Controllo delle chiavi del server…"
	case err == nil:
		p.keysNote = "Chiavi di firma del server aggiornate e salvate su questo dispositivo: la verifica funziona anche senza connessione."
	case n == 0 && client.IsOffline(err):
		p.keysNote = "Senza connessione e senza chiavi salvate: apri questa pagina una volta con la connessione, poi la verifica funzionerà anche senza."
	case n == 0:
		p.keysNote = "Chiavi del server non disponibili: " + session.ErrorText(err) + " Riprova più tardi."
	case n == 1:
		p.keysNote = "Senza connessione: la verifica usa la chiave del server salvata su questo dispositivo."
	default:
		p.keysNote = fmt.Sprintf("Senza connessione: la verifica usa le %d chiavi del server salvate su questo dispositivo.", n)
	}
	if p.result != nil && !p.result.OK && p.text != "" && p.result.Source == sourcePasted {
		r := judge(p.text, sourcePasted, p.keys)
		p.result = &r
	}
}

const sourcePasted = "dal testo incollato"

func (p *Verify) onText(ctx goapp.Context, e goapp.Event) {
	p.text = ctx.JSSrc().Get("value").String()
}

func (p *Verify) onCheckText(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	text := p.text
	if t := strings.TrimSpace(text); !strings.HasPrefix(t, shared.ReceiptCodePrefix) {
		if code, ok := shared.FindReceiptCode([]byte(text)); ok {
			text = code
		}
	}
	r := judge(text, sourcePasted, p.keys)
	p.result = &r
}

func (p *Verify) onFile(ctx goapp.Context, e goapp.Event) {
	p.busy, p.result = "Lettura del file…", nil
	keys := p.keys
	ctx.Async(func() {
		name, pdf, qr, err := readChosen("verifica-file")
		ctx.Dispatch(func(goapp.Context) {
			p.busy = ""
			switch {
			case errors.Is(err, errNoFile):
			case err != nil:
				p.result = &verdict{Title: "Non è una ricevuta", Source: "dal file «" + name + "»", Reason: capitalise(err.Error()) + "."}
			default:
				r := judgeFile(name, pdf, qr, keys)
				p.result = &r
			}
		})
	})
}

func (p *Verify) onCamera(ctx goapp.Context, e goapp.Event) {
	if p.camera {
		p.stopCamera()
		return
	}
	p.camera, p.result, p.busy = true, nil, "Inquadra il codice QR della ricevuta."
	// startCamera waits for the video element this render adds, and for the page's script.
	ctx.Async(func() {
		stop, err := startCamera("verifica-video",
			func(text string) {
				ctx.Dispatch(func(goapp.Context) {
					p.camera, p.stopCam, p.busy = false, nil, ""
					r := judge(text, "dalla fotocamera", p.keys)
					p.result = &r
				})
			},
			func(msg string) {
				ctx.Dispatch(func(goapp.Context) {
					p.camera, p.stopCam, p.busy = false, nil, msg
				})
			})
		ctx.Dispatch(func(goapp.Context) {
			switch {
			case err != nil:
				p.camera, p.busy = false, capitalise(err.Error())+"."
			case !p.camera: // stopped before the camera started
				stop()
			default:
				p.stopCam = stop
			}
		})
	})
}

func (p *Verify) stopCamera() {
	if p.stopCam != nil {
		p.stopCam()
	}
	p.camera, p.stopCam = false, nil
	if strings.HasPrefix(p.busy, "Inquadra") {
		p.busy = ""
	}
}

func (p *Verify) Render() goapp.UI {
	return ui.Page("/verifica",
		goapp.H1().Text("Verifica ricevuta"),
		goapp.P().Class("lead").Text("Controlla che una ricevuta di invio sia autentica: il codice QR stampato sulla ricevuta contiene i dati della domanda firmati dal server. Chiunque può verificarla, senza accedere, e anche senza connessione dopo aver aperto questa pagina una volta."),
		goapp.P().Class("small text-muted").Attr("id", "verifica-chiavi").Text(p.keysNote),

		goapp.Div().Class("row g-4").Body(
			goapp.Div().Class("col-12 col-lg-4").Body(
				goapp.H2().Class("h5").Text("Con la fotocamera"),
				goapp.Button().Type("button").ID("verifica-camera").Class("btn btn-primary").
					Text(map[bool]string{false: "Inquadra il codice QR", true: "Ferma la fotocamera"}[p.camera]).OnClick(p.onCamera),
				goapp.If(p.camera, func() goapp.UI {
					return goapp.Video().ID("verifica-video").Class("verify-video mt-2").Attr("aria-label", "Immagine della fotocamera").Attr("muted", true)
				}),
			),
			goapp.Div().Class("col-12 col-lg-4").Body(
				goapp.H2().Class("h5").Text("Con un file"),
				goapp.Label().For("verifica-file").Class("form-label").Text("Il PDF della ricevuta, o una foto del codice QR"),
				goapp.Input().Type("file").ID("verifica-file").Class("form-control").Accept("application/pdf,.pdf,image/*").OnChange(p.onFile),
			),
			goapp.Div().Class("col-12 col-lg-4").Body(
				goapp.H2().Class("h5").Text("Con il testo del codice"),
				goapp.Form().OnSubmit(p.onCheckText).Body(
					goapp.Label().For("verifica-testo").Class("form-label").Text("Incolla il testo del codice (comincia con "+shared.ReceiptCodePrefix+")"),
					goapp.Textarea().ID("verifica-testo").Class("form-control font-monospace").Rows(4).Attr("spellcheck", "false").Text(p.text).OnInput(p.onText),
					goapp.Button().Type("submit").Class("btn btn-outline-primary mt-2").Text("Verifica il testo"),
				),
			),
		),
		goapp.Div().ID("verifica-esito").Class("mt-4").Attr("aria-live", "polite").Body(
			goapp.If(p.busy != "", func() goapp.UI { return goapp.P().Attr("role", "status").Text(p.busy) }),
			goapp.If(p.result != nil, func() goapp.UI { return p.renderResult() }),
		),
		goapp.If(p.decoder != "", func() goapp.UI {
			return goapp.P().Class("small text-muted mt-4").Text(map[string]string{
				"BarcodeDetector": "Il codice QR è letto dal browser stesso.",
				"jsQR":            "Il codice QR è letto da jsQR, caricato da questa pagina e conservato per l'uso senza connessione.",
			}[p.decoder])
		}),
	)
}

func (p *Verify) renderResult() goapp.UI {
	r := p.result
	if !r.OK {
		return goapp.Div().Class("alert alert-danger verify-result").Body(
			goapp.H2().Class("h4").Text(r.Title),
			goapp.P().Text(r.Reason),
			goapp.If(r.Code != nil, func() goapp.UI {
				return goapp.P().Class("small mb-0").Text("La ricevuta dichiara il protocollo " + r.Code.Protocol + ": senza la chiave non si può dire se è autentica.")
			}),
			goapp.P().Class("small text-muted mb-0").Text("Codice letto "+r.Source+"."),
		)
	}
	c := r.Code
	when := c.ReceivedAt
	if t, err := time.Parse("2006-01-02T15:04:05.000Z", c.ReceivedAt); err == nil {
		when = shared.InRome(t).Format("02/01/2006 15:04:05") + " (ora italiana)"
	}
	campaign := c.CampaignID
	if cp, ok := shared.CampaignByID(c.CampaignID); ok {
		campaign = cp.Title
	}
	rows := [][2]string{
		{"Protocollo", c.Protocol},
		{"Ricevuta il", when},
		{"Codice del modulo", c.ModuleID},
		{"Campagna", campaign},
		{"Datore di lavoro (codice fiscale)", c.EmployerCF},
		{"Lavoratore", c.Worker},
		{"Impronta del contenuto (SHA-256)", c.SHA256},
		{"Firmata con la chiave", c.KeyID},
	}
	return goapp.Div().Class("alert alert-success verify-result").Body(
		goapp.H2().Class("h4").Text(r.Title),
		goapp.P().Text("La firma del server corrisponde: questi dati sono quelli della ricevuta rilasciata. Confrontali con i documenti presentati."),
		goapp.Dl().Class("row mb-0").Body(
			goapp.Range(rows).Slice(func(i int) goapp.UI {
				return goapp.Div().Class("col-12 d-flex flex-wrap").Body(
					goapp.Dt().Class("me-2").Text(rows[i][0]+":"),
					goapp.Dd().Class("mb-1 text-break").Text(rows[i][1]),
				)
			}),
		),
		goapp.P().Class("small text-muted mb-0 mt-2").Text("Codice letto "+r.Source+"."),
	)
}
