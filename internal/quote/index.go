package quote

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// index lists where each trigram (three bytes) occurs in an article's
// normalised text. A quote is then looked for only where its rarest trigram
// occurs, and the closest passage only near the occurrences of its rarer
// trigrams, so that the work for a quote depends on the quote and on the
// passages that share its text, not on the length of the article.
//
// Positions are int32: Prepare refuses an article whose normalised text
// could reach 2 GiB.
type index struct {
	s    string   // the normalised text
	keys []uint32 // the distinct trigrams of s, ascending
	offs []int32  // keys[i] occurs at each of pos[offs[i]:offs[i+1]]
	pos  []int32  // ascending for each trigram
}

// A normalised article's positions fit in an int32: this fails to compile
// otherwise.
const _ = uint32(1<<31 - 1 - 3*MaxArticle)

// newIndex indexes s in time linear in its length: each trigram is counted
// in a hash table, the distinct trigrams are sorted, and a second pass
// lists the positions of each.
func newIndex(s string) *index {
	x := &index{s: s, offs: []int32{0}}
	n := len(s) - 2
	if n <= 0 {
		return x
	}
	tab := newTrigramTable(1 << 10)
	var count []int32 // by id
	for i := range n {
		id := tab.insert(trigram(s, i))
		if int(id) == len(count) {
			count = append(count, 0)
		}
		count[id]++
	}
	// Rank the ids by trigram, then turn each id's count into the place
	// where its next position goes.
	byKey := make([]int32, len(count))
	keyOf := make([]uint32, len(count))
	for h, k := range tab.keys {
		if k != 0 {
			keyOf[tab.ids[h]] = k - 1
		}
	}
	for id := range byKey {
		byKey[id] = int32(id)
	}
	slices.SortFunc(byKey, func(a, b int32) int { return cmp.Compare(keyOf[a], keyOf[b]) })
	x.keys = make([]uint32, len(count))
	x.offs = make([]int32, len(count)+1)
	at := int32(0)
	for rank, id := range byKey {
		x.keys[rank] = keyOf[id]
		x.offs[rank] = at
		at, count[id] = at+count[id], at
	}
	x.offs[len(count)] = at
	x.pos = make([]int32, n)
	for i := range n {
		id := tab.lookup(trigram(s, i))
		x.pos[count[id]] = int32(i)
		count[id]++
	}
	return x
}

// postings returns the positions of trigram g, ascending.
func (x *index) postings(g uint32) []int32 {
	r, ok := slices.BinarySearch(x.keys, g)
	if !ok {
		return nil
	}
	return x.pos[x.offs[r]:x.offs[r+1]]
}

// from returns the index of the first of the ascending positions list
// that is at least p.
func from(list []int32, p int) int {
	i, _ := slices.BinarySearch(list, int32(min(p, 1<<31-1)))
	return i
}

// rarest returns the offset in v, at least three bytes long, of its rarest
// trigram in the text, and that trigram's positions.
func (x *index) rarest(v string) (int, []int32) {
	best, list := 0, x.postings(trigram(v, 0))
	for j := 1; j+3 <= len(v) && len(list) > 0; j++ {
		if l := x.postings(trigram(v, j)); len(l) < len(list) {
			best, list = j, l
		}
	}
	return best, list
}

// nearby is how far past a position a pattern of one or two bytes is
// looked for by reading the text, before the index is asked: such a
// pattern is usually close, and the index would visit every trigram that
// starts with it.
const nearby = 4096

// first returns the first occurrence of v in the text at or after p, or
// -1.
func (x *index) first(v string, p int) int {
	s := x.s
	if len(v) >= 3 {
		j, list := x.rarest(v)
		list = list[from(list, p+j):]
		if len(list) > (len(s)-p)/len(v) {
			// Checking v at every occurrence of its rarest trigram could
			// cost more than reading the rest of the text, as in a text
			// that repeats one letter: read it.
			return indexFrom(s, v, p)
		}
		for _, g := range list {
			if st := int(g) - j; st+len(v) <= len(s) && s[st:st+len(v)] == v {
				return st
			}
		}
		return -1
	}
	if k := strings.Index(s[p:min(len(s), p+nearby+len(v))], v); k >= 0 {
		return p + k
	}
	// One or two bytes: the trigrams that start with them are neighbours
	// in the sorted keys.
	base, span := uint32(v[0])<<16, uint32(1)<<16
	if len(v) == 2 {
		base, span = base|uint32(v[1])<<8, 1<<8
	}
	lo, _ := slices.BinarySearch(x.keys, base)
	hi, _ := slices.BinarySearch(x.keys, base+span)
	best := -1
	for r := lo; r < hi; r++ {
		list := x.pos[x.offs[r]:x.offs[r+1]]
		if k := from(list, p); k < len(list) && (best < 0 || int(list[k]) < best) {
			best = int(list[k])
		}
	}
	if best >= 0 {
		return best
	}
	// The last two bytes start no trigram.
	for st := max(p, len(s)-2, 0); st < len(s); st++ {
		if strings.HasPrefix(s[st:], v) {
			return st
		}
	}
	return -1
}

