package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// Body limits.
const (
	maxBody      = 1 << 20 // 1 MiB
	maxBatchBody = 8 << 20 // 8 MiB: POST /submissions with many modules
)

// errorBody is every error answer: {"error": {"code", "message"}, "problems": [...]}.
type errorBody struct {
	Error    errorJSON        `json:"error"`
	Problems []shared.Problem `json:"problems,omitempty"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
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
	case core.EFORBIDDEN, core.ELIMIT, core.ECLOSED:
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

// decode reads one JSON object of at most limit bytes into v, refusing unknown fields and
// trailing data. Its errors are *core.Error in Italian.
func decode(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere JSON (Content-Type: application/json), non %s.", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return decodeError(err, limit)
		}
		return core.Errorf(core.EINVALID, "Il corpo della richiesta contiene altro dopo l'oggetto JSON: invia un solo oggetto.")
	}
	return nil
}

// decodeOptional is decode for a body that may be absent: no body leaves v as it is.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return decodeError(err, maxBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decode(w, r, v, maxBody)
}

func decodeError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return core.Errorf(core.ETOOLARGE, "La richiesta è troppo grande (al massimo %s): invia meno moduli per volta.", sizeText(limit))
	case errors.Is(err, io.EOF):
		return core.Errorf(core.EINVALID, "Il corpo della richiesta è vuoto: serve un oggetto JSON.")
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return core.Errorf(core.EINVALID, "Il corpo della richiesta non è JSON valido: %v.", err)
	case errors.As(err, &te):
		if te.Field != "" {
			return core.Errorf(core.EINVALID, "Il campo «%s» ha un tipo sbagliato: atteso %s.", te.Field, typeName(te.Type.Kind().String()))
		}
		return core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere un oggetto JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no error type for this one: its message is the only handle.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return core.Errorf(core.EINVALID, "Il campo «%s» non è previsto: toglilo dalla richiesta (controlla di usare la versione aggiornata del programma).", name)
	}
	return core.Errorf(core.EINVALID, "Il corpo della richiesta non è leggibile: %v.", err)
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
