// Package names compares the spellings of actors' names that news coverage
// produces: the same person appears as "Sergei Ryabkov", "Sergey Ryabkov",
// "Ryabkov" or, by a typo, "Rybkov".
//
// Fold and Covers decide whether a reported spelling is a name written
// differently only in trivial ways (case, diacritics, punctuation), or a
// part of it. Skeleton and Groups find possible duplicate actors: Skeleton
// maps the spellings that different romanisations produce to one key, and
// Groups gathers the owners of keys that are equal or one edit apart. Both
// are aids for a curator's review; a group they report is a candidate, not
// a verdict.
package names

import (
	"strings"
	"unicode"
)

// Fold returns s in the form used to compare spellings that differ only
// trivially:
//
//   - letters are lower-cased;
//   - diacritics are removed from Latin letters (é→e, ł→l, ö→o, đ→d, ı→i,
//     including Latin-1, Latin Extended-A and the Vietnamese letters), and
//     some are expanded (ß→ss, æ→ae, œ→oe, þ→th); Greek loses its accents
//     and final ς becomes σ; Cyrillic ё becomes е;
//   - combining diacritical marks (U+0300–U+036F) and invisible format
//     characters such as the soft hyphen are dropped, so that decomposed
//     text and text with hyphenation hints fold like the plain text;
//   - every run of characters that are neither letters, digits nor other
//     combining marks (spaces, hyphens, dashes, dots, commas, apostrophes
//     of any kind, including the modifier letters ʼ ʻ ʹ) becomes one space,
//     and the result is trimmed.
//
// Other scripts (Cyrillic, Greek, CJK, …) are kept, lower-cased.
func Fold(s string) string { return fold(s, false) }

// fold is Fold; with join, hyphens and apostrophes vanish instead of
// separating words, for Skeleton.
func fold(s string, join bool) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false // a separator came after the last word character
	for _, r := range s {
		if isHyphen(r) || isApostrophe(r) {
			gap = gap || !join
			continue
		}
		if isInvisible(r) {
			continue
		}
		r = unicode.ToLower(r)
		out, mapped := "", false
		if r >= 0x80 {
			out, mapped = foldTable[r]
		}
		if !mapped && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		if mapped {
			b.WriteString(out)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isApostrophe lists the apostrophes and the letter-like marks that
// transliterations use in their place (ʹ and ʺ for the Cyrillic soft and
// hard signs, ʻ ʼ ʾ ʿ for glottal stops and Arabic ʿayn): several are
// Unicode letters, so they would otherwise join the word.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', '‛', '′', 'ʹ', 'ʺ', 'ʻ', 'ʼ', 'ʽ', 'ʾ', 'ʿ', 'ˈ', '＇':
		return true
	}
	return false
}

// isHyphen lists the hyphens, which join compounds ("Co-operation"). Dashes
// are not among them: "Moscow–Kyiv" names two places.
func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '﹣', '－':
		return true
	}
	return false
}

// isInvisible reports the characters that carry no letter of their own and
// must not split a word: combining accents of decomposed text, and format
// characters (soft hyphen, zero-width joiners, byte-order mark).
func isInvisible(r rune) bool {
	return (r >= 0x300 && r <= 0x36f) || unicode.Is(unicode.Cf, r)
}

