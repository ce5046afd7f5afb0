package shared

import "testing"

// TestFieldTable: the table answers every key as the map does — the fields of both modules,
// and keys no field has (one byte changed, cut, lengthened, short, empty) — and it was laid
// out, so the look-ups do not fall back to the map.
func TestFieldTable(t *testing.T) {
	for _, k := range []Kind{KindEM, KindA} {
		s := SchemaOf(k)
		if s.table.slots == nil {
			t.Fatalf("%s: no layout without collisions", k)
		}
		keys := []string{"", "a", "datore", "datore.", "abcdefg", "abcdefgh", "abcdefghi"}
		for _, o := range []Kind{KindEM, KindA} {
			for _, f := range SchemaOf(o).Fields() {
				keys = append(keys, f.Key, f.Key+"x", "x"+f.Key, f.Key[1:], f.Key[:len(f.Key)-1], " "+f.Key[1:])
				for i := range len(f.Key) {
					b := []byte(f.Key)
					b[i] ^= 0x20
					keys = append(keys, string(b))
				}
			}
		}
		for _, key := range keys {
			got, gotOK := s.field(key)
			want, wantOK := s.index[key]
			if got != want || gotOK != wantOK {
				t.Fatalf("%s: field(%q) = %v, %v; the map says %v, %v", k, key, got, gotOK, want, wantOK)
			}
		}
	}
}

// BenchmarkFieldLookup: every key of Modulo EM and as many unknown ones, by the table and by
// the map.
func BenchmarkFieldLookup(b *testing.B) {
	s := SchemaOf(KindEM)
	var keys []string
	for _, f := range s.Fields() {
		keys = append(keys, f.Key, f.Key+".x")
	}
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			for _, k := range keys {
				s.field(k)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			for _, k := range keys {
				_ = s.index[k]
			}
		}
	})
}
