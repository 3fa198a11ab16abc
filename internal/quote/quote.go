package quote

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MaxArticle is the longest article Prepare takes, in bytes. Normalised,
// an article is at most three times as long (each byte that is not UTF-8
// becomes U+FFFD), which keeps every position in the index within an
// int32.
const MaxArticle = 512 << 20

// ErrTooLong is returned by Prepare for an article over MaxArticle bytes.
var ErrTooLong = errors.New("article too long to search")

// Text is an article prepared for searching: normalised once, searched many
// times. A Text is not modified by Find, so it may be searched from several
// goroutines at once.
type Text struct {
	orig string
	norm string
	// start[i] is where in orig the character that became byte i of norm
	// starts (for a space, the run of white space). Ends are not kept:
	// matches and passages never end in a space, and any other byte of
	// norm comes from a single character, whose end is found by decoding.
	start []int

	indexOnce sync.Once
	idx       *index // of norm, made by the first Find
}

// Prepare normalises an article's text, in time linear in its length. The
// first search indexes it, in linear time too; after that, a search takes
// time that depends on the quote and on the passages that share its words,
// not on the length of the article.
func Prepare(article string) (*Text, error) {
	if len(article) > MaxArticle {
		return nil, fmt.Errorf("%w: %d bytes, over %d MiB", ErrTooLong, len(article), MaxArticle>>20)
	}
	norm, start := normalize(article, true)
	return &Text{orig: article, norm: norm, start: start}, nil
}

// index returns t's index, making it the first time.
func (t *Text) index() *index {
	t.indexOnce.Do(func() { t.idx = newIndex(t.norm) })
	return t.idx
}

// A search looks for quotes in a normalised text: the index, or in tests
// the plain scan of the whole text that it is held to.
type search interface {
	// place finds the parts in order, each at the occurrence after the
	// previous part that ends first, and returns the range from the first
	// part's start to the last part's end, or, in failed, the index of the
	// first part it cannot place (-1 if all are placed).
	place(parts []string) (start, end, failed int)
	// windows returns the starts of up to k non-overlapping windows, each
	// as long as q, that share the most trigrams with q, best first.
	windows(q string, k int) []int
}

// span returns the byte range of the original text that the normalised
// bytes [s, e) come from; byte e-1 must not be a space.
func (t *Text) span(s, e int) (int, int) {
	last := t.start[e-1]
	_, size := utf8.DecodeRuneInString(t.orig[last:])
	return t.start[s], last + size
}

// Match is the outcome of Find.
type Match struct {
	Found bool
	// Start and End are a byte range of the original article text. When
	// Found, they cover the quote, from the start of its first part to the
	// end of its last part. When not, they are the closest passage, or 0
	// and 0 if there is none.
	Start, End int
	// Passage is article[Start:End]: the text quoted when Found, and the
	// closest passage when not, in whole words and without surrounding
	// white space; "" if there is none (for an empty quote or article, or
	// one with nothing in common with the quote).
	Passage string
	// Similarity of Passage to the quote, from 0 to 1, where 1 means
	// identical after normalisation (so it is 1 when Found and below 1 when
	// not): one minus their edit distance in characters divided by the
	// longer one's length. A quote with elisions is compared with its
	// parts joined by spaces. For a quote of over maxAlign characters, too
	// long to align, it is estimated from the trigrams the two share.
	Similarity float64
	// Part is, when not Found and the quote has two or more parts separated
	// by elisions, the index (from 0) of the first part that could not be
	// placed after the ones before it; -1 otherwise.
	Part int
}

// Find looks for q in t. A quote that is empty after normalisation (or
// made only of elisions) is never found.
func (t *Text) Find(q string) Match {
	return t.find(q, t.index())
}

// find is Find with the given search.
func (t *Text) find(q string, x search) Match {
	nq, _ := normalize(q, false)
	attempts := []string{nq}
	if inner, ok := unwrap(nq); ok {
		attempts = append(attempts, inner)
	}
	// parts and failed describe the last attempt that had any parts: the
	// unwrapped quote when there is one, which is the more forgiving, so
	// its failing part is the one worth reporting.
	var parts []string
	failed := -1
	for _, a := range attempts {
		p := splitElisions(a)
		if len(p) == 0 {
			continue
		}
		s, e, f := x.place(p)
		if f < 0 {
			start, end := t.span(s, e)
			return Match{Found: true, Start: start, End: end, Passage: t.orig[start:end], Similarity: 1, Part: -1}
		}
		parts, failed = p, f
	}
	m := Match{Part: -1}
	if len(parts) == 0 {
		return m
	}
	if len(parts) > 1 {
		m.Part = failed
	}
	t.closest(parts, &m, x)
	return m
}

