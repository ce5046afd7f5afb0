package codicefiscale

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

// refCheckChar is an independent implementation of the check character (the
// official odd/even tables written out per character), used to build test
// vectors without trusting the package's own tables.
func refCheckChar(first15 string) byte {
	odd := map[rune]int{
		'0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
		'A': 1, 'B': 0, 'C': 5, 'D': 7, 'E': 9, 'F': 13, 'G': 15, 'H': 17, 'I': 19, 'J': 21,
		'K': 2, 'L': 4, 'M': 18, 'N': 20, 'O': 11, 'P': 3, 'Q': 6, 'R': 8, 'S': 12, 'T': 14,
		'U': 16, 'V': 10, 'W': 22, 'X': 25, 'Y': 24, 'Z': 23,
	}
	even := map[rune]int{}
	for i, r := range "0123456789" {
		even[r] = i
	}
	for i, r := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
		even[r] = i
	}
	sum := 0
	for i, r := range first15[:15] {
		if (i+1)%2 == 1 {
			sum += odd[r]
		} else {
			sum += even[r]
		}
	}
	return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sum%26]
}

// withCheck returns the first 15 characters of code followed by the correct
// check character.
func withCheck(code string) string { return code[:15] + string(refCheckChar(code)) }

// omocode replaces the digits at the given 1-based positions with their
// omocodia letters and recomputes the check character.
func omocode(code string, positions ...int) string {
	b := []byte(code)
	for _, p := range positions {
		b[p-1] = "LMNPQRSTUV"[b[p-1]-'0']
	}
	return withCheck(string(b))
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func errCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "not *Error: " + err.Error()
	}
	return e.Code
}

func TestRefCheckCharKnownVectors(t *testing.T) {
	// Published examples, so the reference helper itself is checked.
	for _, code := range []string{"RSSMRA80A01H501U", "RSSMRA85T10A562S"} {
		if got := withCheck(code); got != code {
			t.Errorf("refCheckChar(%s) gives %s", code, got)
		}
	}
}