// indexFrom is strings.Index of v in s from p on, as a position in s.
func indexFrom(s, v string, p int) int {
	if k := strings.Index(s[p:], v); k >= 0 {
		return p + k
	}
	return -1
}

// place finds the parts in the text in order, each at the occurrence after
// the previous part that ends first. It returns the byte range from the
// first part's start to the last part's end, or, in failed, the index of
// the first part it cannot place (-1 if all are placed). Ending each part
// as early as possible leaves the most room for the parts after it, so if
// any in-order placement exists this one succeeds.
func (x *index) place(parts []string) (start, end, failed int) {
	pos := 0
	for k, p := range parts {
		i, n := x.firstFold(p, pos)
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

// firstFold returns the start and length of the occurrence of p at or
// after position at whose first letter may be in any case, the one that
// ends first; or -1.
func (x *index) firstFold(p string, at int) (int, int) {
	i, r := firstLetter(p)
	if i < 0 {
		return x.first(p, at), len(p)
	}
	prefix, tail := p[:i], p[i+utf8.RuneLen(r):]
	if len(tail) < 3 {
		best, bestEnd := -1, 0
		for _, c := range cases(r) {
			v := prefix + string(c) + tail
			if k := x.first(v, at); k >= 0 && (best < 0 || k+len(v) < bestEnd) {
				best, bestEnd = k, k+len(v)
			}
		}
		return best, bestEnd - best
	}
	// The text after the letter must match exactly: look for it where its
	// rarest trigram occurs, and check the letter and what precedes it.
	// The positions ascend, so the first that fits ends first.
	s := x.s
	j, list := x.rarest(tail)
	list = list[from(list, at+len(prefix)+1+j):]
	if len(list) > (len(s)-at)/len(tail) {
		// Cheaper to read the rest of the text (see first): look for
		// each case of the letter, and keep the match that ends first.
		best, bestEnd := -1, 0
		for _, c := range cases(r) {
			v := prefix + string(c) + tail
			if k := indexFrom(s, v, at); k >= 0 && (best < 0 || k+len(v) < bestEnd) {
				best, bestEnd = k, k+len(v)
			}
		}
		return best, bestEnd - best
	}
	for _, g := range list {
		k := int(g) - j // where the tail starts
		if k+len(tail) > len(s) || s[k:k+len(tail)] != tail {
			continue
		}
		c, size := utf8.DecodeLastRuneInString(s[at:k])
		if size > 0 && sameLetter(r, c) && strings.HasSuffix(s[at:k-size], prefix) {
			begin := k - size - len(prefix)
			return begin, k + len(tail) - begin
		}
	}
	return -1, 0
}

// Closest passage.

const (
	// startsBudget bounds the windows whose trigrams are counted around
	// every occurrence of a quote's rarer trigrams (besides four per byte
	// of the quote).
	startsBudget = 1 << 16
	// votesBudget bounds the occurrences of trigrams visited to find
	// where pieces of a quote occur, which vote for where the quote
	// might be (besides sixteen per byte of the quote).
	votesBudget = 1 << 18
	// voted is how many of the places with the most votes are counted.
	voted = 8
)

// windows returns the starts of up to k non-overlapping windows of the
// text, each as long as q, that share the most trigrams with q, best
// first; see rank.
func (x *index) windows(q string, k int) []int {
	picks, _ := x.rank(q, k)
	return picks
}

// rank returns the starts of up to k non-overlapping windows of the text,
// each as long as q, that share the most trigrams with q (counted with
// their multiplicity in q), best first, and among equals the earliest. q
// must be at least 3 bytes long and shorter than the text.
//
// Only some windows are counted, within budgets that depend on the length
// of q, not of the text:
//
//   - every window that holds an occurrence of one of q's rarest
//     trigrams, taken rarest first for as long as their windows fit
//     startsBudget;
//   - the windows around the places where pieces of q, found exactly,
//     put its start most often (see voteStarts).
//
// A window that holds none of the trigrams taken first shares at most
// rest trigrams with q, the number of q's trigrams not taken. So when the
// best window found shares more than rest, it is the best of the whole
// text, as a count of every window would find, and exact says so.
// Otherwise the quote shares little with any passage, or only common
// words, or many passages equally (an article repeated), and the votes
// find the best there is in all but contrived cases.
func (x *index) rank(q string, k int) (picks []int, exact bool) {
	s, w := x.s, len(q)
	last := len(s) - w // the last start

	// Give each distinct trigram of q a small id; count it, and list
	// where it occurs in the text.
	tab := newTrigramTable(w - 2)
	var want []int32
	var lists [][]int32
	for i := 0; i+3 <= w; i++ {
		g := trigram(q, i)
		id := tab.insert(g)
		if int(id) == len(want) {
			want = append(want, 0)
			lists = append(lists, x.postings(g))
		}
		want[id]++
	}
	order := make([]int, len(want))
	for id := range order {
		order[id] = id
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(lists[a]), len(lists[b])) })

	// The windows holding the trigram at p start from p-(w-3) to p.
	type span struct{ a, b int }
	var spans []span
	taken, cost := 0, 0
	for _, id := range order {
		c := len(lists[id]) * (w - 2)
		if cost+c > startsBudget+4*w {
			break // and so would every commoner trigram
		}
		cost += c
		taken++
		for _, p := range lists[id] {
			spans = append(spans, span{max(0, int(p)-(w-3)), min(last, int(p))})
		}
	}
	rest := int32(0)
	for _, id := range order[taken:] {
		rest += want[id]
	}

	if rest > 0 {
		for _, st := range x.voteStarts(q, last) {
			spans = append(spans, span{max(0, st-w/2), min(last, st+max(8, w/4)+w/2)})
		}
	}
	if len(spans) == 0 {
		return nil, false // no trigram of q is in the text
	}
	slices.SortFunc(spans, func(x, y span) int { return cmp.Compare(x.a, y.a) })

	// Runs of starts that overlap or touch are counted as one, the count
	// kept up to date as the window slides one byte at a time. The ids of
	// the trigrams in the window are kept in a ring, to be looked up once.
	type scored struct{ start, shared int32 }
	var cands []scored
	have := make([]int32, len(want))
	ring := make([]int32, 1<<bits.Len(uint(w)))
	mask := len(ring) - 1
	slide := func(a, b int) {
		clear(have)
		shared := int32(0)
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
		for at := a; at+3 <= a+w; at++ {
			enter(at)
		}
		cands = append(cands, scored{int32(a), shared})
		for st := a + 1; st <= b; st++ {
			if id := ring[(st-1)&mask]; id >= 0 {
				have[id]--
				if have[id] < want[id] {
					shared--
				}
			}
			enter(st + w - 3)
			cands = append(cands, scored{int32(st), shared})
		}
	}
	run := spans[0]
	for _, sp := range spans[1:] {
		if sp.a <= run.b+1 {
			run.b = max(run.b, sp.b)
			continue
		}
		slide(run.a, run.b)
		run = sp
	}
	slide(run.a, run.b)

	for range k {
		best, bestScore := -1, int32(-1)
		for _, c := range cands {
			st := int(c.start)
			if c.shared <= bestScore || slices.ContainsFunc(picks, func(p int) bool { return st > p-w && st < p+w }) {
				continue
			}
			best, bestScore = st, c.shared
		}
		if best < 0 {
			break
		}
		if len(picks) == 0 {
			exact = bestScore > rest
		}
		picks = append(picks, best)
	}
	return picks, exact
}