// foldTable maps lower-case letters with diacritics to their plain form.
// Fold lower-cases first, so only lower-case letters are listed.
var foldTable = func() map[rune]string {
	m := make(map[rune]string)
	for _, e := range [...]struct{ to, from string }{
		{"a", "àáâãäåāăąǎǟǡǻȁȃȧạảấầẩẫậắằẳẵặ"},
		{"ae", "æǣǽ"},
		{"c", "çćĉċč"},
		{"d", "ďđðḍ"},
		{"e", "èéêëēĕėęěȅȇẹẻẽếềểễệ"},
		{"g", "ĝğġģǧǵ"},
		{"h", "ĥħḥ"},
		{"i", "ìíîïĩīĭįıǐȉȋỉị"},
		{"ij", "ĳ"},
		{"j", "ĵǰ"},
		{"k", "ķǩ"},
		{"l", "ĺļľŀł"},
		{"n", "ñńņňŉŋǹ"},
		{"o", "òóôõöøōŏőơǒǫǭǿȍȏȫȭȯȱọỏốồổỗộớờởỡợ"},
		{"oe", "œ"},
		{"r", "ŕŗřȑȓ"},
		{"s", "śŝşšșſṣ"},
		{"ss", "ß"},
		{"t", "ţťŧțṭ"},
		{"th", "þ"},
		{"u", "ùúûüũūŭůűųưǔǖǘǚǜȕȗụủứừửữự"},
		{"w", "ŵẁẃẅ"},
		{"y", "ýÿŷȳỳỵỷỹ"},
		{"z", "źżžẓ"},
		// Greek accents are as optional in print as Latin ones.
		{"α", "ά"}, {"ε", "έ"}, {"η", "ή"}, {"ι", "ίϊΐ"}, {"ο", "ό"},
		{"υ", "ύϋΰ"}, {"ω", "ώ"}, {"σ", "ς"},
		// Russian print mostly writes ё as е.
		{"е", "ёѐ"}, {"и", "ѝ"},
	} {
		for _, r := range e.from {
			m[r] = e.to
		}
	}
	return m
}()

// Covers reports whether spelling is name, or a part of it, written
// differently only in ways Fold removes. After Fold, every word of spelling
// must be a word of name, each used at most as often as name has it; order
// does not matter, because sources put surnames first ("Ryabkov, Sergei").
// So "Ryabkov" and "Sergei Ryabkov" are covered by "Sergei Alexeyevich
// Ryabkov", but "Rybkov" and "Ryabkov Ryabkov" are not, and neither is a
// spelling with no words at all.
//
// Covers does not expand initials ("S. Ryabkov") and does not use Skeleton:
// a romanisation variant is a different spelling, for a curator to list.
func Covers(name, spelling string) bool {
	return FoldWords(name).Covers(FoldWords(spelling))
}

// Words is a name folded (see Fold) and split into its words: the form
// Covers compares, for a name checked against many spellings.
type Words []string

// FoldWords folds s and splits it into words.
func FoldWords(s string) Words { return strings.Fields(Fold(s)) }

// Covers is the package's Covers for names already folded.
func (name Words) Covers(spelling Words) bool {
	if len(spelling) == 0 {
		return false
	}
	if len(name) > 64 {
		return name.coversMany(spelling)
	}
	var used uint64 // the words of name already matched
next:
	for _, w := range spelling {
		for i, h := range name {
			if used&(1<<i) == 0 && h == w {
				used |= 1 << i
				continue next
			}
		}
		return false
	}
	return true
}

func (name Words) coversMany(spelling Words) bool {
	have := make(map[string]int)
	for _, w := range name {
		have[w]++
	}
	for _, w := range spelling {
		if have[w] == 0 {
			return false
		}
		have[w]--
	}
	return true
}