// TestNormalizeUnchanged: what Normalize gives back without copying is exactly what the
// upper-casing, space-dropping loop gives.
func TestNormalizeUnchanged(t *testing.T) {
	slow := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
				continue
			}
			b.WriteRune(unicode.ToUpper(r))
		}
		return b.String()
	}
	for c := 0; c < 0x100; c++ {
		for _, s := range []string{string(rune(c)), "RSSMRA" + string(rune(c)) + "80A01H501U", "AB" + string([]byte{byte(c)})} {
			if got, want := Normalize(s), slow(s); got != want {
				t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"", "RSSMRA80A01H501U", "rssmra80a01h501u", " RSS\tMRA", "RSS\u200bMRA", "ÀB", "A\u00a0B", "A\u0085B", "A\vB\f"} {
		if got, want := Normalize(s), slow(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rss mra 80a01 h501u", "RSSMRA80A01H501U"},
		{"  RSSMRA80A01H501U\t\n", "RSSMRA80A01H501U"},
		{"RSSMRA80A01H501U", "RSSMRA80A01H501U"},
		{"", ""},
		{"007 4311 0157", "00743110157"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name string
		p    Person
		want string // first 15 characters; the 16th is checked with refCheckChar
	}{
		{"Mario Rossi", Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 1, 1), Place: "H501"}, "RSSMRA80A01H501U"},
		{"Wikipedia example", Person{Surname: "Rossi", Name: "Mario", Birth: date(1985, 12, 10), Place: "A562"}, "RSSMRA85T10A562S"},
		{"woman day+40", Person{Surname: "Bianchi", Name: "Maria", Female: true, Birth: date(1985, 7, 15), Place: "F205"}, "BNCMRA85L55F205D"},
		{"woman day 1 -> 41", Person{Surname: "Verdi", Name: "Anna", Female: true, Birth: date(2001, 2, 1), Place: "D205"}, "VRDNNA01B41D205"},
		{"woman day 31 -> 71", Person{Surname: "Verdi", Name: "Anna", Female: true, Birth: date(1999, 12, 31), Place: "D205"}, "VRDNNA99T71D205"},
		{"name 4+ consonants", Person{Surname: "Rossi", Name: "Gianfranco", Birth: date(1970, 3, 5), Place: "L219"}, "RSSGFR70C05L219"},
		{"two names 4+ consonants", Person{Surname: "Rossi", Name: "Maria Grazia", Female: true, Birth: date(1970, 3, 5), Place: "L219"}, "RSSMGR70C45L219"},
		{"name exactly 3 consonants", Person{Surname: "Rossi", Name: "Carlo", Birth: date(1970, 4, 5), Place: "L219"}, "RSSCRL70D05L219"},
		{"name 4 consonants with repeat", Person{Surname: "Rossi", Name: "Roberto", Birth: date(1970, 4, 5), Place: "L219"}, "RSSRRT70D05L219"},
		{"name 2 consonants + vowel", Person{Surname: "Rossi", Name: "Luca", Birth: date(1970, 5, 5), Place: "L219"}, "RSSLCU70E05L219"},
		{"surname consonants then vowels", Person{Surname: "Neri", Name: "Ugo", Birth: date(1960, 6, 6), Place: "F839"}, "NREGUO60H06F839"},
		{"surname X padding", Person{Surname: "Fo", Name: "Dario", Birth: date(1926, 3, 24), Place: "E734"}, "FOXDRA26C24E734"},
		{"name X padding", Person{Surname: "Wang", Name: "Wu", Birth: date(1990, 8, 9), Place: "Z210"}, "WNGWUX90M09Z210"},
		{"only vowels surname", Person{Surname: "Oe", Name: "Ai", Female: true, Birth: date(1990, 8, 9), Place: "Z219"}, "OEXAIX90M49Z219"},
		{"apostrophe", Person{Surname: "D'Amico", Name: "Luigi", Birth: date(1975, 10, 20), Place: "G273"}, "DMCLGU75R20G273"},
		{"space in surname", Person{Surname: "De Luca", Name: "Paolo", Birth: date(1975, 11, 20), Place: "F839"}, "DLCPLA75S20F839"},
		{"hyphen", Person{Surname: "Rossi-Bianchi", Name: "Anna-Maria", Female: true, Birth: date(1975, 9, 20), Place: "F839"}, "RSSNMR75P60F839"},
		{"accented letters", Person{Surname: "Nicolò", Name: "José", Birth: date(1982, 2, 28), Place: "Z131"}, "NCLJSO82B28Z131"},
		{"accented vowels matter for padding", Person{Surname: "Còla", Name: "Èva", Female: true, Birth: date(1982, 2, 28), Place: "H501"}, "CLOVEA82B68H501"},
		{"lower-case and spaces in place", Person{Surname: "rossi", Name: "mario", Birth: date(1980, 1, 1), Place: " h501 "}, "RSSMRA80A01H501U"},
		{"foreign birthplace Z code", Person{Surname: "Perera", Name: "Nimal", Birth: date(1978, 4, 12), Place: "Z209"}, "PRRNML78D12Z209"},
		{"2000s year", Person{Surname: "Rossi", Name: "Mario", Birth: date(2005, 7, 9), Place: "H501"}, "RSSMRA05L09H501"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.p)
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}
			want := tt.want
			if len(want) == 15 {
				want += "?"
			}
			want = withCheck(want)
			if len(tt.want) == 16 && want != tt.want {
				t.Fatalf("test vector %s has wrong check character (want %s)", tt.want, want)
			}
			if got != want {
				t.Errorf("Compute = %s, want %s", got, want)
			}
			if err := Check(got); err != nil {
				t.Errorf("Check(%s): %v", got, err)
			}
			if m := Mismatches(got, tt.p); len(m) != 0 {
				t.Errorf("Mismatches(%s) = %v, want none", got, m)
			}
		})
	}
}

