package shared

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPrepareSubmission(t *testing.T) {
	d := loadFixture(t, "em_colf")
	sub := PrepareSubmission(KindEM, nil, d, emDay)
	if !sub.OK() {
		t.Fatalf("a valid application has errors: %+v", sub.Problems)
	}
	norm := Normalize(KindEM, d)
	if sub.EmployerKey != EmployerKey(norm) || sub.EmployerKey == "" || !slices.Equal(sub.WorkerKeys, WorkerKeys(norm)) || len(sub.WorkerKeys) == 0 {
		t.Errorf("keys %q %q", sub.EmployerKey, sub.WorkerKeys)
	}
	if p, _ := SportelloOf(norm); sub.Provincia != p.Sigla || sub.Sportello != p.Sportello || sub.Tipologia != "colf" {
		t.Errorf("columns %+v", sub)
	}
	if string(CanonicalJSON(sub.Data)) != string(CanonicalJSON(norm)) {
		t.Error("Data is not the normalised data")
	}
	// The same problems as Validate, and a submission without validation has none.
	delete(d, "datore.cognome")
	bad := PrepareSubmission(KindEM, nil, d, emDay)
	if bad.OK() || len(bad.Problems) != len(Validate(KindEM, nil, d, emDay)) {
		t.Errorf("problems %+v", bad.Problems)
	}
	if id := IdentifySubmission(KindEM, d); id.Problems != nil || id.EmployerKey != sub.EmployerKey {
		t.Errorf("IdentifySubmission %+v", id)
	}
}

// samePrepared fails unless PrepareSubmissionInto, which validates and normalises in one run
// and builds a parsed value's normal form from what validation parsed, gives what Normalize and
// Validate give apart: the same problems in the same order and the same normalised data, value
// for value and of the same Go type (a string left as typed is the caller's own).
func samePrepared(t *testing.T, k Kind, d Data, today time.Time) {
	t.Helper()
	got := PrepareSubmissionContent(k, nil, d, today, make(Data))
	if into := PrepareSubmissionInto(k, nil, d, today, make(Data)); fmt.Sprint(into.Data) != fmt.Sprint(got.Data) ||
		!slices.Equal(into.Problems, got.Problems) || into.content != nil {
		t.Fatalf("PrepareSubmissionInto %+v\nPrepareSubmissionContent %+v", into, got)
	}
	want := identify(k, Normalize(k, d))
	want.Problems = Validate(k, nil, d, today)
	if !slices.Equal(got.Problems, want.Problems) {
		t.Fatalf("problems of %v:\n got %v\nwant %v", d, got.Problems, want.Problems)
	}
	if len(got.Data) != len(want.Data) {
		t.Fatalf("normalised %v:\n got %v\nwant %v", d, got.Data, want.Data)
	}
	for key, w := range want.Data {
		if g, ok := got.Data[key]; !ok || fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", w) {
			t.Fatalf("normalised %q of %#v: got %#v, want %#v", key, d[key], g, w)
		}
	}
	if c, want := SubmissionContent(got, d), CanonicalJSON(d); !bytes.Equal(c, want) {
		t.Fatalf("content of %v:\n got %s\nwant %s", d, c, want)
	}
	if c := SubmissionContent(want, d); !bytes.Equal(c, CanonicalJSON(d)) {
		t.Fatalf("content without preparation of %v: %s", d, c)
	}
	if got.EmployerKey != want.EmployerKey || !slices.Equal(got.WorkerKeys, want.WorkerKeys) ||
		got.Tipologia != want.Tipologia || got.Cittadinanza != want.Cittadinanza ||
		got.Provincia != want.Provincia || got.Sportello != want.Sportello {
		t.Fatalf("columns:\n got %+v\nwant %+v", got, want)
	}
	// In place: the same submission, the same content, and its Data is d itself.
	typed := d.Clone()
	in := PrepareSubmissionInPlace(k, nil, typed, today)
	if fmt.Sprint(in.Data) != fmt.Sprint(got.Data) || !slices.Equal(in.Problems, got.Problems) ||
		!bytes.Equal(SubmissionContent(in, d), SubmissionContent(got, d)) ||
		fmt.Sprint(in.ForCheckSent()) != fmt.Sprint(got.ForCheckSent()) {
		t.Fatalf("PrepareSubmissionInPlace %+v\nPrepareSubmissionContent %+v", in, got)
	}
	for key, w := range want.Data {
		if g, ok := in.Data[key]; !ok || fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", w) {
			t.Fatalf("normalised in place %q of %#v: got %#v, want %#v", key, d[key], g, w)
		}
	}
	if SchemaOf(k) != nil && reflect.ValueOf(in.Data).UnsafePointer() != reflect.ValueOf(typed).UnsafePointer() {
		t.Fatal("PrepareSubmissionInPlace did not normalise the map it was given")
	}
}

