package shared

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzData turns fuzz bytes into an application: one "key=value" per line. A key "#n" names the
// n-th field of the schema (so that the fuzzer reaches real keys quickly); a value "!t" or "!f"
// is a checkbox, "!n" a JSON null, "!<number>" a JSON number; anything else is text.
func fuzzData(s *Schema, b []byte) Data {
	d := Data{}
	fields := s.Fields()
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, _ := strings.Cut(line, "=")
		if strings.HasPrefix(k, "#") {
			if n, err := strconv.Atoi(k[1:]); err == nil && len(fields) > 0 {
				k = fields[((n%len(fields))+len(fields))%len(fields)].Key
			}
		}
		switch {
		case v == "!t":
			d[k] = true
		case v == "!f":
			d[k] = false
		case v == "!n":
			d[k] = nil
		case strings.HasPrefix(v, "!"):
			f, _ := strconv.ParseFloat(v[1:], 64)
			d[k] = f
		default:
			d[k] = v
		}
	}
	return d
}

// fuzzBytes writes a fixture in fuzzData's form, as a seed.
func fuzzBytes(s *Schema, d Data) []byte {
	var lines []string
	for _, f := range s.Fields() {
		v, ok := d[f.Key]
		if !ok {
			continue
		}
		switch x := v.(type) {
		case bool:
			if x {
				lines = append(lines, "#"+itoa(f.pos)+"=!t")
			} else {
				lines = append(lines, "#"+itoa(f.pos)+"=!f")
			}
		case string:
			lines = append(lines, "#"+itoa(f.pos)+"="+x)
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// FuzzValidate: run it with -fuzzminimizetime=2s. Its interesting inputs are whole forms, and
// minimising one for the default minute stalls the run (the progress line then shows 0/sec).
func FuzzValidate(f *testing.F) {
	for i, name := range fixtureNames {
		k := fixtureKind(name)
		f.Add(fuzzBytes(SchemaOf(k), loadFixture(f, name)), k == KindA, int16(i*100))
	}
	f.Add([]byte("#3=31/02/2009\n#40=1.050,001\nfoo=bar\n#0=!n\n#7=!12.5"), false, int16(-400))
	f.Add([]byte("richiesta.tipo=numerica\nlavoratore.cognome=X\nlavoratore.cittadinanza=ro"), true, int16(0))
	f.Fuzz(func(t *testing.T, b []byte, kindA bool, dayOffset int16) {
		k := KindEM
		if kindA {
			k = KindA
		}
		s := SchemaOf(k)
		d := fuzzData(s, b)
		today := emDay.AddDate(0, 0, int(dayOffset))
		ps := Validate(k, nil, d, today)
		last := -1
		for _, p := range ps {
			if p.Field == "" && len(d) > 0 && !slices.ContainsFunc(ps, func(q Problem) bool { return q.Code == CodeUnknownField }) {
				t.Fatalf("problem without field: %+v", p)
			}
			if p.Code == "" || p.Message == "" || (p.Severity != SeverityError && p.Severity != SeverityWarning) {
				t.Fatalf("malformed problem %+v", p)
			}
			pos := len(s.Fields())
			if f, ok := s.Field(p.Field); ok {
				pos = f.pos
			} else if p.Code != CodeUnknownField {
				t.Fatalf("%s on unknown field %q", p.Code, p.Field)
			}
			if pos < last {
				t.Fatalf("problems out of order: %v", ps)
			}
			last = pos
		}
		if again := Validate(k, nil, d, today); !slices.Equal(again, ps) {
			t.Fatal("not deterministic")
		}
		n := Normalize(k, d)
		if nps := Validate(k, nil, n, today); NewResult(nps).Valid != NewResult(ps).Valid {
			t.Fatalf("normalising changed the verdict:\n%v\n%v", ps, nps)
		}
		if c := CanonicalJSON(d); !json.Valid(c) {
			t.Fatalf("canonical JSON: %s", c)
		}
		ValidateGeneration(k, nil, d, today)
		CheckLimits(k, nil, []Data{d}, d)
		for _, f := range s.Fields() {
			s.Applies(f.Key, d)
			s.Required(f.Key, d)
			OptionsFor(f, d)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"880,17", "880.17", "1.050,00", "1050", "1.050", "€ 880,17", "-1", "1,050.00", "0,5", "999999999999,99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseMoney(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		if c < 0 {
			t.Fatalf("ParseMoney(%q) = %d", s, c)
		}
		if back, err := ParseMoney(FormatMoney(c)); err != nil || back != c {
			t.Fatalf("FormatMoney round trip of %q: %d → %q → %d, %v", s, c, FormatMoney(c), back, err)
		}
		if back, err := ParseMoney(decimalMoney(c)); err != nil || back != c {
			t.Fatalf("wire round trip of %q: %d → %q → %d, %v", s, c, decimalMoney(c), back, err)
		}
		if got := string(appendDecimalMoney(nil, c)); got != decimalMoney(c) {
			t.Fatalf("appendDecimalMoney(%d) = %q, decimalMoney %q", c, got, decimalMoney(c))
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2009-09-15", "15/09/2009", "5/9/2009", "31/02/2009", "29/02/2008", "05.09.2009", "2009-9-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Year() < minYear || d.Year() > maxYear {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		for _, form := range []string{isoDate(d), FormatDate(d)} {
			if back, err := ParseDate(form); err != nil || !back.Equal(d) {
				t.Fatalf("round trip of %q via %q: %v, %v", s, form, back, err)
			}
		}
	})
}
