package names

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// minFuzzy is the length, in runes, from which keys one edit apart are
// alike: shorter keys are mostly acronyms and short names, where one edit
// makes a different name (NATO/NAFO, Iran/Iraq).
const minFuzzy = 5

// Keys is what Groups reads: Len keys, each with its owner (an actor's
// number, say, from 0). Key i is compared as given, so give a Skeleton;
// an empty key says nothing about a name and is passed over.
type Keys interface {
	Len() int
	At(i int) (owner int, key string)
}

// Groups calls yield with every group of owners whose keys are alike:
// equal, or both at least 5 runes long and one rune apart (one inserted,
// deleted or replaced). The groups are these cliques of the relation:
//
//   - the owners of one key;
//   - for each string v and rune position i, the owners of the keys that
//     are v once the rune at i is deleted, and of v itself.
//
// Every two keys in a group of the second kind are alike (the rune at i
// is the only one in which they differ, or the one v lacks), and every
// two keys that are alike are in a group together, so the groups say all
// that a list of alike pairs would, in space that grows with the keys and
// their lengths rather than with the square of a group's size. A group is
// given only if it has two owners or more and, for the second kind, two
// keys or more; a set of owners is given once, however many groups have
// it. owners is sorted, and reused after yield returns.
//
// The work is linear in the total length of the keys but for sorting
// (and, for keys of one length whose variants pass 8 million, memory
// grows with them, in eight passes):
// each key's variants (the key with one rune deleted) are hashed in
// constant time each, with a polynomial hash modulo 2^61-1 whose base is
// drawn at random, so that no input can be made to collide; the keys of a
// group are then compared with each other once, rune by rune, to make sure.
func Groups(keys Keys, yield func(owners []int) bool) {
	g := grouper{keys: keys, seen: map[uint64]int{}, equal: map[[2]int]bool{}}
	if g.exact(yield) {
		g.alike(yield)
	}
}

// Index is Keys for owners named by strings, such as actors' ids: for
// tests, and for callers with few keys. The zero Index is ready to use.
type Index struct {
	ids    map[string]int
	owners []string
	keys   []ownedKey
}

type ownedKey struct {
	owner int
	key   string
}

// NewIndex returns an empty Index.
func NewIndex() *Index { return new(Index) }

// Add registers key for owner.
func (x *Index) Add(owner, key string) {
	if x.ids == nil {
		x.ids = map[string]int{}
	}
	o, ok := x.ids[owner]
	if !ok {
		o = len(x.owners)
		x.ids[owner] = o
		x.owners = append(x.owners, owner)
	}
	x.keys = append(x.keys, ownedKey{o, key})
}

// Len is the number of keys added.
func (x *Index) Len() int { return len(x.keys) }

// At returns the owner's number (in the order owners were first added)
// and the i-th key added.
func (x *Index) At(i int) (int, string) { return x.keys[i].owner, x.keys[i].key }

// Groups returns Groups of the keys added, each sorted, in sorted order.
func (x *Index) Groups() [][]string {
	var out [][]string
	Groups(x, func(owners []int) bool {
		g := make([]string, len(owners))
		for i, o := range owners {
			g[i] = x.owners[o]
		}
		slices.Sort(g)
		out = append(out, g)
		return true
	})
	slices.SortFunc(out, slices.Compare)
	return out
}

// grouper is the state of one call of Groups.
type grouper struct {
	keys     Keys
	distinct []distinctKey   // the keys, once each, in sorted order of their hashes
	holders  []int           // the owners of each distinct key, sorted (see holdersOf)
	owners   []int           // scratch: a group's owners
	equal    map[[2]int]bool // scratch: of variantGroups, by key and run
	sorted   []uint64        // scratch: of groupVariants
	pairs    pairSet         // the groups of two owners given so far
	// seen is the sets of owners given so far, by their hash, as offsets
	// into pool, where each set is the offset of the next set of the same
	// hash (or -1), its length, then its owners.
	seen map[uint64]int
	pool []int
}

// distinctKey is one key, and where its owners start in holders: they
// end where the next key's start.
type distinctKey struct {
	at int // an index of Keys with this key
	lo int // its owners: holders[lo:]
}

