package quote

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPlaceAgreesHostileLetters holds the index's placement to the scan's
// with letters whose cases differ in byte length, invalid bytes, prefixes
// before the first letter, and parts of one or two bytes (from a review).
func TestPlaceAgreesHostileLetters(t *testing.T) {
	alphabet := []string{"a", "b", "A", "ı", "I", "İ", "i", "ǅ", "ǆ", "Ǆ", "ß", "ẞ", "K", "k", "\u212a", "σ", "Σ", "ς",
		"1", " ", "\"", "'", "-", "\xff", "\xe2\x82", "é", "É", "ab", "aa"}
	r := rand.New(rand.NewPCG(41, 43))
	rt := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for it := range 30_000 {
		article := rt(r.IntN(60))
		tx := mustPrepare(article)
		x := tx.index()
		sc := scan{tx.norm}
		for range 6 {
			var parts []string
			for range 1 + r.IntN(3) {
				var p string
				if r.IntN(2) == 0 && len(tx.norm) > 0 {
					a := r.IntN(len(tx.norm) + 1)
					b := min(len(tx.norm), a+1+r.IntN(6))
					p = tx.norm[a:b]
				} else {
					p, _ = normalize(rt(1+r.IntN(3)), false)
				}
				p = strings.Trim(p, " ")
				if p == "" || !utf8.ValidString(p) {
					continue
				}
				// The first letter in another case, sometimes.
				if i, c := firstLetter(p); i >= 0 && r.IntN(2) == 0 {
					cs := cases(c)
					p = p[:i] + string(cs[r.IntN(len(cs))]) + p[i+len(string(c)):]
				}
				parts = append(parts, p)
			}
			if len(parts) == 0 {
				continue
			}
			s1, e1, f1 := x.place(parts)
			s2, e2, f2 := sc.place(parts)
			if s1 != s2 || e1 != e2 || f1 != f2 {
				t.Fatalf("iter %d: place(%q) in %q: index %d %d %d, scan %d %d %d", it, parts, tx.norm, s1, e1, f1, s2, e2, f2)
			}
			q := strings.Join(parts, " [...] ")
			agree(t, tx, q, false)
		}
	}
}

// TestRankExactAgrees holds rank's claim of exactness to the scan, on texts
// of small alphabets (many repeats), long enough for the budgets to bite;
// what rank returns is never better than the scan's best (from a review).
func TestRankExactAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for it := range 3000 {
		alpha := "abcde "[:2+r.IntN(5)]
		n := 50 + r.IntN(20000)
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		s := string(b)
		x := newIndex(s)
		w := 3 + r.IntN(min(n-4, 200))
		var q string
		if r.IntN(2) == 0 {
			a := r.IntN(n - w)
			qb := []byte(s[a : a+w])
			for range r.IntN(4) {
				qb[r.IntN(len(qb))] = "abcdefxyz"[r.IntN(9)]
			}
			q = string(qb)
		} else {
			qb := make([]byte, w)
			for i := range qb {
				qb[i] = "abcdefxyz "[r.IntN(10)]
			}
			q = string(qb)
		}
		k := 1 + r.IntN(3)
		picks, exact := x.rank(q, k)
		plain := scan{s}.windows(q, k)
		if exact && picks[0] != plain[0] {
			t.Fatalf("iter %d: rank(%q) exact at %d, scan %d", it, q, picks[0], plain[0])
		}
		for _, p := range picks {
			if p < 0 || p+w > n {
				t.Fatalf("iter %d: rank(%q): window at %d out of the text", it, q, p)
			}
		}
		if len(picks) > 0 && score(s, q, picks[0]) > score(s, q, plain[0]) {
			t.Fatalf("iter %d: rank(%q) found a window better than the scan's best", it, q)
		}
	}
}

// TestPlaceAgreesExhaustive holds the index's placement to the scan's on short articles rich in letters whose
// cases differ in byte length (ı/I/İ, K/k/Kelvin sign, ß/ẞ, ǅ/ǆ/Ǆ, σ/ς/Σ),
// invalid bytes (U+FFFD), prefixes before the first letter, and patterns of
// one or two bytes at the very start and end: every substring of the
// normalised text, with its first letter in each case, placed alone and
// after an elision (from a review).
func TestPlaceAgreesExhaustive(t *testing.T) {
	for _, article := range []string{
		"Kelvin \u212a k K end", "ıI iİ ıi", "ǅǆǄ ǅa ǆb", "ßẞ ß ss", "\xff\xfeA\xff", "“A” 'b' \"c\"",
		"12 abc 12 Abc", "aaaaaaa", "ab", "a", "Σσς σ", "x1y2z", "-a-A-", "é É é", "Aa", "aA", "\u212aa ka",
	} {
		tx := mustPrepare(article)
		x, sc := tx.index(), scan{tx.norm}
		s := tx.norm
		for a := range len(s) {
			if !utf8.RuneStart(s[a]) {
				continue
			}
			for b := a + 1; b <= len(s) && b <= a+10; b++ {
				if b < len(s) && !utf8.RuneStart(s[b]) {
					continue
				}
				p := strings.Trim(s[a:b], " ")
				if p == "" {
					continue
				}
				variants := []string{p}
				if i, c := firstLetter(p); i >= 0 {
					for _, cc := range cases(c) {
						variants = append(variants, p[:i]+string(cc)+p[i+len(string(c)):])
					}
					for _, cc := range []rune{'K', 'k', '\u212a', 'ı', 'I', 'i', 'İ', 'ǅ', 'ǆ', 'Ǆ', 'ß', 'ẞ'} {
						variants = append(variants, p[:i]+string(cc)+p[i+len(string(c)):])
					}
				}
				for _, v := range variants {
					for _, parts := range [][]string{{v}, {"a", v}, {v, v}, {v, "b"}} {
						s1, e1, f1 := x.place(parts)
						s2, e2, f2 := sc.place(parts)
						if s1 != s2 || e1 != e2 || f1 != f2 {
							t.Fatalf("place(%q) in %q: index %d %d %d, scan %d %d %d", parts, s, s1, e1, f1, s2, e2, f2)
						}
					}
					agree(t, tx, v, false)
				}
			}
		}
	}
}

