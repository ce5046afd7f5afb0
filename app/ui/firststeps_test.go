package ui

import (
	"testing"

	"nullaosta/app/store"
)

// TestStepOf: where a person is in genera → importa → compila → invia.
func TestStepOf(t *testing.T) {
	d := func(status string) store.Draft { return store.Draft{Status: status} }
	for _, tc := range []struct {
		name      string
		generated int
		drafts    []store.Draft
		want      int
	}{
		{"new person", 0, nil, StepGenera},
		{"generated, nothing imported", 1, nil, StepImporta},
		{"imported, filling", 1, []store.Draft{d(store.StatusDraft)}, StepCompila},
		{"one confirmed, one still a draft", 2, []store.Draft{d(store.StatusCompleted), d(store.StatusDraft)}, StepCompila},
		{"confirmed", 1, []store.Draft{d(store.StatusCompleted)}, StepInvia},
		{"queued", 1, []store.Draft{d(store.StatusQueued)}, StepInvia},
		{"rejected goes back to filling", 1, []store.Draft{d(store.StatusRejected)}, StepCompila},
		{"all sent", 1, []store.Draft{d(store.StatusSent)}, StepFatto},
		{"all sent, more on the server", 2, []store.Draft{d(store.StatusSent)}, StepImporta},
	} {
		if got := StepOf(tc.generated, tc.drafts); got != tc.want {
			t.Errorf("%s: step %d, want %d", tc.name, got, tc.want)
		}
	}
}
