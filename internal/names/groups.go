package names

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"maps"
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
// an empty key says nothing about a name and is passed over. Keys are
// read as runes, a byte that is not UTF-8 as U+FFFD: give valid UTF-8,
// as Skeleton's is. Groups
// numbers keys and owners in 32 bits: Len must be below 2^32, and so must
// every owner.
type Keys interface {
	Len() int
	Key(i int) string
	Owner(i int) int // read less often than Key: it may cost more
}

// MaxKeys is the most keys Groups compares, and one more than the largest
// owner.
const MaxKeys = math.MaxUint32

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
//
// Groups panics if keys has more than MaxKeys keys or an owner of
// MaxKeys or more: a caller with that many checks first.
func Groups(keys Keys, yield func(owners []int) bool) {
	if keys.Len() > MaxKeys {
		panic(fmt.Sprintf("names: Groups of %d keys, more than MaxKeys", keys.Len()))
	}
	g := grouper{keys: keys, sets: ownerSets{seed: maphash.MakeSeed()}}
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

// Key returns the i-th key added.
func (x *Index) Key(i int) string { return x.keys[i].key }

// Owner returns the owner of the i-th key added, numbered in the order
// owners were first added.
func (x *Index) Owner(i int) int { return x.keys[i].owner }

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

// grouper is the state of one call of Groups. Keys, owners and variants
// are numbered in 32 bits (see MaxKeys), which halves what a million
// actors' names take to compare.
type grouper struct {
	keys Keys
	// passed is a bit for each key that alike passes over: empty, or
	// equal to another key, its representative, which stands for it.
	passed []uint64
	// isShared has a bit for each representative of keys whose owners
	// are not its own alone, and shared their owners' handles in pool, in
	// the order of the representatives: the i-th bit set is the i-th
	// handle, and sharedBefore[w] counts the bits set before word w. Keys
	// of one owner need no more than their bit.
	isShared     []uint64
	sharedBefore []uint32
	shared       []uint64
	pool         setPool
	owners       []int     // scratch: a group's owners
	run          []variant // scratch: of groupVariants
	same         []variant // scratch: of variantGroups
	wholes       []uint32  // scratch: of variantGroups
	pairs        pairSet   // the groups of two owners given so far
	sets         ownerSets // the larger groups given so far
}

// addOwners adds the owners of key k, a representative, to g.owners.
func (g *grouper) addOwners(k uint32) {
	if w, bit := g.isShared[k/64], uint64(1)<<(k%64); w&bit != 0 {
		i := int(g.sharedBefore[k/64]) + bits.OnesCount64(w&(bit-1))
		for _, o := range g.pool.get(g.shared[i]) {
			g.owners = append(g.owners, int(o))
		}
		return
	}
	g.owners = append(g.owners, g.keys.Owner(int(k)))
}

// key returns key k.
func (g *grouper) key(k uint32) string {
	return g.keys.Key(int(k))
}

func (g *grouper) isPassed(k int) bool { return g.passed[k/64]&(1<<(k%64)) != 0 }
func (g *grouper) pass(k int)          { g.passed[k/64] |= 1 << (k % 64) }

// exact finds the keys that are equal, chooses one of each to stand for
// the others, and gives the groups of owners of one key.
func (g *grouper) exact(yield func([]int) bool) bool {
	n := g.keys.Len()
	seed := maphash.MakeSeed()
	hash := func(i int) uint64 {
		return maphash.String(seed, g.keys.Key(i))
	}
	sorted := make([]uint64, 0, n)
	low := indexBits(n)
	g.passed = make([]uint64, (n+63)/64)
	g.isShared = make([]uint64, (n+63)/64)
	for i := range n {
		if g.keys.Key(i) != "" {
			sorted = append(sorted, pack(hash(i), i, low))
		} else {
			g.pass(i)
		}
	}
	sortHalves(sorted)
	var shared []sharedKey // the keys of several owners found so far
	var run []int          // the keys of one packed hash, sorted by key and owner
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
				return cmp.Or(strings.Compare(g.keys.Key(a), g.keys.Key(b)), cmp.Compare(g.keys.Owner(a), g.keys.Owner(b)))
			})
		}
		for len(run) > 0 {
			key := g.keys.Key(run[0])
			same := 1
			for same < len(run) {
				if g.keys.Key(run[same]) != key {
					break
				}
				same++
			}
			if !g.equalKeys(run[:same], &shared, yield) {
				return false
			}
			run = run[same:]
		}
		lo = hi
	}
	g.sortShared(shared)
	return true
}

