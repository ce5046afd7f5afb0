package shared

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The parsers below accept what people actually type (Italian habits first) and answer with an
// Italian sentence that can be shown as it is. They never use regular expressions: they run on
// every keystroke in the browser.

// ParseError is a parser's refusal; its message is Italian and says what a valid value looks
// like.
type ParseError struct{ Message string }

func (e *ParseError) Error() string { return e.Message }

func parseErr(msg string) error { return &ParseError{Message: msg} }

// Years outside this range are typing mistakes (0195 for 1995), not dates anyone can mean here.
const (
	minYear = 1800
	maxYear = 2999
)

// ParseDate reads a civil date written as YYYY-MM-DD (the wire format) or as GG/MM/AAAA, the
// way Italians write it, with one- or two-digit day and month (5/9/2009); dots and dashes are
// accepted in place of slashes (05.09.2009, 05-09-2009). The year must have four digits, and the
// date must exist (31/02/2009 is refused). The result is midnight UTC of that day.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, parseErr("La data è vuota: scrivila come GG/MM/AAAA, per esempio 15/09/2009.")
	}
	var parts [3]string
	n := 0
	start := 0
	var sep byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c != '/' && c != '-' && c != '.' {
			return time.Time{}, dateFormatErr(s)
		}
		if sep == 0 {
			sep = c
		} else if c != sep || n >= 2 {
			return time.Time{}, dateFormatErr(s)
		}
		parts[n] = s[start:i]
		n++
		start = i + 1
	}
	if n != 2 {
		return time.Time{}, dateFormatErr(s)
	}
	parts[2] = s[start:]
	var ys, ms, ds string
	switch {
	case len(parts[0]) == 4 && sep == '-':
		ys, ms, ds = parts[0], parts[1], parts[2]
		if len(ms) != 2 || len(ds) != 2 {
			return time.Time{}, dateFormatErr(s)
		}
	case len(parts[2]) == 4:
		ds, ms, ys = parts[0], parts[1], parts[2]
		if len(ds) < 1 || len(ds) > 2 || len(ms) < 1 || len(ms) > 2 {
			return time.Time{}, dateFormatErr(s)
		}
	default:
		return time.Time{}, dateFormatErr(s)
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < minYear || y > maxYear {
		return time.Time{}, parseErr("L'anno " + ys + " non è plausibile: controlla la data e scrivila come GG/MM/AAAA.")
	}
	if m < 1 || m > 12 {
		return time.Time{}, parseErr("Il mese " + ms + " non esiste: i mesi vanno da 01 a 12. Scrivi la data come GG/MM/AAAA.")
	}
	if d < 1 || d > daysIn(time.Month(m), y) {
		return time.Time{}, parseErr("Il giorno " + ds + "/" + twoDigits(m) + "/" + ys + " non esiste nel calendario: controlla la data.")
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func dateFormatErr(s string) error {
	return parseErr("«" + clip(s) + "» non è una data: scrivila come GG/MM/AAAA, per esempio 15/09/2009.")
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// FormatDate writes a civil date the Italian way: 15/09/2009.
func FormatDate(t time.Time) string {
	y, m, d := t.Date()
	return twoDigits(d) + "/" + twoDigits(int(m)) + "/" + strconv.Itoa(y)
}

// isoDate writes the wire form of a civil date: 2009-09-15.
func isoDate(t time.Time) string { return t.Format(time.DateOnly) }

// maxMoneyDigits bounds the integer part so that cents always fit an int64 with room for the
// sums the rules make (annual income, twice the annual salary).
const maxMoneyDigits = 12

// ParseMoney reads an amount in euro and returns it in cents. It accepts a comma or a dot as the
// decimal separator (880,17 · 880.17), dots as thousands separators (1.050,00 · 1.050), and a
// leading or trailing € or EUR. A lone dot followed by exactly three digits is a thousands
// separator, as an Italian means it. Negative amounts, more than two decimals and anything else
// are refused.
func ParseMoney(s string) (int64, error) {
	orig := strings.TrimSpace(s)
	s = orig
	for _, cur := range []string{"€", "EUR", "eur", "Eur"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, cur))
		s = strings.TrimSpace(strings.TrimSuffix(s, cur))
	}
	if s == "" {
		return 0, parseErr("L'importo è vuoto: scrivi una cifra in euro, per esempio 880,17.")
	}
	if s[0] == '-' {
		return 0, parseErr("L'importo non può essere negativo: scrivi una cifra in euro, per esempio 880,17.")
	}
	lastComma := strings.LastIndexByte(s, ',')
	lastDot := strings.LastIndexByte(s, '.')
	intPart, frac := s, ""
	grouped := false // intPart may contain dots as thousands separators
	switch {
	case lastComma >= 0 && lastDot >= 0:
		if lastComma < lastDot || strings.Count(s, ",") > 1 {
			return 0, moneyFormatErr(orig)
		}
		intPart, frac = s[:lastComma], s[lastComma+1:]
		grouped = true
	case lastComma >= 0:
		if strings.Count(s, ",") > 1 {
			return 0, moneyFormatErr(orig)
		}
		intPart, frac = s[:lastComma], s[lastComma+1:]
	case lastDot >= 0:
		if strings.Count(s, ".") == 1 && len(s)-lastDot-1 != 3 {
			intPart, frac = s[:lastDot], s[lastDot+1:]
		} else {
			grouped = true
		}
	}
	if grouped {
		var ok bool
		if intPart, ok = ungroup(intPart); !ok {
			return 0, moneyFormatErr(orig)
		}
	}
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, moneyFormatErr(orig)
	}
	if lastComma >= 0 || (lastDot >= 0 && !grouped) {
		if frac == "" {
			return 0, moneyFormatErr(orig)
		}
	}
	if len(frac) > 2 {
		return 0, parseErr("«" + clip(orig) + "» ha più di due decimali: gli importi si scrivono in euro e centesimi, per esempio 880,17.")
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > maxMoneyDigits {
		return 0, parseErr("L'importo «" + clip(orig) + "» è troppo grande: controlla la cifra.")
	}
	var euros int64
	for i := 0; i < len(intPart); i++ {
		euros = euros*10 + int64(intPart[i]-'0')
	}
	cents := int64(0)
	switch len(frac) {
	case 1:
		cents = int64(frac[0]-'0') * 10
	case 2:
		cents = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	return euros*100 + cents, nil
}

// ungroup removes thousands dots from an integer part, requiring groups of exactly three
// digits after the first (1.050.000), so that a mistyped 10.50 is not read as 1050.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ".") {
		return s, true
	}
	groups := strings.Split(s, ".")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func moneyFormatErr(s string) error {
	return parseErr("«" + clip(s) + "» non è un importo: scrivi una cifra in euro con al massimo due decimali, per esempio 880,17 oppure 1.050,00.")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatMoney writes cents the Italian way, with thousands dots and a decimal comma: 1.050,00.
func FormatMoney(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = uint64(-cents)
	}
	whole := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(whole[i])
	}
	b.WriteByte(',')
	b.WriteString(twoDigits(int(u % 100)))
	return b.String()
}

