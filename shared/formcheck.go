package shared

import (
	"slices"
	"time"
)

// FormCheck validates a form that changes one value at a time, as the compiler does on every
// keystroke, without running every rule on every field again: it gives what Validate gives for
// the same data, problem for problem, by running again only the parts of the validation that
// read what changed.
//
// The dependencies are not a list kept by hand: while a part runs (a field's first pass, with
// the conditions that decide whether the field applies, is required or locked; one rule), the
// checker notes every value it reads, as typed and as parsed. A part is a function of what it
// read, so a part none of whose reads changed would do the same again and keeps its problems.
// A rule that marks a value wrong changes what the later rules see of it: that counts as a
// change for the rules after it that read the value.
type FormCheck struct {
	ch     checker
	ready  bool
	parses []trace // by field position
	rules  []trace // by position in rules
	// unknown are the problems of keys the module does not have: they change only when such a
	// key does, which runs everything again.
	unknown []placed

	changed  []bool   // scratch: fields whose parsed value changed
	reparsed []string // the fields whose first pass the last Changed ran again
	oldBad   []bool   // scratch: fields the rules run so far had marked wrong before the change
	fails    []int32  // scratch: a rerun rule's earlier marks
	out      []placed
}

// trace is what one part of the validation read, marked wrong and found.
type trace struct {
	raw   []string // keys whose value as typed it read
	vals  []int32  // fields whose parsed value (or mark) it read
	fails []int32  // fields it marked wrong
	probs []placed
}

func (t *trace) reset() {
	t.raw, t.vals, t.fails = t.raw[:0], t.vals[:0], t.fails[:0]
	clear(t.probs)
	t.probs = t.probs[:0]
}

func (t *trace) readsRaw(keys []string) bool {
	for _, r := range t.raw {
		for _, k := range keys {
			if r == k {
				return true
			}
		}
	}
	return false
}

// tracer is the reader of a checker that follows reads.
type tracer struct{ ch *checker }

func (t tracer) Str(key string) string  { t.note(key); return t.ch.d.Str(key) }
func (t tracer) Bool(key string) bool   { t.note(key); return t.ch.d.Bool(key) }
func (t tracer) Filled(key string) bool { t.note(key); return t.ch.d.Filled(key) }
func (t tracer) note(key string)        { t.ch.tr.raw = append(t.ch.tr.raw, key) }

// same reports whether two first passes of a field found the same value. The comune is looked
// up again on every pass: the same code is the same comune.
func (v *val) same(w *val) bool {
	return v.filled == w.filled && v.ok == w.ok && v.s == w.s && v.b == w.b && v.t == w.t &&
		v.n == w.n && v.tp == w.tp && v.bad == w.bad && (v.comune == nil) == (w.comune == nil)
}

// NewFormCheck prepares the validation of a form of kind k on the given day (see Validate); a
// nil campaign means the official one. generation checks only the generation data, as
// ValidateGeneration does. An unknown kind gets what Validate says of it.
func NewFormCheck(k Kind, c *Campaign, today time.Time, generation bool) *FormCheck {
	fc := &FormCheck{}
	fc.ch = checker{s: SchemaOf(k), k: k, today: RomeDay(today), gen: generation}
	if c == nil {
		if oc, ok := OfficialCampaign(k); ok {
			c = &oc
		}
	} else {
		cc := *c
		c = &cc
	}
	fc.ch.c = c
	if s := fc.ch.s; s != nil {
		n := len(s.fields)
		fc.ch.vals = make([]val, n)
		fc.parses = make([]trace, n)
		fc.changed = make([]bool, n)
		fc.oldBad = make([]bool, n)
	}
	fc.rules = make([]trace, len(rules))
	return fc
}

