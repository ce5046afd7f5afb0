package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"nullaosta/shared"
)

// Error codes of docs/API.md.
const (
	CodeInvalid      = "invalid"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeNotFound     = "not_found"
	CodeConflict     = "conflict"
	CodeRateLimited  = "rate_limited"
	CodeClosed       = "closed"
	CodeLimitReached = "limit_reached"
	CodeTooLarge     = "too_large"
	CodeRetry        = "retry"
	CodeInternal     = "internal"
)

// Error is the server's answer to a request it refused: the HTTP status, the error code, the
// server's Italian message (what to do) and, for invalid data, the field problems. Error()
// is the message, ready to show.
type Error struct {
	Status   int
	Code     string
	Message  string
	Problems []shared.Problem
}

func (e *Error) Error() string { return e.Message }

// ErrorBody is the "error" object of the API's answers.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	OpensAt string `json:"opensAt,omitempty"` // CodeNotOpen: when the send window opens (UTC)
}

// CodeNotOpen is the code of a submission sent before its campaign's window opens: no
// rejection, the queue sends it again at OpensAt.
const CodeNotOpen = "not_open"

// errorEnvelope is the body of every error answer.
type errorEnvelope struct {
	Error    ErrorBody        `json:"error"`
	Problems []shared.Problem `json:"problems"`
}

// readError turns a non-2xx answer into an *Error. An answer that is not the API's (a proxy's
// HTML page, say) still becomes an *Error, with a message chosen by status.
func readError(resp *Response) error {
	e := &Error{Status: resp.StatusCode}
	var env errorEnvelope
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(b, &env) == nil && env.Error.Message != "" {
		e.Code, e.Message, e.Problems = env.Error.Code, env.Error.Message, env.Problems
		return e
	}
	e.Code, e.Message = fallback(resp.StatusCode)
	return e
}

func fallback(status int) (code, message string) {
	switch {
	case status == http.StatusUnauthorized:
		return CodeUnauthorized, "Accesso necessario: entra con la tua e-mail e password."
	case status == http.StatusForbidden:
		return CodeForbidden, "Non hai i permessi per questa operazione."
	case status == http.StatusNotFound:
		return CodeNotFound, "Non trovato."
	case status == http.StatusRequestEntityTooLarge:
		return CodeTooLarge, "La richiesta è troppo grande."
	case status == http.StatusTooManyRequests:
		return CodeRateLimited, "Troppe richieste: attendi qualche minuto e riprova."
	case status >= 500:
		return CodeRetry, fmt.Sprintf("Il server non è disponibile (HTTP %d). Riprova fra qualche minuto.", status)
	}
	return CodeInvalid, fmt.Sprintf("Richiesta non accettata dal server (HTTP %d).", status)
}

// OfflineError means the request got no answer: no connection, the server down, DNS. The UI
// says "sei offline" and the send queue retries; nothing was refused.
type OfflineError struct{ Err error }

// Error is one Italian sentence, the words of the connection banner («Server non
// raggiungibile»): the browser's own text («Failed to fetch») says nothing to a person.
func (e *OfflineError) Error() string {
	return "Server non raggiungibile: controlla la connessione e riprova; i dati restano sul dispositivo."
}

func (e *OfflineError) Unwrap() error { return e.Err }

// IsOffline reports whether err means the server could not be reached (as opposed to the
// server refusing, or the caller cancelling).
func IsOffline(err error) bool {
	var o *OfflineError
	return errors.As(err, &o)
}

// ErrorCode returns the API error code of err, "" when err is not the server's answer.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