// holdersOf returns the owners of distinct key d.
func (g *grouper) holdersOf(d int) []int {
	hi := len(g.holders)
	if d+1 < len(g.distinct) {
		hi = g.distinct[d+1].lo
	}
	return g.holders[g.distinct[d].lo:hi]
}

// exact finds the distinct keys and their owners, and gives the groups
// of owners of one key.
func (g *grouper) exact(yield func([]int) bool) bool {
	n := g.keys.Len()
	seed := maphash.MakeSeed()
	hash := func(i int) uint64 {
		_, key := g.keys.At(i)
		return maphash.String(seed, key)
	}
	sorted := make([]uint64, 0, n)
	low := indexBits(n)
	for i := range n {
		if _, key := g.keys.At(i); key != "" {
			sorted = append(sorted, pack(hash(i), i, low))
		}
	}
	sortHalves(sorted)
	var run []int // the keys of one packed hash, sorted by key and owner
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && sorted[hi]>>low == sorted[lo]>>low {
			hi++
		}
		run = run[:0]
		for _, x := range sorted[lo:hi] {
			run = append(run, unpack(x, low))
		}
		if len(run) > 1 {
			slices.SortFunc(run, func(a, b int) int {
				oa, ka := g.keys.At(a)
				ob, kb := g.keys.At(b)
				return cmp.Or(strings.Compare(ka, kb), cmp.Compare(oa, ob))
			})
		}
		for len(run) > 0 {
			_, key := g.keys.At(run[0])
			same := 1
			for same < len(run) {
				if _, k := g.keys.At(run[same]); k != key {
					break
				}
				same++
			}
			if !g.addDistinct(run[:same], yield) {
				return false
			}
			run = run[same:]
		}
		lo = hi
	}
	return true
}

// addDistinct adds a distinct key, whose indexes in Keys are at (sorted by
// owner), and gives its owners if there are two or more.
func (g *grouper) addDistinct(at []int, yield func([]int) bool) bool {
	d := distinctKey{at: at[0], lo: len(g.holders)}
	for _, i := range at {
		if o, _ := g.keys.At(i); len(g.holders) == d.lo || g.holders[len(g.holders)-1] != o {
			g.holders = append(g.holders, o)
		}
	}
	g.distinct = append(g.distinct, d)
	if hs := g.holders[d.lo:]; len(hs) >= 2 {
		g.owners = append(g.owners[:0], hs...)
		return g.give(yield)
	}
	return true
}

// indexBits is how many low bits of a packed hash hold an index below n.
func indexBits(n int) uint { return uint(max(1, bitsLen(uint64(n)))) }

func bitsLen(x uint64) int { return 64 - bits.LeadingZeros64(x) }

// pack puts index i in the low bits of hash, whose top bits sort it: a
// hash shortened so only adds candidates, which are then compared whole.
func pack(hash uint64, i int, low uint) uint64 { return hash<<low | uint64(i) }

func unpack(x uint64, low uint) int { return int(x & (1<<low - 1)) }

