package api

import (
	"bytes"
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