// TestClosestWhenRarestTrigramAbsent checks that a near miss gets a
// closest passage when its rarest trigram is not in the article (as a typo
// makes) and every other trigram is common: the votes once went to the
// absent trigram alone, and Find said there was nothing in common (found
// by a review).
func TestClosestWhenRarestTrigramAbsent(t *testing.T) {
	for _, c := range []struct{ article, q string }{
		{strings.Repeat("a", 200_000), "aaaab"},                                                // minimal
		{syntheticArticle(5, 4_000_000), "that thz"},                                           // a typo in common words
		{strings.Repeat(strings.Repeat("a", 1000)+"b", 300), "1 " + strings.Repeat("a", 1001)}, // a prefix before the letters
	} {
		tx := mustPrepare(c.article)
		got := tx.Find(c.q)
		want := tx.find(c.q, scan{tx.norm})
		if want.Similarity > 0.25 && got.Passage == "" {
			t.Errorf("Find(%q) in %q: index gives no passage (similarity %.2f); scan %q, similarity %.2f",
				ellipsis(c.q), ellipsis(c.article)[:40], got.Similarity, ellipsis(want.Passage), want.Similarity)
		}
	}
}

// TestNearMissQuality checks, on near misses of sentences in an 8.8 MB
// article of a small vocabulary (every trigram common, every sentence
// repeated, the index's hardest case), that the closest passage is as
// close as the scan's for all but a few: the budgets keep each search
// bounded, and the votes of whole pieces of the quote find the passage.
// Trigram votes once gave a worse passage for more than half.
func TestNearMissQuality(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	article, quotes := missingQuotes(8_800_000, 40)
	tx := mustPrepare(article)
	worse := 0
	for _, q := range quotes {
		got, want := tx.Find(q), tx.find(q, scan{tx.norm})
		if got.Similarity < want.Similarity-1e-9 {
			worse++
			if worse <= 2 {
				t.Logf("%q:\n  index %.2f %q\n  scan  %.2f %q", q, got.Similarity, got.Passage, want.Similarity, want.Passage)
			}
		}
	}
	t.Logf("%d of %d near misses get a less similar passage than the scan's", worse, len(quotes))
	if worse > 2 {
		t.Errorf("%d of %d near misses get a less similar passage than the scan's", worse, len(quotes))
	}
}

// BenchmarkFindHostile looks for quotes made to be hard for the index, in
// articles of 1 and 8 MB, with the index and with the plain scan: a search
// with the index should cost about the same in both (from a review).
func BenchmarkFindHostile(b *testing.B) {
	aLb := func(L int) func(int) string {
		return func(size int) string { return strings.Repeat(strings.Repeat("a", L)+"b", size/(L+1)) }
	}
	syn := func(size int) string { return syntheticArticle(5, size) }
	for _, a := range []struct {
		name    string
		article func(int) string
		q       string
	}{
		{"common-words", syn, "that the that the that"},
		{"near-miss", syn, "The mayor warned then the fare increase was good news for the island."},
		{"common-words-typo", syn, "that thz"},
		{"periodic-1000", aLb(1000), strings.Repeat("a", 1001)},
		{"periodic-8000", aLb(8000), strings.Repeat("a", 8001)},
		{"one-letter-parts", syn, strings.TrimSuffix(strings.Repeat("a … ", 2000), " … ")},
	} {
		for _, size := range []int{1 << 20, 8 << 20} {
			tx := mustPrepare(a.article(size))
			tx.index()
			b.Run(fmt.Sprintf("%s/%dMB/index", a.name, size>>20), func(b *testing.B) {
				for b.Loop() {
					tx.Find(a.q)
				}
			})
			b.Run(fmt.Sprintf("%s/%dMB/scan", a.name, size>>20), func(b *testing.B) {
				for b.Loop() {
					tx.find(a.q, scan{tx.norm})
				}
			})
		}
	}
}
