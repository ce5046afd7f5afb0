package shared

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"nullaosta/shared/codicefiscale"
)

// Normalize returns the canonical form of the data: trimmed text, dates YYYY-MM-DD, money with a
// dot and two decimals, codice fiscale upper-case without spaces, codes of lists as the list
// writes them, telephone numbers without spaces; blank values and false checkboxes dropped.
// A value that cannot be read is kept, trimmed, so that validation still reports it; keys the
// module does not know are kept too. Used for storage and the receipt's hash.
func Normalize(k Kind, d Data) Data { return NormalizeInto(k, d, make(Data, len(d))) }

// NormalizeInto is Normalize into out, an empty map the caller lends.
func NormalizeInto(k Kind, d, out Data) Data {
	s := SchemaOf(k)
	for key, raw := range d {
		var f *Field
		if s != nil {
			f, _ = s.field(key)
		}
		if v, keep := normalizeValue(f, raw); keep {
			out[key] = v
		}
	}
	return out
}

func normalizeValue(f *Field, raw any) (any, bool) {
	switch x := raw.(type) {
	case nil:
		return nil, false
	case bool:
		return x, x
	case string:
		t := strings.TrimSpace(x)
		if t == "" {
			return nil, false
		}
		if f == nil {
			return sameOr(raw, x, t), true
		}
		if f.Type == TypeBool {
			switch strings.ToLower(t) {
			case "true", "on":
				return true, true
			case "false", "off":
				return nil, false
			}
			return sameOr(raw, x, t), true
		}
		return sameOr(raw, x, canonical(f, t)), true
	}
	return raw, true
}

// normalizeInto writes Normalize(ch.k, ch.d) into out after a run's first pass (see
// normalizeFields), and the keys no field has as normalizeValue writes them.
func (ch *checker) normalizeInto(out Data) {
	ch.normalizeFields()
	for _, f := range ch.s.fields {
		if v := ch.norms[f.pos]; v != nil {
			out[f.Key] = v
		}
	}
	for _, key := range ch.unknown {
		if v, keep := normalizeValue(nil, ch.d[key]); keep {
			out[key] = v
		}
	}
}

// normalizeFields keeps each field's normal value by position in ch.norms (nil: none, a value
// kept is never nil), for normalizeInto, normalizeData and content: a value the pass read well
// formed is taken from what it parsed, the others as normalizeValue writes them. For every
// type below, the parse that accepted the value is the one canonical runs, so the text is the
// same (TestPrepareSubmissionTwins, FuzzPrepareSubmission).
func (ch *checker) normalizeFields() {
	ch.norms = slices.Grow(ch.norms[:0], len(ch.s.fields))[:len(ch.s.fields)]
	for _, f := range ch.s.fields {
		r := &ch.raws[f.pos]
		if !r.present {
			continue
		}
		if v, keep := ch.normalized(f, r.v); keep {
			ch.norms[f.pos] = v
		}
	}
}

// normalizeData makes ch.d what normalizeInto(out) makes of out, after normalizeFields: each
// value whose normal form is another is replaced by it, each one Normalize drops is deleted,
// and the others, most of an application, are left as they are.
func (ch *checker) normalizeData() {
	for _, f := range ch.s.fields {
		r := &ch.raws[f.pos]
		if !r.present {
			continue
		}
		switch v := ch.norms[f.pos]; {
		case v == nil: // what normalizeValue does not keep is never nil
			delete(ch.d, f.Key)
		case changed(v, r.v):
			ch.d[f.Key] = v
		}
	}
	for _, key := range ch.unknown {
		raw := ch.d[key]
		switch v, keep := normalizeValue(nil, raw); {
		case !keep:
			delete(ch.d, key)
		case changed(v, raw):
			ch.d[key] = v
		}
	}
}

// changed reports whether v, what normalizeValue made of raw, is another value: a text is
// rewritten or made a checkbox's true; anything else it keeps as it is (values of other JSON
// types, which need not be comparable, are never compared).
func changed(v, raw any) bool {
	if r, ok := raw.(string); ok {
		s, ok := v.(string)
		return !ok || s != r
	}
	return false
}

