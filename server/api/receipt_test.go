package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

func TestReceiptPDF(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "pdf@example.it", core.RolePrivato)
	other := e.newActor("o", "pdf-other@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	r := e.send(a, item{"pdf-00000001", e.newModule(a, shared.KindEM, d), d})[0]

	res, b := e.do(a, "GET", "/api/v1/receipts/"+strings.ToLower(r.Receipt.Protocol)+"/pdf", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("pdf: %d %s %.20q", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "ricevuta-EM2009-0000001.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	res, b = e.do(other, "GET", "/api/v1/receipts/"+r.Receipt.Protocol+"/pdf", nil)
	if res.StatusCode != http.StatusNotFound || apiError(t, b).Error.Code != core.ENOTFOUND {
		t.Fatalf("someone else's receipt: %d %s", res.StatusCode, b)
	}
	e.mustJSON(a, "GET", "/api/v1/receipts/EM2009-9999999/pdf", nil, http.StatusNotFound, nil)
}

// TestReceiptDetails: each module's receipt says what its own schema says (Modulo A asks for no
// payment), and a numerica request names the request type and the list country instead of a
// worker that has no name yet.
func TestReceiptDetails(t *testing.T) {
	e := newEnv(t)
	em := e.srv.receiptDetails(&core.Receipt{ModuleID: "EM-7K3Q-9XHD-4", CampaignID: "em2009"}, mustJSON(t, fixture(t, "em_colf.json")))
	if em.Note != shared.SchemaOf(shared.KindEM).ReceiptNote || !strings.Contains(em.Note, "marca da bollo") || em.Richiesta != "" {
		t.Errorf("EM details: note %q, richiesta %q", em.Note, em.Richiesta)
	}
	num := e.srv.receiptDetails(&core.Receipt{ModuleID: "A-1ZTK-6Z0Q-1", CampaignID: "a2007"}, mustJSON(t, fixture(t, "a_numerica.json")))
	if num.Note != shared.SchemaOf(shared.KindA).ReceiptNote || strings.Contains(num.Note, "versamento") || strings.Contains(num.Note, "bollo") {
		t.Errorf("Modulo A note: %q", num.Note)
	}
	if !strings.HasPrefix(num.Richiesta, "Numerica, dalle liste di ") || !strings.HasPrefix(num.Lavoratore, "Da individuare dalle liste di ") {
		t.Errorf("numerica: richiesta %q, lavoratore %q", num.Richiesta, num.Lavoratore)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
