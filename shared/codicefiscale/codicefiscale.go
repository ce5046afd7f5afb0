// Package codicefiscale checks, decodes and computes Italian tax codes.
//
// A personal codice fiscale has 16 characters:
//
//	RSS MRA 80 A 01 H501 U
//	 |   |   | |  |   |  +-- check character (odd/even tables, position 16)
//	 |   |   | |  |   +----- birthplace: Belfiore code of the comune, or Z… for a foreign country
//	 |   |   | |  +--------- day of birth (women: day + 40)
//	 |   |   | +------------ month letter (A B C D E H L M P R S T)
//	 |   |   +-------------- last two digits of the year of birth
//	 |   +------------------ name group
//	 +---------------------- surname group
//
// When two people would get the same code (omocodia), the Agenzia delle Entrate
// replaces digits, right to left, with the letters L M N P Q R S T U V (0–9) in
// the seven numeric positions 7, 8, 10, 11, 13, 14, 15 and recomputes the check
// character. Such codes are accepted and decoded back to the original digits.
//
// A temporary codice fiscale is made of 11 digits; its last digit is a check
// digit computed as for a partita IVA.
//
// The package uses only the standard library and imports no other package of
// the project: the birthplace is a Belfiore code string supplied by the caller.
package codicefiscale

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Stable error codes (Error.Code).
const (
	CodeLength     = "length"      // neither 16 characters nor 11
	CodeFormat     = "format"      // a character of the wrong kind in some position
	CodeMonth      = "month"       // the 9th character is not a month letter
	CodeDay        = "day"         // the day is not in 1–31 or 41–71
	CodeCheckChar  = "check_char"  // the 16th character does not match the other 15
	CodeCheckDigit = "check_digit" // the 11th digit of a temporary code does not match
	CodeIncomplete = "incomplete"  // Compute: a needed part of the person is missing
)

// Error is returned by Check, Decode and Compute. Code is a stable identifier,
// Message is Italian and tells the person what to do.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Message }

// monthLetters maps month-1 to its letter.
const monthLetters = "ABCDEHLMPRST"

// omocodiaLetters maps a digit to the letter that replaces it in omocodia.
const omocodiaLetters = "LMNPQRSTUV"

// numericPositions are the 0-based indexes of the seven positions that hold
// digits (or omocodia letters) in a 16-character code.
var numericPositions = [7]int{6, 7, 9, 10, 12, 13, 14}

// oddValues are the values of the characters in odd positions (1st, 3rd, …,
// 15th), indexed by digit or letter (0–9 for '0'–'9', 0–25 for 'A'–'Z': digit
// d has the same value as the d-th letter).
var oddValues = [26]int{
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // A–J (and 0–9)
	2, 4, 18, 20, 11, 3, 6, 8, 12, 14, // K–T
	16, 10, 22, 25, 24, 23, // U–Z
}

// Normalize upper-cases s and removes every space (inside and around), so that
// "rss mra 80a01 h501u" becomes "RSSMRA80A01H501U".
func Normalize(s string) string {
	if normalASCII(s) {
		return s // already upper case without spaces, as a code is usually sent: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// normalASCII reports whether s is ASCII without a space or a lower-case letter: Normalize
// would give it back unchanged.
func normalASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, 'a' <= c && c <= 'z', c == ' ', '\t' <= c && c <= '\r':
			return false
		}
	}
	return true
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// charIndex returns 0–9 for a digit and 0–25 for a letter.
func charIndex(c byte) int {
	if isDigit(c) {
		return int(c - '0')
	}
	return int(c - 'A')
}

// checkChar computes the check character of the first 15 characters of s,
// which must be upper-case ASCII letters or digits.
func checkChar(s string) byte {
	sum := 0
	for i := 0; i < 15; i++ {
		v := charIndex(s[i])
		if i%2 == 0 { // 1st, 3rd, … position: odd in 1-based numbering
			sum += oddValues[v]
		} else {
			sum += v
		}
	}
	return byte('A' + sum%26)
}

// omocodiaDigit returns the digit that c stands for in a numeric position:
// c itself if it is a digit, or the digit replaced by an omocodia letter.
func omocodiaDigit(c byte) (byte, bool) {
	if isDigit(c) {
		return c, true
	}
	if i := strings.IndexByte(omocodiaLetters, c); i >= 0 {
		return byte('0' + i), true
	}
	return 0, false
}

