package receipt

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/yeqown/go-qrcode/v2"

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
	// Code is the signed compact receipt (shared.ReceiptCode) printed as the QR code and kept
	// as text in the PDF's Keywords, where the verification page finds it in the raw bytes.
	Code string
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
	if d.Code != "" {
		// Not UTF-16: the code is ASCII and must stay findable byte for byte.
		pdf.SetKeywords(d.Code, false)
	}
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
	if d.Code != "" {
		if err := drawCode(pdf, tr, d.Code); err != nil {
			return err
		}
	}
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
		"(GET /api/v1/receipts/keys) e il comando «nullaosta verify-receipt»; il testo firmato "+
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

// qrSide is the printed side of the QR code in mm: the ~250-byte code is a version-12 code
// (65 modules) at error correction M, with modules of 0.77 mm, which zbarimg, a phone's camera
// and the page's decoder read from a print or from a photo of the whole sheet.
const qrSide = 50.0

// drawCode prints the code as a QR code (vector squares: sharp at any zoom, a few KB) with
// what it is for beside it.
func drawCode(pdf *fpdf.Fpdf, tr func(string) string, code string) error {
	q, err := qrcode.NewWith(code, qrcode.WithEncodingMode(qrcode.EncModeByte),
		qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return fmt.Errorf("codice QR della ricevuta: %w", err)
	}
	var bits [][]bool
	if err := q.Save(matrixWriter{&bits}); err != nil {
		return err
	}
	if pdf.GetY()+qrSide+8 > 297-18 {
		pdf.AddPage()
	}
	// Room for the quiet zone: 4 modules of white on every side.
	x0, y0 := pdf.GetX()+3, pdf.GetY()+2
	m := qrSide / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := x
			for run < len(row) && row[run] {
				run++
			}
			pdf.Rect(x0+float64(x)*m, y0+float64(y)*m, float64(run-x)*m, m, "F")
			x = run
		}
	}
	left, _, right, _ := pdf.GetMargins()
	pdf.SetXY(x0+qrSide+8, y0)
	pdf.SetFont("Helvetica", "", 9)
	w, _ := pdf.GetPageSize()
	pdf.MultiCell(w-right-(x0+qrSide+8), 4.5, tr("Il codice QR contiene la ricevuta firmata: protocollo, "+
		"modulo, campagna, codice fiscale del datore di lavoro, lavoratore, data e ora, impronta del "+
		"contenuto e firma del server. Chiunque può verificarla con la pagina «Verifica ricevuta» "+
		"dell'app, anche senza connessione, inquadrando il codice, scegliendo questo PDF o una sua foto."),
		"", "L", false)
	pdf.SetXY(left, y0+qrSide+4)
	return pdf.Error()
}

type matrixWriter struct{ bits *[][]bool }

func (w matrixWriter) Write(mat qrcode.Matrix) error { *w.bits = mat.Bitmap(); return nil }
func (w matrixWriter) Close() error                  { return nil }

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