// equalKeys takes the keys at, which are equal (sorted by owner): the
// first stands for them all, with their owners, which are given if there
// are two or more.
func (g *grouper) equalKeys(at []int, shared *[]sharedKey, yield func([]int) bool) bool {
	g.owners = g.owners[:0]
	for _, i := range at {
		o := g.keys.Owner(i)
		if o < 0 || o >= MaxKeys {
			panic(fmt.Sprintf("names: Groups of a key of owner %d, not below MaxKeys", o))
		}
		if len(g.owners) == 0 || g.owners[len(g.owners)-1] != o {
			g.owners = append(g.owners, o)
		}
	}
	for _, i := range at[1:] {
		g.pass(i)
	}
	if len(g.owners) < 2 {
		return true
	}
	k := at[0]
	g.isShared[k/64] |= 1 << (k % 64)
	*shared = append(*shared, sharedKey{key: uint32(k), owners: g.pool.add(g.owners)})
	return g.give(yield)
}

// sharedKey is a representative of keys of several owners, and where
// their owners are in the pool.
type sharedKey struct {
	key    uint32
	owners uint64
}

// sortShared puts the handles of shared in the order of their keys, and
// counts the bits of isShared.
func (g *grouper) sortShared(shared []sharedKey) {
	slices.SortFunc(shared, func(a, b sharedKey) int { return cmp.Compare(a.key, b.key) })
	g.shared = make([]uint64, len(shared))
	for i, s := range shared {
		g.shared[i] = s.owners
	}
	g.sharedBefore = make([]uint32, len(g.isShared))
	n := 0
	for w, x := range g.isShared {
		g.sharedBefore[w] = uint32(n) // fewer than MaxKeys
		n += bits.OnesCount64(x)
	}
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

// variant is a key (a representative) with one rune deleted (at pos), or
// whole (pos is whole). repeat is set when the rune deleted is the same
// as the one before it: deleting either leaves the same string.
type variant struct {
	key, pos uint32
	repeat   bool
}

const whole = math.MaxUint32 // a pos: the key is whole. Keys have fewer runes, since Keys are strings below 4 GiB.

// alike gives the groups of keys one edit apart, one length of variant at
// a time: the variants of length m are the keys of m runes, whole, and
// the keys of m+1 runes with one deleted. Memory holds one length's.
func (g *grouper) alike(yield func([]int) bool) bool {
	byLen := g.byLength()
	h := newRollingHash()
	var vs variants
	var runes []rune
	for li, l := range byLen.lengths {
		// The variants of length m, for m = l-1 and l, in as many passes
		// as keep each pass's within maxVariants: a pass takes those whose
		// hash falls in it.
		for _, m := range []int{l - 1, l} {
			if m == l-1 && li > 0 && byLen.lengths[li-1] == m {
				continue // done with the keys of length m
			}
			shorter, longer := byLen.keys(m), byLen.keys(m+1)
			if m < minFuzzy {
				shorter = nil
			}
			if len(longer) == 0 {
				continue // whole keys alone differ: no group
			}
			count := len(shorter) + (m+1)*len(longer)
			// At most maxPasses: each pass hashes every key of the length
			// again, so more would make the work grow faster than the keys.
			passes := uint64(min(1+count/maxVariants, maxPasses))
			vs = variants{sorted: slices.Grow(vs.sorted[:0], count/int(passes)+count/int(passes)/8), low: indexBits(2 * count), m: m, shorter: shorter, longer: longer}
			for pass := range passes {
				g.variants(&vs, h, passes, pass, &runes)
				if !g.groupVariants(&vs, yield) {
					return false
				}
			}
		}
	}
	return true
}

// keysByLength is the representatives of keys of at least minFuzzy
// runes, by their length in runes, each length's in the order of Keys:
// the keys of lengths[i] are order[at[i]:at[i+1]].
type keysByLength struct {
	lengths []int    // sorted
	at      []int    // len(lengths)+1
	order   []uint32 // keys
}

// keys returns the keys of m runes.
func (b *keysByLength) keys(m int) []uint32 {
	i, ok := slices.BinarySearch(b.lengths, m)
	if !ok {
		return nil
	}
	return b.order[b.at[i]:b.at[i+1]]
}

// byLength sorts the representatives of keys of at least minFuzzy runes
// by length: the lengths are counted, then each key is put in its
// length's place.
func (g *grouper) byLength() *keysByLength {
	n := g.keys.Len()
	count := map[int]int{}
	for k := range n {
		if !g.isPassed(k) {
			if l := utf8.RuneCountInString(g.key(uint32(k))); l >= minFuzzy {
				count[l]++
			}
		}
	}
	b := &keysByLength{lengths: slices.Sorted(maps.Keys(count)), at: []int{0}}
	next := map[int]int{} // where the next key of a length goes
	for _, l := range b.lengths {
		next[l] = b.at[len(b.at)-1]
		b.at = append(b.at, next[l]+count[l])
	}
	b.order = make([]uint32, b.at[len(b.at)-1])
	for k := range n {
		if !g.isPassed(k) {
			if l := utf8.RuneCountInString(g.key(uint32(k))); l >= minFuzzy {
				b.order[next[l]] = uint32(k)
				next[l]++
			}
		}
	}
	return b
}

// maxVariants is the most variants sorted at once (8 MiB of their packed
// hashes), unless a length has more than maxPasses times as many.
var maxVariants = 1 << 20

const maxPasses = 8

// variants is the variants of one length m in one pass, each as its hash
// packed with twice its number, plus 1 if it repeats (see variant), from
// which the variant is computed: the numbers below len(shorter) are the
// keys of m runes, whole; then each key of m+1 runes, in order, has m+1
// numbers, one for each rune deleted. A variant thus takes 8 bytes, and
// numbers sort by key, then position.
type variants struct {
	sorted          []uint64
	low             uint
	m               int
	shorter, longer []uint32
}

// variant returns the variant whose number, doubled and plus 1 if it
// repeats, is x.
func (v *variants) variant(x uint64) variant {
	i, repeat := x>>1, x&1 == 1
	if i < uint64(len(v.shorter)) {
		return variant{v.shorter[i], whole, false}
	}
	i -= uint64(len(v.shorter))
	w := uint64(v.m + 1)
	return variant{v.longer[i/w], uint32(i % w), repeat}
}

// variants gives vs the variants whose hashes are pass modulo passes.
func (g *grouper) variants(vs *variants, h *rollingHash, passes, pass uint64, runes *[]rune) {
	vs.sorted = vs.sorted[:0]
	for i, d := range vs.shorter {
		*runes = g.runes(*runes, d)
		if x := h.whole(*runes); x%passes == pass {
			vs.sorted = append(vs.sorted, pack(x, 2*i, vs.low))
		}
	}
	for j, d := range vs.longer {
		*runes = g.runes(*runes, d)
		first := len(vs.shorter) + j*(vs.m+1)
		h.deletions(*runes, func(i int, x uint64) {
			if x%passes == pass {
				vs.sorted = append(vs.sorted, pack(x, 2*(first+i)+btoi(i > 0 && (*runes)[i] == (*runes)[i-1]), vs.low))
			}
		})
	}
}

// groupVariants sorts variants by their packed hashes (see pack), on
// both cores, and gives the groups of each run of one packed hash. The
// packed hash is the hash but for its top bits, so a run may hold strings
// of different hashes as well as of one hash that collide: variantGroups
// tells them apart.
func (g *grouper) groupVariants(vs *variants, yield func([]int) bool) bool {
	sortHalves(vs.sorted)
	sorted, low := vs.sorted, vs.low
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && sorted[hi]>>low == sorted[lo]>>low {
			hi++
		}
		if hi-lo >= 2 {
			g.run = g.run[:0]
			for _, x := range sorted[lo:hi] { // by number: by key, then position
				g.run = append(g.run, vs.variant(uint64(unpack(x, low))))
			}
			if !g.variantGroups(g.run, yield) {
				return false
			}
		}
		lo = hi
	}
	return true
}