// partitaIVACheckDigit computes the 11th digit of an 11-digit numeric code
// from the first 10 (the Luhn-like algorithm of the partita IVA).
func partitaIVACheckDigit(s string) byte {
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 { // 2nd, 4th, … position: doubled
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

var positionNames = [16]string{
	"primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo", "ottavo",
	"nono", "decimo", "undicesimo", "dodicesimo", "tredicesimo", "quattordicesimo",
	"quindicesimo", "sedicesimo",
}

func formatError(pos int, got rune, want string) *Error {
	return &Error{Code: CodeFormat, Message: fmt.Sprintf(
		"Il codice fiscale non ha la forma giusta: il %s carattere («%c») dovrebbe essere %s. "+
			"Controlla di averlo copiato correttamente.", positionNames[pos], got, want)}
}

// parse checks a normalised code and decodes it.
func parse(code string) (Decoded, *Error) {
	n := utf8.RuneCountInString(code)
	switch n {
	case 11:
		for i, r := range []rune(code) {
			if r < '0' || r > '9' {
				return Decoded{}, &Error{Code: CodeFormat, Message: fmt.Sprintf(
					"Un codice fiscale di 11 caratteri è quello provvisorio ed è fatto solo di cifre, "+
						"ma il %s carattere è «%c». Se hai un codice fiscale personale, scrivilo per intero: "+
						"ha 16 caratteri.", positionNames[i], r)}
			}
		}
		if partitaIVACheckDigit(code) != code[10] {
			return Decoded{}, &Error{Code: CodeCheckDigit, Message: "L'ultima cifra del codice fiscale " +
				"provvisorio (11 cifre) non torna: verifica di aver copiato correttamente ogni cifra."}
		}
		return Decoded{Numeric: true}, nil
	case 16:
	default:
		written := fmt.Sprintf("ne hai scritti %d", n)
		if n == 1 {
			written = "ne hai scritto 1"
		}
		return Decoded{}, &Error{Code: CodeLength, Message: fmt.Sprintf(
			"Il codice fiscale deve avere 16 caratteri (o 11 cifre se provvisorio): %s. "+
				"Controlla di averlo copiato per intero.", written)}
	}

	// 16 runes: check each position's kind. Any non-ASCII rune is a format error.
	runes := []rune(code)
	var digits [16]byte // the code with omocodia letters replaced by digits
	omocodia := false
	for i, r := range runes {
		c := byte(0)
		if r < utf8.RuneSelf {
			c = byte(r)
		}
		switch {
		case i < 6 || i == 8 || i == 11 || i == 15:
			if !isLetter(c) {
				return Decoded{}, formatError(i, r, "una lettera")
			}
			digits[i] = c
		default: // 6, 7, 9, 10, 12, 13, 14
			d, ok := omocodiaDigit(c)
			if !ok {
				return Decoded{}, formatError(i, r, "una cifra (o, nei codici con omocodia, una delle lettere L M N P Q R S T U V)")
			}
			if d != c {
				omocodia = true
			}
			digits[i] = d
		}
	}
	month := strings.IndexByte(monthLetters, code[8]) + 1
	if month == 0 {
		return Decoded{}, &Error{Code: CodeMonth, Message: fmt.Sprintf(
			"Il nono carattere del codice fiscale («%c») non indica un mese: i mesi si scrivono con "+
				"le lettere A B C D E H L M P R S T. Controlla di averlo copiato correttamente.", code[8])}
	}
	day := int(digits[9]-'0')*10 + int(digits[10]-'0')
	female := false
	switch {
	case day >= 1 && day <= 31:
	case day >= 41 && day <= 71:
		female = true
		day -= 40
	default:
		return Decoded{}, &Error{Code: CodeDay, Message: fmt.Sprintf(
			"Il giorno di nascita nel codice fiscale (decimo e undicesimo carattere, «%02d») non è valido: "+
				"deve essere tra 01 e 31 per gli uomini o tra 41 e 71 per le donne. "+
				"Controlla di averlo copiato correttamente.", day)}
	}
	if checkChar(code) != code[15] {
		return Decoded{}, &Error{Code: CodeCheckChar, Message: "Il carattere di controllo del codice fiscale " +
			"(l'ultimo) non torna: verifica di aver copiato correttamente ogni carattere."}
	}
	return Decoded{
		Surname:  code[0:3],
		Name:     code[3:6],
		Year2:    int(digits[6]-'0')*10 + int(digits[7]-'0'),
		Month:    month,
		Day:      day,
		Female:   female,
		Place:    string(digits[11:15]),
		Omocodia: omocodia,
	}, nil
}

// Check validates a 16-character personal code (structure, month letter, day
// 1–31 or 41–71, check character, omocodia letters L–V accepted in the seven
// numeric positions 7, 8, 10, 11, 13, 14, 15) or an 11-digit temporary numeric
// code (check digit computed as for a partita IVA). The input is normalised
// first. The error, if any, is an *Error.
func Check(code string) error {
	if _, err := parse(Normalize(code)); err != nil {
		return err
	}
	return nil
}

// Canonical returns the one form of a codice fiscale that identifies a person: normalised,
// and, for a valid personal code with omocodia, the letters in the numeric positions decoded
// back to digits and the check character recomputed. Every omocodic variant of a code thus
// has the canonical form of the original. An invalid code comes back normalised only.
func Canonical(code string) string {
	code = Normalize(code)
	if len(code) != 16 {
		// Only a valid personal code (16 ASCII characters) can have omocodia. Anything else
		// comes back as it is without parse writing the message of an error nobody reads: an
		// empty worker's code, on most submissions, cost two fmt.Sprintf each time.
		return code
	}
	d, err := parse(code)
	if err != nil || d.Numeric || !d.Omocodia {
		return code
	}
	b := []byte(code[:15])
	for _, i := range numericPositions {
		b[i], _ = omocodiaDigit(b[i])
	}
	return string(b) + string(checkChar(string(b)))
}

// Decoded is the content of a codice fiscale.
type Decoded struct {
	Surname, Name     string // the 3-letter groups
	Year2, Month, Day int    // Year2 0–99, Month 1–12, Day 1–31 (women's +40 removed)
	Female            bool
	Place             string // Belfiore code with omocodia decoded, e.g. "H501"
	Omocodia          bool   // some digits were replaced by letters
	Numeric           bool   // 11-digit temporary code: other fields empty
}

// Decode checks code as Check does and returns its content. The error, if any,
// is an *Error.
func Decode(code string) (Decoded, error) {
	d, err := parse(Normalize(code))
	if err != nil {
		return Decoded{}, err
	}
	return d, nil
}

// Person is what a codice fiscale is computed from.
type Person struct {
	Surname, Name string
	Female        bool
	Birth         time.Time // only year, month and day are used
	Place         string    // Belfiore code of the birth comune, or the Z code of the foreign country

	// SexUnknown tells that Female carries no information (for example a form
	// where the sex was not filled in): Mismatches does not compare the sex and
	// Compute reports it missing. The zero value means Female is meaningful.
	SexUnknown bool
}

// foldTable maps upper-case accented and special Latin letters to A–Z.
var foldTable = map[rune]string{}

func init() {
	for to, from := range map[string]string{
		"A": "ÀÁÂÃÄÅĀĂĄǍȀȂ", "AE": "ÆǼ", "C": "ÇĆĈĊČ", "D": "ĎĐÐ",
		"E": "ÈÉÊËĒĔĖĘĚȄȆ", "G": "ĜĞĠĢǦ", "H": "ĤĦ", "I": "ÌÍÎÏĨĪĬĮİǏȈȊ",
		"IJ": "Ĳ", "J": "Ĵ", "K": "ĶǨ", "L": "ĹĻĽĿŁ", "N": "ÑŃŅŇ",
		"O": "ÒÓÔÕÖØŌŎŐǑȌȎ", "OE": "Œ", "R": "ŔŖŘ", "S": "ŚŜŞŠȘ", "SS": "ßẞ",
		"T": "ŢŤŦȚ", "TH": "Þ", "U": "ÙÚÛÜŨŪŬŮŰŲǓ", "W": "Ŵ", "Y": "ÝŶŸ", "Z": "ŹŻŽ",
	} {
		for _, r := range from {
			foldTable[r] = to
		}
	}
}

// letters returns the letters of s, upper-cased and with accents removed;
// spaces, apostrophes, hyphens and every other non-letter are dropped.
func letters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
			continue
		}
		if r < utf8.RuneSelf {
			continue
		}
		if f, ok := foldTable[unicode.ToUpper(r)]; ok {
			b.WriteString(f)
		}
	}
	return b.String()
}

