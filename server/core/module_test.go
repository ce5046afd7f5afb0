package core

import (
	"strings"
	"testing"

	"nullaosta/shared"
)

func TestModuleIDRoundTrip(t *testing.T) {
	for _, n := range []uint64{0, 1, 12345, 1<<40 - 1, 0xDEADBEEF} {
		for _, k := range []shared.Kind{shared.KindEM, shared.KindA} {
			id := FormatModuleID(k, n)
			got, err := ParseModuleID(id)
			if err != nil || got != id {
				t.Fatalf("ParseModuleID(%q) = %q, %v", id, got, err)
			}
		}
	}
	if id := FormatModuleID(shared.KindEM, 0); id != "EM-0000-0000-0" {
		t.Fatalf("FormatModuleID(0) = %q", id)
	}
}

func TestParseModuleID(t *testing.T) {
	id := FormatModuleID(shared.KindEM, 0x3A5F09C1D2)
	plain := strings.ReplaceAll(id, "-", "")
	for _, tc := range []struct {
		in      string
		want    string
		wantErr bool
	}{
		{id, id, false},
		{strings.ToLower(id), id, false},
		{plain, id, false},
		{strings.ToLower(plain), id, false},
		{" " + id[:2] + " " + id[3:7] + " " + id[8:] + " ", id, false},
		{"", "", true},
		{"EM-1234", "", true},
		{"XX-0000-0000-0", "", true},
		{"EM-0000-0000-U", "", true}, // wrong check symbol
		{"EM-00U0-0000-0", "", true}, // U is not a data symbol
	} {
		got, err := ParseModuleID(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseModuleID(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseModuleID(%q) error code %q", tc.in, ErrorCode(err))
		}
	}
	// O and I/L are read as 0 and 1.
	one := FormatModuleID(shared.KindA, 1<<35|1) // A-1000-0001-…
	typed := strings.NewReplacer("0", "O", "1", "l").Replace(one[2:11])
	if got, err := ParseModuleID("A-" + typed + one[11:]); err != nil || got != one {
		t.Errorf("look-alikes: %q, %v; want %q", got, err, one)
	}
}

// TestModuleIDCatchesTypos: every single wrong symbol and every swap of two adjacent different
// symbols is refused.
func TestModuleIDCatchesTypos(t *testing.T) {
	for _, n := range []uint64{0x123456789A, 0xFEDCBA9876, 42} {
		id := FormatModuleID(shared.KindEM, n)
		b := []byte(strings.ReplaceAll(id, "-", ""))
		for i := 2; i < len(b)-1; i++ {
			for _, c := range []byte(crockford) {
				if c == b[i] {
					continue
				}
				typo := append([]byte(nil), b...)
				typo[i] = c
				if _, err := ParseModuleID(string(typo)); err == nil {
					t.Fatalf("%s: typo %s at %d accepted", id, typo, i)
				}
			}
			if i+1 < len(b)-1 && b[i] != b[i+1] {
				swap := append([]byte(nil), b...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				if _, err := ParseModuleID(string(swap)); err == nil {
					t.Fatalf("%s: swap %s accepted", id, swap)
				}
			}
		}
	}
}

// TestModuleIDCheckIsAlphanumeric: a new identifier never ends in one of the symbols *~$=U,
// whatever the random bits, and it stays a valid identifier.
func TestModuleIDCheckIsAlphanumeric(t *testing.T) {
	symbols := 0
	for n := uint64(0); n < 37*200; n++ {
		for _, base := range []uint64{0, 0xFEDCBA9876, 1<<40 - 37*200} {
			id := FormatModuleID(shared.KindEM, base+n)
			if c := id[len(id)-1]; !strings.ContainsRune(crockford, rune(c)) {
				t.Fatalf("FormatModuleID(%#x) = %s ends in a symbol", base+n, id)
			}
			if got, err := ParseModuleID(id); err != nil || got != id {
				t.Fatalf("ParseModuleID(%q) = %q, %v", id, got, err)
			}
		}
		if (n % 37) >= 32 {
			symbols++
		}
	}
	if symbols == 0 {
		t.Fatal("the loop never met a value whose check was a symbol")
	}
}

// TestOldModuleIDsStayValid: identifiers given before, ending in a symbol, are read as they are.
func TestOldModuleIDsStayValid(t *testing.T) {
	for _, id := range []string{"EM-A4JD-8ZE7-*", "EM-H1PF-43MX-~"} {
		got, err := ParseModuleID(id)
		if err != nil || got != id {
			t.Errorf("ParseModuleID(%q) = %q, %v", id, got, err)
		}
	}
	for r := uint64(32); r < 37; r++ {
		id := formatModuleID(shared.KindA, 37*1000+r)
		if got, err := ParseModuleID(strings.ToLower(id)); err != nil || got != id {
			t.Errorf("old id %s: %q, %v", id, got, err)
		}
	}
}

// TestModuleIDCatchesEveryTypo: over many new identifiers, every wrong symbol in any place
// (the check included) and every swap of two adjacent different symbols (the check included)
// is refused.
func TestModuleIDCatchesEveryTypo(t *testing.T) {
	for i := uint64(0); i < 300; i++ {
		id := FormatModuleID(shared.KindEM, i*0x9E3779B97F4A7C15>>24)
		b := []byte(strings.ReplaceAll(id, "-", ""))
		for p := 2; p < len(b); p++ {
			for _, c := range []byte(checkSymbols) {
				if c == b[p] || (p < len(b)-1 && strings.IndexByte(crockford, c) < 0) {
					continue
				}
				typo := append([]byte(nil), b...)
				typo[p] = c
				if _, err := ParseModuleID(string(typo)); err == nil {
					t.Fatalf("%s: typo %s accepted", id, typo)
				}
			}
			if p+1 < len(b) && b[p] != b[p+1] && strings.IndexByte(crockford, b[p+1]) >= 0 {
				swap := append([]byte(nil), b...)
				swap[p], swap[p+1] = swap[p+1], swap[p]
				if _, err := ParseModuleID(string(swap)); err == nil {
					t.Fatalf("%s: swap %s accepted", id, swap)
				}
			}
		}
	}
}

// TestModuleIDCheckSpread: the check symbols of new identifiers are evenly spread over the 32
// digits and letters (none is favoured by moving the values whose check was a symbol).
func TestModuleIDCheckSpread(t *testing.T) {
	counts := map[byte]int{}
	const n = 37 * 32 * 50
	for i := uint64(0); i < n; i++ {
		id := FormatModuleID(shared.KindEM, i*0x9E3779B1)
		counts[id[len(id)-1]]++
	}
	if len(counts) != 32 {
		t.Fatalf("%d different check symbols, want 32: %v", len(counts), counts)
	}
	for c, k := range counts {
		if k < n/32*8/10 || k > n/32*12/10 {
			t.Errorf("check %c: %d of %d, want about %d", c, k, n, n/32)
		}
	}
}