// voteStarts returns where, in the text, the quote q most likely starts:
// the starts of up to voted bins of starts, each max(8, len(q)/4) wide,
// that the most pieces of q (found exactly) place it in; the earliest
// among equals. A near miss of a passage keeps most of its pieces intact,
// and they agree on where it starts; pieces found elsewhere, even common
// ones, rarely agree with each other. Pieces are an eighth of the quote
// long, from 4 to 16 bytes; if none is found, trigrams are pieces.
func (x *index) voteStarts(q string, last int) []int {
	binWidth := max(8, len(q)/4)
	var binOf, votes []int32
	for _, size := range []int{min(16, max(4, len(q)/8)), 3} {
		binOf, votes = x.vote(q, size, last, binWidth)
		if len(votes) > 0 {
			break
		}
	}
	top := best(votes, binOf, voted)
	starts := make([]int, len(top))
	for i, b := range top {
		starts[i] = int(binOf[b]) * binWidth
	}
	return starts
}

// best returns the indices of the k bins with the most votes, best first,
// the earlier bin (by binOf) among equals, in one pass over the bins.
func best(votes, binOf []int32, k int) []int {
	better := func(a, b int) bool {
		return votes[a] > votes[b] || votes[a] == votes[b] && binOf[a] < binOf[b]
	}
	var top []int
	for b := range votes {
		if len(top) == k && !better(b, top[k-1]) {
			continue
		}
		i := len(top)
		if i < k {
			top = append(top, b)
		}
		for ; i > 0 && better(b, top[i-1]); i-- {
			if i < k {
				top[i] = top[i-1]
			}
		}
		top[min(i, k-1)] = b
	}
	return top
}