// runes returns the runes of key d, in buf.
func (g *grouper) runes(buf []rune, d uint32) []rune {
	buf = buf[:0]
	for _, r := range g.key(d) {
		buf = append(buf, r)
	}
	return buf
}

// variantGroups gives the groups of variants of one packed hash, sorted
// by key, then position: for each position, the keys with a rune deleted
// there, and the whole key they then are, if any. Variants whose strings
// differ (hashes that collide, whole or packed) are first told apart.
func (g *grouper) variantGroups(vs []variant, yield func([]int) bool) bool {
	for len(vs) > 0 {
		// The variants equal to the first one, and the others, which are
		// rare enough (a collision of the hash) to go round again. Deleting
		// any rune of a run of equal runes leaves one string, so a key's
		// variants in one run, which come one after another, are compared
		// once: a key of runes repeated ("aaaa", "1122") costs its length,
		// not its square.
		same := g.same[:0]
		var rest []variant
		var prev variant
		prevSame := false
		for j, v := range vs {
			var eq bool
			switch {
			case j == 0:
				eq = true // itself
			case v.repeat && v.key == prev.key && v.pos == prev.pos+1:
				eq = prevSame // the same string as prev's
			default:
				eq = g.sameVariant(vs[0], v)
			}
			prev, prevSame = v, eq
			if eq {
				same = append(same, v)
			} else {
				rest = append(rest, v)
			}
		}
		g.same = same
		slices.SortFunc(same, func(a, b variant) int { return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.key, b.key)) })
		// The keys whole: one, since representatives differ, unless keys
		// that are not valid UTF-8 read as the same runes.
		g.wholes = g.wholes[:0]
		for _, v := range same {
			if v.pos == whole {
				g.wholes = append(g.wholes, v.key)
			}
		}
		for lo := 0; lo < len(same); {
			hi := lo + 1
			for hi < len(same) && same[hi].pos == same[lo].pos {
				hi++
			}
			if same[lo].pos != whole {
				if !g.giveKeys(same[lo:hi], g.wholes, yield) {
					return false
				}
			}
			lo = hi
		}
		vs = rest
	}
	return true
}

