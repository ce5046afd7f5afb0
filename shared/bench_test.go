package shared

import "testing"

// The compiler validates on every keystroke in the browser: these are the numbers to watch,
// natively and under GOOS=js GOARCH=wasm.

func benchmarkValidate(b *testing.B, name string) {
	d := loadFixture(b, name)
	k, day := fixtureKind(name), fixtureDay(name)
	c, _ := OfficialCampaign(k)
	if ps := Validate(k, &c, d, day); len(ps) != 0 {
		b.Fatalf("fixture %s is not valid: %v", name, ps)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Validate(k, &c, d, day)
	}
}

func BenchmarkValidateEM(b *testing.B)        { benchmarkValidate(b, "em_colf") }
func BenchmarkValidateEMBadante(b *testing.B) { benchmarkValidate(b, "em_badante") }
func BenchmarkValidateA(b *testing.B)         { benchmarkValidate(b, "a_nominativa") }

// BenchmarkValidateEMProblems measures a form full of mistakes: messages are built then.
func BenchmarkValidateEMProblems(b *testing.B) {
	d := italianForms(b)
	d["rapporto.retribuzione_mensile"] = "100"
	d["datore.data_nascita"] = "1958-03-13"
	d["alloggio.cap"] = "99999"
	d["lavoratore.cittadinanza"] = "RO"
	d["versamento.data_f24"] = "2009-08-01"
	b.ReportAllocs()
	for b.Loop() {
		Validate(KindEM, nil, d, emDay)
	}
}

// BenchmarkFormCheckKeystroke is a keystroke in the salary of a filled badante module as the
// compiler validates it (FormCheck.Changed); BenchmarkValidateEMBadante is the whole form.
func BenchmarkFormCheckKeystroke(b *testing.B) {
	d := loadFixture(b, "em_badante")
	c, _ := OfficialCampaign(KindEM)
	fc := NewFormCheck(KindEM, &c, emDay, false)
	fc.All(d)
	values := []string{"1250,0", "1250,00"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d["rapporto.retribuzione_mensile"] = values[i%2]
		i++
		if ps := fc.Changed(d, "rapporto.retribuzione_mensile"); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkFormCheckAll is FormCheck's whole-form validation (idle), which also notes what
// every part reads.
func BenchmarkFormCheckAll(b *testing.B) {
	d := loadFixture(b, "em_badante")
	c, _ := OfficialCampaign(KindEM)
	fc := NewFormCheck(KindEM, &c, emDay, false)
	b.ReportAllocs()
	for b.Loop() {
		fc.All(d)
	}
}