// euro formats cents for messages: "€ 1.050,00".
func euro(cents int64) string { return "€ " + FormatMoney(cents) }

// decimalMoney writes the wire form of an amount: 1050.00.
func decimalMoney(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + twoDigits(int(cents%100))
}

// appendDecimalMoney appends decimalMoney(cents) of an amount ParseMoney gave (cents ≥ 0).
func appendDecimalMoney(dst []byte, cents int64) []byte {
	dst = strconv.AppendInt(dst, cents/100, 10)
	c := cents % 100
	return append(dst, '.', byte('0'+c/10), byte('0'+c%10))
}

// FullTimeHours is how many weekly hours "TP" (tempo pieno) counts as in the wage rules (C10,
// A2): the CCNL's full time for non conviventi.
const FullTimeHours = 40

// ParseHours reads weekly hours: a whole number, or TP (tempo pieno, any case). For TP it
// returns FullTimeHours and tp true.
func ParseHours(s string) (hours int, tp bool, err error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "TP") {
		return FullTimeHours, true, nil
	}
	if s == "" || len(s) > 3 || !allDigits(s) {
		return 0, false, parseErr("«" + clip(s) + "» non è un orario settimanale: scrivi le ore settimanali con un numero intero (per esempio 25), oppure TP per il tempo pieno.")
	}
	n, _ := strconv.Atoi(s)
	return n, false, nil
}

