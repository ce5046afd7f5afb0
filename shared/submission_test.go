package shared

import (
	"slices"
	"testing"
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
