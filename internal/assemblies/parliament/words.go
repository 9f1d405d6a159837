package parliament

import (
	"strings"
	"unicode"
)

// MaxWords is how many distinct words of a decision the register indexes.
const MaxWords = 200

// fold lower-cases r and drops the accents of Spanish and Portuguese
// letters, so "Educación" and "educacion" match.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'á', 'à', 'â', 'ä', 'ã':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'ö', 'õ':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}

// Words returns the distinct folded words of at least two letters or
// digits in text, in order of first appearance, at most MaxWords: what
// the register of decisions indexes and what a search looks up.
func Words(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = strings.Map(fold, w)
		if len([]rune(w)) < 2 || seen[w] {
			continue
		}
		if r := []rune(w); len(r) > 20 {
			w = string(r[:20]) // at most 80 bytes, never a split letter
		}
		seen[w] = true
		out = append(out, w)
		if len(out) == MaxWords {
			break
		}
	}
	return out
}
