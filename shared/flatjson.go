package shared

import (
	"encoding/json"
	"unicode/utf8"
	"unsafe"
)

// JSONReader reads the JSON of an application by hand, without encoding/json's reflection:
// the server reads one on every submission, in the request and in the module it belongs to.
// It handles only what an application is made of — objects, texts, true, false, null — and
// every method answers false on anything else or on JSON that is not valid; the caller then
// hands the whole input to encoding/json, so whatever it does not read exactly as
// encoding/json would never gets past it.
type JSONReader struct {
	b []byte
	// s is b as one string: every key and text without escapes is a slice of it, one
	// allocation for the whole input instead of one per string.
	s  string
	i  int
	st ReadStats
}

// ReadStats sums up the strings a JSONReader read, so that a caller can tell whether they keep
// within its limits without a second pass over the input.
type ReadStats struct {
	// LongestKey and LongestText are the lengths in bytes of the longest key and the longest
	// other string read, as written (the same as decoded, unless NotPlain).
	LongestKey, LongestText int
	// MostKeys is the most keys DataInto read in one object, a repeated key counted each time.
	MostKeys int
	// NotPlain: some string had an escape or a byte outside ASCII.
	NotPlain bool
}

// Stats sums up the strings read so far.
func (r *JSONReader) Stats() ReadStats { return r.st }

// NewJSONReader reads b.
func NewJSONReader(b []byte) *JSONReader { return &JSONReader{b: b, s: string(b)} }

// NewJSONReaderOwned reads b without copying it: every string it gives is made of b's own
// bytes. The caller gives b up — nothing may write to it afterwards, for as long as any of
// those strings lives. The server's request body is such a buffer, and its copy was a tenth
// of what a submission allocated.
func NewJSONReaderOwned(b []byte) *JSONReader {
	return &JSONReader{b: b, s: unsafe.String(unsafe.SliceData(b), len(b))}
}

// DecodeData decodes a JSON object into Data exactly as json.Unmarshal does into a Data
// (null gives nil), by hand when it is an application's flat object of texts, booleans and
// nulls (TestDecodeData, FuzzDecodeData).
func DecodeData(b []byte) (Data, error) {
	r := NewJSONReader(b)
	if d, ok := r.Data(); ok && r.End() {
		return d, nil
	}
	var d Data
	err := json.Unmarshal(b, &d)
	return d, err
}

// Data reads a flat object of texts, booleans and nulls, as encoding/json decodes it into
// Data: a repeated key keeps its last value.
func (r *JSONReader) Data() (Data, bool) { return r.DataInto(nil) }

// DataInto is Data into d, an empty map the caller lends (nil: a new one).
func (r *JSONReader) DataInto(d Data) (Data, bool) {
	if !r.Byte('{') {
		return nil, false
	}
	var texts []string
	if d == nil {
		n := r.keysAhead()
		d, texts = make(Data, n), make([]string, 0, n)
	}
	if r.Byte('}') {
		return d, true
	}
	for keys := 1; ; keys++ {
		k, ok := r.Key()
		if !ok {
			return nil, false
		}
		r.st.MostKeys = max(r.st.MostKeys, keys)
		switch r.Peek() {
		case '"':
			v, ok := r.String()
			if !ok {
				return nil, false
			}
			if len(texts) == cap(texts) {
				texts = make([]string, 0, textsChunk)
			}
			texts = append(texts, v)
			d[k] = boxedText(&texts[len(texts)-1])
		case 't', 'f', 'n':
			v, ok := r.literal()
			if !ok {
				return nil, false
			}
			d[k] = v
		default: // numbers, objects and lists: encoding/json's own types
			return nil, false
		}
		if r.Byte('}') {
			return d, true
		}
		if !r.Byte(',') {
			return nil, false
		}
	}
}

// textsChunk is how many texts of an application share one allocation when the map was lent
// (and the count is not taken ahead): an application has about 60.
const textsChunk = 32

