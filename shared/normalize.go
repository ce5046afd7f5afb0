package shared

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"nullaosta/shared/codicefiscale"
)

// Normalize returns the canonical form of the data: trimmed text, dates YYYY-MM-DD, money with a
// dot and two decimals, codice fiscale upper-case without spaces, codes of lists as the list
// writes them, telephone numbers without spaces; blank values and false checkboxes dropped.
// A value that cannot be read is kept, trimmed, so that validation still reports it; keys the
// module does not know are kept too. Used for storage and the receipt's hash.
func Normalize(k Kind, d Data) Data {
	s := SchemaOf(k)
	out := make(Data, len(d))
	for key, raw := range d {
		var f *Field
		if s != nil {
			f = s.index[key]
		}
		if v, keep := normalizeValue(f, raw); keep {
			out[key] = v
		}
	}
	return out
}

func normalizeValue(f *Field, raw any) (any, bool) {
	switch x := raw.(type) {
	case nil:
		return nil, false
	case bool:
		return x, x
	case string:
		t := strings.TrimSpace(x)
		if t == "" {
			return nil, false
		}
		if f == nil {
			return t, true
		}
		if f.Type == TypeBool {
			switch strings.ToLower(t) {
			case "true", "on":
				return true, true
			case "false", "off":
				return nil, false
			}
			return t, true
		}
		return canonical(f, t), true
	}
	return raw, true
}

// canonical returns the stored form of a non-empty value, or the value itself when it cannot be
// read.
func canonical(f *Field, t string) string {
	switch f.Type {
	case TypeDate:
		if d, err := ParseDate(t); err == nil {
			return isoDate(d)
		}
	case TypeMoney:
		if c, err := ParseMoney(t); err == nil {
			return decimalMoney(c)
		}
	case TypeHours:
		if h, tp, err := ParseHours(t); err == nil {
			if tp {
				return "TP"
			}
			return itoa(h)
		}
	case TypeInteger:
		if n, err := ParseInteger(t); err == nil {
			return itoa(n)
		}
	case TypeYear:
		if n, err := ParseYear(t); err == nil {
			return itoa(n)
		}
	case TypePhone:
		if p, err := ParsePhone(t); err == nil {
			return p
		}
	case TypeDigits:
		if p, err := parseDigits(t, f.Len); err == nil {
			return p
		}
	case TypeCodiceFiscale:
		return codicefiscale.Normalize(t)
	case TypeCountry, TypeProvincia, TypeComune:
		return strings.ToUpper(t)
	case TypeEnum:
		if o, ok := f.option(t); ok {
			return o.Value
		}
	}
	return t
}

// unionField finds the field of a key in either module. Keys mean the same in both (a test keeps
// it so), and Modulo A's lists are the wider where they differ (SOGGIORNO).
func unionField(key string) *Field {
	if f, ok := SchemaOf(KindA).index[key]; ok {
		return f
	}
	if f, ok := SchemaOf(KindEM).index[key]; ok {
		return f
	}
	return nil
}

// CanonicalJSON returns the bytes a receipt's hash is computed over: the data normalised as
// Normalize does (for either module: keys mean the same in both), encoded as a JSON object with
// keys in byte order, no insignificant white space, and no HTML escaping. Equal applications
// give equal bytes however they were typed.
func CanonicalJSON(d Data) []byte {
	type pair struct {
		key string
		v   any
	}
	ps := make([]pair, 0, len(d))
	size := 2
	for key, raw := range d {
		if v, keep := normalizeValue(unionField(key), raw); keep {
			ps = append(ps, pair{key, v})
			size += len(key) + 4
			if t, ok := v.(string); ok {
				size += len(t) + 2
			} else {
				size += 8
			}
		}
	}
	slices.SortFunc(ps, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	// Written by hand, byte for byte as encoding/json writes a map with SetEscapeHTML(false)
	// (TestCanonicalJSONAsEncodingJSON): it runs on every submission, and reflection over the
	// map was most of its cost.
	buf := make([]byte, 0, size)
	buf = append(buf, '{')
	for i, p := range ps {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, p.key)
		buf = append(buf, ':')
		switch v := p.v.(type) {
		case string:
			buf = appendJSONString(buf, v)
		case bool:
			buf = strconv.AppendBool(buf, v)
		default:
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				// Only values that JSON cannot hold (NaN, channels) get here; Data decoded from
				// JSON never has them. Hashing their absence would make different inputs equal,
				// so the error is made part of the bytes.
				return []byte(`{"error":` + strconvQuote(err.Error()) + `}`)
			}
			buf = append(buf, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
		}
	}
	return append(buf, '}')
}

// appendJSONString appends s quoted as encoding/json quotes a string without HTML escaping:
// \" \\ \b \f \n \r \t, other control characters as \u00XX, invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 as \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
