package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrQuotaExceeded is returned when the device refuses to store more data (the browser's
// storage quota is used up). The UI should tell the person to free space or send modules.
var ErrQuotaExceeded = errors.New("store: spazio di archiviazione del dispositivo esaurito")

// ErrNoBrowser is returned by the browser-only functions (OpenIndexedDB, RequestPersistence,
// Estimate) outside the browser, where the server compiles the app's components, and in a
// browser that lacks the API (navigator.storage needs a secure origin).
var ErrNoBrowser = errors.New("store: funzione non disponibile in questo ambiente")

// checkUser refuses users that would break isolation. Both implementations key records by
// user + "\x00" + id and list a user's records by that prefix, so a user containing NUL could
// see another's records; an empty user owns no drafts, queue or receipts.
func checkUser(user string, allowEmpty bool) error {
	if user == "" && !allowEmpty {
		return errors.New("store: utente mancante")
	}
	if strings.ContainsRune(user, 0) {
		return fmt.Errorf("store: utente %q non valido", user)
	}
	return nil
}

// checkID refuses an empty identifier: a record without one could never be read back.
func checkID(what, id string) error {
	if id == "" {
		return fmt.Errorf("store: %s mancante", what)
	}
	return nil
}

// recordKey is the key of a record in every object store: the user's records are contiguous
// and sort by id, so a prefix range lists exactly one user's records.
func recordKey(user, id string) string { return user + "\x00" + id }

// sortDrafts orders drafts as ListDrafts promises: by ModuleID.
func sortDrafts(ds []Draft) {
	slices.SortFunc(ds, func(a, b Draft) int { return strings.Compare(a.ModuleID, b.ModuleID) })
}

// sortOutbox orders the queue as ListOutbox promises: oldest first, so modules go in the order
// they were queued; SubmissionID breaks ties so the order is the same on every call.
func sortOutbox(items []OutboxItem) {
	slices.SortFunc(items, func(a, b OutboxItem) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.SubmissionID, b.SubmissionID)
	})
}

// sortReceipts orders receipts as ListReceipts promises: newest first. ReceivedAt is RFC 3339
// and is compared as an instant (fractional seconds break a plain string comparison); an
// unparsable time sorts last. Protocol, descending, breaks ties.
func sortReceipts(rs []Receipt) {
	slices.SortFunc(rs, func(a, b Receipt) int {
		ta, ea := time.Parse(time.RFC3339Nano, a.ReceivedAt)
		tb, eb := time.Parse(time.RFC3339Nano, b.ReceivedAt)
		c := 0
		switch {
		case ea == nil && eb == nil:
			c = tb.Compare(ta)
		case ea == nil:
			c = -1
		case eb == nil:
			c = 1
		default:
			c = strings.Compare(b.ReceivedAt, a.ReceivedAt)
		}
		if c != 0 {
			return c
		}
		return strings.Compare(b.Protocol, a.Protocol)
	})
}
