package compiler

import (
	"testing"

	"nullaosta/app/internal/apptest"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// BenchmarkKeystroke is the app's own work for one keystroke in the compiler, without the
// browser: the value taken and validated, the page's view computed and compared with the last
// drawn (compiler.keystroke), and when it differs the view the render computes. Typed, as
// TestTyping types in Chromium: every text box of a filled EM badante module emptied and its
// value typed again a character at a time, section by section. Reported per keystroke.
func BenchmarkKeystroke(b *testing.B) {
	st := apptest.UseMemory(b, apptest.EmDay)
	fx := apptest.Fixture(b, "em_badante")
	apptest.PutDraft(b, st, "a@example.it", "EM-1", shared.KindEM, fx, true)
	c := &compiler{}
	if err := c.open(b.Context(), "a@example.it", "EM-1"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.saver.Close() })
	type key struct {
		section int
		field   string
		value   string
	}
	var keys []key
	for i, sec := range c.form.sections {
		for _, fl := range sec.Fields {
			v := fx.Str(fl.Key)
			if v == "" || c.form.isLocked(fl.Key) || !c.form.applies(fl.Key) || fl.Type == shared.TypeBool ||
				fl.Type == shared.TypeEnum || fl.Type == shared.TypeProvincia || fl.Type == shared.TypeComune || fl.Type == shared.TypeCountry || fl.Type == shared.TypeCAP {
				continue
			}
			for n := range len(v) {
				keys = append(keys, key{i, fl.Key, v[:n+1]})
			}
		}
	}
	draw := func(focus string) {
		pv := c.pageView(focus)
		c.drawn = &pv
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		k := keys[n%len(keys)]
		n++
		if k.section != c.current {
			c.goTo(k.section)
			draw("")
		}
		if c.keystroke(k.field, k.value) {
			draw(ui.InputID(k.field))
		}
	}
	b.ReportMetric(float64(len(keys)), "keys/pass")
}
