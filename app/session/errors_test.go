package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"nullaosta/app/client"
)

// A failed call reads as one Italian sentence: the page's own words for a missing connection
// (never the transport's), the server's message for a refusal.
func TestErrorText(t *testing.T) {
	offline := fmt.Errorf("modulo EM-1: %w", &client.OfflineError{Err: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")})
	refused := &client.Error{Status: 422, Code: client.CodeInvalid, Message: "Il campo «e-mail» non è valido: scrivi un indirizzo come nome@esempio.it."}
	page := "Questo elenco viene dal server e ora non c'è connessione."
	for _, c := range []struct {
		err      error
		offline  []string
		text     string
		kind     string
		notAfter string
	}{
		{nil, nil, "", "danger", ""},
		{offline, []string{page}, page, "warning", "dial"},
		{offline, nil, offlineText, "warning", "dial"},
		{offline, []string{""}, offlineText, "warning", "dial"},
		{refused, []string{page}, refused.Message, "danger", ""},
		{fmt.Errorf("invio: %w", refused), nil, "invio: " + refused.Message, "danger", ""},
	} {
		got := ErrorText(c.err, c.offline...)
		if got != c.text {
			t.Errorf("ErrorText(%v, %q) = %q, want %q", c.err, c.offline, got, c.text)
		}
		if c.notAfter != "" && strings.Contains(got, c.notAfter) {
			t.Errorf("ErrorText(%v) shows the transport's words: %q", c.err, got)
		}
		if c.err != nil && ErrorKind(c.err) != c.kind {
			t.Errorf("ErrorKind(%v) = %q, want %q", c.err, ErrorKind(c.err), c.kind)
		}
	}
}