// vote cuts q into pieces of size bytes, finds where they occur in the
// text, and counts, for each bin of binWidth starts, the pieces that put
// q's start there. A piece of three bytes is a trigram, whose places the
// index lists; a longer one is taken to occur where its two rarest
// trigrams occur at their distance in it, which merging their lists
// finds without reading the text. Pieces are taken rarest first, within
// votesBudget places; the first is taken at evenly spaced places if it
// has more.
func (x *index) vote(q string, size, last, binWidth int) (binOf, votes []int32) {
	pieces := x.pieces(q, size)
	slices.SortStableFunc(pieces, func(a, b piece) int { return cmp.Compare(len(a.first)+len(a.second), len(b.first)+len(b.second)) })
	bins := newTrigramTable(1 << 8)
	count := func(start int) {
		bin := int32(min(last, max(0, start)) / binWidth)
		b := bins.insert(uint32(bin))
		if int(b) == len(votes) {
			binOf, votes = append(binOf, bin), append(votes, 0)
		}
		votes[b]++
	}
	budget, cast := votesBudget+16*len(q), 0
	for n, pc := range pieces {
		cost := len(pc.first) + len(pc.second)
		step := 1
		if cast+cost > budget {
			if n > 0 {
				break
			}
			step = (cost + budget - 1) / budget
		}
		cast += cost / step
		if pc.second == nil {
			for i := 0; i < len(pc.first); i += step {
				count(int(pc.first[i]) - pc.j - pc.at)
			}
			continue
		}
		// The piece occurs at p where its first trigram is at p+j and
		// its second at p+k.
		a, b := pc.first, pc.second
		for i, m := 0, 0; i < len(a) && m < len(b); i += step {
			want := a[i] + int32(pc.k-pc.j)
			for m < len(b) && b[m] < want {
				m++
			}
			if m < len(b) && b[m] == want {
				count(int(a[i]) - pc.j - pc.at)
			}
		}
	}
	return binOf, votes
}

// A piece of a quote, found in the text by its two rarest trigrams.
type piece struct {
	at            int     // where it is in the quote
	j, k          int     // where its rarest trigrams are in it
	first, second []int32 // where they occur in the text; second is nil for a trigram
}

// pieces cuts q into pieces of size bytes (the rest is left out) and
// returns those whose every trigram occurs in the text.
func (x *index) pieces(q string, size int) []piece {
	var ps []piece
	for at := 0; at+size <= len(q); at += size {
		p := q[at : at+size]
		pc := piece{at: at, j: -1, k: -1}
		for o := 0; o+3 <= size; o++ {
			l := x.postings(trigram(p, o))
			switch {
			case len(l) == 0:
				pc.j = -2
			case pc.j == -1 || len(l) < len(pc.first):
				if pc.j >= 0 {
					pc.k, pc.second = pc.j, pc.first
				}
				pc.j, pc.first = o, l
			case pc.k == -1 || len(l) < len(pc.second):
				pc.k, pc.second = o, l
			}
			if pc.j == -2 {
				break
			}
		}
		if pc.j >= 0 {
			ps = append(ps, pc)
		}
	}
	return ps
}
