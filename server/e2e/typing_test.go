//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nullaosta/shared"
)

// fixtureData reads shared/testdata/NAME.json.
func fixtureData(t *testing.T, name string) shared.Data {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "shared/testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var d shared.Data
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// filledModule registers a person, generates an EM module with fx's generation data, imports
// it in a new tab and fills every section up to the summary with fx, as a person does. It
// returns the tab, on the compiler, and the module's id.
func filledModule(t *testing.T, bctx context.Context, srv *server, art string, fx shared.Data, who string) (*tab, string) {
	t.Helper()
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount(who, "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.clickLink("/compila/" + id)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
	for i := range em.Sections {
		if em.Sections[i].Confirm {
			break
		}
		b.gotoSection(em, i)
		b.fillSection(em, i, fx, nil)
	}
	b.waitText("#overall-label", "")
	return b, id
}

// loadAverage is the first field of /proc/loadavg: how busy the shared machine was.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(raw))[0]
}

// TestTypingKeepsLettersWhileTheAppRenders reproduces the lost letter of a busy tablet: a
// keystroke's handler has run (the app holds "a" and will render it in its next frame), the
// next keystroke is already in the input ("ab") but its handler has not run yet when the frame
// comes. The frame must not write "a" back over "ab", neither in the login form nor in the
// compiler's fields (ui.LiveValue).
func TestTypingKeepsLettersWhileTheAppRenders(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/accedi")
	b.waitJS("the login page", `!!document.getElementById("login-email")`, stepTimeout)
	b.checkNoClobber("login-email", "anna@", "anna@example.it")

	fx := fixtureData(t, "em_badante")
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("lettere", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)
	b.navigate("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.clickLink("/compila/" + id)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
	const civico = "datore.residenza.numero_civico"
	b.gotoSection(em, sectionIndex(em, civico))
	b.waitField(civico)
	b.checkNoClobber(inputID(civico), "2", "201")
}

// checkNoClobber types first into the input with id as a handled keystroke, lets the app take
// it, then puts then into the input without its input event (the handler is late) and waits
// for the app's frames: the input must still hold then. Finally then's input event is sent.
func (b *tab) checkNoClobber(id, first, then string) {
	b.t.Helper()
	got := call[string](b, "typing into "+id+" while the app renders", `async (id, first, then) => {
  const el = document.getElementById(id);
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  el.focus();
  el.value = first;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  await new Promise(r => setTimeout(r, 0)); // the app runs the handler; its frame is due
  el.value = then;                          // the next keys, their handler not yet run
  for (let i = 0; i < 6; i++) await frame();
  const kept = el.value;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  return kept;
}`, id, first, then)
	if got != then {
		b.fail("%s: the app's render wrote %q over %q typed meanwhile (a lost letter)", id, got, then)
	}
}
