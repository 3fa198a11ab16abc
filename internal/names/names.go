// Package names compares the spellings of actors' names that news coverage
// produces: the same person appears as "Sergei Ryabkov", "Sergey Ryabkov",
// "Ryabkov" or, by a typo, "Rybkov".
//
// Fold and Covers decide whether a reported spelling is a name written
// differently only in trivial ways (case, diacritics, punctuation), or a
// part of it. Skeleton and Index find possible duplicate actors: Skeleton
// maps the spellings that different romanisations produce to one key, and
// Index pairs keys that are equal or one edit apart. Both are aids for a
// curator's review; a pair they report is a candidate, not a verdict.
package names

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
// skeletons one edit apart, which Index pairs when both have at least 5
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

// minFuzzy is the length, in runes, from which keys one edit apart pair:
// shorter keys are mostly acronyms and short names, where one edit makes a
// different name (NATO/NAFO, Iran/Iraq).
const minFuzzy = 5

// Index finds near-duplicate keys among many. Add keys, then call Pairs.
// The zero Index is ready to use; an Index is not safe for concurrent use.
type Index struct {
	ownerIDs map[string]int32
	owners   []string
	keyIDs   map[string]int32
	keys     []string
	holders  [][]int32             // per key, the owners that added it
	added    map[[2]int32]struct{} // (key, owner) pairs already added
}

// NewIndex returns an empty Index.
func NewIndex() *Index { return new(Index) }

// Add registers key for owner (an actor id). The key is compared as given,
// so pass a Skeleton. Adding a pair twice has no further effect, and empty
// keys are ignored: they say nothing about a name.
func (x *Index) Add(owner, key string) {
	if key == "" {
		return
	}
	if x.ownerIDs == nil {
		x.ownerIDs = make(map[string]int32)
		x.added = make(map[[2]int32]struct{})
	}
	if x.keyIDs == nil {
		x.keyIDs = make(map[string]int32)
	}
	o, ok := x.ownerIDs[owner]
	if !ok {
		o = int32(len(x.owners))
		x.ownerIDs[owner] = o
		x.owners = append(x.owners, owner)
	}
	k := x.keyID(key)
	if _, dup := x.added[[2]int32{k, o}]; !dup {
		x.added[[2]int32{k, o}] = struct{}{}
		x.holders[k] = append(x.holders[k], o)
	}
}

// AddOwner registers the keys of an owner that is new to the index (given
// to neither Add nor AddOwner before), as Add would one by one, without
// looking the owner up: for a caller that has each owner's keys together,
// as a table of actors does.
func (x *Index) AddOwner(owner string, keys []string) {
	if x.keyIDs == nil {
		x.keyIDs = make(map[string]int32)
	}
	o := int32(len(x.owners))
	x.owners = append(x.owners, owner)
	for _, key := range keys {
		if key == "" {
			continue
		}
		k := x.keyID(key)
		if h := x.holders[k]; len(h) == 0 || h[len(h)-1] != o {
			x.holders[k] = append(h, o)
		}
	}
}

// keyID returns the number of key, adding it if it is new.
func (x *Index) keyID(key string) int32 {
	k, ok := x.keyIDs[key]
	if !ok {
		k = int32(len(x.keys))
		x.keyIDs[key] = k
		x.keys = append(x.keys, key)
		x.holders = append(x.holders, nil)
	}
	return k
}

// Pair is two owners with keys that match: KeyA is A's, KeyB is B's.
type Pair struct{ A, B, KeyA, KeyB string }