// sortHalves sorts v in place; a large one is first split around a pivot
// (the median of three of its values), and the two sides are sorted on two
// goroutines.
func sortHalves(v []uint64) {
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

// variant is a distinct key with one rune deleted (at pos), or whole (pos
// is whole), by the hash of what is left. run is where the run of equal
// runes that pos is in starts: deleting any rune of a run leaves the same
// string, and deleting runes of different runs, different strings.
type variant struct {
	hash          uint64
	key, pos, run int
}

const whole = -1

// alike gives the groups of keys one edit apart, one length of variant at
// a time: the variants of length m are the keys of m runes, whole, and
// the keys of m+1 runes with one deleted. Memory holds one length's.
func (g *grouper) alike(yield func([]int) bool) bool {
	var byLen [][]int // distinct keys of at least minFuzzy runes, by length
	for _, d := range g.inKeysOrder() {
		_, key := g.keys.At(g.distinct[d].at)
		if n := utf8.RuneCountInString(key); n >= minFuzzy {
			for len(byLen) <= n {
				byLen = append(byLen, nil)
			}
			byLen[n] = append(byLen[n], d)
		}
	}
	h := newRollingHash()
	var vs []variant
	var runes []rune
	for m := minFuzzy - 1; m < len(byLen); m++ {
		// The variants of length m, in as many passes as keep each pass's
		// within maxVariants: a pass takes those whose hash falls in it.
		count := 0
		if m >= minFuzzy {
			count += len(byLen[m])
		}
		if m+1 < len(byLen) {
			count += (m + 1) * len(byLen[m+1])
		}
		// At most maxPasses: each pass hashes every key of the length again,
		// so more would make the work grow faster than the keys.
		passes := uint64(min(1+count/maxVariants, maxPasses))
		vs = slices.Grow(vs[:0], count/int(passes)+count/int(passes)/8)
		for pass := range passes {
			vs = g.variants(vs[:0], h, byLen, m, passes, pass, &runes)
			if !g.groupVariants(vs, yield) {
				return false
			}
		}
	}
	return true
}

// maxVariants is the most variants sorted at once (32 MiB of them, and
// their packed hashes), unless a length has more than maxPasses times as
// many.
var maxVariants = 1 << 20

const maxPasses = 8

// variants appends the variants of length m whose hashes are pass modulo
// passes: the keys of m runes whole, and those of m+1 runes with one
// deleted.
func (g *grouper) variants(vs []variant, h *rollingHash, byLen [][]int, m int, passes, pass uint64, runes *[]rune) []variant {
	if m >= minFuzzy {
		for _, d := range byLen[m] {
			*runes = g.runes(*runes, d)
			if x := h.whole(*runes); x%passes == pass {
				vs = append(vs, variant{x, d, whole, whole})
			}
		}
	}
	if m+1 < len(byLen) {
		for _, d := range byLen[m+1] {
			*runes = g.runes(*runes, d)
			n := len(vs)
			vs = h.deletions(vs, *runes, d)
			if passes > 1 {
				kept := vs[:n]
				for _, v := range vs[n:] {
					if v.hash%passes == pass {
						kept = append(kept, v)
					}
				}
				vs = kept
			}
		}
	}
	return vs
}

// groupVariants sorts variants and gives the groups of those of one hash:
// by packed hashes (see pack) on both cores, then each run of one packed
// hash, small, by hash, position and key.
func (g *grouper) groupVariants(vs []variant, yield func([]int) bool) bool {
	low := indexBits(len(vs))
	sorted := slices.Grow(g.sorted[:0], len(vs))
	for i, v := range vs {
		sorted = append(sorted, pack(v.hash, i, low))
	}
	sortHalves(sorted)
	g.sorted = sorted
	var run []variant
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && sorted[hi]>>low == sorted[lo]>>low {
			hi++
		}
		if hi-lo >= 2 {
			run = run[:0]
			for _, x := range sorted[lo:hi] {
				run = append(run, vs[unpack(x, low)])
			}
			slices.SortFunc(run, func(a, b variant) int {
				return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.pos, b.pos), cmp.Compare(a.key, b.key))
			})
			for rlo := 0; rlo < len(run); {
				rhi := rlo + 1
				for rhi < len(run) && run[rhi].hash == run[rlo].hash {
					rhi++
				}
				if rhi-rlo >= 2 && !g.variantGroups(run[rlo:rhi], yield) {
					return false
				}
				rlo = rhi
			}
		}
		lo = hi
	}
	return true
}

// inKeysOrder returns the distinct keys in the order of their first
// index in Keys, which is how a caller's store keeps them: the passes over
// them then read its memory in order, not at random.
func (g *grouper) inKeysOrder() []int {
	order := make([]int, len(g.distinct))
	low := indexBits(len(g.distinct))
	if indexBits(g.keys.Len())+low > 64 {
		for d := range order {
			order[d] = d
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(g.distinct[a].at, g.distinct[b].at) })
		return order
	}
	packed := make([]uint64, len(g.distinct))
	for d, k := range g.distinct {
		packed[d] = pack(uint64(k.at), d, low)
	}
	sortHalves(packed)
	for i, x := range packed {
		order[i] = unpack(x, low)
	}
	return order
}

// runes returns the runes of distinct key d, in buf.
func (g *grouper) runes(buf []rune, d int) []rune {
	_, key := g.keys.At(g.distinct[d].at)
	buf = buf[:0]
	for _, r := range key {
		buf = append(buf, r)
	}
	return buf
}