// Normalisation.

// Kinds of character for normalisation.
const (
	keep = iota
	space
	drop
)

// classify says how normalisation treats r, and what r becomes if kept.
func classify(r rune) (rune, int) {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		// Invisible: soft hyphens come and go with line breaking, and
		// zero-width characters with the software that saved the page.
		return 0, drop
	case '\'', '‘', '’', '‚', '‛', '′', '`', '´', 'ʼ', '‹', '›':
		return '\'', keep
	case '"', '“', '”', '„', '‟', '″', '«', '»':
		return '"', keep
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return '-', keep
	}
	if unicode.IsSpace(r) {
		return ' ', space
	}
	return r, keep
}

// normalize returns s normalised as the package documentation describes,
// without white space at either end. With track, it also returns for each
// byte of the result where in s the character it comes from starts.
func normalize(s string, track bool) (norm string, start []int) {
	buf := make([]byte, 0, len(s))
	if track {
		start = make([]int, 0, len(s))
	}
	// A run of white space is written only when a kept character follows
	// it, so that white space at either end disappears and ignored
	// characters inside a run do not split it in two.
	pending, wsFrom := false, 0
	for i := 0; i < len(s); {
		// ASCII, nearly all of an English article, is handled without
		// decoding.
		if c := s[i]; c < utf8.RuneSelf && c != '`' {
			if asciiSpace[c] {
				if !pending {
					pending, wsFrom = true, i
				}
			} else {
				if pending && len(buf) > 0 {
					buf = append(buf, ' ')
					if track {
						start = append(start, wsFrom)
					}
				}
				pending = false
				buf = append(buf, c)
				if track {
					start = append(start, i)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:]) // U+FFFD for a byte that is not UTF-8
		c, kind := classify(r)
		switch kind {
		case space:
			if !pending {
				pending, wsFrom = true, i
			}
		case keep:
			n := len(buf)
			if pending && n > 0 {
				buf = append(buf, ' ')
				if track {
					start = append(start, wsFrom)
				}
				n++
			}
			pending = false
			if c == '…' {
				buf = append(buf, "..."...)
			} else {
				buf = utf8.AppendRune(buf, c)
			}
			if track {
				for range len(buf) - n {
					start = append(start, i)
				}
			}
		}
		i += size
	}
	return string(buf), start
}

// asciiSpace holds the ASCII characters for which unicode.IsSpace is true.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// unwrap returns the normalised quote q without the pair of quotation marks
// around it, if there is one.
func unwrap(q string) (string, bool) {
	if len(q) < 2 || q[0] != q[len(q)-1] || (q[0] != '"' && q[0] != '\'') {
		return "", false
	}
	inner := strings.Trim(q[1:len(q)-1], " ")
	return inner, inner != ""
}

// splitElisions splits the normalised quote q at its elisions, dropping
// empty parts.
func splitElisions(q string) []string {
	var parts []string
	from := 0 // start of the current part
	for i := 0; i < len(q); {
		var end int // end of the elision starting at i, or 0 if none
		switch q[i] {
		case '[':
			if j := dots(q, skipSpace(q, i+1)); j > 0 {
				if k := skipSpace(q, j); k < len(q) && q[k] == ']' {
					end = k + 1
				}
			}
		case '(':
			// "(...)" is text, not an elision: step over it whole so that
			// its dots are not taken for one.
			if j := dots(q, skipSpace(q, i+1)); j > 0 {
				if k := skipSpace(q, j); k < len(q) && q[k] == ')' {
					i = k + 1
					continue
				}
			}
		case '.':
			end = dots(q, i)
		}
		if end == 0 {
			i++
			continue
		}
		if p := strings.Trim(q[from:i], " "); p != "" {
			parts = append(parts, p)
		}
		from, i = end, end
	}
	if p := strings.Trim(q[from:], " "); p != "" {
		parts = append(parts, p)
	}
	return parts
}

// dots returns the end of the elision made of full stops that starts at i
// in q, or 0 if there is none there: at least three full stops, each
// separated from the next by at most one space, as in "..." and ". . .".
func dots(q string, i int) int {
	n, end := 0, 0
	for i < len(q) && q[i] == '.' {
		n++
		end = i + 1
		i = skipSpace(q, end)
	}
	if n < 3 {
		return 0
	}
	return end
}

// skipSpace returns i, or i+1 if q has a space there; normalised text never
// has two in a row.
func skipSpace(q string, i int) int {
	if i < len(q) && q[i] == ' ' {
		return i + 1
	}
	return i
}

// cases returns r and r in the other cases, without repeats.
func cases(r rune) []rune {
	cs := []rune{r}
	for _, c := range [...]rune{unicode.ToLower(r), unicode.ToUpper(r), unicode.ToTitle(r)} {
		if !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return cs
}

// firstLetter returns the byte index and the first letter of p, or -1.
func firstLetter(p string) (int, rune) {
	for i, r := range p {
		if unicode.IsLetter(r) {
			return i, r
		}
	}
	return -1, 0
}

// sameLetter reports whether t is q in some case, as cases has it: t is q
// or its lower-, upper- or title-case form. (So a quote's "ı" matches an
// article's "I", but not the other way round: Unicode has "i" for the
// lower case of "I".)
func sameLetter(q, t rune) bool {
	return t == q || t == unicode.ToLower(q) || t == unicode.ToUpper(q) || t == unicode.ToTitle(q)
}

// Closest passage.

const (
	// exactBudget is the largest alignment, in cells (characters of the
	// quote times bytes of the article), made over the whole article
	// rather than over candidate windows: a few milliseconds, enough for
	// a typical article and any short quote.
	exactBudget = 1 << 20
	// candidates is how many of the windows sharing the most trigrams with
	// the quote are aligned with it. The best window by trigrams is
	// usually the best by edit distance too; a few more guard against
	// a quote whose trigrams are spread over a repetitive article.
	candidates = 3
	// maxAlign is the longest quote, in characters, that is aligned with
	// the article, taking time and space quadratic in its length. A longer
	// one is no quotation but a mistake, such as a whole article pasted;
	// the passage shown for it is the window sharing the most trigrams
	// with it, and the similarity is estimated from them.
	maxAlign = 2000
	// wordReach bounds how far a passage is widened to whole words, in
	// characters, so that a run of letters without spaces cannot make
	// the work quadratic.
	wordReach = 32
)

// closest sets m's passage and similarity to the passage of t closest to
// the quote made of parts.
func (t *Text) closest(parts []string, m *Match, x search) {
	q := strings.Join(parts, " ")
	qr := []rune(q)
	// Each part's first letter matches in any case, as in place.
	fold := make([]bool, len(qr))
	at := 0
	for _, p := range parts {
		if i, _ := firstLetter(p); i >= 0 {
			fold[at+utf8.RuneCountInString(p[:i])] = true
		}
		at += utf8.RuneCountInString(p) + 1
	}
	n := len(t.norm)
	if n == 0 {
		return
	}
	var ps, pe int
	switch {
	case len(qr) > maxAlign:
		ps, pe = 0, n
		if len(q) < n {
			ps, pe = 0, 0 // nothing in common, unless a window shares a trigram
			for _, s := range x.windows(q, 1) {
				ps, pe = t.runeBounds(s, s+len(q))
			}
		}
	case len(q) < 3 || len(q) >= n || (n+1)*(len(qr)+1) <= exactBudget:
		// Aligning with the whole article is cheap here and cannot miss.
		// Besides, trigrams say nothing about a quote under three bytes,
		// and a window as long as the quote would be the whole article.
		ps, pe, _ = t.alignIn(0, n, qr, fold)
	default:
		best := -1
		for _, s := range x.windows(q, candidates) {
			// The margins let the alignment reach a passage longer than
			// the quote, or one the window caught only in part.
			lo, hi := t.runeBounds(max(0, s-len(q)/2), min(n, s+len(q)+len(q)/2))
			if a, b, d := t.alignIn(lo, hi, qr, fold); best < 0 || d < best {
				ps, pe, best = a, b, d
			}
		}
	}
	if ps < pe && t.norm[ps] == ' ' {
		ps++
	}
	if ps < pe && t.norm[pe-1] == ' ' {
		pe--
	}
	if ps >= pe {
		return
	}
	// A passage cut inside a word reads as a typo of its own; whole words
	// show the curator what the article says. The similarity is then that
	// of the passage shown.
	ps, pe = widen(t.norm, ps, pe)
	if len(qr) > maxAlign {
		m.Similarity = trigramSimilarity(q, t.norm[ps:pe])
	} else {
		pr := []rune(t.norm[ps:pe])
		d := levenshtein(qr, fold, pr)
		m.Similarity = min(1, max(0, 1-float64(d)/float64(max(len(qr), len(pr)))))
	}
	m.Start, m.End = t.span(ps, pe)
	m.Passage = t.orig[m.Start:m.End]
}

// runeBounds widens the byte range [lo, hi) of t.norm to whole characters.
func (t *Text) runeBounds(lo, hi int) (int, int) {
	for lo > 0 && !utf8.RuneStart(t.norm[lo]) {
		lo--
	}
	for hi < len(t.norm) && !utf8.RuneStart(t.norm[hi]) {
		hi++
	}
	return lo, hi
}

// trigramSimilarity estimates how alike a and b are, where they are too long
// to align, as the share of byte trigrams they have in common. It stays
// below 1, since it is only asked about texts that differ.
func trigramSimilarity(a, b string) float64 {
	count := func(s string) map[uint32]int {
		c := map[uint32]int{}
		for i := 0; i+3 <= len(s); i++ {
			c[trigram(s, i)]++
		}
		return c
	}
	ca, cb := count(a), count(b)
	shared := 0
	for g, x := range ca {
		shared += min(x, cb[g])
	}
	total := max(len(a), len(b)) - 2
	if total <= 0 {
		return 0
	}
	return min(float64(shared)/float64(total), float64(total-1)/float64(total))
}

// alignIn aligns the quote with t.norm[lo:hi], which must start and end at
// character boundaries, and returns the byte range of the best passage in
// t.norm and its edit distance to the quote.
func (t *Text) alignIn(lo, hi int, q []rune, fold []bool) (start, end, dist int) {
	region := t.norm[lo:hi]
	rs := make([]rune, 0, len(region))
	offs := make([]int, 0, len(region)+1) // byte offset of each rune, and of the end
	for i, r := range region {
		rs = append(rs, r)
		offs = append(offs, lo+i)
	}
	offs = append(offs, hi)
	s, e, d := align(q, fold, rs)
	return offs[s], offs[e], d
}

// align returns the substring t[s:e] with the smallest edit distance d to
// q. This is Sellers' semi-global alignment: all of q must be aligned, but
// t may be cut anywhere at no cost. It takes time len(q)*len(t) and space
// len(t).
func align(q []rune, fold []bool, t []rune) (s, e, d int) {
	// Row i holds, for each j, the least cost of aligning q[:i] with some
	// t[s:j]. The first row is all zero: the passage may start anywhere.
	prev, cur := make([]int, len(t)+1), make([]int, len(t)+1)
	for i, qc := range q {
		f := fold[i]
		diag, left := prev[0], i+1
		cur[0] = left
		for j, tc := range t {
			up := prev[j+1]
			c := diag
			if tc != qc && !(f && sameLetter(qc, tc)) {
				c++
			}
			c = min(c, up+1, left+1)
			cur[j+1] = c
			diag, left = up, c
		}
		prev, cur = cur, prev
	}
	for j := 1; j <= len(t); j++ {
		if prev[j] < prev[e] {
			e = j
		}
	}
	d = prev[e]
	// Tracking where each path starts would double the work of the loop
	// above; instead, align backwards from e, over no more than a passage
	// of cost d can span, and take the shortest passage of that cost.
	span := min(e, len(q)+d)
	for j := range span + 1 {
		prev[j] = j // the passage must end at e
	}
	for i := len(q) - 1; i >= 0; i-- {
		qc, f := q[i], fold[i]
		diag, left := prev[0], len(q)-i
		cur[0] = left
		for j := range span {
			tc, up := t[e-1-j], prev[j+1]
			c := diag
			if tc != qc && !(f && sameLetter(qc, tc)) {
				c++
			}
			c = min(c, up+1, left+1)
			cur[j+1] = c
			diag, left = up, c
		}
		prev, cur = cur, prev
	}
	// The passage the forward pass found has cost d and is at most span
	// long, so the loop returns; the last line only satisfies the compiler.
	for j := range span + 1 {
		if prev[j] == d {
			return e - j, e, d
		}
	}
	return e - span, e, d
}

// levenshtein is the edit distance between q and p, in characters, with
// q's first letters matching in any case where fold says so.
func levenshtein(q []rune, fold []bool, p []rune) int {
	prev, cur := make([]int, len(p)+1), make([]int, len(p)+1)
	for j := range prev {
		prev[j] = j
	}
	for i, qc := range q {
		cur[0] = i + 1
		f := fold[i]
		for j, pc := range p {
			cost := 1
			if pc == qc || f && sameLetter(qc, pc) {
				cost = 0
			}
			cur[j+1] = min(prev[j]+cost, prev[j+1]+1, cur[j]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(p)]
}

// widen extends the byte range [ps, pe) of s to whole words where it cuts
// one, by at most wordReach characters at each end.
func widen(s string, ps, pe int) (int, int) {
	if r, _ := utf8.DecodeRuneInString(s[ps:]); isWord(r) {
		for range wordReach {
			r, size := utf8.DecodeLastRuneInString(s[:ps])
			if size == 0 || !isWord(r) {
				break
			}
			ps -= size
		}
	}
	if r, _ := utf8.DecodeLastRuneInString(s[:pe]); isWord(r) {
		for range wordReach {
			r, size := utf8.DecodeRuneInString(s[pe:])
			if size == 0 || !isWord(r) {
				break
			}
			pe += size
		}
	}
	return ps, pe
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func trigram(s string, i int) uint32 {
	return uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])
}

// trigramTable maps trigrams to ids 0, 1, 2, ... It is an open-addressing
// hash table rather than a map because it is looked up once per byte of a
// text.
type trigramTable struct {
	keys  []uint32 // trigram+1, or 0 for an empty slot
	ids   []int32
	shift uint
	n     int32
}

// newTrigramTable returns a table for n trigrams, which grows if more are
// inserted. It is kept at most a quarter full, so that looking up a
// trigram not in it, which is what most of a text's are when the table
// holds a quote's, usually ends at the first slot.
func newTrigramTable(n int) *trigramTable {
	logSize := uint(4)
	for 1<<logSize < 4*n {
		logSize++
	}
	return &trigramTable{keys: make([]uint32, 1<<logSize), ids: make([]int32, 1<<logSize), shift: 32 - logSize}
}

// slot returns where trigram g is, or would go.
func (tb *trigramTable) slot(g uint32) int {
	mask := len(tb.keys) - 1
	for h := int((g * 0x9E3779B1) >> tb.shift); ; h = (h + 1) & mask {
		if k := tb.keys[h]; k == 0 || k == g+1 {
			return h
		}
	}
}

// insert returns g's id, giving it the next one if it is new.
func (tb *trigramTable) insert(g uint32) int32 {
	h := tb.slot(g)
	if tb.keys[h] == 0 {
		if 4*int(tb.n+1) > len(tb.keys) {
			tb.grow()
			h = tb.slot(g)
		}
		tb.keys[h], tb.ids[h] = g+1, tb.n
		tb.n++
	}
	return tb.ids[h]
}

// grow doubles the table.
func (tb *trigramTable) grow() {
	old, oldIDs := tb.keys, tb.ids
	tb.keys, tb.ids = make([]uint32, 2*len(old)), make([]int32, 2*len(old))
	tb.shift--
	for h, k := range old {
		if k != 0 {
			n := tb.slot(k - 1)
			tb.keys[n], tb.ids[n] = k, oldIDs[h]
		}
	}
}

// lookup returns g's id, or -1 if g is not in the table.
func (tb *trigramTable) lookup(g uint32) int32 {
	if h := tb.slot(g); tb.keys[h] != 0 {
		return tb.ids[h]
	}
	return -1
}
