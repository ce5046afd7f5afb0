//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nullaosta/shared"
	"nullaosta/shared/places"
)

// emFixture is shared/testdata/em_colf.json: a valid EM module (a colf) whose codice fiscale
// matches its employer. The demo campaign keeps the 2009 rules, which the fixture's dates meet,
// and accepts sending today.
func emFixture(t *testing.T) shared.Data {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "shared/testdata/em_colf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d shared.Data
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// inputID is the id of a field's control in the app: field-<key> (keys contain dots, so CSS
// needs [id="…"]; getElementById does not care).
func inputID(key string) string { return "field-" + key }

// typedDate turns the fixture's YYYY-MM-DD into the GG/MM/AAAA people type.
func typedDate(v string) string {
	if len(v) == 10 && v[4] == '-' && v[7] == '-' {
		return v[8:10] + "/" + v[5:7] + "/" + v[0:4]
	}
	return v
}

// fillField puts the fixture's value v in field f the way a person does: typing in text
// inputs, choosing from selects, searching and picking in the searchable lists of comuni and
// countries, ticking checkboxes.
func (b *tab) fillField(f *shared.Field, v any) {
	b.t.Helper()
	switch f.Type {
	case shared.TypeBool:
		want, _ := v.(bool)
		b.setCheckbox(f.Key, want)
	case shared.TypeEnum, shared.TypeProvincia:
		b.choose(f.Key, fmt.Sprint(v))
	case shared.TypeCAP:
		// The comune is chosen first, so the CAP is a list of that comune's CAPs.
		b.choose(f.Key, fmt.Sprint(v))
	case shared.TypeComune:
		c, ok := places.ComuneByBelfiore(fmt.Sprint(v))
		if !ok {
			b.t.Fatalf("fixture: unknown comune %v for %s", v, f.Key)
		}
		b.pick(f.Key, c.Name)
	case shared.TypeCountry:
		c, ok := places.CountryByISO(fmt.Sprint(v))
		if !ok {
			b.t.Fatalf("fixture: unknown country %v for %s", v, f.Key)
		}
		b.pick(f.Key, c.Name)
	case shared.TypeDate:
		b.typeInto(f.Key, typedDate(fmt.Sprint(v)))
	default:
		b.typeInto(f.Key, fmt.Sprint(v))
	}
}

// waitField waits until the field's control is on the page (fields that do not apply are not).
func (b *tab) waitField(key string) {
	b.t.Helper()
	b.waitJS("the field "+key+" is shown", fmt.Sprintf(`(() => { const el = document.getElementById(%s); return !!el && el.offsetParent !== null; })()`, jsString(inputID(key))), stepTimeout)
}

// typeInto focuses a text input, selects what it holds, and types text key by key (each key
// an input event), then leaves the field (a change event). It checks that the app kept what
// was typed.
func (b *tab) typeInto(key, text string) {
	b.t.Helper()
	b.waitField(key)
	b.typeID(inputID(key), text)
}

// typeID is typeInto for any input, by id.
func (b *tab) typeID(id, text string) {
	b.t.Helper()
	key := id
	sel := chromedp.CSS(`[id=` + jsString(id) + `]`)
	b.do("focus "+key, chromedp.Focus(sel))
	call[chromedp.Void](b, "select the text of "+key, `(id) => { document.getElementById(id).select(); }`, id)
	if text == "" {
		b.do("clear "+key, chromedp.KeyEvent("\b"))
	} else {
		b.do("type into "+key, chromedp.KeyEvent(text))
	}
	call[chromedp.Void](b, "leave "+key, `(id) => { document.getElementById(id).blur(); }`, id)
	b.waitJS(fmt.Sprintf("%s keeps %q", key, text), fmt.Sprintf(`(() => { const v = document.getElementById(%s).value; return v === %s || ("value: " + v); })()`, jsString(id), jsString(text)), 10*time.Second)
}

// choose selects the option whose value is v (any case) in a select, as a person choosing
// from the list: the select gets the value, then input and change events.
func (b *tab) choose(key, v string) {
	b.t.Helper()
	b.waitField(key)
	b.waitJS(key+" is a list to choose from", fmt.Sprintf(`document.getElementById(%s).tagName === "SELECT"`, jsString(inputID(key))), stepTimeout)
	got := call[string](b, "choose "+v+" in "+key, `(id, v) => {
  const el = document.getElementById(id);
  if (el.tagName !== "SELECT") return "not a select: " + el.tagName;
  const o = [...el.options].find(o => o.value.toLowerCase() === v.toLowerCase());
  if (!o) return "no option " + v + " among " + [...el.options].map(o => o.value).join(",");
  el.focus();
  el.value = o.value;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  el.blur();
  return "=" + o.value;
}`, inputID(key), v)
	if !strings.HasPrefix(got, "=") {
		b.fail("choosing %q in %s: %s", v, key, got)
	}
	want := strings.TrimPrefix(got, "=")
	b.waitJS(fmt.Sprintf("%s keeps %q", key, want), fmt.Sprintf(`document.getElementById(%s).value === %s`, jsString(inputID(key)), jsString(want)), 10*time.Second)
}

// pick searches a searchable list (a combobox) for name, and clicks the entry with exactly that
// name. The input then shows the name (a comune with its provincia: "Cuneo (CN)").
func (b *tab) pick(key, name string) {
	b.t.Helper()
	b.waitField(key)
	id := inputID(key)
	b.click("the list "+key, fmt.Sprintf(`document.getElementById(%s)`, jsString(id)))
	call[chromedp.Void](b, "select the text of "+key, `(id) => { document.getElementById(id).select(); }`, id)
	b.do("search "+name+" in "+key, chromedp.KeyEvent(name))
	option := fmt.Sprintf(`[...document.querySelectorAll("[id='" + %s + "'] li[role=option]")].find(li => li.firstChild && li.firstChild.textContent.trim() === %s)`, jsString(id+"-list"), jsString(name))
	b.waitJS(fmt.Sprintf("%s offers %q", key, name), fmt.Sprintf(`(() => { const li = %s; return !!li && li.offsetParent !== null; })()`, option), stepTimeout)
	b.click(fmt.Sprintf("%q in the list %s", name, key), option)
	b.waitJS(fmt.Sprintf("%s shows %q, list closed", key, name), fmt.Sprintf(`(() => {
  const el = document.getElementById(%s), list = document.getElementById(%s);
  const v = el.value, n = %s;
  return ((v === n || v.startsWith(n + " (")) && (!list || list.hidden)) || ("value: " + v);
})()`, jsString(id), jsString(id+"-list"), jsString(name)), 10*time.Second)
	call[chromedp.Void](b, "leave "+key, `(id) => { document.getElementById(id).blur(); }`, id)
}

// setCheckbox clicks a checkbox until it is as wanted.
func (b *tab) setCheckbox(key string, want bool) {
	b.t.Helper()
	b.waitField(key)
	id := inputID(key)
	checked := func() bool {
		return call[bool](b, "read "+key, `(id) => document.getElementById(id).checked`, id)
	}
	for attempt := 1; checked() != want; attempt++ {
		if attempt > 3 {
			b.fail("%s: still checked=%v after 3 clicks", key, !want)
		}
		// Bootstrap Italia draws the box on the label; the input itself is hidden under it.
		b.click("the checkbox "+key, fmt.Sprintf(`document.querySelector("label[for='" + %s + "']")`, jsString(id)))
		deadline := time.Now().Add(3 * time.Second)
		for checked() != want && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if attempt > 1 {
			b.t.Logf("  %s needed %d clicks", key, attempt)
		}
	}
}

// fieldValue waits for a field and reads the value the page shows.
func (b *tab) fieldValue(key string) string {
	b.t.Helper()
	b.waitField(key)
	return call[string](b, "read "+key, `(id) => { const el = document.getElementById(id); return el ? el.value : ""; }`, inputID(key))
}

// ---- the compiler ----

// gotoSection opens section i of the compiler by its entry in the stepper, and waits until
// its fields (or, for the last step, the summary) are on the page.
func (b *tab) gotoSection(s *shared.Schema, i int) {
	b.t.Helper()
	title := s.Sections[i].Title
	b.click("the stepper entry "+title, fmt.Sprintf(`document.querySelector(".stepper-item[data-section='%d']")`, i))
	b.waitJS("the compiler shows "+title, fmt.Sprintf(`(() => { const h = document.getElementById("section-title"); return (!!h && h.innerText.trim() === %s) || (h ? h.innerText : "no title"); })()`, jsString(title)), stepTimeout)
	if s.Sections[i].Confirm {
		b.waitJS("the summary of "+title, `!!document.querySelector("article.review .confirm-box")`, stepTimeout)
		return
	}
	for _, f := range s.Sections[i].Fields {
		if s.Applies(f.Key, shared.Data{}) {
			b.waitField(f.Key)
			return
		}
	}
}

// stepperState returns the classes of the stepper entry of section i.
func (b *tab) stepperState(i int) string {
	b.t.Helper()
	return eval[string](b, "stepper state", fmt.Sprintf(`(document.querySelector(".stepper-item[data-section='%d']") || {className: ""}).className`, i))
}

// fillSection types every value of data that belongs to section i and is not locked
// (generation data arrive filled in and grey), in the schema's order. It returns the keys it
// filled. Fields are filled in order, so a field that applies only after an earlier choice
// (provincia and comune of birth after "Italia") is on the page when its turn comes.
func (b *tab) fillSection(s *shared.Schema, i int, data shared.Data, skip map[string]bool) []string {
	b.t.Helper()
	var done []string
	for j := range s.Sections[i].Fields {
		f := &s.Sections[i].Fields[j]
		v, ok := data[f.Key]
		if !ok || f.Locked || skip[f.Key] {
			continue
		}
		if !s.Applies(f.Key, data) {
			continue
		}
		if bv, isBool := v.(bool); isBool && !bv {
			// An unticked box: check the page agrees and move on.
			b.waitField(f.Key)
			if call[bool](b, "read "+f.Key, `(id) => document.getElementById(id).checked`, inputID(f.Key)) {
				b.fail("%s is ticked, the fixture says no", f.Key)
			}
			continue
		}
		b.fillField(f, v)
		done = append(done, f.Key)
	}
	return done
}

// checkLocked asserts that the generation data of section i are shown grey, read-only, with the
// module's values.
func (b *tab) checkLocked(s *shared.Schema, i int) {
	b.t.Helper()
	for _, f := range s.Sections[i].Fields {
		if !f.Generation {
			continue
		}
		b.waitField(f.Key)
		got := call[string](b, "locked field "+f.Key, `(id) => {
  const el = document.getElementById(id);
  if (!el) return "missing";
  if (!el.readOnly && !el.disabled) return "editable";
  if (!el.closest(".field-locked")) return "not grey (.field-locked)";
  return "ok:" + el.value;
}`, inputID(f.Key))
		if !strings.HasPrefix(got, "ok:") || strings.TrimPrefix(got, "ok:") == "" {
			b.fail("generation field %s should be locked and filled: %s", f.Key, got)
		}
	}
}