func TestComputeErrors(t *testing.T) {
	full := Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 1, 1), Place: "H501"}
	tests := []struct {
		name    string
		edit    func(p *Person)
		wantErr string
		mention string
	}{
		{"no surname", func(p *Person) { p.Surname = "" }, CodeIncomplete, "il cognome"},
		{"surname without letters", func(p *Person) { p.Surname = "'- " }, CodeIncomplete, "il cognome"},
		{"no name", func(p *Person) { p.Name = "  " }, CodeIncomplete, "il nome"},
		{"no birth", func(p *Person) { p.Birth = time.Time{} }, CodeIncomplete, "data di nascita"},
		{"no place", func(p *Person) { p.Place = "" }, CodeIncomplete, "luogo di nascita"},
		{"sex unknown", func(p *Person) { p.SexUnknown = true }, CodeIncomplete, "il sesso"},
		{"several missing", func(p *Person) { p.Name, p.Place = "", "" }, CodeIncomplete, "il nome e il luogo di nascita"},
		{"bad place", func(p *Person) { p.Place = "Roma" }, CodeFormat, "Roma"},
		{"bad place digits", func(p *Person) { p.Place = "H5O1" }, CodeFormat, "H5O1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := full
			tt.edit(&p)
			code, err := Compute(p)
			if got := errCode(err); got != tt.wantErr {
				t.Fatalf("Compute = %q, %v; want error code %q", code, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("message %q does not mention %q", err.Error(), tt.mention)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, input, wantErr string
	}{
		{"valid", "RSSMRA80A01H501U", ""},
		{"valid Wikipedia", "RSSMRA85T10A562S", ""},
		{"valid woman", "BNCMRA85L55F205D", ""},
		{"lowercase", "rssmra80a01h501u", ""},
		{"spaces inside and around", "  rss mra 80a01 h501u ", ""},
		{"tabs and newlines", "RSSMRA80\tA01H501U\n", ""},
		{"omocodia pos 15 (hand-verified)", "RSSMRA80A01H50MM", ""},
		{"omocodia pos 14,15", omocode("RSSMRA80A01H501U", 14, 15), ""},
		{"omocodia all seven", omocode("RSSMRA80A01H501U", 7, 8, 10, 11, 13, 14, 15), ""},
		{"omocodia woman day", omocode("BNCMRA85L55F205D", 10, 11), ""},
		{"day 31", withCheck("RSSMRA80A31H501?"), ""},
		{"day 41", withCheck("RSSMRA80A41H501?"), ""},
		{"day 71", withCheck("RSSMRA80A71H501?"), ""},
		{"foreign place", withCheck("PRRNML78D12Z209?"), ""},

		{"empty", "", CodeLength},
		{"15 chars", "RSSMRA80A01H501", CodeLength},
		{"17 chars", "RSSMRA80A01H501UX", CodeLength},
		{"1 char", "R", CodeLength},
		{"12 digits", "007431101570", CodeLength},
		{"10 digits", "0074311015", CodeLength},

		{"digit in surname", withCheck("R5SMRA80A01H501?"), CodeFormat},
		{"letter in year not omocodia", withCheck("RSSMRA8AA01H501?"), CodeFormat},
		{"omocodia letter O not allowed", withCheck("RSSMRA8OA01H501?"), CodeFormat},
		{"digit as month", withCheck("RSSMRA80101H501?"), CodeFormat},
		{"digit as place letter", withCheck("RSSMRA80A011501?"), CodeFormat},
		{"digit as check char", "RSSMRA80A01H5010", CodeFormat},
		{"punctuation", "RSSMRA80A01H501.", CodeFormat},
		{"hyphen", "RSS-MRA80A01H501", CodeFormat},
		{"non-ASCII letter", "RSSMRÀ80A01H501U", CodeFormat},
		{"11 chars not all digits", "0074311015A", CodeFormat},

		{"bad month letter F", withCheck("RSSMRA80F01H501?"), CodeMonth},
		{"bad month letter Z", withCheck("RSSMRA80Z01H501?"), CodeMonth},

		{"day 00", withCheck("RSSMRA80A00H501?"), CodeDay},
		{"day 32", withCheck("RSSMRA80A32H501?"), CodeDay},
		{"day 40", withCheck("RSSMRA80A40H501?"), CodeDay},
		{"day 72", withCheck("RSSMRA80A72H501?"), CodeDay},
		{"day 99", withCheck("RSSMRA80A99H501?"), CodeDay},
		{"day 32 via omocodia", omocode("RSSMRA80A32H501?", 10), CodeDay},

		{"wrong check char", "RSSMRA80A01H501A", CodeCheckChar},
		{"typo in name", "RSSMRB80A01H501U", CodeCheckChar},
		{"omocodia with original check char", "RSSMRA80A01H50MU", CodeCheckChar},
		{"swapped digits", "RSSMRA08A01H501U", CodeCheckChar},

		{"numeric valid partita IVA", "00743110157", ""},
		{"numeric valid with spaces", " 0074 3110 157 ", ""},
		{"numeric valid check 0", "12345678903", ""},
		{"numeric wrong check digit", "00743110158", CodeCheckDigit},
		{"numeric transposed", "00741310157", CodeCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.input)
			if got := errCode(err); got != tt.wantErr {
				t.Fatalf("Check(%q) = %v (code %q), want code %q", tt.input, err, got, tt.wantErr)
			}
			if err != nil && (err.Error() == "" || !strings.Contains(err.Error(), "codice fiscale")) {
				t.Errorf("message %q should be an Italian sentence about the codice fiscale", err.Error())
			}
			_, derr := Decode(tt.input)
			if errCode(derr) != tt.wantErr {
				t.Errorf("Decode error %v, Check error %v", derr, err)
			}
		})
	}
}

