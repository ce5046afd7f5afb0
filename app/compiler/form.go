package compiler

import (
	"slices"
	"strings"
	"time"

	"nullaosta/shared"
)

// form is the compiler's model of one module while a person fills it in: the values, the
// problems the shared rules find in them, which problems to show yet, and each section's
// progress. It knows nothing of go-app, so every rule of the page is testable natively.
type form struct {
	kind     shared.Kind
	schema   *shared.Schema
	sections []shared.Section
	campaign shared.Campaign
	today    time.Time
	version  string // campaign.ParamsVersion(), once: it hashes the campaign's JSON

	data      shared.Data
	locked    map[string]bool // generation data: shown grey, never changed here
	lockRules bool            // also lock what the schema locks (Schema.Locked)
	check     *shared.FormCheck
	// unsettled: the problems come from checking the changes one by one (FormCheck.Changed)
	// since the last validation of the whole form, which settle runs when typing pauses.
	unsettled bool

	problems []shared.Problem
	byField  map[string][]shared.Problem
	section  map[string]int  // field key → index in sections
	touched  map[string]bool // fields changed in this session
	visited  map[int]bool    // sections the person has left: their missing fields count
	review   bool            // the person reached the summary: show everything

	// Each section's progress, kept between renders: the stepper shows every section's, and a
	// keystroke changes few (sectionProgress).
	steps       []progress
	stepsFresh  []bool
	stepsReview bool // review when steps were computed
}

// newModuleForm builds the model of a whole module from its stored parts. Generation values win
// over whatever the data holds for the same key: they are locked.
func newModuleForm(k shared.Kind, c shared.Campaign, generation, data shared.Data, today time.Time) *form {
	s := shared.SchemaOf(k)
	f := &form{kind: k, schema: s, campaign: c, today: today}
	if s != nil {
		f.sections = s.Sections
	}
	f.data = data.Clone()
	if f.data == nil {
		f.data = shared.Data{}
	}
	f.locked = map[string]bool{}
	for k, v := range generation {
		f.data[k] = v
		f.locked[k] = true
	}
	f.lockRules = true
	f.check = shared.NewFormCheck(k, &f.campaign, today, false)
	f.init()
	return f
}

// newGenerationForm builds the model of the website's "Genera modulo" form: the generation
// fields of kind k in one section, checked with ValidateGeneration.
func newGenerationForm(k shared.Kind, c shared.Campaign, data shared.Data, today time.Time) *form {
	f := &form{kind: k, schema: shared.SchemaOf(k), campaign: c, today: today}
	var fields []shared.Field
	for _, fl := range shared.GenerationFields(k) {
		fields = append(fields, *fl)
	}
	f.sections = []shared.Section{{ID: "generazione", Title: "Dati per generare il modulo", Fields: fields}}
	f.data = data.Clone()
	if f.data == nil {
		f.data = shared.Data{}
	}
	f.locked = map[string]bool{}
	f.check = shared.NewFormCheck(k, &f.campaign, today, true)
	f.init()
	return f
}

func (f *form) init() {
	f.section = map[string]int{}
	for i, sec := range f.sections {
		for _, fl := range sec.Fields {
			f.section[fl.Key] = i
		}
	}
	f.touched = map[string]bool{}
	f.visited = map[int]bool{}
	f.steps = make([]progress, len(f.sections))
	f.stepsFresh = make([]bool, len(f.sections))
	f.validate()
}

// validate runs the shared rules on the whole form.
func (f *form) validate() {
	f.problems = f.check.All(f.data)
	f.unsettled = false
	f.index()
	clear(f.stepsFresh)
}

// revalidate runs again what reads key, just changed: its first pass and the rules that read
// it (the whole form's problems, for a fraction of the work: this runs on every keystroke).
func (f *form) revalidate(key string) {
	// The progress that can change is that of the sections of: the field, the fields whose
	// conditions read it (whether they apply or are required), and every field with a problem
	// before or after (few: problems are what is still wrong).
	f.staleKey(key)
	for _, p := range f.problems {
		f.staleKey(p.Field)
	}
	f.problems = f.check.Changed(f.data, key)
	f.unsettled = true
	f.index()
	for _, p := range f.problems {
		f.staleKey(p.Field)
	}
	for _, k := range f.check.Reparsed() {
		f.staleKey(k)
	}
}

