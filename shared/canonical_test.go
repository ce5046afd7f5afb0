package shared

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
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
	// of: from the data Normalize gave, as a submission has it.
	norm := Normalize(KindEM, d)
	b.Run("of", func(b *testing.B) {
		for b.Loop() {
			CanonicalJSONOf(KindEM, d, norm)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			referenceCanonicalJSON(d)
		}
	})
}

// sameCanonicalOf fails unless CanonicalJSONOf gives CanonicalJSON's bytes for d in both modules.
func sameCanonicalOf(t *testing.T, d Data) {
	t.Helper()
	want := CanonicalJSON(d)
	for _, k := range []Kind{KindEM, KindA, "X"} {
		if got := CanonicalJSONOf(k, d, Normalize(k, d)); !bytes.Equal(got, want) {
			t.Fatalf("module %s:\n got %s\nwant %s", k, got, want)
		}
	}
}

// TestCanonicalJSONOf: on the fixtures of both modules, typed as people type them, with keys
// of the other module, unknown keys and checkboxes written as text, CanonicalJSONOf gives
// CanonicalJSON's bytes.
func TestCanonicalJSONOf(t *testing.T) {
	cases := []Data{{}, italianForms(t), {"z": "a<b>&", "a": true, "m": " 880,17 ", "x": false, "n": nil, "": "vuota"}}
	for _, name := range []string{"em_colf", "em_badante", "a_nominativa", "a_numerica"} {
		cases = append(cases, loadFixture(t, name))
	}
	em, a := loadFixture(t, "em_colf"), loadFixture(t, "a_nominativa")
	mixed := em.Clone()
	for k, v := range a {
		mixed[k] = v
	}
	mixed["chiave.sconosciuta"], mixed["impiego.coincide_residenza"], mixed["dichiara.reddito"] = " x ", "false", "on"
	cases = append(cases, mixed)
	for _, s := range []*Schema{SchemaOf(KindEM), SchemaOf(KindA)} {
		for _, f := range s.Fields() {
			if f.Type == TypeBool {
				cases = append(cases, Data{f.Key: "false"}, Data{f.Key: "off"}, Data{f.Key: "ON"}, Data{f.Key: false})
			}
			for _, o := range f.Options {
				cases = append(cases, Data{f.Key: " " + strings.ToLower(o.Value) + " "})
			}
		}
	}
	for _, d := range cases {
		sameCanonicalOf(t, d)
	}
}

// FuzzCanonicalJSONOf: any application, with the keys of either module.
func FuzzCanonicalJSONOf(f *testing.F) {
	f.Add([]byte("#0=Rossi\n#3=12/03/1958\n#7=!t\n#9=!f\n#10=!n\n#11=!2.5\nzz= x "), false)
	f.Add(fuzzBytes(SchemaOf(KindA), loadFixture(f, "a_nominativa")), true)
	f.Add(fuzzBytes(SchemaOf(KindEM), loadFixture(f, "em_colf")), false)
	f.Fuzz(func(t *testing.T, b []byte, a bool) {
		s := SchemaOf(KindEM)
		if a {
			s = SchemaOf(KindA)
		}
		sameCanonicalOf(t, fuzzData(s, b))
	})
}
