package shared

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// samples are values to type into f: empty, junk, the values the fixtures hold for fields of
// the same type (valid ones, of other people and places), and for a list its first and last
// options.
func samples(f *Field, byType map[FieldType][]string) []any {
	out := []any{"", "?", " x "}
	if f.Type == TypeBool {
		return append(out, true, "true", "off", false)
	}
	for _, v := range byType[f.Type] {
		out = append(out, v)
	}
	if n := len(f.Options); n > 0 {
		out = append(out, f.Options[0].Value, f.Options[n-1].Value)
	}
	switch f.Type {
	case TypeDate:
		out = append(out, "31/02/1980", "01/01/2031", "15/09/2009", "01/01/1995")
	case TypeMoney:
		out = append(out, "1", "9876543210,98765432109876543")
	case TypeHours:
		out = append(out, "TP", "10", "60")
	case TypeCountry:
		out = append(out, "RO", "IT", "US")
	}
	return out
}

// valuesByType collects the fixtures' values of every field type.
func valuesByType(t *testing.T) map[FieldType][]string {
	by := map[FieldType][]string{}
	for _, name := range fixtureNames {
		d := loadFixture(t, name)
		s := SchemaOf(fixtureKind(name))
		for _, f := range s.Fields() {
			if v := d.Str(f.Key); v != "" && !slices.Contains(by[f.Type], v) && len(by[f.Type]) < 8 {
				by[f.Type] = append(by[f.Type], v)
			}
		}
	}
	return by
}

func set(d Data, key string, v any) {
	if v == "" || v == false {
		delete(d, key)
		return
	}
	d[key] = v
}

// A FormCheck fed one change at a time gives what a validation of the whole form gives: for
// every field of both modules, starting from every fixture (valid) and from a form full of
// mistakes, each sample value typed in and then the value put back, in one long sequence (so
// what Changed keeps from one call to the next is exercised), then random edits.
func TestFormCheckAgreesWithValidate(t *testing.T) {
	by := valuesByType(t)
	starts := map[string]Data{}
	for _, name := range fixtureNames {
		starts[name] = loadFixture(t, name)
	}
	wrong := italianForms(t)
	wrong["rapporto.retribuzione_mensile"] = "100"
	wrong["datore.data_nascita"] = "1998-03-13"
	wrong["alloggio.cap"] = "99999"
	wrong["lavoratore.cittadinanza"] = "RO"
	wrong["versamento.data_f24"] = "2009-08-01"
	wrong["datore.cittadinanza"] = "MA"
	starts["em_wrong"] = wrong

	for name, d := range starts {
		for _, gen := range []bool{false, true} {
			k, day := fixtureKind(name), fixtureDay(name)
			c, _ := OfficialCampaign(k)
			want := func(d Data) []Problem {
				if gen {
					return ValidateGeneration(k, &c, d, day)
				}
				return Validate(k, &c, d, day)
			}
			d = d.Clone()
			if gen {
				for key := range d {
					if f, ok := SchemaOf(k).Field(key); !ok || !f.Generation {
						delete(d, key)
					}
				}
			}
			fc := NewFormCheck(k, &c, day, gen)
			if got := fc.All(d); !reflect.DeepEqual(got, want(d)) {
				t.Fatalf("%s (generation %v): All differs from Validate:\n%v\n%v", name, gen, got, want(d))
			}
			steps := 0
			s := SchemaOf(k)
			check := func(key string, v any) {
				t.Helper()
				var before Data
				if !gen {
					before = d.Clone()
				}
				set(d, key, v)
				steps++
				if got, w := fc.Changed(d, key), want(d); !reflect.DeepEqual(got, w) {
					t.Fatalf("%s (generation %v), step %d, %s = %#v:\nChanged: %v\nValidate: %v", name, gen, steps, key, v, got, w)
				}
				if gen {
					return
				}
				for _, f := range s.Fields() {
					if slices.Contains(fc.Reparsed(), f.Key) {
						continue
					}
					if s.Applies(f.Key, before) != s.Applies(f.Key, d) || s.Required(f.Key, before) != s.Required(f.Key, d) {
						t.Fatalf("%s, step %d, %s = %#v: %s changed whether it applies or is required, but is not among the fields reparsed %v", name, steps, key, v, f.Key, fc.Reparsed())
					}
				}
			}
			for _, f := range SchemaOf(k).Fields() {
				if gen && !f.Generation {
					continue
				}
				orig, had := d[f.Key]
				for _, v := range samples(f, by) {
					check(f.Key, v)
				}
				if had {
					check(f.Key, orig)
				} else {
					check(f.Key, "")
				}
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			fields := SchemaOf(k).Fields()
			for range 1000 {
				f := fields[rng.IntN(len(fields))]
				if gen && !f.Generation {
					continue
				}
				s := samples(f, by)
				check(f.Key, s[rng.IntN(len(s))])
			}
			t.Logf("%s (generation %v): %d changes agree", name, gen, steps)
		}
	}
}

// Several keys changed at once, and a key the module does not have, give what Validate gives.
func TestFormCheckSeveralKeysAndUnknownKeys(t *testing.T) {
	d := loadFixture(t, "em_badante")
	c, _ := OfficialCampaign(KindEM)
	fc := NewFormCheck(KindEM, &c, emDay, false)
	fc.All(d)
	d["rapporto.tipologia"] = "colf"
	d["rapporto.livello"] = "A"
	if got, want := fc.Changed(d, "rapporto.tipologia", "rapporto.livello"), Validate(KindEM, &c, d, emDay); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Fatalf("two keys:\n%v\n%v", got, want)
	}
	d["campo.inventato"] = "x"
	if got, want := fc.Changed(d, "campo.inventato"), Validate(KindEM, &c, d, emDay); !reflect.DeepEqual(got, want) || !slices.ContainsFunc(want, func(p Problem) bool { return p.Code == CodeUnknownField }) {
		t.Fatalf("unknown key:\n%v\n%v", got, want)
	}
	delete(d, "campo.inventato")
	if got, want := fc.Changed(d, "campo.inventato"), Validate(KindEM, &c, d, emDay); !reflect.DeepEqual(got, want) {
		t.Fatalf("unknown key removed:\n%v\n%v", got, want)
	}
}

// What a keystroke in the salary runs again: its own first pass and the rules that read it,
// not every field of the module.
func TestFormCheckRunsOnlyWhatReadsTheChange(t *testing.T) {
	d := loadFixture(t, "em_badante")
	c, _ := OfficialCampaign(KindEM)
	fc := NewFormCheck(KindEM, &c, emDay, false)
	fc.All(d)
	key := "rapporto.retribuzione_mensile"
	var parses, rules int
	for i := range fc.parses {
		if fc.parses[i].readsRaw([]string{key}) {
			parses++
		}
	}
	pos := int32(0)
	if f, ok := SchemaOf(KindEM).Field(key); ok {
		pos = int32(f.pos)
	}
	for j := range fc.rules {
		if slices.Contains(fc.rules[j].vals, pos) {
			rules++
		}
	}
	if parses != 1 || rules == 0 || rules > 3 {
		t.Errorf("a change of %s reparses %d fields and reruns %d rules of %d; want 1 field and the salary's rules (C10, C11)", key, parses, rules, len(fc.rules))
	}
}