// giveKeys gives the group of the keys of vs and the keys wholes, when it
// has two keys or more and two owners or more.
func (g *grouper) giveKeys(vs []variant, wholes []uint32, yield func([]int) bool) bool {
	if len(vs)+len(wholes) < 2 {
		return true
	}
	g.owners = g.owners[:0]
	for _, v := range vs {
		g.addOwners(v.key)
	}
	for _, k := range wholes {
		g.addOwners(k)
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
	ra, rb := runeSkipper{s: g.key(a.key), skip: int(a.pos)}, runeSkipper{s: g.key(b.key), skip: int(b.pos)}
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

// runeSkipper reads the runes of s but the one at skip (none if whole).
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
	if len(g.owners) == 2 {
		// Most groups are two owners: a pair, remembered in 8 bytes.
		if !g.pairs.add(uint64(g.owners[0])<<32 | uint64(g.owners[1])) {
			return true
		}
	} else if !g.sets.add(g.owners) {
		return true
	}
	return yield(g.owners)
}

// pairSet is a set of pairs of owners, each as one word (the smaller
// owner in the high half; never 0, since the larger owner is above 0):
// open addressing, with no pointers for the collector to scan.
type pairSet struct {
	slots []uint64 // 0: empty
	n     int
}

// add adds the pair p, and reports whether it was new.
func (s *pairSet) add(p uint64) bool {
	if 4*(s.n+1) > 3*len(s.slots) { // at most three quarters full
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

// ownerSets is a set of sets of owners (each sorted, of owners below
// MaxKeys), with no pointers for the collector to scan: open addressing
// over the sets' handles in a pool. The zero ownerSets, given a seed, is
// ready to use.
type ownerSets struct {
	slots []uint64 // 0: empty; else a set's handle in pool, plus 1
	pool  setPool
	n     int
	seed  maphash.Seed
}

// add adds the set owners, and reports whether it was new.
func (s *ownerSets) add(owners []int) bool {
	if 4*(s.n+1) > 3*len(s.slots) { // at most three quarters full
		old := s.slots
		s.slots = make([]uint64, max(1024, 2*len(old)))
		for _, h := range old {
			if h != 0 {
				s.place(s.hash(s.pool.get(h-1)), h)
			}
		}
	}
	hash := s.hashInts(owners)
	mask := uint64(len(s.slots) - 1)
	for i := hash & mask; s.slots[i] != 0; i = (i + 1) & mask {
		if set := s.pool.get(s.slots[i] - 1); len(set) == len(owners) && slices.EqualFunc(set, owners, func(a uint32, b int) bool { return int(a) == b }) {
			return false
		}
	}
	s.place(hash, s.pool.add(owners)+1)
	s.n++
	return true
}

// place puts the set whose handle is h-1 in the first free slot from its
// hash.
func (s *ownerSets) place(hash, h uint64) {
	mask := uint64(len(s.slots) - 1)
	i := hash & mask
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = h
}

func (s *ownerSets) hash(set []uint32) uint64 {
	var d maphash.Hash
	d.SetSeed(s.seed)
	var b [4]byte
	for _, o := range set {
		binary.LittleEndian.PutUint32(b[:], o)
		d.Write(b[:])
	}
	return d.Sum64()
}

// hashInts is hash of a set given as ints: the same hash as the set's in
// pool.
func (s *ownerSets) hashInts(owners []int) uint64 {
	var d maphash.Hash
	d.SetSeed(s.seed)
	var b [4]byte
	for _, o := range owners {
		binary.LittleEndian.PutUint32(b[:], uint32(o))
		d.Write(b[:])
	}
	return d.Sum64()
}

// setPool keeps sets of owners in chunks that never move, each set its
// length, then its owners: growing it copies nothing, as appending to one
// slice would (and hold the old and the new array at once). A set's
// handle is its chunk and its offset in it.
type setPool struct{ chunks [][]uint32 }

const poolChunk = 1 << 16 // values

// add adds a set of owners (below MaxKeys, fewer than MaxKeys of them)
// and returns its handle.
func (p *setPool) add(owners []int) uint64 {
	last := len(p.chunks) - 1
	if last < 0 || len(p.chunks[last])+1+len(owners) > cap(p.chunks[last]) {
		p.chunks = append(p.chunks, make([]uint32, 0, max(poolChunk, 1+len(owners))))
		last++
	}
	c := p.chunks[last]
	h := uint64(last)<<32 | uint64(len(c)) // a chunk holds at most MaxKeys+1 values
	c = append(c, uint32(len(owners)))
	for _, o := range owners {
		c = append(c, uint32(o))
	}
	p.chunks[last] = c
	return h
}

// get returns the set whose handle is h.
func (p *setPool) get(h uint64) []uint32 {
	c := p.chunks[h>>32]
	off := uint64(uint32(h))
	n := uint64(c[off])
	return c[off+1 : off+1+n]
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

// deletions calls add with the hash of the key whose runes are given with
// each rune deleted in turn: the rune's index, and the hash.
func (h *rollingHash) deletions(runes []rune, add func(i int, hash uint64)) {
	n := len(runes)
	h.power(n)
	h.suffix = append(h.suffix[:0], make([]uint64, n+1)...)
	for i := n - 1; i >= 0; i-- {
		h.suffix[i] = addmod(mulmod(uint64(runes[i]), h.powers[n-1-i]), h.suffix[i+1])
	}
	// Deleting rune i leaves prefix[:i] shifted by n-1-i runes, and the
	// suffix after i, whose powers already fit a string of n-1 runes.
	var prefix uint64
	for i := range n {
		add(i, addmod(mulmod(prefix, h.powers[n-1-i]), h.suffix[i+1]))
		prefix = addmod(mulmod(prefix, h.base), uint64(runes[i]))
	}
}
