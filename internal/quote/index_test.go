package quote

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// recording is the index, holding every ranking it makes to the plain
// scan's where it says the ranking is exact, and noting whether all were.
type recording struct {
	*index
	t     *testing.T
	exact bool
}

func (r *recording) windows(q string, k int) []int {
	picks, exact := r.rank(q, k)
	if exact {
		if plain := (scan{r.s}).windows(q, k); plain[0] != picks[0] {
			r.t.Errorf("rank(%q): best window at %d, exactly; the plain scan's is at %d", q, picks[0], plain[0])
		}
	}
	r.exact = r.exact && exact
	return picks
}

// agree checks that the index finds what the plain scan finds: the same
// placement always, and the same best window whenever it says it ranked
// exactly. For a near miss of a passage, the closest passage must be as
// close as the scan's (it may be closer: the index aligns the best window
// and others that the votes chose). It reports whether the ranking was
// exact.
func agree(t *testing.T, tx *Text, q string, nearMiss bool) bool {
	t.Helper()
	rec := &recording{index: tx.index(), t: t, exact: true}
	got := tx.find(q, rec)
	want := tx.find(q, scan{tx.norm})
	checkMatch(t, tx.orig, q, got)
	if got.Found != want.Found || got.Found && (got.Start != want.Start || got.End != want.End) || got.Part != want.Part {
		t.Fatalf("Find(%q) in %q:\nindex %+v\nscan  %+v", q, ellipsis(tx.orig), got, want)
	}
	if nearMiss && got.Similarity < want.Similarity {
		t.Errorf("Find(%q), a near miss, in %q:\nindex %+v\nscan  %+v", q, ellipsis(tx.orig), got, want)
	}
	if got != want {
		differ++
	}
	return rec.exact
}

// differ counts the quotes whose closest passage the index and the scan
// disagree on, to be logged.
var differ int

func ellipsis(s string) string {
	if len(s) <= 200 {
		return s
	}
	return s[:100] + " … " + s[len(s)-100:]
}

// TestIndexAgrees holds the index to the plain scan: on short random texts
// rich in what normalisation changes, where everything must agree, and on
// long articles, where the closest passage must agree whenever the index
// could rank exactly within its budget, and does for quotes that are near
// misses of a passage.
func TestIndexAgrees(t *testing.T) {
	alphabet := []string{"a", "b", "c", "A", "B", "é", "É", "ǅ", "ǆ", "ı", "I", "i", " ", " ", "\u00a0", "\r\n",
		"'", "’", "\"", "“", "-", "–", "\u00ad", "…", ".", ".", "[", "]", "(", ")", "\xff", "ab", "ba", "abc"}
	r := rand.New(rand.NewPCG(17, 19))
	randomText := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 20_000 {
		article := randomText(r.IntN(80))
		tx := mustPrepare(article)
		for range 4 {
			var q string
			switch r.IntN(3) {
			case 0:
				q = randomText(1 + r.IntN(6))
			case 1:
				q = mutate(r, passage(r, article))
			default:
				q = mutate(r, passage(r, article)) + " [...] " + mutate(r, passage(r, article))
			}
			agree(t, tx, q, false)
		}
	}

	if differ > 0 {
		t.Errorf("closest passages differ for %d quotes in short texts, which are aligned in full", differ)
	}

	// Long articles: near misses of sentences, elided quotes, word salad
	// from the article's own words, and words it never uses.
	for seed := range uint64(5) {
		article := syntheticArticle(seed, 300_000)
		switch seed {
		case 4:
			// One article repeated: every passage occurs many times, and
			// the earliest must be shown.
			article = strings.Repeat(syntheticArticle(seed, 6_000)+"\n\n", 50)
		case 3:
			// Unique words, as real articles have names and numbers.
			var b strings.Builder
			for i, s := range strings.SplitAfter(article, ". ") {
				b.WriteString(s)
				if i%7 == 0 {
					b.WriteString("Item " + strings.Repeat("x", i%5) + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + ". ")
				}
			}
			article = b.String()
		}
		tx := mustPrepare(article)
		sentences := strings.SplitAfter(article, ". ")
		words := strings.Fields(article)
		nearMisses, exact := 0, 0
		for i := range 120 {
			s := strings.TrimSpace(sentences[r.IntN(len(sentences))])
			var q string
			switch i % 6 {
			case 0, 1:
				q = mutate(r, s)
				if q == s {
					continue
				}
				nearMisses++
				if agree(t, tx, q, true) {
					exact++
				}
				continue
			case 2:
				q = s[:len(s)/3] + " … " + mutate(r, s[len(s)/2:])
			case 3:
				for range 4 + r.IntN(20) {
					q += words[r.IntN(len(words))] + " "
				}
			case 4:
				q = "Quixotic zephyrs vex jumbled fjord wights"
			default:
				q = s // found
			}
			agree(t, tx, q, false)
		}
		if nearMisses == 0 {
			t.Fatal("no near misses tried")
		}
		t.Logf("article %d: %d of %d near misses ranked exactly; closest passages differ for %d quotes so far", seed, exact, nearMisses, differ)
	}
}

