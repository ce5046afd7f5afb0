package shared

import (
	"sync"
)

// The size of an application as it travels, derived from the two schemas. The server refuses
// anything larger before it builds a single map, so that what one request can make it hold
// is bounded by the form, not by the sender; the client never comes near these bounds.

// MaxUnknownShown is how many unknown keys Validate names one by one; the rest are counted in
// one more problem. A person fixes a misspelt key or two; thousands of them are not a form.
const MaxUnknownShown = 5

// maxUnknownKeys is how many keys an application may carry beyond the schema's fields (keys
// left over by an older version of the program): Validate reports them, more is not a form.
const maxUnknownKeys = 20

// maxOtherValue is the longest value, in characters, of a field that is not free text (dates,
// amounts, codes, telephone numbers): the longest well-formed one is far shorter.
const maxOtherValue = 40

// jsonWorstCase is how many bytes of JSON one character may take: a \uXXXX escape.
const jsonWorstCase = 6

// DataLimits bound one application (a Data object) as it travels.
type DataLimits struct {
	// MaxKeys is the most keys an application may have: every field of the larger module
	// plus a few unknown ones.
	MaxKeys int
	// MaxKeyBytes is the longest key, in bytes.
	MaxKeyBytes int
	// MaxValueBytes is the longest text value, in bytes once decoded: the longest free text
	// the schema accepts, four bytes a character, so that Validate, not the decoder, tells the
	// person a value a little too long is too long.
	MaxValueBytes int
	// MaxBytes is the largest JSON object of an application: every field at its longest,
	// every character escaped, plus the unknown keys.
	MaxBytes int
}

// Limits returns the bounds of an application of either module (the server decodes the data
// before it knows the module).
var Limits = sync.OnceValue(func() DataLimits {
	var l DataLimits
	for _, k := range []Kind{KindEM, KindA} {
		s := SchemaOf(k)
		keys, bytes, value := len(s.fields), 2, maxOtherValue
		for _, f := range s.fields {
			n := maxOtherValue
			if f.maxLen > 0 {
				n = f.maxLen
			}
			value = max(value, n)
			l.MaxKeyBytes = max(l.MaxKeyBytes, len(f.Key))
			// "key": "value",
			bytes += len(f.Key) + 2 + 2 + jsonWorstCase*n + 2 + 1
		}
		l.MaxKeys = max(l.MaxKeys, keys+maxUnknownKeys)
		l.MaxValueBytes = max(l.MaxValueBytes, 4*value)
		l.MaxBytes = max(l.MaxBytes, bytes)
	}
	// Room for longer keys than the schema's (a misspelling, a prefix) and for the unknown
	// ones, each with a short value.
	l.MaxKeyBytes *= 2
	l.MaxBytes += maxUnknownKeys * (l.MaxKeyBytes + 6 + jsonWorstCase*maxOtherValue)
	return l
})

// MaxBatchItems is the most applications one POST /submissions carries.
const MaxBatchItems = 500

// batchWorstCase is how many applications at their largest a batch holds: real ones are a
// few KB (the fixtures of testdata are 2–3 KB), so a batch of MaxBatchItems real applications
// fits too.
const batchWorstCase = 32

// MaxBatchBytes is the largest body of POST /submissions. The client splits its queue into
// requests under it; the server refuses a larger one before reading it.
func MaxBatchBytes() int { return batchWorstCase * (Limits().MaxBytes + 256) }

// Passwords (NIST SP 800-63B): at least MinPasswordLen characters, at most MaxPasswordLen.
// The server also refuses common and breached passwords and ones made of the person's e-mail
// or names (server/auth); the forms say the length.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)