// content is CanonicalJSONOf(ch.k, ch.d, out) after normalizeInto(out), made from the values it
// kept: the fields come by position, each with its rank among the canonical keys, so neither
// out is read back nor a key looked up again. Only the server writes contents: PrepareSubmission
// does not call it, and the browser's code does not hold it (nor encoding/json's encoder).
func (ch *checker) content() []byte {
	keys := canonicalKeysOf(ch.k)
	ps := ch.pairs[:0]
	for _, f := range ch.s.fields {
		r := &ch.raws[f.pos]
		if !r.present {
			continue
		}
		ck := &keys.byPos[f.pos]
		v := ch.norms[f.pos]
		keep := v != nil
		if !ck.same {
			// CanonicalJSON normalises it as the other module's field.
			v, keep = normalizeValue(ck.union, r.v)
		}
		if keep {
			ps = append(ps, canonicalPair{key: f.Key, v: v, rank: ck.rank})
		}
	}
	unknown := false
	for _, key := range ch.unknown {
		raw := ch.d[key]
		if ck, known := keys.of[key]; known {
			// A key of the other module only.
			if v, keep := normalizeValue(ck.union, raw); keep {
				ps = append(ps, canonicalPair{key: key, v: v, rank: ck.rank})
			}
		} else if v, keep := normalizeValue(nil, raw); keep {
			unknown = true
			ps = append(ps, canonicalPair{key: key, v: v, rank: -1})
		}
	}
	ch.pairs = ps
	return keys.write(ps, unknown)
}

// normalized is normalizeValue(f, raw) for a field of the run.
func (ch *checker) normalized(f *Field, raw any) (any, bool) {
	x, ok := raw.(string)
	v := &ch.vals[f.pos]
	if !ok || !v.ok {
		return normalizeValue(f, raw)
	}
	var n string
	switch f.Type {
	case TypeText, TypeEmail, TypeCAP, TypePhone, TypeDigits, TypeCodiceFiscale, TypeEnum, TypeHours:
		n = v.s
	case TypeDate:
		// ParseDate accepted it: written with a four-digit year first and dashes, it is
		// already YYYY-MM-DD (ParseDate takes no other such form), which is most dates sent.
		if t := strings.TrimSpace(x); len(t) == len(time.DateOnly) && t[4] == '-' && t[7] == '-' {
			n = t
		} else {
			var b [len(time.DateOnly)]byte
			n = sameText(t, v.t.AppendFormat(b[:0], time.DateOnly))
		}
	case TypeMoney:
		var b [24]byte
		n = sameText(strings.TrimSpace(x), appendDecimalMoney(b[:0], v.n))
	case TypeInteger, TypeYear:
		n = itoa(int(v.n))
	default:
		// A checkbox, or a code of a list canonical only puts in upper case.
		return normalizeValue(f, raw)
	}
	return sameOr(raw, x, n), true
}

// sameOr is raw, the text x, when its normal form n is the same text, else n: most values
// arrive already in their normal form, and putting a string in an interface allocates.
func sameOr(raw any, x, n string) any {
	if n == x {
		return raw
	}
	return n
}

// canonical returns the stored form of a non-empty value, or the value itself when it cannot be
// read.
func canonical(f *Field, t string) string {
	switch f.Type {
	// A date or an amount already written in its normal form is returned as it is, not built
	// again: its normal form is written on the stack and only compared.
	case TypeDate:
		if d, err := ParseDate(t); err == nil {
			var b [len(time.DateOnly)]byte
			return sameText(t, d.AppendFormat(b[:0], time.DateOnly))
		}
	case TypeMoney:
		if c, err := ParseMoney(t); err == nil {
			var b [24]byte
			return sameText(t, appendDecimalMoney(b[:0], c))
		}
	case TypeHours:
		if h, tp, err := ParseHours(t); err == nil {
			if tp {
				return "TP"
			}
			return itoa(h)
		}
	case TypeInteger:
		if n, err := ParseInteger(t); err == nil {
			return itoa(n)
		}
	case TypeYear:
		if n, err := ParseYear(t); err == nil {
			return itoa(n)
		}
	case TypePhone:
		if p, err := ParsePhone(t); err == nil {
			return p
		}
	case TypeDigits:
		if p, err := parseDigits(t, f.Len); err == nil {
			return p
		}
	case TypeCodiceFiscale:
		return codicefiscale.Normalize(t)
	case TypeCountry, TypeProvincia, TypeComune:
		return strings.ToUpper(t)
	case TypeEnum:
		if o, ok := f.option(t); ok {
			return o.Value
		}
	}
	return t
}

// sameText is t when b holds the same text, else b as a new string.
func sameText(t string, b []byte) string {
	if string(b) == t {
		return t
	}
	return string(b)
}

// unionField finds the field of a key in either module. Keys mean the same in both (a test keeps
// it so), and Modulo A's lists are the wider where they differ (SOGGIORNO).
func unionField(key string) *Field {
	if f, ok := SchemaOf(KindA).index[key]; ok {
		return f
	}
	if f, ok := SchemaOf(KindEM).index[key]; ok {
		return f
	}
	return nil
}