// passage returns a random run of whole characters of s, trimmed.
func passage(r *rand.Rand, s string) string {
	var bounds []int
	for i := range s {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(s))
	a, b := bounds[r.IntN(len(bounds))], bounds[r.IntN(len(bounds))]
	if a > b {
		a, b = b, a
	}
	return strings.TrimSpace(s[a:b])
}

// mutate makes up to two small edits to s: a character changed, dropped or
// added, or the case of the first letter changed.
func mutate(r *rand.Rand, s string) string {
	rs := []rune(s)
	for range r.IntN(3) {
		if len(rs) == 0 {
			break
		}
		i := r.IntN(len(rs))
		switch r.IntN(4) {
		case 0:
			rs[i] = 'q'
		case 1:
			rs = slices.Delete(rs, i, i+1)
		case 2:
			rs = slices.Insert(rs, i, 'z')
		default:
			rs[0] = []rune(strings.ToUpper(string(rs[0])))[0]
		}
	}
	return string(rs)
}

// TestRankBudget checks the ranking past its budget, for quotes made only
// of the commonest trigrams of a long article: what it returns are real
// windows, no better than the best the plain scan finds, and it says it is
// not exact.
func TestRankBudget(t *testing.T) {
	article := syntheticArticle(5, 2_000_000)
	tx := mustPrepare(article)
	x := tx.index()
	for _, q := range []string{
		"the that the that the that",
		"said that the said that the said that the council",
		strings.Repeat("the ", 200),
	} {
		picks, exact := x.rank(q, candidates)
		if exact {
			t.Errorf("rank(%q): exact, though its trigrams are all common", q)
		}
		if len(picks) == 0 {
			t.Errorf("rank(%q): no windows", q)
		}
		plain := scan{tx.norm}.windows(q, candidates)
		if score(tx.norm, q, picks[0]) > score(tx.norm, q, plain[0]) {
			t.Errorf("rank(%q) found a window better than the plain scan's best", q)
		}
		for _, p := range picks {
			if p < 0 || p+len(q) > len(tx.norm) {
				t.Errorf("rank(%q): window at %d out of the text", q, p)
			}
		}
		agree(t, tx, q, false)
	}
}

// score counts the trigrams the window of s at st shares with q, from
// scratch.
func score(s, q string, st int) int {
	want := map[string]int{}
	for i := 0; i+3 <= len(q); i++ {
		want[q[i:i+3]]++
	}
	n := 0
	for i := st; i+3 <= st+len(q); i++ {
		if want[s[i:i+3]] > 0 {
			want[s[i:i+3]]--
			n++
		}
	}
	return n
}

// TestIndexPostings checks the index of texts with many distinct trigrams
// (which make its table grow) against a count made from scratch.
func TestIndexPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, 2, 3, 4, 100, 70_000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		s := string(b)
		x := newIndex(s)
		total := 0
		for r := range x.keys {
			list := x.pos[x.offs[r]:x.offs[r+1]]
			total += len(list)
			if !slices.IsSorted(list) || len(list) == 0 {
				t.Fatalf("n=%d: postings of %06x not ascending, or empty: %v", n, x.keys[r], list)
			}
			for _, p := range list {
				if trigram(s, int(p)) != x.keys[r] {
					t.Fatalf("n=%d: %06x listed at %d", n, x.keys[r], p)
				}
			}
		}
		if total != max(0, n-2) || !slices.IsSorted(x.keys) {
			t.Fatalf("n=%d: %d positions listed, keys sorted %v", n, total, slices.IsSorted(x.keys))
		}
		for i := 0; i+3 <= n; i += 97 {
			if !slices.Contains(x.postings(trigram(s, i)), int32(i)) {
				t.Fatalf("n=%d: postings of the trigram at %d do not hold it", n, i)
			}
		}
	}
}