func isVowel(c byte) bool { return strings.IndexByte("AEIOU", c) >= 0 }

// group computes the 3-letter group of a surname (isName false) or a name
// (isName true); it returns "" when s has no usable letters.
func group(s string, isName bool) string {
	l := letters(s)
	if l == "" {
		return ""
	}
	var cons, vows []byte
	for i := 0; i < len(l); i++ {
		if isVowel(l[i]) {
			vows = append(vows, l[i])
		} else {
			cons = append(cons, l[i])
		}
	}
	if isName && len(cons) >= 4 {
		return string([]byte{cons[0], cons[2], cons[3]})
	}
	g := append(cons, vows...)
	g = append(g, 'X', 'X', 'X')
	return string(g[:3])
}

// SurnameGroup returns the three letters a surname contributes to the code
// ("" if it has no letters).
func SurnameGroup(surname string) string { return group(surname, false) }

// NameGroup returns the three letters a first name contributes to the code
// ("" if it has no letters).
func NameGroup(name string) string { return group(name, true) }

// normalizePlace upper-cases a Belfiore code, removes spaces and decodes
// omocodia letters in its three numeric positions; ok is false if the result is
// not a letter followed by three digits.
func normalizePlace(s string) (string, bool) {
	p := Normalize(s)
	if len(p) != 4 || !isLetter(p[0]) {
		return p, false
	}
	b := []byte(p)
	for i := 1; i < 4; i++ {
		d, ok := omocodiaDigit(b[i])
		if !ok {
			return p, false
		}
		b[i] = d
	}
	return string(b), true
}