// variantGroups gives the groups of variants of one hash, sorted by
// position: for each position, the keys with a rune deleted there, and
// the whole key they then are, if any. Variants whose strings differ
// (hashes that collide) are first told apart.
func (g *grouper) variantGroups(vs []variant, yield func([]int) bool) bool {
	for len(vs) > 0 {
		// The variants equal to the first one, and the others, which are
		// rare enough (a collision of the hash) to go round again.
		// A key's variants of one run are one string: compared once.
		same, rest := vs[:0:0], vs[:0:0]
		if len(g.equal) > 64 {
			g.equal = map[[2]int]bool{} // clearing a map that once grew costs its size every time
		} else {
			clear(g.equal)
		}
		for _, v := range vs {
			eq, known := g.equal[[2]int{v.key, v.run}]
			if !known {
				eq = g.sameVariant(vs[0], v)
				g.equal[[2]int{v.key, v.run}] = eq
			}
			if eq {
				same = append(same, v)
			} else {
				rest = append(rest, v)
			}
		}
		if len(rest) == 0 {
			same = vs
		}
		wholeKey := -1
		for _, v := range same {
			if v.pos == whole {
				wholeKey = v.key // a key is whole once; distinct keys differ
			}
		}
		for lo := 0; lo < len(same); {
			hi := lo + 1
			for hi < len(same) && same[hi].pos == same[lo].pos {
				hi++
			}
			if same[lo].pos != whole {
				if !g.giveKeys(same[lo:hi], wholeKey, yield) {
					return false
				}
			}
			lo = hi
		}
		vs = rest
	}
	return true
}

// giveKeys gives the group of the keys of vs and of the key whole (if not
// -1), when it has two keys or more and two owners or more.
func (g *grouper) giveKeys(vs []variant, wholeKey int, yield func([]int) bool) bool {
	if len(vs)+btoi(wholeKey >= 0) < 2 {
		return true
	}
	g.owners = g.owners[:0]
	for _, v := range vs {
		g.owners = append(g.owners, g.holdersOf(v.key)...)
	}
	if wholeKey >= 0 {
		g.owners = append(g.owners, g.holdersOf(wholeKey)...)
	}
	slices.Sort(g.owners)
	g.owners = slices.Compact(g.owners)
	if len(g.owners) < 2 {
		return true
	}
	return g.give(yield)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sameVariant reports whether two variants are the same string, rune by
// rune.
func (g *grouper) sameVariant(a, b variant) bool {
	_, ka := g.keys.At(g.distinct[a.key].at)
	_, kb := g.keys.At(g.distinct[b.key].at)
	ra, rb := runeSkipper{s: ka, skip: a.pos}, runeSkipper{s: kb, skip: b.pos}
	for {
		x, okA := ra.next()
		y, okB := rb.next()
		if okA != okB || x != y {
			return false
		}
		if !okA {
			return true
		}
	}
}

// runeSkipper reads the runes of s but the one at skip.
type runeSkipper struct {
	s       string
	i, skip int
}

func (r *runeSkipper) next() (rune, bool) {
	for r.s != "" {
		c, size := utf8.DecodeRuneInString(r.s)
		r.s = r.s[size:]
		r.i++
		if r.i-1 != r.skip {
			return c, true
		}
	}
	return 0, false
}

// give yields the set of owners in g.owners (sorted, distinct) unless it
// was given before.
func (g *grouper) give(yield func([]int) bool) bool {
	if len(g.owners) == 2 && g.owners[1] <= math.MaxUint32 {
		// Most groups are two owners: a pair, remembered in 8 bytes.
		if !g.pairs.add(uint64(g.owners[0])<<32 | uint64(g.owners[1])) {
			return true
		}
		return yield(g.owners)
	}
	var b [8]byte
	var d maphash.Hash
	d.SetSeed(groupSeed)
	for _, o := range g.owners {
		binary.LittleEndian.PutUint64(b[:], uint64(o))
		d.Write(b[:])
	}
	h := d.Sum64()
	head, ok := g.seen[h]
	for at := head; ok && at >= 0; at = g.pool[at] {
		n := g.pool[at+1]
		if n == len(g.owners) && slices.Equal(g.pool[at+2:at+2+n], g.owners) {
			return true
		}
	}
	next := -1
	if ok {
		next = head
	}
	g.seen[h] = len(g.pool)
	g.pool = append(g.pool, next, len(g.owners))
	g.pool = append(g.pool, g.owners...)
	return yield(g.owners)
}

var groupSeed = maphash.MakeSeed()

// pairSet is a set of pairs of owners, each as one word (the smaller
// owner in the high half; never 0, since the larger owner is above 0):
// open addressing, with no pointers for the collector to scan.
type pairSet struct {
	slots []uint64 // 0: empty
	n     int
}

// add adds the pair p, and reports whether it was new.
func (s *pairSet) add(p uint64) bool {
	if 2*(s.n+1) > len(s.slots) {
		old := s.slots
		s.slots = make([]uint64, max(1024, 2*len(old)))
		s.n = 0
		for _, q := range old {
			if q != 0 {
				s.add(q)
			}
		}
	}
	mask := uint64(len(s.slots) - 1)
	shift := 64 - bits.TrailingZeros64(uint64(len(s.slots))) // Fibonacci hashing: the product's top bits
	for i := (p * 0x9e3779b97f4a7c15) >> shift; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case p:
			return false
		case 0:
			s.slots[i] = p
			s.n++
			return true
		}
	}
}