// TestPartitaIVAReference verifies the numeric vectors above with a written-out
// Luhn-like computation, so they are not trusted blindly.
func TestPartitaIVAReference(t *testing.T) {
	ref := func(s string) byte {
		x, y := 0, 0
		for i := 0; i < 10; i += 2 {
			x += int(s[i] - '0')
		}
		for i := 1; i < 10; i += 2 {
			d := 2 * int(s[i]-'0')
			y += d/10 + d%10
		}
		return byte('0' + (10-(x+y)%10)%10)
	}
	for _, s := range []string{"00743110157", "12345678903"} {
		if ref(s) != s[10] {
			t.Errorf("%s: reference check digit is %c", s, ref(s))
		}
	}
}

func TestErrorMessages(t *testing.T) {
	err := Check("RSSMRA80A01H501")
	want := "Il codice fiscale deve avere 16 caratteri (o 11 cifre se provvisorio): ne hai scritti 15. Controlla di averlo copiato per intero."
	if err == nil || err.Error() != want {
		t.Errorf("length message = %v, want %q", err, want)
	}
	err = Check("RSSMRA80A01H501A")
	want = "carattere di controllo del codice fiscale"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "verifica") {
		t.Errorf("check_char message = %v", err)
	}
	err = Check("RSSMRA80AX1H501U")
	if err == nil || !strings.Contains(err.Error(), "decimo carattere") || !strings.Contains(err.Error(), "«X»") {
		t.Errorf("format message should name the position and the character: %v", err)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, input string
		want        Decoded
	}{
		{"man", "RSSMRA80A01H501U", Decoded{Surname: "RSS", Name: "MRA", Year2: 80, Month: 1, Day: 1, Place: "H501"}},
		{"woman", "bncmra 85l55 f205d", Decoded{Surname: "BNC", Name: "MRA", Year2: 85, Month: 7, Day: 15, Female: true, Place: "F205"}},
		{"December", "RSSMRA85T10A562S", Decoded{Surname: "RSS", Name: "MRA", Year2: 85, Month: 12, Day: 10, Place: "A562"}},
		{"foreign", withCheck("PRRNML78D12Z209?"), Decoded{Surname: "PRR", Name: "NML", Year2: 78, Month: 4, Day: 12, Place: "Z209"}},
		{"omocodia hand-verified", "RSSMRA80A01H50MM", Decoded{Surname: "RSS", Name: "MRA", Year2: 80, Month: 1, Day: 1, Place: "H501", Omocodia: true}},
		{"omocodia all positions", omocode("RSSMRA80A01H501U", 7, 8, 10, 11, 13, 14, 15), Decoded{Surname: "RSS", Name: "MRA", Year2: 80, Month: 1, Day: 1, Place: "H501", Omocodia: true}},
		{"omocodia woman", omocode("BNCMRA85L55F205D", 10, 11, 13), Decoded{Surname: "BNC", Name: "MRA", Year2: 85, Month: 7, Day: 15, Female: true, Place: "F205", Omocodia: true}},
		{"year 00", withCheck("RSSMRA00B29H501?"), Decoded{Surname: "RSS", Name: "MRA", Year2: 0, Month: 2, Day: 29, Place: "H501"}},
		{"numeric", "00743110157", Decoded{Numeric: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.input)
			if err != nil {
				t.Fatalf("Decode(%q): %v", tt.input, err)
			}
			if got != tt.want {
				t.Errorf("Decode(%q) = %+v, want %+v", tt.input, got, tt.want)
			}
		})
	}
	if d, err := Decode("RSSMRA80A01H501A"); err == nil || d != (Decoded{}) {
		t.Errorf("Decode of a bad code = %+v, %v; want zero and error", d, err)
	}
}