// TestMissingQuoteCostsTheQuote checks that looking for a missing quote
// costs the same in a long article as in a short one that holds the same
// passages: the memory Find allocates (which the plain scan makes as long
// as the article, once per quote) does not grow with what the article
// holds besides. Memory rather than time, since time is noisy.
func TestMissingQuoteCostsTheQuote(t *testing.T) {
	short := syntheticArticle(6, 200_000)
	// Text that shares no word with the short article: its letters moved
	// on by thirteen.
	other := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return 'a' + (r-'a'+13)%26
		case 'A' <= r && r <= 'Z':
			return 'A' + (r-'A'+13)%26
		}
		return r
	}, syntheticArticle(7, 8_000_000))
	sentences := strings.SplitAfter(short, ". ")
	var quotes []string
	for i := 1; len(quotes) < 20; i += 37 {
		quotes = append(quotes, strings.Replace(strings.TrimSpace(sentences[i]), " that ", " then ", 1))
	}
	perQuote := func(article string) uint64 {
		tx := mustPrepare(article)
		tx.index()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for _, q := range quotes {
			if tx.Find(q).Found {
				t.Fatalf("%q found", q)
			}
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / uint64(len(quotes))
	}
	a, b := perQuote(short), perQuote(short+" "+other)
	t.Logf("allocated per missing quote: %d bytes in %d bytes of text, %d bytes in %d", a, len(short), b, len(short)+len(other)+1)
	if b > 2*a+64<<10 {
		t.Errorf("a missing quote allocates %d bytes in the long article, %d in the short one", b, a)
	}
}

// missingQuotes returns an article of about size bytes and n quotes that
// are near misses of its sentences, spread over it.
func missingQuotes(size, n int) (string, []string) {
	article := syntheticArticle(8, size)
	sentences := strings.SplitAfter(article, ". ")
	var quotes []string
	for i := range n {
		s := strings.TrimSpace(sentences[(i*len(sentences))/n])
		quotes = append(quotes, strings.Replace(s, " that ", " then ", 1))
	}
	return article, quotes
}

// BenchmarkMissingQuotes looks for 200 quotes, each a near miss, in an
// 8.8 MB article made of a small vocabulary (so that every trigram of a
// quote is common, the index's hardest case). The article is indexed
// once, outside the loop.
func BenchmarkMissingQuotes(b *testing.B) {
	article, quotes := missingQuotes(8_800_000, 200)
	tx := mustPrepare(article)
	tx.index()
	for b.Loop() {
		for _, q := range quotes {
			tx.Find(q)
		}
	}
}

// BenchmarkMissingQuotesScan is BenchmarkMissingQuotes with the plain
// scan, as annals did before it had an index.
func BenchmarkMissingQuotesScan(b *testing.B) {
	article, quotes := missingQuotes(8_800_000, 200)
	tx := mustPrepare(article)
	for b.Loop() {
		for _, q := range quotes {
			tx.find(q, scan{tx.norm})
		}
	}
}

// BenchmarkIndex indexes an 8.8 MB article.
func BenchmarkIndex(b *testing.B) {
	article, _ := missingQuotes(8_800_000, 0)
	tx := mustPrepare(article)
	b.SetBytes(int64(len(tx.norm)))
	for b.Loop() {
		newIndex(tx.norm)
	}
}

// TestBest holds the one-pass choice of the best bins to a sort.
func TestBest(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for range 2000 {
		n := r.IntN(40)
		votes, binOf := make([]int32, n), make([]int32, n)
		for i, b := range r.Perm(n) {
			votes[i], binOf[i] = int32(r.IntN(5)), int32(b)
		}
		k := 1 + r.IntN(10)
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		slices.SortFunc(want, func(a, b int) int {
			if votes[a] != votes[b] {
				return int(votes[b] - votes[a])
			}
			return int(binOf[a] - binOf[b])
		})
		want = want[:min(k, n)]
		if got := best(votes, binOf, k); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("best(%v, %v, %d) = %v, want %v", votes, binOf, k, got, want)
		}
	}
}
