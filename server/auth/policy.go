package auth

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"nullaosta/shared"
)

// commonPasswords are the 49,193 most common passwords of four characters or more, lower-case,
// sorted: the "passwords" frequency list of @zxcvbn-ts/language-common 4.1.3 (npm, MIT licence,
// common_passwords.LICENSE.txt), compiled from breached-password corpora by zxcvbn (Dropbox).
// Regenerate: npm pack @zxcvbn-ts/language-common@4.1.3, then lower-case, keep len ≥ 4, sort,
// deduplicate src/passwords.json, one a line.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// common is the list as a sorted slice over the embedded text (no copy of the strings).
var common = sync.OnceValue(func() []string {
	return strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
})

// contextWords are what an attacker tries first against this service.
var contextWords = []string{"nullaosta", "nulla osta", "ministero", "interno", "sportello", "emersione", "password", "passw0rd"}

func isCommon(s string) bool {
	list := common()
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}

// ValidPassword checks a new password against NIST SP 800-63B and returns an Italian reason if
// it is refused: at least shared.MinPasswordLen characters and at most MaxPasswordLen; not a
// common or breached password, even with digits or symbols around it ("dragon2009!"); not
// the same character repeated or a sequence ("aaaaaaaaaaaa", "123456789012"); not made of the
// e-mail or the names in personal (the e-mail, nome, cognome of the account).
func ValidPassword(pw string, personal ...string) string {
	n := len([]rune(pw))
	switch {
	case n < shared.MinPasswordLen:
		return "La password deve avere almeno " + strconv.Itoa(shared.MinPasswordLen) + " caratteri: una frase facile da ricordare per te, difficile da indovinare per altri, va benissimo."
	case n > shared.MaxPasswordLen:
		return "La password può avere al massimo " + strconv.Itoa(shared.MaxPasswordLen) + " caratteri."
	case strings.TrimSpace(pw) == "":
		return "La password non può essere fatta solo di spazi."
	}
	lower := strings.ToLower(pw)
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if isCommon(lower) || (len([]rune(core)) >= 4 && isCommon(core)) {
		return "Questa password è fra le più usate (o fra quelle rubate e pubblicate): chi attacca gli account la prova per prima. Scegline una diversa, per esempio una frase di alcune parole."
	}
	if repetitive(lower) {
		return "La password è fatta di caratteri ripetuti o in sequenza (come aaaa o 1234): scegline una meno prevedibile, per esempio una frase di alcune parole."
	}
	folded := fold(lower)
	for _, w := range contextWords {
		if f := fold(w); folded == f || strings.TrimFunc(folded, unicode.IsDigit) == f {
			return "La password non può essere il nome del servizio o una parola come «password»: scegline una diversa."
		}
	}
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if local, _, ok := strings.Cut(p, "@"); ok {
			if strings.Contains(folded, fold(p)) || mostly(folded, fold(local)) {
				return "La password non può contenere il tuo indirizzo e-mail: scegline una che non si ricavi dai tuoi dati."
			}
			continue
		}
		if mostly(folded, fold(p)) {
			return "La password non può essere fatta del tuo nome o cognome: scegline una che non si ricavi dai tuoi dati."
		}
	}
	return ""
}

// mostly reports whether the folded password is made mostly of word w (four letters or
// more): without it, fewer than MinPasswordLen characters are left.
func mostly(folded, w string) bool {
	return len([]rune(w)) >= 4 && strings.Contains(folded, w) && len([]rune(folded))-len([]rune(w)) < shared.MinPasswordLen
}

// fold keeps the letters and digits of s: "Mario.Rossi-1970" and "mariorossi1970" are one.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// repetitive reports a password of at most three distinct characters, or one where each
// character follows or repeats the one before by the same step (abcdef…, 123456…, 987654…).
func repetitive(s string) bool {
	r := []rune(s)
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	// Digits wrap around (…7890123…), as people type them on the keyboard's row.
	diff := func(a, b rune) rune {
		if unicode.IsDigit(a) && unicode.IsDigit(b) {
			return (b - a + 10) % 10
		}
		return b - a
	}
	step := diff(r[0], r[1])
	if step != 1 && step != -1 && step != 9 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if diff(r[i-1], r[i]) != step {
			return false
		}
	}
	return true
}