func TestOmocodiaEveryCombination(t *testing.T) {
	// Every subset of the seven numeric positions, applied to a man's and a
	// woman's code, passes Check and decodes to the original data.
	positions := []int{7, 8, 10, 11, 13, 14, 15}
	for _, base := range []string{"RSSMRA80A01H501U", "BNCMRA85L55F205D", withCheck("PRRNML78D12Z209?")} {
		want, err := Decode(base)
		if err != nil {
			t.Fatal(err)
		}
		for mask := 1; mask < 1<<len(positions); mask++ {
			var sel []int
			for i, p := range positions {
				if mask&(1<<i) != 0 {
					sel = append(sel, p)
				}
			}
			code := omocode(base, sel...)
			got, err := Decode(code)
			if err != nil {
				t.Fatalf("Decode(%s) (positions %v): %v", code, sel, err)
			}
			w := want
			w.Omocodia = true
			if got != w {
				t.Fatalf("Decode(%s) = %+v, want %+v", code, got, w)
			}
		}
	}
}

func TestMismatches(t *testing.T) {
	mario := Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 1, 1), Place: "H501"}
	maria := Person{Surname: "Bianchi", Name: "Maria", Female: true, Birth: date(1985, 7, 15), Place: "F205"}
	tests := []struct {
		name string
		code string
		p    Person
		want []string
	}{
		{"exact match", "RSSMRA80A01H501U", mario, nil},
		{"exact match woman", "BNCMRA85L55F205D", maria, nil},
		{"lowercase code", "rss mra 80a01 h501u", mario, nil},
		{"other century", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Mario", Birth: date(1880, 1, 1), Place: "H501"}, nil},
		{"different birth date", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 1, 2), Place: "H501"}, []string{"data_nascita"}},
		{"different month", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 2, 1), Place: "H501"}, []string{"data_nascita"}},
		{"different surname", "RSSMRA80A01H501U", Person{Surname: "Russo", Name: "Mario", Birth: date(1980, 1, 1), Place: "H501"}, nil},
		{"really different surname", "RSSMRA80A01H501U", Person{Surname: "Verdi", Name: "Mario", Birth: date(1980, 1, 1), Place: "H501"}, []string{"cognome"}},
		{"different name", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Marco", Birth: date(1980, 1, 1), Place: "H501"}, []string{"nome"}},
		{"different sex", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Mario", Female: true, Birth: date(1980, 1, 1), Place: "H501"}, []string{"sesso"}},
		{"different place", "RSSMRA80A01H501U", Person{Surname: "Rossi", Name: "Mario", Birth: date(1980, 1, 1), Place: "D205"}, []string{"luogo_nascita"}},
		{"everything different", "RSSMRA80A01H501U", Person{Surname: "Verdi", Name: "Anna", Female: true, Birth: date(1990, 5, 5), Place: "Z209"}, []string{"cognome", "nome", "data_nascita", "sesso", "luogo_nascita"}},
		{"omocodia matches", "RSSMRA80A01H50MM", mario, nil},
		{"omocodia all positions matches", omocode("RSSMRA80A01H501U", 7, 8, 10, 11, 13, 14, 15), mario, nil},
		{"omocodia woman matches", omocode("BNCMRA85L55F205D", 10, 11, 13, 14, 15), maria, nil},
		{"omocodia wrong date", "RSSMRA80A01H50MM", Person{Surname: "Rossi", Name: "Mario", Birth: date(1981, 1, 1), Place: "H501"}, []string{"data_nascita"}},
		{"empty parts not compared", "RSSMRA80A01H501U", Person{}, nil},
		{"only birth given", "RSSMRA80A01H501U", Person{Birth: date(1980, 1, 1)}, nil},
		{"sex unknown not compared", "BNCMRA85L55F205D", Person{SexUnknown: true}, nil},
		{"zero Person on woman's code reports sex", "BNCMRA85L55F205D", Person{}, []string{"sesso"}},
		{"place lowercase", "RSSMRA80A01H501U", Person{Place: "h501"}, nil},
		{"malformed place", "RSSMRA80A01H501U", Person{Place: "Roma"}, []string{"luogo_nascita"}},
		{"accented names", withCheck("NCLJSO82B28Z131?"), Person{Surname: "NICOLÒ", Name: "josé", Birth: date(1982, 2, 28), Place: "Z131"}, nil},
		{"invalid code gives nil", "RSSMRA80A01H501A", Person{Surname: "Verdi"}, nil},
		{"numeric code gives nil", "00743110157", mario, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Mismatches(tt.code, tt.p)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Mismatches(%s, %+v) = %#v, want %#v", tt.code, tt.p, got, tt.want)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	tests := []struct{ in, sur, name string }{
		{"Rossi", "RSS", "RSS"},
		{"Gianfranco", "GNF", "GFR"},
		{"Fo", "FOX", "FOX"},
		{"Wu", "WUX", "WUX"},
		{"Ai", "AIX", "AIX"},
		{"D'Amico", "DMC", "DMC"},
		{"Maria Grazia", "MRG", "MGR"},
		{"Çelik", "CLK", "CLK"},
		{"Müller", "MLL", "MLR"},
		{"Weiß", "WSS", "WSS"},
		{"", "", ""},
		{"123", "", ""},
	}
	for _, tt := range tests {
		if got := SurnameGroup(tt.in); got != tt.sur {
			t.Errorf("SurnameGroup(%q) = %q, want %q", tt.in, got, tt.sur)
		}
		if got := NameGroup(tt.in); got != tt.name {
			t.Errorf("NameGroup(%q) = %q, want %q", tt.in, got, tt.name)
		}
	}
}

var knownCodes = []string{
	"RSSMRA80A01H501U", "RSSMRA85T10A562S", "BNCMRA85L55F205D", "RSSMRA80A01H50MM",
	"rss mra 80a01 h501u", "00743110157", "00743110158", "RSSMRA80A01H501", "RSSMRA80A32H501U",
	"", "RSSMRÀ80A01H501U", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0",
}

var knownCodesSet = map[string]bool{
	CodeLength: true, CodeFormat: true, CodeMonth: true, CodeDay: true,
	CodeCheckChar: true, CodeCheckDigit: true,
}

func FuzzCheck(f *testing.F) {
	for _, c := range knownCodes {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := Check(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !knownCodesSet[e.Code] || e.Message == "" {
				t.Fatalf("Check(%q) returned %#v", s, err)
			}
			if d, derr := Decode(s); derr == nil || d != (Decoded{}) {
				t.Fatalf("Check(%q) failed but Decode gave %+v, %v", s, d, derr)
			}
			return
		}
		d, derr := Decode(s)
		if derr != nil {
			t.Fatalf("Check(%q) passed but Decode failed: %v", s, derr)
		}
		if d.Numeric {
			return
		}
		if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 || d.Year2 < 0 || d.Year2 > 99 || len(d.Place) != 4 {
			t.Fatalf("Decode(%q) = %+v out of range", s, d)
		}
		// A checked code with omocodia removed and a recomputed check
		// character is still valid and decodes to the same data.
		b := []byte(Normalize(s)[:15])
		for _, i := range numericPositions {
			b[i], _ = omocodiaDigit(b[i])
		}
		plain := withCheck(string(b) + "?")
		d2, err := Decode(plain)
		if err != nil {
			t.Fatalf("de-omocoded %q of %q: %v", plain, s, err)
		}
		d2.Omocodia = d.Omocodia
		if d2 != d {
			t.Fatalf("de-omocoded %q decodes to %+v, %q to %+v", plain, d2, s, d)
		}
		if len(Mismatches(s, Person{SexUnknown: true})) != 0 {
			t.Fatalf("Mismatches with an empty person is not empty for %q", s)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, c := range knownCodes {
		f.Add(c, "Rossi", "Mario", false, 1980, 1, 1, "H501")
	}
	f.Add("", "D'Amico", "Maria Grazia", true, 1975, 10, 20, "Z209")
	f.Add("", "Nicolò", "José", false, 2004, 2, 29, "h501")
	f.Add("", "Fo", "Wu", true, 1899, 12, 31, "A001")
	f.Fuzz(func(t *testing.T, s, surname, name string, female bool, year, month, day int, place string) {
		// Decode never panics, and agrees with Check.
		d, err := Decode(s)
		if (err == nil) != (Check(s) == nil) {
			t.Fatalf("Decode(%q) error %v disagrees with Check", s, err)
		}
		_ = Mismatches(s, Person{Surname: surname, Name: name, Female: female, Place: place})
		if err == nil && !d.Numeric && d.Place != strings.ToUpper(d.Place) {
			t.Fatalf("Decode(%q).Place = %q", s, d.Place)
		}

		// Codes computed by Compute always pass Check, decode to the person
		// and match the person.
		birth := time.Date(year%3000, time.Month(month%12+1), day%31+1, 0, 0, 0, 0, time.UTC)
		p := Person{Surname: surname, Name: name, Female: female, Birth: birth, Place: place}
		code, cerr := Compute(p)
		if cerr != nil {
			var e *Error
			if !errors.As(cerr, &e) || (e.Code != CodeIncomplete && e.Code != CodeFormat) {
				t.Fatalf("Compute(%+v) error %#v", p, cerr)
			}
			return
		}
		if len(code) != 16 {
			t.Fatalf("Compute(%+v) = %q", p, code)
		}
		if err := Check(code); err != nil {
			t.Fatalf("Compute(%+v) = %q fails Check: %v", p, code, err)
		}
		dc, err := Decode(code)
		if err != nil {
			t.Fatalf("Decode(%q): %v", code, err)
		}
		y, m, dd := birth.Date()
		if dc.Female != female || dc.Month != int(m) || dc.Day != dd || dc.Year2 != (y%100+100)%100 || dc.Omocodia {
			t.Fatalf("Decode(Compute(%+v)) = %+v", p, dc)
		}
		if mm := Mismatches(code, p); len(mm) != 0 {
			t.Fatalf("Mismatches(Compute(%+v)=%q) = %v", p, code, mm)
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	codes := []string{"RSSMRA80A01H501U", "rss mra 80a01 h501u", "RSSMRA80A01H50MM", "00743110157"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := Check(codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	p := Person{Surname: "D'Amico", Name: "Maria Grazia", Female: true, Birth: date(1975, 10, 20), Place: "Z209"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCanonical: every omocodic form of a code has the canonical form of the original; other
// codes come back normalised.
func TestCanonical(t *testing.T) {
	const orig = "RSSMRA80A01H501U"
	// Omocodia replaces digits right to left: H501 → H50M, then H5LM, …; the check character
	// is recomputed each time.
	seen := map[string]bool{}
	code := []byte(orig[:15])
	for _, i := range []int{14, 13, 12, 10, 9, 7, 6} {
		code[i] = omocodiaLetters[code[i]-'0']
		full := string(code) + string(checkChar(string(code)))
		if err := Check(full); err != nil {
			t.Fatalf("%s: %v", full, err)
		}
		seen[full] = true
		if got := Canonical(strings.ToLower(full[:8]) + " " + full[8:]); got != orig {
			t.Errorf("Canonical(%s) = %s, want %s", full, got, orig)
		}
	}
	if len(seen) != 7 {
		t.Fatalf("%d omocodic forms", len(seen))
	}
	for in, want := range map[string]string{orig: orig, " rss mra 80a01 h501u ": orig, "00743110157": "00743110157", "xyz": "XYZ", "": "", "àssmra80a01h501u": "ÀSSMRA80A01H501U", "RSSMRA80A01H50MU": "RSSMRA80A01H50MU"} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
