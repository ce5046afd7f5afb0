package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/wire"
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
	// The PDF carries the signed compact receipt, found in its raw bytes, which verifies with
	// the keys anyone can fetch and names the employer and the worker of the content sent.
	code, ok := shared.FindReceiptCode(b)
	if !ok {
		t.Fatal("no receipt code in the PDF's bytes")
	}
	var keys wire.ReceiptKeys
	e.mustJSON(anonymous, "GET", "/api/v1/receipts/keys", nil, http.StatusOK, &keys)
	known := map[string][]byte{}
	for _, k := range keys.Keys {
		pub, err := base64.StdEncoding.DecodeString(k.PublicKey)
		if err != nil || k.Algorithm != "Ed25519" {
			t.Fatalf("key %+v: %v", k, err)
		}
		known[k.KeyID] = pub
	}
	if len(keys.Keys) != 1 || !keys.Keys[0].Current || keys.Keys[0].KeyID != r.Receipt.KeyID {
		t.Fatalf("keys %+v", keys)
	}
	c, err := shared.VerifyReceiptCode(code, known)
	if err != nil {
		t.Fatalf("code %s: %v", code, err)
	}
	want := shared.ReceiptCode{Protocol: r.Receipt.Protocol, ModuleID: r.Receipt.ModuleID, CampaignID: r.Receipt.CampaignID,
		EmployerCF: "BNCGNN58C52D205K", Worker: "PERERA Kumari", ReceivedAt: r.Receipt.ReceivedAt, SHA256: r.Receipt.SHA256,
		KeyID: r.Receipt.KeyID, Signature: c.Signature}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("code %+v\nwant %+v", *c, want)
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