// CanonicalJSON returns the bytes a receipt's hash is computed over: the data normalised as
// Normalize does (for either module: keys mean the same in both), encoded as a JSON object with
// keys in byte order, no insignificant white space, and no HTML escaping. Equal applications
// give equal bytes however they were typed.
func CanonicalJSON(d Data) []byte {
	ps := make([]canonicalPair, 0, len(d))
	for key, raw := range d {
		if v, keep := normalizeValue(unionField(key), raw); keep {
			ps = append(ps, canonicalPair{key: key, v: v, rank: -1})
		}
	}
	slices.SortFunc(ps, func(a, b canonicalPair) int { return strings.Compare(a.key, b.key) })
	return writeCanonical(ps, nil, nil)
}

// CanonicalJSONOf is CanonicalJSON(d) for norm = Normalize(k, d), byte for byte
// (TestCanonicalJSONOf, FuzzCanonicalJSONOf): a value k's schema normalises as CanonicalJSON
// does is taken from norm instead of being normalised a second time, and the keys the schemas
// know are put in order by their rank in the sorted keys of both, not by comparing strings.
// On click day this was a twentieth of a submission's CPU.
func CanonicalJSONOf(k Kind, d, norm Data) []byte {
	keys := canonicalKeysOf(k)
	if keys == nil {
		return CanonicalJSON(d)
	}
	// The pairs of one application live only in this call: their slice is lent by a pool and
	// given back emptied (a new one was most of what building a submission's content
	// allocated; an array of them on the stack made the server copy its goroutines' stacks).
	scratch := canonicalScratch.Get().(*[]canonicalPair)
	ps := (*scratch)[:0]
	defer func() {
		clear(ps)
		if cap(ps) <= maxCanonicalRanks {
			*scratch = ps[:0]
			canonicalScratch.Put(scratch)
		}
	}()
	unknown := 0
	for key, v := range norm {
		ck, known := keys.of[key]
		switch {
		case !known: // neither module knows it: kept as Normalize keeps it
			unknown++
			ps = append(ps, canonicalPair{key: key, v: v, rank: -1})
		case ck.same:
			ps = append(ps, canonicalPair{key: key, v: v, rank: ck.rank})
		default:
			if v, keep := normalizeValue(ck.union, d[key]); keep {
				ps = append(ps, canonicalPair{key: key, v: v, rank: ck.rank})
			}
		}
	}
	// Normalize drops "false" and "off" of a checkbox; the other module's field may keep them.
	for _, key := range keys.boolOnlyHere {
		if _, in := norm[key]; in {
			continue
		}
		if raw, ok := d[key]; ok {
			ck := keys.of[key]
			if v, keep := normalizeValue(ck.union, raw); keep {
				ps = append(ps, canonicalPair{key: key, v: v, rank: ck.rank})
			}
		}
	}
	return keys.write(ps, unknown > 0)
}

// write writes the pairs of an application in canonical order; unknown says whether some key
// is neither schema's (rank -1).
func (keys *canonicalKeys) write(ps []canonicalPair, unknown bool) []byte {
	if unknown || len(keys.of) > maxCanonicalRanks {
		// The ranks do not place a key neither schema knows: compare the keys themselves.
		slices.SortFunc(ps, func(a, b canonicalPair) int { return strings.Compare(a.key, b.key) })
		return writeCanonical(ps, nil, nil)
	}
	// Each rank is one key: the pair of each rank is written in the order of the ranks, no
	// comparisons.
	var at [maxCanonicalRanks]uint8
	for i, p := range ps {
		at[p.rank] = uint8(i + 1)
	}
	return writeCanonical(ps, at[:len(keys.of)], keys.quoted)
}

var canonicalScratch = sync.Pool{New: func() any {
	ps := make([]canonicalPair, 0, 128)
	return &ps
}}

// maxCanonicalRanks bounds the keys of both schemas CanonicalJSONOf places by rank (103 now).
const maxCanonicalRanks = 255

// canonicalPair is one key of the canonical form with its normalised value and its rank among
// the keys of both schemas in byte order (-1: a key neither knows).
type canonicalPair struct {
	key  string
	v    any
	rank int
}

// canonicalKey is how CanonicalJSON normalises one key of a schema: with union (unionField),
// which gives the same as the module's own field when same.
type canonicalKey struct {
	union *Field
	same  bool
	rank  int
}