// Pairs returns every pair of different owners that have a key each such
// that the keys are equal, or are both at least 5 runes long and one edit
// (insertion, deletion or substitution of a rune) apart. Each pair appears
// once, with A < B, sorted by A then B. Its keys are the closest match the
// owners have, equal keys before keys one edit apart, and among those the
// smallest KeyA, then KeyB; so the result does not depend on the order of
// Add calls.
//
// Pairs works by symmetric deletion: each long key, and each key with one
// rune deleted, is a variant, and two keys within one edit share a variant
// (a substitution deletes to the same string; after an insertion the
// shorter key is a deletion of the longer). Variants are hashed and sorted,
// so for n distinct keys of length L the cost is O(nL·log(nL)) plus the
// candidates. Candidates sharing a variant are confirmed by an exact check.
// The worst case is quadratic in the size of a group: m keys that share a
// variant cost m²/2 checks (they are then mostly true matches), and m
// owners of one key make m²/2 pairs, which are all returned.
func (x *Index) Pairs() []Pair {
	type match struct {
		ka, kb int32
		dist   int8
	}
	best := make(map[[2]int32]match)
	offer := func(oa, ob, ka, kb int32, dist int8) {
		if x.owners[oa] > x.owners[ob] {
			oa, ob, ka, kb = ob, oa, kb, ka
		}
		id := [2]int32{oa, ob}
		if old, ok := best[id]; ok {
			c := cmp.Or(cmp.Compare(dist, old.dist),
				strings.Compare(x.keys[ka], x.keys[old.ka]),
				strings.Compare(x.keys[kb], x.keys[old.kb]))
			if c >= 0 {
				return
			}
		}
		best[id] = match{ka, kb, dist}
	}

	for k, hs := range x.holders {
		for i, oa := range hs {
			for _, ob := range hs[i+1:] {
				offer(oa, ob, int32(k), int32(k), 0)
			}
		}
	}

	// A variant is a hash in the high bits and the key's number in the low
	// keyBits: one word, where a struct would take two, for the largest
	// allocation here (a hash shortened by keyBits only adds candidates,
	// which withinOne rejects).
	type variant uint64
	keyBits := uint(bits.Len(uint(len(x.keys))))
	keyMask := uint64(1)<<keyBits - 1
	mkVariant := func(hash uint64, key int32) variant { return variant(hash<<keyBits | uint64(key)) }
	// Two keys one edit apart share a variant of one length m: the shorter
	// key whole and the longer with a rune deleted (m runes), or both with
	// the rune that differs deleted. So the variants are made and sorted
	// one length at a time: memory holds the variants of two lengths of
	// keys, not one per rune of every key.
	byLen := [][]int32{}
	for k, key := range x.keys {
		if n := utf8.RuneCountInString(key); n >= minFuzzy {
			for len(byLen) <= n {
				byLen = append(byLen, nil)
			}
			byLen[n] = append(byLen[n], int32(k))
		}
	}
	var vs []variant
	var ra, rb []rune // scratch for withinOne
	for m := minFuzzy - 1; m < len(byLen); m++ {
		vs = vs[:0]
		if m >= minFuzzy {
			for _, k := range byLen[m] {
				vs = append(vs, mkVariant(hashDeleting(x.keys[k], -1), k))
			}
		}
		if m+1 < len(byLen) {
			for _, k := range byLen[m+1] {
				prev := rune(-1)
				i := 0
				for _, r := range x.keys[k] {
					// Deleting any rune of a run gives the same string; list it once.
					if r != prev {
						vs = append(vs, mkVariant(hashDeleting(x.keys[k], i), k))
					}
					prev = r
					i++
				}
			}
		}
		sortHalves(vs)
		for lo := 0; lo < len(vs); {
			hi := lo + 1
			for hi < len(vs) && vs[hi]>>keyBits == vs[lo]>>keyBits {
				hi++
			}
			for i := lo; i < hi; i++ {
				for j := i + 1; j < hi; j++ {
					ka, kb := int32(uint64(vs[i])&keyMask), int32(uint64(vs[j])&keyMask)
					if ka == kb {
						continue
					}
					ra, rb = append(ra[:0], []rune(x.keys[ka])...), append(rb[:0], []rune(x.keys[kb])...)
					if !withinOne(ra, rb) {
						continue
					}
					for _, oa := range x.holders[ka] {
						for _, ob := range x.holders[kb] {
							if oa != ob {
								offer(oa, ob, ka, kb, 1)
							}
						}
					}
				}
			}
			lo = hi
		}
	}

	pairs := make([]Pair, 0, len(best))
	for id, m := range best {
		pairs = append(pairs, Pair{x.owners[id[0]], x.owners[id[1]], x.keys[m.ka], x.keys[m.kb]})
	}
	slices.SortFunc(pairs, func(p, q Pair) int {
		return cmp.Or(strings.Compare(p.A, q.A), strings.Compare(p.B, q.B))
	})
	return pairs
}

// sortHalves sorts v in place; a large one is first split around a pivot
// (the median of three of its values), and the two sides are sorted on two
// goroutines.
func sortHalves[T cmp.Ordered](v []T) {
	if len(v) < 1<<16 {
		slices.Sort(v)
		return
	}
	x, y, z := v[0], v[len(v)/2], v[len(v)-1]
	pivot := max(min(x, y), min(max(x, y), z))
	i := 0
	for j := range v {
		if v[j] < pivot {
			v[i], v[j] = v[j], v[i]
			i++
		}
	}
	done := make(chan struct{})
	go func() {
		slices.Sort(v[:i])
		close(done)
	}()
	slices.Sort(v[i:])
	<-done
}

// hashDeleting is FNV-1a over the runes of key without its skip-th (none
// when skip is -1). A collision only costs an extra check: withinOne
// decides.
func hashDeleting(key string, skip int) uint64 {
	h := uint64(14695981039346656037)
	i := 0
	for _, r := range key {
		if i != skip {
			h ^= uint64(r)
			h *= 1099511628211
		}
		i++
	}
	return h
}

// withinOne reports whether a and b are at most one rune edit apart.
func withinOne(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				if diff++; diff > 1 {
					return false
				}
			}
		}
		return true
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i:], b[i+1:])
	}
	return false
}
