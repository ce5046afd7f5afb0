package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// bodyLimit bounds one request body: its bytes, the longest string in it once decoded, the
// longest list. Every object is also bounded by shared.Limits().MaxKeys keys of at most
// MaxKeyBytes. Nothing a request can make the server hold grows past these.
type bodyLimit struct {
	bytes     int64
	maxString int
	maxArray  int
	// what says in Italian what to send less of when the body is too large.
	what string
}

// maxDepth bounds nesting: the deepest request (a batch of submissions) has four levels.
const maxDepth = 8

// The limits by route, from the schema (shared.Limits) and the longest text each route takes.
var (
	// accountBody: registration, login, passwords, tokens, a status change: a few short texts.
	accountBody = bodyLimit{bytes: 16 << 10, maxString: 4 * wire.MaxMotivo, maxArray: 16, what: "accorcia i testi"}
	// backOfficeBody: an enablement request with up to wire.MaxOperatori operators, a decision.
	backOfficeBody = bodyLimit{bytes: 512 << 10, maxString: 4 * wire.MaxMotivo, maxArray: wire.MaxOperatori, what: "dividi la tabella degli operatori in più richieste"}
	// dataBody: one application (validate, generate a module).
	dataBody = bodyLimit{bytes: int64(shared.Limits().MaxBytes) + envelopeBytes, maxString: shared.Limits().MaxValueBytes, maxArray: 16,
		what: "un modulo non può essere così grande: togli i campi che non fanno parte del modulo"}
	// batchBody: POST /submissions, up to maxSubmissions applications in shared.MaxBatchBytes.
	batchBody = bodyLimit{bytes: int64(shared.MaxBatchBytes()), maxString: shared.Limits().MaxValueBytes, maxArray: maxSubmissions,
		what: "invia meno moduli per volta"}
)

// envelopeBytes is the room a request takes around the application it carries.
const envelopeBytes = 1 << 10

