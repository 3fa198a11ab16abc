package quote

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// scan is the plain search the index is held to (see TestIndexAgrees): it
// reads the whole text for every part of every quote, and slides a window
// over the whole text to rank passages. It is what the package did before
// it had an index.
type scan struct{ s string }

func (sc scan) place(parts []string) (start, end, failed int) {
	pos := 0
	for k, p := range parts {
		i, n := sc.firstFold(p, pos)
		if i < 0 {
			return 0, 0, k
		}
		if k == 0 {
			start = i
		}
		pos = i + n
	}
	return start, pos, -1
}

// firstFold looks for p after at with its first letter in each of its
// cases, and keeps the match that ends first.
func (sc scan) firstFold(p string, at int) (int, int) {
	variants := []string{p}
	if i, r := firstLetter(p); i >= 0 {
		variants = nil
		for _, c := range cases(r) {
			variants = append(variants, p[:i]+string(c)+p[i+utf8.RuneLen(r):])
		}
	}
	best, bestEnd := -1, 0
	for _, v := range variants {
		if k := strings.Index(sc.s[at:], v); k >= 0 && (best < 0 || at+k+len(v) < bestEnd) {
			best, bestEnd = at+k, at+k+len(v)
		}
	}
	return best, bestEnd - best
}

// windows counts, for every start in the text, the trigrams a window as
// long as q shares with q, keeping the count up to date as the window
// slides one byte at a time; then it picks the best k that do not overlap,
// the earliest among equals.
func (sc scan) windows(q string, k int) []int {
	s, w := sc.s, len(q)
	tab := newTrigramTable(w - 2)
	var want []int32
	for i := 0; i+3 <= w; i++ {
		id := tab.insert(trigram(q, i))
		if int(id) == len(want) {
			want = append(want, 0)
		}
		want[id]++
	}
	have := make([]int32, len(want))
	shared := int32(0)
	ring := make([]int32, 1<<bits.Len(uint(w)))
	mask := len(ring) - 1
	enter := func(at int) {
		id := tab.lookup(trigram(s, at))
		ring[at&mask] = id
		if id >= 0 {
			if have[id] < want[id] {
				shared++
			}
			have[id]++
		}
	}
	for i := 0; i+3 <= w; i++ {
		enter(i)
	}
	scores := make([]int32, len(s)-w+1)
	scores[0] = shared
	for st := 1; st < len(scores); st++ {
		if id := ring[(st-1)&mask]; id >= 0 {
			have[id]--
			if have[id] < want[id] {
				shared--
			}
		}
		enter(st + w - 3)
		scores[st] = shared
	}
	var picked []int
	for range k {
		best, bestScore := -1, int32(-1)
		for st, score := range scores {
			if score <= bestScore {
				continue
			}
			free := true
			for _, p := range picked {
				if st > p-w && st < p+w {
					free = false
				}
			}
			if free {
				best, bestScore = st, score
			}
		}
		if best < 0 {
			break
		}
		picked = append(picked, best)
	}
	return picked
}

// mustPrepare is Prepare for articles known to be short enough.
func mustPrepare(article string) *Text {
	t, err := Prepare(article)
	if err != nil {
		panic(err)
	}
	return t
}
