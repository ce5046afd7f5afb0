package places

import (
	"strings"
	"unicode"
)

// fold reduces a name to what a search compares: lower case, no accents, every run of other
// characters than letters and digits (apostrophes, hyphens, slashes, spaces) one space.
// "Sant'Antioco" and "sant antioco" fold alike, and so do "Forlì" and "FORLI".
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == 'ß':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString("ss")
		case r > 0x7f && isLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// isLetter keeps other letters and digits (e.g. of a pasted name) instead of dropping them.
func isLetter(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// foldRune lower-cases r and removes the accent of the Latin letters used in Italian, German,
// French, Slovenian and the other languages of the place names.
func foldRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + ('a' - 'A')
	}
	if r < 0x80 {
		return r
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å', 'ā', 'Ā', 'ă', 'Ă':
		return 'a'
	case 'ç', 'Ç', 'č', 'Č', 'ć', 'Ć':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë', 'ē', 'Ē', 'ě', 'Ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï', 'ī', 'Ī':
		return 'i'
	case 'ñ', 'Ñ', 'ń', 'Ń':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö', 'Ø', 'ō', 'Ō':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'Ù', 'Ú', 'Û', 'Ü', 'ū', 'Ū':
		return 'u'
	case 'ý', 'ÿ', 'Ý':
		return 'y'
	case 'š', 'Š', 'ś', 'Ś':
		return 's'
	case 'ž', 'Ž', 'ź', 'Ź', 'ż', 'Ż':
		return 'z'
	case 'ł', 'Ł':
		return 'l'
	case 'đ', 'Đ', 'ð', 'Ð':
		return 'd'
	case 'æ', 'Æ':
		return 'a'
	case 'œ', 'Œ':
		return 'o'
	case 'ẞ':
		return 'ß'
	}
	return r
}

// matcher holds a folded query, and the same without spaces.
type matcher struct{ q, spaced, compact string }

func newMatcher(query string) matcher {
	q := fold(query)
	return matcher{q: q, spaced: " " + q, compact: strings.ReplaceAll(q, " ", "")}
}

// rank tells how well a folded name (and the same without spaces) matches the query: 0 equal,
// 1 the name starts with it, 2 a word of the name starts with it, 3 the name contains it, 4 it
// is found when the spaces of both are ignored ("santantioco"); ok is false when it does not
// match.
func (m matcher) rank(name, compact string) (rank int, ok bool) {
	q := m.q
	switch {
	case name == q:
		return 0, true
	case strings.HasPrefix(name, q):
		return 1, true
	}
	i := strings.Index(name, q)
	switch {
	case i > 0 && name[i-1] == ' ':
		return 2, true
	case i > 0:
		if strings.Contains(name[i:], m.spaced) {
			return 2, true
		}
		return 3, true
	case m.compact != "" && strings.Contains(compact, m.compact):
		return 4, true
	}
	return 0, false
}