func TestPrepareSubmissionTwins(t *testing.T) {
	for _, name := range fixtureNames {
		samePrepared(t, fixtureKind(name), loadFixture(t, name), fixtureDay(name))
	}
	samePrepared(t, KindEM, italianForms(t), emDay)
	samePrepared(t, "X", Data{"a": " b ", "c": true}, emDay)
	// Every field of both modules with values that parse, that parse to another text, that do
	// not parse, and of other JSON types, alone and over a whole module (where most fields
	// apply).
	values := []any{"", " ", "x", " 15/09/2009 ", "2009-09-15", "1.050,00", "880.17", "1050.00",
		" tp ", "025", "7", "2006", "+39 333 1234567", "0123 4567 8901 23", "12100",
		"bncgnn 58c52 d205k", "BNCGNN58C52D205K", "nome@dominio.it", "ro", "CN", "d205", "on",
		"false", true, false, nil, 2.5, []any{"a"}, strings.Repeat("é", 300)}
	// A key only the other module has: the content normalises it as that module does.
	other := map[Kind]string{KindEM: "richiesta.tipo", KindA: "versamento.data_f24"}
	for k, key := range other {
		if _, ok := SchemaOf(k).Field(key); ok {
			t.Fatalf("%s is a key of module %s", key, k)
		}
	}
	for _, k := range []Kind{KindEM, KindA} {
		s := SchemaOf(k)
		base := loadFixture(t, fixtureNamesOf(k)[0])
		for _, f := range s.Fields() {
			vs := values
			// The other module's list too, which may be wider (its content normalises it).
			for _, o := range append(f.Options, unionField(f.Key).Options...) {
				vs = append(vs, o.Value, " "+strings.ToLower(o.Value)+" ", strings.ToUpper(o.Value))
			}
			for _, v := range vs {
				samePrepared(t, k, Data{f.Key: v, "chiave.sconosciuta": " x "}, emDay)
				samePrepared(t, k, Data{f.Key: v, other[k]: v}, emDay)
				whole := base.Clone()
				whole[f.Key] = v
				samePrepared(t, k, whole, fixtureDay(fixtureNamesOf(k)[0]))
			}
		}
	}
}

func fixtureNamesOf(k Kind) []string {
	var out []string
	for _, name := range fixtureNames {
		if fixtureKind(name) == k {
			out = append(out, name)
		}
	}
	return out
}

// FuzzPrepareSubmission: any application of either module.
func FuzzPrepareSubmission(f *testing.F) {
	for i, name := range fixtureNames {
		k := fixtureKind(name)
		f.Add(fuzzBytes(SchemaOf(k), loadFixture(f, name)), k == KindA, int16(i*100))
	}
	f.Add([]byte("#3=31/02/2009\n#40=1.050,001\nfoo=bar\n#0=!n\n#7=!12.5\n#12= tp "), false, int16(-400))
	f.Fuzz(func(t *testing.T, b []byte, kindA bool, dayOffset int16) {
		k := KindEM
		if kindA {
			k = KindA
		}
		samePrepared(t, k, fuzzData(SchemaOf(k), b), emDay.AddDate(0, 0, int(dayOffset)))
	})
}
