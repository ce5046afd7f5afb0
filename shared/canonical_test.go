package shared

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// referenceCanonicalJSON is CanonicalJSON as encoding/json writes it: the stored hashes of
// receipts already issued were computed this way, so the two must agree byte for byte.
func referenceCanonicalJSON(d Data) []byte {
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
		return []byte(`{"error":` + strconvQuote(err.Error()) + `}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestCanonicalJSONAsEncodingJSON(t *testing.T) {
	weird := "a\"b\\c\b\f\n\r\t\x00\x01\x1f\x7f<>&\u2028\u2029é€😀\xff\xfe\xc3"
	cases := []Data{
		{},
		italianForms(t),
		{"z": "a<b>&", "a": true, "m": " 880,17 ", "x": false, "n": nil, "": "vuota"},
		{"datore.cognome": weird, weird: weird, "k\u2028": "v"},
		{"num": 12.5, "int": float64(7), "big": 1e21, "neg": -0.000001, "list": []any{"a<", 1.0, true, nil, map[string]any{"b": "\u2029", "a": "x"}}},
		{"obj": map[string]any{"z": 1.0, "a": []any{}}, "s": "  spazi  "},
		{"nan": math.NaN()},
	}
	for i, d := range cases {
		if got, want := CanonicalJSON(d), referenceCanonicalJSON(d); !bytes.Equal(got, want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	f.Add("datore.cognome", "Rossi", "x", "\u2028<&>\x00\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		d := Data{k1: v1, k2: v2, "b": true}
		if got, want := CanonicalJSON(d), referenceCanonicalJSON(d); !bytes.Equal(got, want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkCanonicalJSON(b *testing.B) {
	d := italianForms(b)
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			CanonicalJSON(d)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			referenceCanonicalJSON(d)
		}
	})
}
