package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

func (s *Server) listReceipts(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Store.Receipts(r.Context(), userOf(r).ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

func (s *Server) publicKey(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Signer.Info())
}

// receiptKeys lists every key receipts are or were signed with, for verifiers that keep them
// (the app's «Verifica ricevuta» page keeps them for offline use). Public.
func (s *Server) receiptKeys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Signer.Keys())
}

func (s *Server) receiptPDF(w http.ResponseWriter, r *http.Request) {
	protocol := strings.ToUpper(chi.URLParam(r, "protocol"))
	rc, owner, content, err := s.Store.Receipt(r.Context(), protocol)
	if err == nil && owner != userOf(r).ID {
		err = core.Errorf(core.ENOTFOUND, "Nessuna ricevuta con protocollo %s fra le tue.", protocol)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	det := s.receiptDetails(rc, content)
	code := receiptCode(rc, content)
	if err := s.Signer.SignCode(code); err != nil {
		s.writeError(w, r, err)
		return
	}
	det.Code = code.String()
	var buf bytes.Buffer
	if err := receipt.PDF(&buf, rc, det); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+shared.ReceiptFileName(rc.Protocol)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

// receiptDetails are what the receipt PDF shows beside the signed fields, from the stored
// content: the module's title and receipt note, the campaign, the people and the request.
func (s *Server) receiptDetails(rc *core.Receipt, content []byte) receipt.Details {
	d, _ := shared.ParseData(content)
	det := receipt.Details{PublicKey: s.Signer.PublicKey()}
	kind := shared.KindEM
	if strings.HasPrefix(rc.ModuleID, "A-") {
		kind = shared.KindA
	}
	if sc := shared.SchemaOf(kind); sc != nil {
		det.ModuleTitle = sc.Title
		det.Note = sc.ReceiptNote
	}
	if c, ok := s.campaigns[rc.CampaignID]; ok {
		det.Campaign = c.Title
	} else if c, ok := shared.CampaignByID(rc.CampaignID); ok {
		det.Campaign = c.Title
	}
	det.Datore = person(d, "datore")
	det.Lavoratore = person(d, "lavoratore")
	det.Richiesta = shared.RequestType(d)
	if line, ok := shared.NumericaWorker(d); ok {
		det.Lavoratore = line
	}
	if t := d.Str("rapporto.tipologia"); t != "" {
		det.Tipologia = shared.TipologiaLabel(t)
	}
	return det
}

// receiptCode is the receipt in the compact form of its QR code, unsigned: the signed fields
// of rc with the employer's codice fiscale and the worker as the PDF shows them.
func receiptCode(rc *core.Receipt, content []byte) *shared.ReceiptCode {
	d, _ := shared.ParseData(content)
	worker := shared.PersonName(d.Str("lavoratore.cognome"), d.Str("lavoratore.nome"))
	if line, ok := shared.NumericaWorker(d); ok {
		worker = line
	}
	return &shared.ReceiptCode{
		Protocol: rc.Protocol, ModuleID: rc.ModuleID, CampaignID: rc.CampaignID,
		EmployerCF: strings.ToUpper(d.Str("datore.codice_fiscale")), Worker: worker,
		ReceivedAt: rc.ReceivedAt, SHA256: rc.SHA256,
	}
}

// person is "COGNOME Nome — codice fiscale" from the data, or "".
func person(d shared.Data, prefix string) string {
	name := shared.PersonName(d.Str(prefix+".cognome"), d.Str(prefix+".nome"))
	if cf := strings.ToUpper(d.Str(prefix + ".codice_fiscale")); cf != "" {
		if name == "" {
			return cf
		}
		return name + " — " + cf
	}
	return name
}
