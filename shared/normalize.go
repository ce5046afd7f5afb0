package shared

import (
	"bytes"
	"encoding/json"
	"strings"

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
	out := make(map[string]any, len(d))
	for key, raw := range d {
		if v, keep := normalizeValue(unionField(key), raw); keep {
			out[key] = v
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		// Only values that JSON cannot hold (NaN, channels) get here; Data decoded from JSON
		// never has them. Hashing their absence would make different inputs equal, so the
		// error is made part of the bytes.
		return []byte(`{"error":` + strconvQuote(err.Error()) + `}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
