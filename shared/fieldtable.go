package shared

// fieldTable finds a module's field by key, as Schema.index does, in a table without
// collisions: a key's slot comes from its length and its first and last eight bytes, and a
// lookup is one multiplication, one load and one comparison of the key. Validation looks a key
// up about a hundred times per application (every key sent, every value a rule reads); through
// the map these look-ups were a tenth of a submission's validation on the server, and they are
// as many on every keystroke in the browser.
//
// A key sent that no field has lands in some slot and fails the comparison: the answer is the
// map's for any key (TestFieldTable).
type fieldTable struct {
	slots []*Field // nil: no multiplier spreads the keys apart, ask the map
	mul   uint64
	shift uint
}

// newFieldTable lays out fields in a table of at least four slots per key, trying multipliers
// until no two keys share a slot.
func newFieldTable(fields []*Field) fieldTable {
	bits := uint(1)
	for 1<<bits < 4*len(fields) {
		bits++
	}
	// Odd multipliers from a fixed sequence: the table is the same on every run.
	seed := uint64(0x9e3779b97f4a7c15)
	for try := 0; try < 1000; try++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		t := fieldTable{slots: make([]*Field, 1<<bits), mul: seed | 1, shift: 64 - bits}
		ok := true
		for _, f := range fields {
			i := t.slot(f.Key)
			if t.slots[i] != nil {
				ok = false
				break
			}
			t.slots[i] = f
		}
		if ok {
			return t
		}
	}
	return fieldTable{}
}

// slot is where key would be.
func (t *fieldTable) slot(key string) uint64 {
	n := len(key)
	var x uint64
	if n >= 8 {
		x = load64(key[:8]) ^ load64(key[n-8:])*0xff51afd7ed558ccd
	} else {
		for i := 0; i < n; i++ {
			x = x<<8 | uint64(key[i])
		}
	}
	return ((x ^ uint64(n)) * t.mul) >> t.shift
}

// load64 reads the first eight bytes of s, little-endian (the compiler makes it one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// field is the field with that key, as s.index answers.
func (s *Schema) field(key string) (*Field, bool) {
	t := &s.table
	if t.slots == nil {
		f, ok := s.index[key]
		return f, ok
	}
	if f := t.slots[t.slot(key)]; f != nil && f.Key == key {
		return f, true
	}
	return nil, false
}