type canonicalKeys struct {
	of map[string]canonicalKey
	// quoted is, by rank, each key written as the canonical form writes it, with its colon:
	// the keys are half of the bytes written, and the same on every submission.
	quoted []string
	// byPos is, by position in the module's schema, the canonicalKey of each of its fields.
	byPos []canonicalKey
	// boolOnlyHere are the keys the module reads as a checkbox and the union does not.
	boolOnlyHere []string
}

var canonicalKeysOnce [2]struct {
	once sync.Once
	keys *canonicalKeys
}

// canonicalKeysOf is, for module k, every key either schema knows; nil for an unknown kind.
func canonicalKeysOf(k Kind) *canonicalKeys {
	var slot int
	switch k {
	case KindEM:
		slot = 0
	case KindA:
		slot = 1
	default:
		return nil
	}
	c := &canonicalKeysOnce[slot]
	c.once.Do(func() {
		own := SchemaOf(k)
		var all []string
		for _, kk := range []Kind{KindA, KindEM} {
			for _, f := range SchemaOf(kk).Fields() {
				all = append(all, f.Key)
			}
		}
		slices.Sort(all)
		all = slices.Compact(all)
		keys := &canonicalKeys{of: make(map[string]canonicalKey, len(all))}
		for rank, key := range all {
			u, f := unionField(key), own.index[key]
			keys.of[key] = canonicalKey{union: u, same: sameCanonical(f, u), rank: rank}
			keys.quoted = append(keys.quoted, string(append(appendJSONString(nil, key), ':')))
			if f != nil && f.Type == TypeBool && u.Type != TypeBool {
				keys.boolOnlyHere = append(keys.boolOnlyHere, key)
			}
		}
		keys.byPos = make([]canonicalKey, len(own.fields))
		for _, f := range own.fields {
			keys.byPos[f.pos] = keys.of[f.Key]
		}
		c.keys = keys
	})
	return c.keys
}

// sameCanonical reports whether normalizeValue gives the same with f as with g for any value:
// canonical reads only the type, the length of digits and the options' values.
func sameCanonical(f, g *Field) bool {
	switch {
	case f == g:
		return true
	case f == nil || g == nil || f.Type != g.Type || f.Len != g.Len:
		return false
	case f.Type == TypeEnum:
		return slices.EqualFunc(f.Options, g.Options, func(a, b Option) bool { return a.Value == b.Value })
	}
	return true
}

// writeCanonical writes the pairs in order: ps as they are when order is nil, else
// ps[order[0]-1], ps[order[1]-1]…, skipping the zeros, each key as quoted[its rank] writes it.
func writeCanonical(ps []canonicalPair, order []uint8, quoted []string) []byte {
	size := 2
	for _, p := range ps {
		size += len(p.key) + 4
		if t, ok := p.v.(string); ok {
			size += len(t) + 2
		} else {
			size += 8
		}
	}
	// Written by hand, byte for byte as encoding/json writes a map with SetEscapeHTML(false)
	// (TestCanonicalJSONAsEncodingJSON): it runs on every submission, and reflection over the
	// map was most of its cost.
	buf := make([]byte, 0, size)
	buf = append(buf, '{')
	var err error
	if order == nil {
		for i := range ps {
			if buf, err = appendCanonicalPair(buf, i > 0, &ps[i]); err != nil {
				break
			}
		}
	} else {
		n := 0
		for _, i := range order {
			if i == 0 {
				continue
			}
			p := &ps[i-1]
			if n > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, quoted[p.rank]...)
			if buf, err = appendCanonicalValue(buf, p.v); err != nil {
				break
			}
			n++
		}
	}
	if err != nil {
		// Only values that JSON cannot hold (NaN, channels) get here; Data decoded from
		// JSON never has them. Hashing their absence would make different inputs equal,
		// so the error is made part of the bytes.
		return []byte(`{"error":` + strconvQuote(err.Error()) + `}`)
	}
	return append(buf, '}')
}

// appendCanonicalPair appends "key":value, after a comma unless first.
func appendCanonicalPair(buf []byte, comma bool, p *canonicalPair) ([]byte, error) {
	if comma {
		buf = append(buf, ',')
	}
	buf = appendJSONString(buf, p.key)
	buf = append(buf, ':')
	return appendCanonicalValue(buf, p.v)
}

// appendCanonicalValue appends a normalised value.
func appendCanonicalValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		buf = appendJSONString(buf, v)
	case bool:
		buf = strconv.AppendBool(buf, v)
	default:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return buf, err
		}
		buf = append(buf, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
	}
	return buf, nil
}

// appendJSONString appends s quoted as encoding/json quotes a string without HTML escaping:
// \" \\ \b \f \n \r \t, other control characters as \u00XX, invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 as \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
