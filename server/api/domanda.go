package api

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/places"
	"nullaosta/shared/wire"
)

// Pages of the Sportello's list.
const (
	defaultDomandePage = 50
	maxDomandePage     = 500
)

// domandeFilter reads the filters of the list and the export. A sportello sees its own
// province whatever it asks; the Ministry sees every province, or the one it asks for.
func domandeFilter(r *http.Request) (core.DomandaFilter, error) {
	q := r.URL.Query()
	var f core.DomandaFilter
	u := userOf(r)
	if u.Role == core.RoleSportello {
		f.Provincia = u.Provincia
	} else if p := strings.TrimSpace(q.Get("provincia")); p != "" {
		pr, ok := places.ProvinceBySigla(p)
		if !ok {
			return f, core.Errorf(core.EINVALID, "La provincia «%s» non esiste: usa la sigla, per esempio CN.", clip(p))
		}
		f.Provincia = pr.Sigla
	}
	if k := strings.TrimSpace(q.Get("kind")); k != "" {
		kind, err := shared.ParseKind(k)
		if err != nil {
			return f, core.Errorf(core.EINVALID, "Il modulo «%s» non esiste: usa EM oppure A.", clip(k))
		}
		f.Kind = kind
	}
	var err error
	if f.From, f.To, err = dayRange(q); err != nil {
		return f, err
	}
	switch t := strings.ToLower(strings.TrimSpace(q.Get("tipologia"))); t {
	case "", "colf", "badante":
		f.Tipologia = t
	default:
		return f, core.Errorf(core.EINVALID, "La tipologia «%s» non esiste: usa colf oppure badante.", clip(t))
	}
	if c := strings.TrimSpace(q.Get("cittadinanza")); c != "" {
		country, ok := places.CountryByISO(c)
		if !ok {
			return f, core.Errorf(core.EINVALID, "La cittadinanza «%s» non è un codice di stato: usa il codice ISO di due lettere, per esempio UA.", clip(c))
		}
		f.Cittadinanza = country.ISO2
	}
	if st := strings.TrimSpace(q.Get("stato")); st != "" {
		if !slices.Contains(core.DomandaStati, st) {
			return f, core.Errorf(core.EINVALID, "Lo stato «%s» non esiste: usa %s.", clip(st), strings.Join(core.DomandaStati, ", "))
		}
		f.Stato = st
	}
	f.Q = clipQuery(q.Get("q"))
	if f.Limit, err = intParam(q, "limit", defaultDomandePage, maxDomandePage); err != nil {
		return f, err
	}
	if f.Limit == 0 {
		f.Limit = defaultDomandePage
	}
	if f.Offset, err = intParam(q, "offset", 0, 1<<30); err != nil {
		return f, err
	}
	if a := strings.TrimSpace(q.Get("after")); a != "" {
		if f.After, err = parseDomandaCursor(a); err != nil {
			return f, err
		}
	}
	return f, nil
}

// A cursor of the list is the last item's receipt instant and protocol:
// "2026-11-21T20:19:00.000Z_DEMOEM-0000216".
var cursorProtocol = regexp.MustCompile(`^[A-Z0-9]{1,32}-[0-9]{7,}$`)

func domandaCursor(it *core.DomandaItem) string { return it.ReceivedAt + "_" + it.Protocol }

func parseDomandaCursor(s string) (*core.DomandaCursor, error) {
	at, protocol, ok := strings.Cut(s, "_")
	if _, err := time.Parse(core.ReceivedAtLayout, at); !ok || err != nil || !cursorProtocol.MatchString(protocol) {
		return nil, core.Errorf(core.EINVALID, "Il parametro after «%s» non è valido: usa il valore «next» della pagina precedente.", clip(s))
	}
	return &core.DomandaCursor{ReceivedAt: at, Protocol: protocol}, nil
}

// domandePage is the answer of GET /sportello/domande.
type domandePage = wire.DomandePage

func (s *Server) domande(w http.ResponseWriter, r *http.Request) {
	f, err := domandeFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// One more than the page: whether another page follows.
	f.Limit++
	total, items, err := s.Store.Domande(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page := domandePage{Total: total, Items: items}
	if len(items) == f.Limit {
		page.Items = items[:f.Limit-1]
		page.Next = domandaCursor(&page.Items[len(page.Items)-1])
	}
	writeJSON(w, http.StatusOK, page)
}

// ownProvincia is the provincia a caller may see: a sportello's own, "" (every one) for the
// Ministry.
func ownProvincia(u *core.User) string {
	if u.Role == core.RoleSportello {
		return u.Provincia
	}
	return ""
}

func (s *Server) domanda(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	protocol := strings.ToUpper(strings.TrimSpace(chi.URLParam(r, "protocol")))
	d, err := s.Store.Domanda(r.Context(), protocol, ownProvincia(u))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Reading an application in full is recorded before it is shown.
	if err := s.Store.RecordAudit(r.Context(), core.NewAudit(u, core.AuditDettaglio, protocol,
		fmt.Sprintf("%s, datore %s, lavoratore %s", d.Receipt.Provincia, d.Employer, d.Worker))); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, laidOut(d))
}