// staleKey marks the progress of the section of key to be computed again.
func (f *form) staleKey(key string) {
	if i, ok := f.section[key]; ok {
		f.stepsFresh[i] = false
	}
}

// sectionProgress is progressOf(i), computed again only when it may have changed.
func (f *form) sectionProgress(i int) progress {
	if f.review != f.stepsReview {
		clear(f.stepsFresh) // every problem shows now
		f.stepsReview = f.review
	}
	if !f.stepsFresh[i] {
		f.steps[i] = f.progressOf(i)
		f.stepsFresh[i] = true
	}
	return f.steps[i]
}

// settle validates the whole form after changes checked one by one, and reports whether the
// problems differ. They never should (FormCheck gives Validate's problems): this keeps what
// the person sees tied to the whole-form validation the server will run, at a moment when
// nobody types.
func (f *form) settle() bool {
	if !f.unsettled {
		return false
	}
	before := f.problems
	f.validate()
	return !slices.Equal(before, f.problems)
}

func (f *form) index() {
	if f.byField == nil {
		f.byField = make(map[string][]shared.Problem, len(f.problems))
	} else {
		clear(f.byField)
	}
	for _, p := range f.problems {
		f.byField[p.Field] = append(f.byField[p.Field], p)
	}
}

// paramsVersion is the campaign's ParamsVersion. The page asks for it on every render (is
// the draft filled under other parameters?) and the campaign does not change under it.
func (f *form) paramsVersion() string {
	if f.version == "" {
		f.version = f.campaign.ParamsVersion()
	}
	return f.version
}

// field returns the definition of key.
func (f *form) field(key string) (shared.Field, bool) {
	for _, sec := range f.sections {
		for _, fl := range sec.Fields {
			if fl.Key == key {
				return fl, true
			}
		}
	}
	return shared.Field{}, false
}

// set changes one value (a string, or a bool for checkboxes) and validates again. It reports
// whether anything changed; locked and unknown keys are refused.
func (f *form) set(key string, v any) bool {
	if f.isLocked(key) {
		return false
	}
	if _, ok := f.section[key]; !ok {
		return false
	}
	if old, had := f.data[key]; had && old == v {
		return false
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			if _, had := f.data[key]; !had {
				return false
			}
			delete(f.data, key)
		} else {
			f.data[key] = x
		}
	case bool:
		if !x {
			if _, had := f.data[key]; !had {
				return false
			}
			delete(f.data, key)
		} else {
			f.data[key] = true
		}
	default:
		return false
	}
	f.touched[key] = true
	f.revalidate(key)
	return true
}

// str returns the value of key as text ("" for a checkbox).
func (f *form) str(key string) string {
	if s, ok := f.data[key].(string); ok {
		return s
	}
	return ""
}

// applies reports whether the field is relevant for the current values.
func (f *form) applies(key string) bool {
	if f.schema == nil {
		return true
	}
	return f.schema.Applies(key, f.data)
}

// required reports whether the field must be filled in now.
func (f *form) required(fl shared.Field) bool { return f.requiredField(&fl) }

func (f *form) requiredField(fl *shared.Field) bool {
	if f.schema == nil {
		return fl.Required
	}
	return f.schema.Required(fl.Key, f.data)
}

// isLocked reports whether the field is a generation datum.
func (f *form) isLocked(key string) bool {
	return f.locked[key] || (f.lockRules && f.schema != nil && f.schema.Locked(key, f.data))
}

