//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"nullaosta/shared"
)

// TestSendAtTheOpening is issue 14's «da inviare all'apertura»: a module confirmed before the
// send window opens is sent, with one press, while the window is still closed; the server
// answers that it opens later (no rejection), the page counts down by the server's clock, and
// at the opening the queue sends it by itself and the receipt appears. It reports the time
// from the opening to the receipt.
func TestSendAtTheOpening(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("apertura", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)

	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.clickLink("/compila/" + id)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
	for i := range em.Sections {
		if em.Sections[i].Confirm {
			b.gotoSection(em, i)
			b.waitText(".sportello-box", "Cuneo")
			b.clickButton("Conferma")
			b.waitText("#confirm-result .alert-success", "Modulo confermato")
			break
		}
		b.gotoSection(em, i)
		b.fillSection(em, i, fx, nil)
	}

	// The click day: the server restarts with the window opening a few seconds from now.
	srv.stop()
	srv.extra = []string{"-opens-in", "8s"}
	srv.start()
	var camps []shared.Campaign
	if _, err := srv.client().call("GET", "/campaigns", nil, &camps); err != nil {
		t.Fatal(err)
	}
	var opens time.Time
	for _, c := range camps {
		if c.Kind == shared.KindEM {
			opens = c.OpensAt()
		}
	}
	if time.Until(opens) < 3*time.Second {
		t.Fatalf("the window opens at %v, too soon to send before it", opens)
	}

	b.clickLink("/invia")
	b.clickButton("Invia (1)")
	b.waitText("#apertura", "Da inviare all'apertura")
	b.waitText("#apertura .countdown", "Tra 00:00:0")
	if n := countSubmissions(t, srv); n != 0 {
		t.Fatalf("%d submissions stored before the opening", n)
	}
	if time.Now().After(opens) {
		t.Fatal("the countdown showed only after the opening: the test machine is too slow for this window")
	}
	b.waitText("#ricevute-arrivate", "DEMOEM-0000001")
	seen := time.Now()
	var rs []struct {
		Protocol   string `json:"protocol"`
		ReceivedAt string `json:"receivedAt"`
	}
	c := srv.client()
	if _, err := c.call("POST", "/auth/login", map[string]string{"email": a.email, "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.call("GET", "/receipts", nil, &rs); err != nil || len(rs) != 1 {
		t.Fatalf("receipts: %+v %v", rs, err)
	}
	received, err := time.Parse("2006-01-02T15:04:05.000Z", rs[0].ReceivedAt)
	if err != nil {
		t.Fatal(err)
	}
	if received.Before(opens) {
		t.Fatalf("received at %v, before the opening at %v", received, opens)
	}
	if n := countSubmissions(t, srv); n != 1 {
		t.Fatalf("%d submissions stored, want 1", n)
	}
	if txt := b.bodyText(); strings.Contains(txt, "Respinte (") {
		t.Fatalf("the early send was counted as a rejection:\n%s", txt)
	}
	t.Logf("opening → receipt: accepted by the server %v after the opening, on screen %v after it",
		received.Sub(opens).Round(time.Millisecond), seen.Sub(opens).Round(time.Millisecond))
}