// boxedText is *p as an interface value that refers to *p itself. Putting a string in an
// interface (d[k] = v) allocates a copy of its header for each value: 60 allocations per
// application, two thirds of what a submission's preparation allocated. The texts of one
// application are instead kept side by side in a slice, and each value refers to its element.
// *p must never be written again: DataInto only appends to the slice (an append that
// outgrows it starts a new one, leaving the old elements as they are).
func boxedText(p *string) any {
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = stringType, unsafe.Pointer(p)
	return v
}

// eface is how the runtime lays out an interface value: its dynamic type and a pointer to the
// value (TestBoxedText checks that what boxedText makes is a plain string to every reader).
type eface struct {
	typ, data unsafe.Pointer
}

// stringType is the dynamic type of a string in an interface.
var stringType = func() unsafe.Pointer {
	var v any = ""
	return (*eface)(unsafe.Pointer(&v)).typ
}()

// keysAhead counts the colons up to the end of the object that starts here, stopping at any
// nested bracket: a size hint for the map, so that it is allocated once.
func (r *JSONReader) keysAhead() int {
	n := 0
	for i := r.i; i < len(r.b); i++ {
		switch r.b[i] {
		case ':':
			n++
		case '"':
			for i++; i < len(r.b) && r.b[i] != '"'; i++ {
				if r.b[i] == '\\' {
					i++
				}
			}
		case '}', '{', '[', ']':
			return n
		}
	}
	return n
}

// Key reads an object's key and its colon.
func (r *JSONReader) Key() (string, bool) {
	if r.Peek() != '"' {
		return "", false
	}
	k, ok := r.str()
	r.st.LongestKey = max(r.st.LongestKey, len(k))
	return k, ok && r.Byte(':')
}

// String reads a JSON string. One with escapes is decoded by encoding/json itself: rare, and
// its rules (surrogates, invalid escapes) are then exactly the same.
func (r *JSONReader) String() (string, bool) {
	s, ok := r.str()
	r.st.LongestText = max(r.st.LongestText, len(s))
	return s, ok
}

// str is String without counting the string in r.st's longest.
func (r *JSONReader) str() (string, bool) {
	if !r.Byte('"') {
		return "", false
	}
	// The loop works on locals, not on r's fields, which the compiler would load and store
	// at every byte: the texts are most of an application's bytes.
	b, i := r.b, r.i
	start := i
	escaped, ascii := false, true
	for ; i < len(b); i++ {
		// Most bytes of a text are printable ASCII: each is passed over with one look-up.
		for i < len(b) && plainJSON[b[i]] {
			i++
		}
		if i == len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			s := r.s[start:i]
			i++
			r.i = i
			if escaped || !ascii {
				r.st.NotPlain = true
			}
			if escaped {
				var dec string
				if json.Unmarshal(b[start-1:i], &dec) != nil {
					return "", false
				}
				return dec, true
			}
			// Valid UTF-8 decodes to itself; encoding/json turns anything else into U+FFFD.
			return s, ascii || utf8.ValidString(s)
		case c == '\\':
			escaped = true
			i++
		case c < 0x20: // not JSON
			r.i = i
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	r.i = i
	return "", false
}

// plainJSON marks the bytes a JSON string holds as they are, which String need not look at
// one by one: printable ASCII but the quote and the backslash.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// literal reads true, false or null.
func (r *JSONReader) literal() (any, bool) {
	for _, l := range [...]struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(r.s)-r.i >= len(l.text) && r.s[r.i:r.i+len(l.text)] == l.text {
			r.i += len(l.text)
			if r.i < len(r.b) && !jsonDelimiter(r.b[r.i]) {
				return nil, false
			}
			return l.v, true
		}
	}
	return nil, false
}

// jsonDelimiter ends a literal.
func jsonDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// Byte skips spaces and reads c.
func (r *JSONReader) Byte(c byte) bool {
	if r.Peek() != c {
		return false
	}
	r.i++
	return true
}

// Peek skips spaces and answers the next byte, 0 at the end.
func (r *JSONReader) Peek() byte {
	b, i := r.b, r.i
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case ' ', '\t', '\n', '\r':
			continue
		default:
			r.i = i
			return c
		}
	}
	r.i = i
	return 0
}

// End reports whether nothing but spaces follows.
func (r *JSONReader) End() bool {
	return r.Peek() == 0 && r.i == len(r.b)
}