// ParseInteger reads a whole number ≥ 0 of at most nine digits.
func ParseInteger(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '-' && len(s) <= 10 && allDigits(s[1:]) {
		return 0, parseErr("Il numero non può essere negativo («" + s + "»): scrivi 0 o un numero intero positivo, per esempio 2.")
	}
	if s == "" || len(s) > 9 || !allDigits(s) {
		return 0, parseErr("«" + clip(s) + "» non è un numero intero: scrivi solo cifre, per esempio 2.")
	}
	n, _ := strconv.Atoi(s)
	return n, nil
}

// ParseYear reads a four-digit year.
func ParseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 4 || !allDigits(s) {
		return 0, parseErr("«" + clip(s) + "» non è un anno: scrivilo con quattro cifre, per esempio 2006.")
	}
	n, _ := strconv.Atoi(s)
	return n, nil
}

// ParsePhone reads a telephone number: digits, an optional leading +, spaces anywhere. It
// returns the number without spaces. Between 6 and 15 digits (the international maximum).
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	b := make([]byte, 0, len(s))
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b = append(b, c)
			digits++
		case c == ' ':
		case c == '+' && len(b) == 0:
			b = append(b, c)
		default:
			return "", parseErr("«" + clip(s) + "» non è un numero di telefono: scrivi solo cifre (spazi ammessi), con un + iniziale per il prefisso internazionale, per esempio 0171 123456 o +39 333 1234567.")
		}
	}
	if digits < 6 || digits > 15 {
		return "", parseErr("Il numero di telefono «" + clip(s) + "» ha " + strconv.Itoa(digits) + " cifre: un numero valido ne ha da 6 a 15. Controlla di averlo scritto per intero.")
	}
	if len(b) == len(s) {
		return s, nil // nothing dropped: s is its own normal form, no copy needed
	}
	return string(b), nil
}

// ParseEmail checks the shape of an e-mail address (something@domain.tld, no spaces) and returns
// it trimmed. Whether the mailbox exists is for the registration's activation e-mail to prove.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !emailShape(s) {
		return "", parseErr("«" + clip(s) + "» non è un indirizzo e-mail valido: deve avere la forma nome@dominio.it, senza spazi.")
	}
	return s, nil
}

func emailShape(s string) bool {
	if len(s) > 254 || strings.Count(s, "@") != 1 {
		return false
	}
	at := strings.IndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 || domain == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == ',' || r == ';' || r == '<' || r == '>' || r == '(' || r == ')' || r == '"' || r == '\\' || r == '[' || r == ']' || r == utf8.RuneError {
			return false
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	if tld := labels[len(labels)-1]; len(tld) < 2 || allDigits(tld) {
		return false
	}
	return true
}

// ParseCAP checks a codice di avviamento postale: exactly five digits.
func ParseCAP(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 || !allDigits(s) {
		return "", parseErr("«" + clip(s) + "» non è un CAP: il codice di avviamento postale ha esattamente 5 cifre, per esempio 12100.")
	}
	return s, nil
}

// parseDigits checks a fixed-length code made of digits; spaces typed to group them are ignored.
func parseDigits(s string, n int) (string, error) {
	t := strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(t) != n || !allDigits(t) {
		return "", parseErr("«" + clip(s) + "» non va bene: servono esattamente " + strconv.Itoa(n) + " cifre, senza lettere.")
	}
	return t, nil
}

// clip shortens what a person typed before quoting it back in a message.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return strings.ToValidUTF8(s, "?")
	}
	r := []rune(s)
	return strings.ToValidUTF8(string(r[:max]), "?") + "…"
}