// rollingHash is a polynomial hash modulo the prime 2^61-1, with a base
// drawn at random: H(s) = sum of s[j]·B^(n-1-j). From the hashes of a
// key's prefixes and suffixes, the hash of the key with any one rune
// deleted is found in constant time.
type rollingHash struct {
	base   uint64
	powers []uint64 // base^k
	suffix []uint64 // scratch: the hash of runes[i:] is suffix[i]
}

const prime = 1<<61 - 1

// fixedBase, when not 0, is the base of every rollingHash: tests set it
// to 1, which makes every anagram collide, to exercise telling collisions
// apart.
var fixedBase uint64

func newRollingHash() *rollingHash {
	base := maphash.Bytes(maphash.MakeSeed(), nil)%(prime-1<<21) + 1<<21 // above every rune
	if fixedBase != 0 {
		base = fixedBase
	}
	return &rollingHash{base: base, powers: []uint64{1}}
}

func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a·b = hi·2^64 + lo; 2^61 ≡ 1, so fold the 122-bit product.
	r := (hi<<3 | lo>>61) + lo&prime // below 2^62
	r = r&prime + r>>61              // below 2^61 + 2
	if r >= prime {
		r -= prime
	}
	return r // one representation of each value: equal strings hash alike whichever way they are hashed
}

func addmod(a, b uint64) uint64 {
	r := a + b
	if r >= prime {
		r -= prime
	}
	return r
}

func (h *rollingHash) power(k int) uint64 {
	for len(h.powers) <= k {
		h.powers = append(h.powers, mulmod(h.powers[len(h.powers)-1], h.base))
	}
	return h.powers[k]
}

// whole is the hash of runes.
func (h *rollingHash) whole(runes []rune) uint64 {
	var x uint64
	for _, r := range runes {
		x = addmod(mulmod(x, h.base), uint64(r))
	}
	return x
}

// deletions appends to vs the variants of key d, whose runes are given:
// its hash with each rune deleted in turn.
func (h *rollingHash) deletions(vs []variant, runes []rune, d int) []variant {
	n := len(runes)
	h.power(n)
	h.suffix = append(h.suffix[:0], make([]uint64, n+1)...)
	for i := n - 1; i >= 0; i-- {
		h.suffix[i] = addmod(mulmod(uint64(runes[i]), h.powers[n-1-i]), h.suffix[i+1])
	}
	// Deleting rune i leaves prefix[:i] shifted by n-1-i runes, and the
	// suffix after i, whose powers already fit a string of n-1 runes.
	var prefix uint64
	run := 0
	for i := range n {
		if i > 0 && runes[i] != runes[i-1] {
			run = i
		}
		vs = append(vs, variant{addmod(mulmod(prefix, h.powers[n-1-i]), h.suffix[i+1]), d, i, run})
		prefix = addmod(mulmod(prefix, h.base), uint64(runes[i]))
	}
	return vs
}
