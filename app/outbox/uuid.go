package outbox

import (
	"crypto/rand"
	"fmt"
)

// NewUUID returns a random (version 4) UUID from crypto/rand: the submission id must be
// unique across every device, since the server deduplicates by it.
func NewUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