// All validates every field of d, as Validate (or ValidateGeneration) does, and notes what
// each part read for Changed.
func (fc *FormCheck) All(d Data) []Problem {
	ch := &fc.ch
	if ch.s == nil || ch.c == nil {
		return run(ch.k, ch.c, d, ch.today, ch.gen)
	}
	ch.d = d
	clear(ch.vals)
	ch.probs = ch.probs[:0]
	ch.tr = nil
	ch.unknownKeys()
	fc.unknown = append(fc.unknown[:0], ch.probs...)
	for i, f := range ch.s.fields {
		t := &fc.parses[i]
		t.reset()
		if !ch.gen || f.Generation {
			ch.tr = t
			ch.parse(f)
		}
	}
	for j, r := range rules {
		t := &fc.rules[j]
		t.reset()
		ch.tr = t
		r(ch)
	}
	ch.tr = nil
	fc.clearMarks()
	fc.ready = true
	return fc.problems()
}

// Changed validates d again after the values of keys changed in it (every key changed since
// the last call must be named), running only the fields' first passes and the rules that read
// them. The result is what All(d) would give.
func (fc *FormCheck) Changed(d Data, keys ...string) []Problem {
	ch := &fc.ch
	if !fc.ready || ch.s == nil || ch.c == nil {
		return fc.All(d)
	}
	for _, k := range keys {
		if f, ok := ch.s.field(k); !ok || (ch.gen && !f.Generation) {
			// A key the form does not have: its problem is among the unknown keys.
			return fc.All(d)
		}
	}
	ch.d = d
	clear(fc.changed)
	fc.reparsed = fc.reparsed[:0]
	for i, f := range ch.s.fields {
		t := &fc.parses[i]
		if !t.readsRaw(keys) {
			continue
		}
		fc.reparsed = append(fc.reparsed, f.Key)
		old := ch.vals[i]
		ch.vals[i] = val{}
		t.reset()
		ch.tr = t
		ch.parse(f)
		fc.changed[i] = !old.same(&ch.vals[i])
	}
	// The rules run in order, each seeing the marks of the ones before it: a rule runs again
	// when a value it read changed, or when the marks on it before this rule are not the ones
	// it saw last time.
	clear(fc.oldBad)
	for j, r := range rules {
		t := &fc.rules[j]
		again := t.readsRaw(keys)
		for _, p := range t.vals {
			if again {
				break
			}
			again = fc.changed[p] || ch.vals[p].bad != fc.oldBad[p]
		}
		if !again {
			for _, p := range t.fails {
				ch.vals[p].bad, fc.oldBad[p] = true, true
			}
			continue
		}
		fc.fails = append(fc.fails[:0], t.fails...)
		t.reset()
		ch.tr = t
		r(ch)
		for _, p := range fc.fails {
			fc.oldBad[p] = true
		}
	}
	ch.tr = nil
	fc.clearMarks()
	return fc.problems()
}

// Reparsed returns the fields whose first pass the last Changed ran again: the changed
// fields, and those whose conditions (applies, required) read them. Whether any other field
// applies or is required did not change. The slice is reused by the next call.
func (fc *FormCheck) Reparsed() []string { return fc.reparsed }

// clearMarks leaves the parsed values as the first pass made them, for the next Changed.
func (fc *FormCheck) clearMarks() {
	for i := range fc.ch.vals {
		fc.ch.vals[i].bad = false
	}
	fc.ch.d = nil
}

// problems puts the parts' problems together in the order Validate gives them: by field in
// schema order, unknown keys last, and within a field first pass then rules in their order.
func (fc *FormCheck) problems() []Problem {
	out := append(fc.out[:0], fc.unknown...)
	for i := range fc.parses {
		out = append(out, fc.parses[i].probs...)
	}
	for j := range fc.rules {
		out = append(out, fc.rules[j].probs...)
	}
	slices.SortStableFunc(out, func(a, b placed) int { return a.pos - b.pos })
	ps := make([]Problem, len(out))
	for i, p := range out {
		ps[i] = p.p
	}
	clear(out)
	fc.out = out[:0]
	return ps
}