// Skeleton returns a key under which the spellings of a name that different
// romanisations produce coincide: Sergei/Sergey/Sergej, Yury/Yuri/Iurii,
// Zelensky/Zelenskyy/Zelenskiy, Aleksandr/Alexander, Maria/Mariya,
// Yevgeny/Evgeny, Andreyev/Andreev, Tchaikovsky/Chaikovsky,
// Vasily/Vasiliy/Wassili, Khrushchev/Hrushchev, and the Cyrillic originals
// (Сергей Лавров, Володимир Зеленський) too.
//
// s is folded like Fold, except that hyphens and apostrophes join instead of
// splitting words, so "Co-operation" and "Cooperation", "Natal'ya" and
// "Natalya", "O'Brien" and "OBrien" agree. Cyrillic letters are then
// romanised (Russian, Ukrainian, Belarusian and Serbian letters; х→kh,
// й→y, я→ya, ь and ъ dropped, …). Then each word is rewritten, in order:
//
//  1. runs of a repeated Latin letter become one (Kassyanov→kasyanov);
//  2. x→ks, tch→ch, ck→k, kh→h, ph→f, w→v, j→i, y→i, each over the whole
//     word before the next, and after each, runs of a letter become one
//     again: y and j become i because romanisations write the same glide
//     and vowel as y, i or j (ya/ia/ja; iy, yy, ij and ii all end as i);
//  3. an i before e is dropped at the start of a word or after a vowel,
//     where it only marks the iotated е (Yevgeny→evgeni, Andreyev→andreev);
//  4. runs of a letter become one again (andreev→andrev);
//  5. a final -ander becomes -andr, the Russian form of Alexander.
//
// Words are joined with single spaces, and Skeleton is idempotent. Greek,
// CJK and other scripts pass through as Fold left them. Variants the rules
// do not reach (Lyudmila/Ludmila, Pyotr/Petr, Mikhail/Michail,
// Organization/Organisation, Kim Jong-un/Kim Jong Un) mostly keep
// skeletons one edit apart, which Groups joins when both have at least 5
// runes.
func Skeleton(s string) string {
	words := strings.Fields(fold(s, true))
	out := words[:0]
	for _, w := range words {
		if w = skeletonWord(w); w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// rewrites is step 2 of Skeleton. The order, and collapsing repeats after
// each, keep Skeleton idempotent: no rule makes a pattern that an earlier
// rule removes ("ckh" → "kh" → "h"; "pkh" → "ph" → "f").
var rewrites = [...]struct{ old, new string }{
	{"x", "ks"}, {"tch", "ch"}, {"ck", "k"}, {"kh", "h"},
	{"ph", "f"}, {"w", "v"}, {"j", "i"}, {"y", "i"},
}

func skeletonWord(w string) string {
	w = squeeze(romanize(w))
	for _, r := range rewrites {
		w = squeeze(strings.ReplaceAll(w, r.old, r.new))
	}
	w = squeeze(dropGlide(w))
	if strings.HasSuffix(w, "ander") {
		w = w[:len(w)-2] + "r"
	}
	return w
}

// squeeze collapses runs of one ASCII letter, since doubled consonants come
// and go between romanisations. Working on bytes is safe: ASCII bytes never
// occur inside the UTF-8 encoding of other runes.
func squeeze(w string) string {
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] && isASCIILetter(w[i]) {
			b := []byte(w[:i])
			for ; i < len(w); i++ {
				if w[i] != b[len(b)-1] || !isASCIILetter(w[i]) {
					b = append(b, w[i])
				}
			}
			return string(b)
		}
	}
	return w
}

// dropGlide removes the i that marks an iotated е (step 3 of Skeleton).
// The input has no "ii", so dropping one i never makes another droppable.
func dropGlide(w string) string {
	droppable := func(i int) bool {
		return w[i] == 'i' && i+1 < len(w) && w[i+1] == 'e' && (i == 0 || isVowel(w[i-1]))
	}
	for i := range len(w) {
		if droppable(i) {
			b := []byte(w[:i])
			for ; i < len(w); i++ {
				if !droppable(i) {
					b = append(b, w[i])
				}
			}
			return string(b)
		}
	}
	return w
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' }

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// romanize writes Cyrillic letters in Latin, the way English-language news
// does, so that a Cyrillic spelling meets its romanisations in Skeleton.
// Input is already folded (lower case, ё→е).
func romanize(w string) string {
	i := strings.IndexFunc(w, func(r rune) bool {
		return 0x400 <= r && r <= 0x4ff && (cyrillic[r] != "" || isSilentSign(r))
	})
	if i < 0 {
		return w
	}
	var b strings.Builder
	b.WriteString(w[:i])
	for _, r := range w[i:] {
		if isSilentSign(r) {
			continue
		}
		if lat, ok := cyrillic[r]; ok {
			b.WriteString(lat)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSilentSign reports the soft and hard signs, which romanisations write as
// an apostrophe or not at all.
func isSilentSign(r rune) bool { return r == 'ь' || r == 'ъ' }

var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ы': "y",
	'э': "e", 'ю': "yu", 'я': "ya",
	// Ukrainian and Belarusian.
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
	// Serbian and Macedonian.
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz",
	'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
}