// errorBody is every error answer: {"error": {"code", "message"}, "problems": [...]}.
type errorBody struct {
	Error    errorJSON        `json:"error"`
	Problems []shared.Problem `json:"problems,omitempty"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	OpensAt string `json:"opensAt,omitempty"` // not_open: when to send, RFC 3339 UTC with milliseconds
}

// status maps an error code to its HTTP status. It is the only such mapping.
func status(code string, problems bool) int {
	switch code {
	case core.EINVALID:
		if problems {
			return http.StatusUnprocessableEntity
		}
		return http.StatusBadRequest
	case core.ELOCKED:
		return http.StatusUnprocessableEntity
	case core.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case core.EFORBIDDEN, core.ELIMIT, core.ECLOSED, core.ENOTOPEN:
		return http.StatusForbidden
	case core.ENOTFOUND:
		return http.StatusNotFound
	case core.ECONFLICT:
		return http.StatusConflict
	case core.ERATELIMITED:
		return http.StatusTooManyRequests
	case core.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case core.ERETRY:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers err in the error format, logging internal errors.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := core.ErrorCode(err)
	problems := core.ErrorProblems(err)
	st := status(code, len(problems) > 0)
	if code == core.EINTERNAL {
		s.Logger.Error("errore interno", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == core.ERETRY {
		w.Header().Set("Retry-After", "5")
	}
	writeJSON(w, st, errorBody{Error: errorJSON{Code: code, Message: core.ErrorMessage(err)}, Problems: problems})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// message is the body of answers that only say something to people.
type message struct {
	Message string `json:"message"`
}

// decode reads one JSON object within lim into v, refusing unknown fields and trailing data.
// It reads the body whole (at most lim.bytes), checks it token by token against lim (sizes,
// NUL bytes, invalid UTF-8: naming the field), and only then builds v, so a hostile body is
// refused before it costs more than its bytes. Its errors are *core.Error in Italian.
func decode(w http.ResponseWriter, r *http.Request, v any, lim bodyLimit) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere JSON (Content-Type: application/json), non %s.", clip(ct))
	}
	body, err := readBody(w, r, lim)
	if err != nil {
		return err
	}
	return decodeBytes(body, v, lim)
}

// decodeOptional is decode for a body that may be absent: no body leaves v as it is.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any, lim bodyLimit) error {
	body, err := readBody(w, r, lim)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return decodeBytes(body, v, lim)
}

// readBody reads the whole body, refusing at once one that declares more than lim.bytes.
func readBody(w http.ResponseWriter, r *http.Request, lim bodyLimit) ([]byte, error) {
	if r.ContentLength > lim.bytes {
		return nil, tooLarge(lim)
	}
	size := bytes.MinRead
	if r.ContentLength > 0 {
		// ReadFrom wants MinRead bytes free before each read, the one that sees the end too:
		// with less room it copies the whole body into a buffer twice as large.
		size = int(r.ContentLength) + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, lim.bytes))
	if err != nil {
		return nil, readError(err, lim)
	}
	return buf.Bytes(), nil
}

func tooLarge(lim bodyLimit) error {
	return core.Errorf(core.ETOOLARGE, "La richiesta è troppo grande (al massimo %s): %s.", sizeText(lim.bytes), lim.what)
}

// readError says why a body could not be read, without anything internal (addresses, Go's
// text): a body over the limit, one that arrived too slowly, or a connection cut short.
func readError(err error, lim bodyLimit) error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return tooLarge(lim)
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return core.Errorf(core.EINVALID, "La richiesta è arrivata troppo lentamente e il server ha smesso di aspettarla: controlla la connessione e riprova.")
	}
	return core.Errorf(core.EINVALID, "La richiesta si è interrotta prima della fine: controlla la connessione e riprova.")
}

// decodeBytes checks body against lim and decodes it into v.
func decodeBytes(body []byte, v any, lim bodyLimit) error {
	if err := checkJSON(body, lim); err != nil {
		return err
	}
	return decodeChecked(body, v)
}

// decodeChecked decodes into v a body that checkJSON accepted.
func decodeChecked(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

// checkJSON checks body: one JSON object and nothing after it, within lim. A string with a
// NUL byte or invalid UTF-8 (decoded as U+FFFD) is refused naming its field: neither can be
// typed by a person, and a NUL would reach the database and the CSV.
//
// A well-formed object, every request a client sends, is walked byte by byte (scanJSON); any
// other body by encoding/json's tokens (checkTokens), whose error messages say where the
// syntax goes wrong. Both refuse the same bodies with the same message (TestCheckJSONTwins,
// FuzzCheckJSONTwins); the tokens cost a tenth of a submission's CPU on click day.
func checkJSON(body []byte, lim bodyLimit) error {
	if json.Valid(body) && firstByte(body) == '{' {
		return scanJSON(body, lim)
	}
	return checkTokens(body, lim)
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// scanJSON is checkTokens for a body that json.Valid accepted and that starts with '{': it
// makes the same checks in the same order without building tokens, and decodes only the
// strings that have escapes or bytes that are not UTF-8.
func scanJSON(body []byte, lim bodyLimit) error {
	dl := shared.Limits()
	type frame struct {
		object bool
		n      int
		key    []byte
	}
	var frames [maxDepth]frame
	stack := frames[:0]
	expectKey := false
	field := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].object && len(stack[i].key) > 0 {
				return string(stack[i].key)
			}
		}
		return ""
	}
	element := func() error {
		f := &stack[len(stack)-1]
		if f.object {
			return nil
		}
		f.n++
		if f.n > lim.maxArray {
			return core.Errorf(core.ETOOLARGE, "L'elenco «%s» ha troppi elementi (al massimo %d): %s.", clip(field()), lim.maxArray, lim.what)
		}
		return nil
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case ' ', '\t', '\n', '\r', ',', ':':
		case '{', '[':
			if len(stack) > 0 {
				if len(stack) >= maxDepth {
					return core.Errorf(core.EINVALID, "Il corpo della richiesta ha troppi livelli annidati (al massimo %d): invia l'oggetto come descritto in docs/API.md.", maxDepth)
				}
				if err := element(); err != nil {
					return err
				}
			}
			stack = append(stack, frame{object: c == '{'})
			expectKey = c == '{'
		case '}', ']':
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil // json.Valid: only spaces follow
			}
			expectKey = stack[len(stack)-1].object
		case '"':
			end := i + 1
			plain := true
			for ; body[end] != '"'; end++ {
				if c := body[end]; c == '\\' {
					plain = false
					end++
				} else if c >= utf8.RuneSelf {
					plain = false
				}
			}
			// s is the string as decoded: the bytes themselves unless there are escapes or
			// bytes that are not UTF-8 (which decoding turns into U+FFFD). A plain string (ASCII,
			// no escape) can hold neither a NUL (a raw control byte is not valid JSON) nor
			// U+FFFD, so badBytes, which decodes every rune to look for U+FFFD and was most of
			// the scan's time, reads only the others.
			s := body[i+1 : end]
			if !plain && (bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s)) {
				var dec string
				if err := json.Unmarshal(body[i:end+1], &dec); err != nil {
					return checkTokens(body, lim) // cannot happen after json.Valid; the tokens say why
				}
				s = []byte(dec)
			}
			i = end
			f := &stack[len(stack)-1]
			if expectKey {
				f.n++
				switch {
				case f.n > dl.MaxKeys:
					return core.Errorf(core.ETOOLARGE, "Un oggetto della richiesta ha più di %d campi: nessun modulo ne ha tanti. Togli i campi che non fanno parte del modulo.", dl.MaxKeys)
				case len(s) > dl.MaxKeyBytes:
					return core.Errorf(core.EINVALID, "Il nome di campo «%s» è troppo lungo: nessun campo ha un nome così. Controlla come è scritto.", clip(string(s)))
				}
				if !plain {
					if msg := badBytes(s); msg != "" {
						return core.Errorf(core.EINVALID, "Un nome di campo %s: correggilo.", msg)
					}
				}
				f.key = s
				expectKey = false
				continue
			}
			if err := element(); err != nil {
				return err
			}
			if len(s) > lim.maxString {
				return fieldError(field(), fmt.Sprintf("è troppo lungo (al massimo %d caratteri): abbrevialo.", lim.maxString/4))
			}
			if !plain {
				if msg := badBytes(s); msg != "" {
					return fieldError(field(), msg+": riscrivilo senza quel carattere (capita incollando testo da altri programmi).")
				}
			}
			expectKey = stack[len(stack)-1].object
		default: // a number, true, false or null
			for i+1 < len(body) && !isJSONDelimiter(body[i+1]) {
				i++
			}
			if err := element(); err != nil {
				return err
			}
			expectKey = stack[len(stack)-1].object
		}
	}
	return checkTokens(body, lim) // not reached: a valid object closes
}

// isJSONDelimiter ends a number or a literal.
func isJSONDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// checkTokens walks body token by token: one JSON object and nothing after it, within lim.
func checkTokens(body []byte, lim bodyLimit) error {
	dl := shared.Limits()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// One frame per open object or array: its key count or length, and the last key read.
	type frame struct {
		object bool
		n      int
		key    string
	}
	stack := make([]frame, 0, maxDepth)
	expectKey := false
	// field is the key whose value is being read: how a person knows which field is wrong.
	field := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].object && stack[i].key != "" {
				return stack[i].key
			}
		}
		return ""
	}
	element := func() error {
		f := &stack[len(stack)-1]
		if f.object {
			return nil
		}
		f.n++
		if f.n > lim.maxArray {
			return core.Errorf(core.ETOOLARGE, "L'elenco «%s» ha troppi elementi (al massimo %d): %s.", clip(field()), lim.maxArray, lim.what)
		}
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) == 0 {
				return core.Errorf(core.EINVALID, "Il corpo della richiesta è vuoto: serve un oggetto JSON.")
			}
			return core.Errorf(core.EINVALID, "Il corpo della richiesta è incompleto: l'oggetto JSON non è chiuso. Invia l'oggetto intero.")
		}
		if err != nil {
			return syntaxError(err)
		}
		if len(stack) == 0 {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere un oggetto JSON {…}, non %s.", jsonKindOf(tok))
			}
			stack = append(stack, frame{object: true})
			expectKey = true
			continue
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= maxDepth {
					return core.Errorf(core.EINVALID, "Il corpo della richiesta ha troppi livelli annidati (al massimo %d): invia l'oggetto come descritto in docs/API.md.", maxDepth)
				}
				if err := element(); err != nil {
					return err
				}
				stack = append(stack, frame{object: t == '{'})
				expectKey = t == '{'
			default: // '}' or ']'
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					if _, err := dec.Token(); err != io.EOF {
						return core.Errorf(core.EINVALID, "Il corpo della richiesta contiene altro dopo l'oggetto JSON: invia un solo oggetto.")
					}
					return nil
				}
				expectKey = stack[len(stack)-1].object
			}
			continue
		}
		f := &stack[len(stack)-1]
		if expectKey {
			key, _ := tok.(string)
			f.n++
			switch {
			case f.n > dl.MaxKeys:
				return core.Errorf(core.ETOOLARGE, "Un oggetto della richiesta ha più di %d campi: nessun modulo ne ha tanti. Togli i campi che non fanno parte del modulo.", dl.MaxKeys)
			case len(key) > dl.MaxKeyBytes:
				return core.Errorf(core.EINVALID, "Il nome di campo «%s» è troppo lungo: nessun campo ha un nome così. Controlla come è scritto.", clip(key))
			}
			if msg := badText(key); msg != "" {
				return core.Errorf(core.EINVALID, "Un nome di campo %s: correggilo.", msg)
			}
			f.key = key
			expectKey = false
			continue
		}
		if err := element(); err != nil {
			return err
		}
		if s, ok := tok.(string); ok {
			if len(s) > lim.maxString {
				return fieldError(field(), fmt.Sprintf("è troppo lungo (al massimo %d caratteri): abbrevialo.", lim.maxString/4))
			}
			if msg := badText(s); msg != "" {
				return fieldError(field(), msg+": riscrivilo senza quel carattere (capita incollando testo da altri programmi).")
			}
		}
		expectKey = f.object
	}
}

// badText says what is wrong with a decoded string that no person can have typed.
func badText(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "contiene un carattere nullo (NUL)"
	case strings.ContainsRune(s, utf8.RuneError):
		return "contiene caratteri non validi (testo che non è UTF-8)"
	}
	return ""
}

// badBytes is badText for a string as bytes.
func badBytes(b []byte) string {
	switch {
	case bytes.IndexByte(b, 0) >= 0:
		return "contiene un carattere nullo (NUL)"
	case bytes.ContainsRune(b, utf8.RuneError):
		return "contiene caratteri non validi (testo che non è UTF-8)"
	}
	return ""
}

// fieldError is an invalid request naming the field at fault.
func fieldError(field, msg string) error {
	if field == "" {
		return core.Errorf(core.EINVALID, "Un valore della richiesta %s", msg)
	}
	return &core.Error{Code: core.EINVALID, Message: "Il campo «" + clip(field) + "» " + msg,
		Problems: []shared.Problem{problem(field, shared.CodeFormat, "Il campo «"+clip(field)+"» "+msg)}}
}

// syntaxError is a malformed body, said in Italian with where it goes wrong.
func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return core.Errorf(core.EINVALID, "Il corpo della richiesta non è JSON valido (errore al carattere %d): controlla virgolette, virgole e parentesi, oppure usa la versione aggiornata del programma.", se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return core.Errorf(core.EINVALID, "Il corpo della richiesta è incompleto: l'oggetto JSON non è chiuso. Invia l'oggetto intero.")
	}
	return core.Errorf(core.EINVALID, "Il corpo della richiesta non è JSON valido: controlla virgolette, virgole e parentesi.")
}

func jsonKindOf(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "un elenco"
		}
		return "«" + t.String() + "»"
	case string:
		return "un testo"
	case json.Number:
		return "un numero"
	case bool:
		return "un valore vero/falso"
	}
	return "null"
}

// decodeError turns what encoding/json reports on a body that checkJSON accepted (a wrong
// type, a field not expected) into Italian.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			return core.Errorf(core.EINVALID, "Il campo «%s» ha un tipo sbagliato: atteso %s.", clip(te.Field), typeName(te.Type.Kind().String()))
		}
		return core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere un oggetto JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no error type for this one: its message is the only handle.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return core.Errorf(core.EINVALID, "Il campo «%s» non è previsto: toglilo dalla richiesta (controlla di usare la versione aggiornata del programma).", clip(name))
	}
	return syntaxError(err)
}

func typeName(kind string) string {
	switch kind {
	case "string":
		return "un testo"
	case "bool":
		return "vero/falso"
	case "slice":
		return "un elenco"
	case "map", "struct":
		return "un oggetto"
	}
	if strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "float") || strings.HasPrefix(kind, "uint") {
		return "un numero"
	}
	return kind
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
