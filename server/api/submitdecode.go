package api

import (
	"encoding/json"
	"unicode/utf8"

	"nullaosta/shared"
)

// decodeSubmitRequest is decodeBytes for POST /submissions. The body every client sends —
// {"submissions":[{"submissionId":"…","moduleId":"…","data":{"key":"text"|true|false|null,…}}]}
// with each name written exactly so and at most once — is read by hand: encoding/json's
// reflection into the map was the largest part of decoding, itself a fifth of a submission's
// CPU on click day. Any other body (a number in the data, a name in another case, a field not
// expected, a value of another type…) goes through encoding/json as before, so every answer
// and every message stays as it was (TestSubmitDecodeTwins, FuzzSubmitDecodeTwins).
//
// The parser accepts only valid JSON, so a body it read is checked against its limits by
// scanJSON without json.Valid's pass (checkJSON): the same answer, one pass fewer.
func decodeSubmitRequest(body []byte, req *submitRequest) error {
	if fastSubmitRequest(body, req) {
		return scanJSON(body, batchBody)
	}
	*req = submitRequest{}
	if err := checkJSON(body, batchBody); err != nil {
		return err
	}
	return decodeChecked(body, req)
}

// submitParser reads a request body. Every method answers false on anything it does not
// handle exactly as encoding/json would, valid JSON or not, and the caller gives up.
type submitParser struct {
	b []byte
	// s is b as one string: every name and value that has no escape is a slice of it, one
	// allocation for the whole body instead of one per string.
	s string
	i int
}

// fastSubmitRequest fills req from body, or answers false and leaves req to be reset.
func fastSubmitRequest(body []byte, req *submitRequest) bool {
	p := submitParser{b: body, s: string(body)}
	if !p.byte('{') {
		return false
	}
	if p.peek() == '}' {
		p.i++
		return p.end()
	}
	if k, ok := p.key(); !ok || k != "submissions" || !p.byte('[') {
		return false
	}
	req.Submissions = []submissionItem{}
	if p.peek() == ']' {
		p.i++
	} else {
		for {
			var it submissionItem
			if !p.item(&it) {
				return false
			}
			req.Submissions = append(req.Submissions, it)
			if p.byte(']') {
				break
			}
			if !p.byte(',') {
				return false
			}
		}
	}
	return p.byte('}') && p.end()
}

// item reads one {"submissionId","moduleId","data"} object, each field at most once.
func (p *submitParser) item(it *submissionItem) bool {
	if !p.byte('{') {
		return false
	}
	if p.peek() == '}' {
		p.i++
		return true
	}
	var seen [3]bool
	for {
		k, ok := p.key()
		if !ok {
			return false
		}
		var f int
		switch k {
		case "submissionId":
			f = 0
			it.SubmissionID, ok = p.str()
		case "moduleId":
			f = 1
			it.ModuleID, ok = p.str()
		case "data":
			f = 2
			it.Data, ok = p.data()
		default:
			return false
		}
		if !ok || seen[f] {
			return false
		}
		seen[f] = true
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

// data reads the application: a flat object of texts, booleans and nulls, as encoding/json
// decodes it into shared.Data (a repeated key keeps its last value).
func (p *submitParser) data() (shared.Data, bool) {
	if !p.byte('{') {
		return nil, false
	}
	d := make(shared.Data, p.keysAhead())
	if p.peek() == '}' {
		p.i++
		return d, true
	}
	for {
		k, ok := p.key()
		if !ok {
			return nil, false
		}
		switch p.peek() {
		case '"':
			v, ok := p.str()
			if !ok {
				return nil, false
			}
			d[k] = v
		case 't', 'f', 'n':
			v, ok := p.literal()
			if !ok {
				return nil, false
			}
			d[k] = v
		default: // numbers, objects and lists: encoding/json's own types
			return nil, false
		}
		if p.byte('}') {
			return d, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}

// keysAhead counts the colons up to the end of the object that starts at p.i, ending the
// count at any nested bracket or at a quote it cannot follow: a size hint for the map, so that
// it is allocated once.
func (p *submitParser) keysAhead() int {
	n := 0
	for i := p.i; i < len(p.b); i++ {
		switch p.b[i] {
		case ':':
			n++
		case '"':
			for i++; i < len(p.b) && p.b[i] != '"'; i++ {
				if p.b[i] == '\\' {
					i++
				}
			}
		case '}', '{', '[', ']':
			return n
		}
	}
	return n
}

// key reads a name and its colon.
func (p *submitParser) key() (string, bool) {
	if p.peek() != '"' {
		return "", false
	}
	k, ok := p.str()
	return k, ok && p.byte(':')
}

// str reads a JSON string. One with escapes is decoded by encoding/json itself: rare, and its
// rules (surrogates, invalid escapes) are then exactly the same.
func (p *submitParser) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	escaped, ascii := false, true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			if escaped {
				var dec string
				if json.Unmarshal(p.b[start-1:p.i], &dec) != nil {
					return "", false
				}
				return dec, true
			}
			// Valid UTF-8 decodes to itself; encoding/json turns anything else into U+FFFD
			// (which checkJSON refuses anyway).
			return s, ascii || utf8.ValidString(s)
		case c == '\\':
			escaped = true
			p.i++
		case c < 0x20: // not JSON
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// literal reads true, false or null.
func (p *submitParser) literal() (any, bool) {
	for _, l := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(p.s)-p.i >= len(l.text) && p.s[p.i:p.i+len(l.text)] == l.text {
			p.i += len(l.text)
			if p.i < len(p.b) && !isJSONDelimiter(p.b[p.i]) {
				return nil, false
			}
			return l.v, true
		}
	}
	return nil, false
}

// byte skips spaces and reads c.
func (p *submitParser) byte(c byte) bool {
	if p.peek() != c {
		return false
	}
	p.i++
	return true
}

// peek skips spaces and answers the next byte, 0 at the end.
func (p *submitParser) peek() byte {
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; c {
		case ' ', '\t', '\n', '\r':
			continue
		default:
			return c
		}
	}
	return 0
}

// end: nothing but spaces follows.
func (p *submitParser) end() bool {
	return p.peek() == 0 && p.i == len(p.b)
}
