package receipt

import (
	"encoding/base64"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"nullaosta/server/core"
)

// Details are what the PDF shows beside the signed fields, taken from the stored content: they
// are covered by the signature through the content's SHA-256.
type Details struct {
	ModuleTitle string // "Dichiarazione di emersione (EM)"
	Campaign    string // the campaign's title
	Datore      string // "ROSSI MARIO — RSSMRA…"
	Lavoratore  string
	Tipologia   string
	Richiesta   string // Modulo A: the request type, «Numerica, dalle liste di Sri Lanka»
	Note        string // what the receipt proves and what to bring: the module's own (Schema.ReceiptNote)
	PublicKey   []byte // the verifying key, printed so the paper can be checked
}

// Keep is the line of seed 003 every receipt carries.
const Keep = "Conservare la ricevuta: andrà esibita alla convocazione presso lo Sportello Unico."

// PDF writes the receipt as an A4 page in Italian.
func PDF(w io.Writer, r *core.Receipt, d Details) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Ricevuta di invio "+r.Protocol, true)
	pdf.SetProducer("nullaosta", true)
	pdf.SetCreationDate(receivedTime(r))
	pdf.SetModificationDate(receivedTime(r))
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // UTF-8 → cp1252, enough for Italian
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr("Ricevuta di invio"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	if d.ModuleTitle != "" {
		pdf.CellFormat(0, 6, tr(d.ModuleTitle), "", 1, "L", false, 0, "")
	}
	if d.Campaign != "" {
		pdf.CellFormat(0, 6, tr(d.Campaign), "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)

	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 8, tr("Protocollo "+r.Protocol), "", 1, "L", false, 0, "")
	pdf.Ln(2)

	row := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(55, 6, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 6, tr(value), "", "L", false)
	}
	row("Ricevuta il", r.ReceivedAtRome+" (ora italiana)")
	row("Ricevuta il (UTC)", r.ReceivedAt)
	row("Codice del modulo", r.ModuleID)
	row("Tipo di richiesta", d.Richiesta)
	row("Datore di lavoro", d.Datore)
	row("Lavoratore", d.Lavoratore)
	row("Tipologia", d.Tipologia)
	row("Sportello Unico competente", r.Sportello)
	row("Provincia", r.Provincia)
	row("Identificativo di invio", r.SubmissionID)
	pdf.Ln(3)

	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, tr("Verifica"), "", 1, "L", false, 0, "")
	mono := func(label, value string) {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(0, 5, tr(label), "", 1, "L", false, 0, "")
		pdf.SetFont("Courier", "", 8.5)
		pdf.MultiCell(0, 4.2, breakEvery(value, 64), "", "L", false)
		pdf.Ln(1)
	}
	mono("SHA-256 del contenuto inviato", r.SHA256)
	mono("Firma Ed25519 (base64)", r.Signature)
	mono("Identificativo della chiave (keyId)", r.KeyID)
	if len(d.PublicKey) > 0 {
		mono("Chiave pubblica (base64)", base64.StdEncoding.EncodeToString(d.PublicKey))
	}
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(0, 4.5, tr("Chiunque può verificare la firma con la chiave pubblica del server "+
		"(GET /api/v1/receipts/public-key) e il comando «nullaosta verify-receipt»; il testo firmato "+
		"è descritto in docs/API.md."), "", "L", false)
	pdf.Ln(5)

	pdf.SetFont("Helvetica", "B", 11)
	pdf.MultiCell(0, 6, tr(Keep), "", "L", false)
	if d.Note != "" {
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 4.5, tr(d.Note), "", "L", false)
	}

	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func breakEvery(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}