type statoRequest struct {
	Stato string `json:"stato"`
	Nota  string `json:"nota"`
}

func (s *Server) setStato(w http.ResponseWriter, r *http.Request) {
	var req statoRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	var ps []shared.Problem
	stato := strings.TrimSpace(req.Stato)
	if !slices.Contains(core.DomandaStati, stato) {
		ps = append(ps, problem("stato", "format", "Scegli il nuovo stato: in_istruttoria, convocato, accolta o respinta."))
	}
	nota := strings.TrimSpace(req.Nota)
	switch {
	case stato == core.DomandaRespinta && nota == "":
		ps = append(ps, problem("nota", "required", "Scrivi il motivo del rigetto: il richiedente lo leggerà insieme allo stato della domanda."))
	case utf8.RuneCountInString(nota) > wire.MaxMotivo:
		ps = append(ps, problem("nota", "format", fmt.Sprintf("La nota è troppo lunga: al massimo %d caratteri.", wire.MaxMotivo)))
	}
	if len(ps) > 0 {
		s.writeError(w, r, invalid(ps[0].Message, ps))
		return
	}
	u := userOf(r)
	protocol := strings.ToUpper(strings.TrimSpace(chi.URLParam(r, "protocol")))
	base := s.baseURL()
	detail := "nuovo stato: " + stato
	if nota != "" {
		detail += "; nota: " + nota
	}
	d, err := s.Store.SetStato(r.Context(), core.StatoChange{
		Protocol: protocol, Provincia: ownProvincia(u), Stato: stato, Nota: nota, By: u,
		Mail:  func(owner *core.User, d *core.Domanda) core.Mail { return mail.StatoDomanda(base, owner, d) },
		Audit: core.NewAudit(u, core.AuditStato, protocol, detail),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.WakeMail()
	writeJSON(w, http.StatusOK, laidOut(d))
}

// The export's chunks: exportChunkRows rows read from the store, handed to the CSV writer,
// exportChunks of them at most in flight (a few MB).
const (
	exportChunkRows = 500
	exportChunks    = 4
)

// exportChunk holds rows the store lends during its callback: their contents copied into one
// buffer (the other fields are strings of their own).
type exportChunk struct {
	buf  []byte
	rows []core.DomandaRow
	ends []int // where each row's content ends in buf
}

func (c *exportChunk) add(r *core.DomandaRow) {
	c.buf = append(c.buf, r.Content...)
	c.ends = append(c.ends, len(c.buf))
	c.rows = append(c.rows, core.DomandaRow{Protocol: r.Protocol, ReceivedAt: r.ReceivedAt, Stato: r.Stato})
}

// done points each row's content into buf, once the chunk is full (buf no longer moves).
func (c *exportChunk) done() *exportChunk {
	start := 0
	for i, end := range c.ends {
		c.rows[i].Content = c.buf[start:end:end]
		start = end
	}
	return c
}

func (c *exportChunk) reset() {
	c.buf, c.rows, c.ends = c.buf[:0], c.rows[:0], c.ends[:0]
}

// exportCSV streams the applications matching the filters as CSV: UTF-8 with a byte order
// mark (so that Excel reads the accents), one row per application, one column per field key
// of the module's schema after protocol, receivedAt and stato. Rows go to the client as the
// cursor reads them; nothing holds the result set.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	f, err := domandeFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if f.Kind == "" {
		s.writeError(w, r, core.Errorf(core.EINVALID, "Scegli il modulo da esportare: kind=EM oppure kind=A (le colonne sono i campi del modulo)."))
		return
	}
	readable, err := exportReadable(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	scope := f.Provincia
	if scope == "" {
		scope = "tutte le province"
	}
	if err := s.Store.RecordAudit(r.Context(), core.NewAudit(u, core.AuditExport, "domande "+string(f.Kind)+" — "+scope, exportDetail(r))); err != nil {
		s.writeError(w, r, err)
		return
	}

	header, cols := exportColumns(f.Kind, readable)
	name := "domande-" + string(f.Kind)
	if f.Provincia != "" {
		name += "-" + f.Provincia
	}
	name += "-" + s.today().Format("20060102") + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	rc := http.NewResponseController(w)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Write(header)
	start := time.Now()

	// Two stages on two cores: this goroutine reads the rows from the store (SQLite) into
	// chunks, and the writer below turns each chunk into CSV for the client, in order. At most
	// exportChunks chunks are in flight, so memory stays flat whatever the number of rows.
	chunks := make(chan *exportChunk, exportChunks)
	free := make(chan *exportChunk, exportChunks+2)
	for range exportChunks + 2 {
		free <- &exportChunk{}
	}
	written := make(chan error, 1)
	n := 0
	go func() {
		record := make([]string, len(header))
		var werr error
		for c := range chunks {
			for i := 0; i < len(c.rows) && werr == nil; i++ {
				row := &c.rows[i]
				clear(record)
				record[0], record[1], record[2] = row.Protocol, row.ReceivedAt, row.Stato
				if readable {
					record[1], record[2] = readableTime(row.ReceivedAt), core.DomandaLabel(row.Stato)
				}
				if err := fillRecord(row.Content, cols, record); err != nil {
					werr = fmt.Errorf("domanda %s: contenuto illeggibile: %w", row.Protocol, err)
					break
				}
				if err := cw.Write(record); err != nil {
					werr = err
					break
				}
				n++
			}
			if werr == nil {
				cw.Flush()
				if err := bw.Flush(); err != nil {
					werr = err // the client went away
				}
				rc.Flush()
			}
			c.reset()
			free <- c
		}
		written <- werr
	}()
	cur := <-free
	err = s.Store.EachDomanda(r.Context(), f, func(row *core.DomandaRow) error {
		cur.add(row)
		if len(cur.rows) == exportChunkRows {
			select {
			case chunks <- cur.done():
			case <-r.Context().Done():
				return r.Context().Err()
			}
			select {
			case cur = <-free:
			case <-r.Context().Done():
				return r.Context().Err()
			}
		}
		return nil
	})
	if err == nil && len(cur.rows) > 0 {
		chunks <- cur.done()
	}
	close(chunks)
	if werr := <-written; err == nil {
		err = werr
	}
	cw.Flush()
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	rc.Flush()
	if err != nil {
		// The status is sent: the client sees a truncated file (no final newline of a whole
		// row is guaranteed), and the log says why.
		s.Logger.Error("esportazione interrotta", "rows", n, "err", err)
		return
	}
	s.Logger.Info("esportazione", "kind", f.Kind, "provincia", f.Provincia, "rows", n, "ms", time.Since(start).Milliseconds())
}

// exportReadable reads the formato parameter of the export: dati (the default) writes the
// values as stored, for programs; leggibile writes them as a person reads them.
func exportReadable(r *http.Request) (bool, error) {
	switch v := strings.TrimSpace(r.URL.Query().Get("formato")); v {
	case "", "dati":
		return false, nil
	case "leggibile":
		return true, nil
	default:
		return false, core.Errorf(core.EINVALID, "Il formato «%s» non esiste: usa dati (i valori come sono registrati) oppure leggibile (come si leggono nel modulo).", clip(v))
	}
}

// exportColumns is the header of the export of kind and where each field goes: protocol,
// receipt time and status, then every field of the module in form order. As stored, the
// header is the field keys; readable, it is each field's section and label, and the cells are
// what the detail, the summary and the PDF show (shared.DisplayString).
func exportColumns(k shared.Kind, readable bool) ([]string, *csvColumns) {
	sc := shared.SchemaOf(k)
	fields := sc.Fields()
	header := []string{"protocol", "receivedAt", "stato"}
	if readable {
		header = []string{"Protocollo", "Ricevuta il", "Stato"}
	}
	c := &csvColumns{col: make(map[string]int, len(fields)), numeric: make([]bool, len(header)+len(fields))}
	if readable {
		c.show = make([]*shared.Field, len(header)+len(fields))
		c.memo = make([]map[string]string, len(header)+len(fields))
	}
	for _, fd := range fields {
		cell := len(header)
		c.col[fd.Key] = cell
		c.numeric[cell] = fd.Numeric()
		if !readable {
			header = append(header, fd.Key)
			continue
		}
		c.show[cell] = fd
		switch fd.Type {
		case shared.TypeProvincia, shared.TypeComune, shared.TypeCountry, shared.TypeEnum, shared.TypeDate, shared.TypeMoney:
			c.memo[cell] = map[string]string{} // a look-up or a parse for each value
		}
		name := fd.Label
		if sec, ok := sc.SectionOf(fd.Key); ok {
			name = sec.Title + " — " + fd.Label // "Sesso" is the employer's and the worker's
		}
		if slices.Contains(header, name) {
			name += " (" + fd.Key + ")" // "Numero" of the document and of the permit, in one section
		}
		header = append(header, name)
	}
	return header, c
}

// readableTime is a stored receipt time (core.ReceivedAtLayout) as the receipt prints it, in
// Rome's time.
func readableTime(at string) string {
	t, err := time.Parse(core.ReceivedAtLayout, at)
	if err != nil {
		return at
	}
	return core.RomeTime(t)
}

// exportDetail describes the filters of an export for the audit log.
func exportDetail(r *http.Request) string {
	q := r.URL.Query()
	var parts []string
	for _, k := range []string{"kind", "provincia", "dal", "al", "tipologia", "cittadinanza", "stato", "q", "formato"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			parts = append(parts, k+"="+clipQuery(v))
		}
	}
	return "filtri: " + strings.Join(parts, ", ")
}

// defuse neutralises a cell a spreadsheet would run as a formula (OWASP, CSV injection): one
// beginning with =, +, -, @, tab or carriage return gets a leading apostrophe. Numbers too
// ("-2+3+cmd|…" begins like one), except a plain number in a numeric column, which stays a
// number there.
func defuse(s string, numeric bool) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if numeric && plainNumber(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is a decimal number and nothing else: -12, 880.17, 1e3.
func plainNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXpP_in") // no hex, Inf, NaN, separators
}
