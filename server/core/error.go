// Package core holds the server's domain: users, sessions, modules, submissions and receipts,
// enablement requests and the Sportello's applications (domande), the error codes every layer
// speaks, the services the storage adapters implement, and the logic they share (the
// dashboard's sums, the counts table's filter, the matching of an enablement request's rows,
// the rows a decision applies to), so that each store keeps only its SQL.
package core

import (
	"errors"
	"fmt"
	"time"

	"nullaosta/shared"
)

// Error codes. Only the HTTP layer maps them to status codes.
const (
	EINVALID      = "invalid"       // the request or the data is wrong: fix and retry
	EUNAUTHORIZED = "unauthorized"  // not logged in, or wrong credentials
	EFORBIDDEN    = "forbidden"     // logged in, but not allowed
	ENOTFOUND     = "not_found"     // no such thing (or not yours)
	ECONFLICT     = "conflict"      // clashes with what is already stored
	ERATELIMITED  = "rate_limited"  // too many attempts: wait
	ECLOSED       = "closed"        // the campaign's send window is closed (E1)
	ENOTOPEN      = "not_open"      // the send window has not opened yet: retry at Error.OpensAt
	ELIMIT        = "limit_reached" // a private user's module limit
	ELOCKED       = "locked"        // a generation field differs from the module's
	ETOOLARGE     = "too_large"     // request body over the limit
	ERETRY        = "retry"         // temporary: retry later with the same request
	EINTERNAL     = "internal"      // a bug or a broken disk
)

// Error is an error meant for people: a stable code and an Italian message that says what to
// do, plus field problems when the error is about submitted data.
type Error struct {
	Code     string
	Message  string
	Problems []shared.Problem
	OpensAt  time.Time // ENOTOPEN: when the send window opens
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of an *Error in its chain, EINTERNAL otherwise,
// "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in err's chain, or a generic Italian message
// that reveals nothing of an internal error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Errore interno del server. Riprova fra qualche minuto; se si ripete, segnalalo all'assistenza."
}

// ErrorOpensAt returns when the window of an ENOTOPEN error opens; the zero time otherwise.
func ErrorOpensAt(err error) time.Time {
	var e *Error
	if errors.As(err, &e) {
		return e.OpensAt
	}
	return time.Time{}
}

// ErrorProblems returns the field problems of an *Error in err's chain.
func ErrorProblems(err error) []shared.Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}
