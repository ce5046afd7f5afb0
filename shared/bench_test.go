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