// Compute returns the codice fiscale of a person (without omocodia: that is
// assigned only by the Agenzia delle Entrate). Accented letters are folded
// (À→A, È→E, …); apostrophes, spaces and hyphens are ignored ("D'Amico",
// "De Luca", "Maria Grazia"). A name with four or more consonants uses the
// 1st, 3rd and 4th. Short groups are padded with X. If a needed part is
// missing the error is an *Error with Code "incomplete"; a Place that is not
// a letter followed by three digits gives Code "format".
func Compute(p Person) (string, error) {
	sur := group(p.Surname, false)
	name := group(p.Name, true)
	var missing []string
	if sur == "" {
		missing = append(missing, "il cognome")
	}
	if name == "" {
		missing = append(missing, "il nome")
	}
	if p.SexUnknown {
		missing = append(missing, "il sesso")
	}
	if p.Birth.IsZero() {
		missing = append(missing, "la data di nascita")
	}
	if strings.TrimSpace(p.Place) == "" {
		missing = append(missing, "il luogo di nascita")
	}
	if len(missing) > 0 {
		list := missing[0]
		if len(missing) > 1 {
			list = strings.Join(missing[:len(missing)-1], ", ") + " e " + missing[len(missing)-1]
		}
		return "", &Error{Code: CodeIncomplete, Message: "Per calcolare il codice fiscale servono cognome, " +
			"nome, sesso, data e luogo di nascita: manca " + list + ". Completa i dati e riprova."}
	}
	place, ok := normalizePlace(p.Place)
	if !ok {
		return "", &Error{Code: CodeFormat, Message: fmt.Sprintf("Il luogo di nascita («%s») non è un "+
			"codice catastale: deve essere una lettera seguita da tre cifre, per esempio H501 (Roma) o, "+
			"per chi è nato all'estero, il codice Z dello Stato. Scegli il luogo dall'elenco.", p.Place)}
	}
	y, m, d := p.Birth.Date()
	y2 := (y%100 + 100) % 100
	if p.Female {
		d += 40
	}
	var b [16]byte
	copy(b[0:3], sur)
	copy(b[3:6], name)
	b[6] = byte('0' + y2/10)
	b[7] = byte('0' + y2%10)
	b[8] = monthLetters[m-1]
	b[9] = byte('0' + d/10)
	b[10] = byte('0' + d%10)
	copy(b[11:15], place)
	b[15] = checkChar(string(b[:15]))
	return string(b[:]), nil
}

// Mismatches compares a well-formed code with the person and lists what does
// not match, in this order: "cognome", "nome", "data_nascita", "sesso",
// "luogo_nascita". Omocodia is decoded before comparing. Parts of the person
// that are zero or empty are not compared (the sex is not compared when
// SexUnknown is set); the century is ambiguous, so the year is compared modulo
// 100. A code that does not pass Check, or a temporary numeric code, gives nil:
// Check reports the former, and the latter carries nothing to compare.
//
// This is for rule C3's warning, never an error: real codes issued by the
// Agenzia can differ from a computed one.
func Mismatches(code string, p Person) []string {
	d, err := parse(Normalize(code))
	if err != nil || d.Numeric {
		return nil
	}
	var out []string
	if g := group(p.Surname, false); g != "" && g != d.Surname {
		out = append(out, "cognome")
	}
	if g := group(p.Name, true); g != "" && g != d.Name {
		out = append(out, "nome")
	}
	if !p.Birth.IsZero() {
		y, m, day := p.Birth.Date()
		if (y%100+100)%100 != d.Year2 || int(m) != d.Month || day != d.Day {
			out = append(out, "data_nascita")
		}
	}
	if !p.SexUnknown && p.Female != d.Female {
		out = append(out, "sesso")
	}
	if strings.TrimSpace(p.Place) != "" {
		if place, _ := normalizePlace(p.Place); place != d.Place {
			out = append(out, "luogo_nascita")
		}
	}
	return out
}