// shown reports whether a problem should be shown now. A problem of an empty field (missing,
// a box to tick) is only pointed out once the person has touched the field, left its section,
// or reached the summary; a problem of a value (a wrong date, a salary below the minimum) is
// shown at once.
func (f *form) shown(p shared.Problem) bool {
	if f.data.Filled(p.Field) || f.review || f.touched[p.Field] {
		return true
	}
	i, ok := f.section[p.Field]
	return !ok || f.visited[i]
}

// fieldProblems returns the shown problems of key, split by severity.
func (f *form) fieldProblems(key string) (errs, warns []shared.Problem) {
	for _, p := range f.byField[key] {
		if !f.shown(p) {
			continue
		}
		if p.Severity == shared.SeverityWarning {
			warns = append(warns, p)
		} else {
			errs = append(errs, p)
		}
	}
	return errs, warns
}

// shownProblems returns every problem to show now, errors then warnings, in schema order.
func (f *form) shownProblems(sev shared.Severity) []shared.Problem {
	var out []shared.Problem
	for _, p := range f.problems {
		if p.Severity == sev && f.shown(p) {
			out = append(out, p)
		}
	}
	return out
}

// errorCount is the number of blocking problems, shown or not.
func (f *form) errorCount() int {
	n := 0
	for _, p := range f.problems {
		if p.Severity != shared.SeverityWarning {
			n++
		}
	}
	return n
}

// canConfirm reports whether the module has no blocking problem.
func (f *form) canConfirm() bool { return !shared.HasErrors(f.problems) }

// progress is one section's state for the stepper.
type progress struct {
	Filled   int // required fields that hold a value
	Required int // fields required now
	Errors   int // shown errors
	Warnings int // shown warnings
}

// Complete reports whether every required field is filled and nothing is wrong.
func (p progress) Complete() bool { return p.Filled == p.Required && p.Errors == 0 }

// progressOf computes the progress of section i. The stepper shows every section's on every
// render, so it counts without copying fields or collecting problems.
func (f *form) progressOf(i int) progress {
	var pr progress
	if i < 0 || i >= len(f.sections) {
		return pr
	}
	fields := f.sections[i].Fields
	for j := range fields {
		key := fields[j].Key
		if !f.applies(key) {
			continue
		}
		if f.requiredField(&fields[j]) {
			pr.Required++
			if f.data.Filled(key) {
				pr.Filled++
			}
		}
		errs, warns := f.problemCounts(key)
		pr.Errors += errs
		pr.Warnings += warns
	}
	return pr
}

// problemCounts counts the shown problems of key by severity.
func (f *form) problemCounts(key string) (errs, warns int) {
	for _, p := range f.byField[key] {
		switch {
		case !f.shown(p):
		case p.Severity == shared.SeverityWarning:
			warns++
		default:
			errs++
		}
	}
	return errs, warns
}

// sectionOf returns the index of the section holding key, or -1.
func (f *form) sectionOf(key string) int {
	if i, ok := f.section[key]; ok {
		return i
	}
	return -1
}

// leave marks section i as visited when the person worked in it (touched one of its fields):
// its missing required fields are pointed out from now on. Jumping through sections without
// typing turns nothing red: errors are for what the person touched or tried to confirm.
func (f *form) leave(i int) {
	if i < 0 || i >= len(f.sections) {
		return
	}
	for _, fl := range f.sections[i].Fields {
		if f.touched[fl.Key] {
			f.visited[i] = true
			f.stepsFresh[i] = false
			return
		}
	}
}

// visitedList and restoreVisited keep the visited sections across reloads (Draft.Extra).
func (f *form) visitedList() string {
	var ids []string
	for i := range f.sections {
		if f.visited[i] {
			ids = append(ids, f.sections[i].ID)
		}
	}
	return strings.Join(ids, ",")
}

func (f *form) restoreVisited(s string) {
	ids := strings.Split(s, ",")
	for i, sec := range f.sections {
		if slices.Contains(ids, sec.ID) {
			f.visited[i] = true
		}
	}
	clear(f.stepsFresh)
}

// snapshot returns a copy of the values, safe to hand to another goroutine.
func (f *form) snapshot() shared.Data { return f.data.Clone() }
