package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// The property tests drive a structure and its plain twin (twin_test.go)
// with the same random operations, and check that every string, list, id
// and value handed out reads back the same, when it is handed out, again
// and again while many more are added, and at the end: a string that a
// later allocation overwrote, or that is read from the wrong chunk or at
// the wrong offset, shows as a difference.

var seeds = []uint64{1, 2, 3}

// setVar sets a package variable (a limit) for the test and restores it
// after.
func setVar(t testing.TB, p *int, v int) {
	t.Helper()
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

// fill writes into b bytes that depend on tag: strings of different tags
// differ, so a string overwritten by another, or read from the wrong
// place, does not read back the same.
func fill(b []byte, tag uint64) {
	x := tag*0x9E3779B97F4A7C15 ^ 0xD1B54A32D192ED03 | 1
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	i := 0
	for ; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], next())
	}
	for v := next(); i < len(b); i++ {
		b[i] = byte(v)
		v >>= 8
	}
}

// pattern returns n bytes filled with the tag.
func pattern(n int, tag uint64) []byte {
	b := make([]byte, n)
	fill(b, tag)
	return b
}

// panics reports whether f panics.
func panics(f func()) (p bool) {
	defer func() {
		if recover() != nil {
			p = true
		}
	}()
	f()
	return false
}

// limitErr returns err as a *LimitError, failing the test if it is not.
func limitErr(t testing.TB, err error) *LimitError {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T), want a *LimitError", err, err)
	}
	return le
}

// chunkOf is the chunk size of a, as Alloc computes it.
func chunkOf(a *Arena) int {
	if a.chunk == 0 {
		return DefaultChunk
	}
	return a.chunk
}

// checkArenaShape checks what the arena reserves against what it keeps:
// no more than twice its bytes and one chunk, so that no pattern of sizes
// makes it take a chunk per string; and Size.
func checkArenaShape(t testing.TB, a *Arena, want int) {
	t.Helper()
	if a.Size() != want {
		t.Fatalf("Size() = %d, want %d", a.Size(), want)
	}
	kept, reserved := 0, 0
	for _, c := range a.chunks {
		kept += len(c)
		reserved += cap(c)
	}
	if kept != want {
		t.Fatalf("chunks keep %d bytes, want %d", kept, want)
	}
	if reserved > 2*want+chunkOf(a) {
		t.Fatalf("chunks reserve %d bytes for %d kept (chunk %d, %d chunks)", reserved, want, chunkOf(a), len(a.chunks))
	}
	if len(a.chunks) > maxChunks {
		t.Fatalf("%d chunks, more than maxChunks %d", len(a.chunks), maxChunks)
	}
}

// arenaPair is an Arena and its twin, driven together.
type arenaPair struct {
	t    testing.TB
	a    *Arena
	twin twinArena
	refs []Ref
	held []string // a.String of each ref when it was added, kept to the end
	tag  uint64
}

// add adds a string of n bytes to both, by Add, AddBytes or Alloc (how).
func (p *arenaPair) add(n, how int) {
	p.t.Helper()
	p.tag++
	b := pattern(n, p.tag)
	s := string(b)
	var r Ref
	switch how % 3 {
	case 0:
		r = p.a.Add(s)
	case 1:
		r = p.a.AddBytes(b)
		fill(b, ^p.tag) // the arena has a copy: changing b changes nothing
	case 2:
		var into []byte
		r, into = p.a.Alloc(n)
		if len(into) != n || cap(into) != n {
			p.t.Fatalf("Alloc(%d) gave len %d cap %d", n, len(into), cap(into))
		}
		copy(into, s)
	}
	if err := p.a.Err(); err != nil {
		p.t.Fatalf("adding a string of %d bytes: %v", n, err)
	}
	if r.Len() != n {
		p.t.Fatalf("Ref.Len() = %d, want %d", r.Len(), n)
	}
	p.twin.Add(s)
	p.refs = append(p.refs, r)
	p.held = append(p.held, p.a.String(r))
	p.check(len(p.refs) - 1)
}

// check reads string k back, as String, Bytes and a Sub.
func (p *arenaPair) check(k int) {
	p.t.Helper()
	r, want := p.refs[k], p.twin.String(k)
	if got := p.a.String(r); got != want {
		p.t.Fatalf("string %d of %d (%d bytes, %+v) reads back wrong at byte %d", k, len(p.refs), len(want), r, firstDiff(got, want))
	}
	b := p.a.Bytes(r)
	if string(b) != want || len(b) != cap(b) {
		p.t.Fatalf("Bytes of string %d (%d bytes): len %d cap %d, same %v", k, len(want), len(b), cap(b), string(b) == want)
	}
}

// checkSub checks a random Sub of string k, and a Sub of that.
func (p *arenaPair) checkSub(k int, rnd *rand.Rand) {
	p.t.Helper()
	r, s := p.refs[k], p.twin.String(k)
	off := rnd.IntN(len(s) + 1)
	n := rnd.IntN(len(s) - off + 1)
	sub := Sub(r, off, n)
	if got := p.a.String(sub); got != s[off:off+n] || sub.Len() != n {
		p.t.Fatalf("Sub(string %d of %d bytes, %d, %d) reads back wrong", k, len(s), off, n)
	}
	off2 := rnd.IntN(n + 1)
	n2 := rnd.IntN(n - off2 + 1)
	if got := p.a.String(Sub(sub, off2, n2)); got != s[off+off2:off+off2+n2] {
		p.t.Fatalf("Sub(Sub(string %d, %d, %d), %d, %d) reads back wrong", k, off, n, off2, n2)
	}
}

func (p *arenaPair) checkAll() {
	p.t.Helper()
	for k := range p.refs {
		p.check(k)
		if p.held[k] != p.twin.String(k) {
			p.t.Fatalf("string %d (%d bytes), as handed out, has changed since", k, len(p.held[k]))
		}
	}
	checkArenaShape(p.t, p.a, p.twin.Size())
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// specialSizes are the sizes around an arena's chunk size c.
func specialSizes(c int) []int {
	s := []int{0, 1, c/2 - 1, c / 2, c/2 + 1, c - 1, c, c + 1, 2 * c, 3*c + 7}
	if c == DefaultChunk {
		s = append(s, c+c/2, 1<<20+12345, 3<<20+1)
	}
	return s
}

func TestArenaAgrees(t *testing.T) {
	for _, cfg := range []struct {
		name     string
		chunk    int // 0: the zero Arena, with DefaultChunk
		ops      int
		pSpecial int // per thousand, besides those forced every 97 ops
		mid      int // the largest of the others, under half a chunk
		bigMax   int // the largest string
	}{
		{"chunk16", 16, 20000, 100, 7, 4096},
		{"chunk64", 64, 20000, 100, 31, 64 << 10},
		{"chunk1000", 1000, 20000, 30, 499, 64 << 10},
		{"default", 0, 4000, 0, 20000, 5 << 20},
	} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed%d", cfg.name, seed), func(t *testing.T) {
				rnd := rand.New(rand.NewPCG(seed, 99))
				a := new(Arena)
				if cfg.chunk != 0 {
					a = NewArena(cfg.chunk)
				}
				c := chunkOf(a)
				special := specialSizes(c)
				p := &arenaPair{t: t, a: a}
				forced := 0
				for i := range cfg.ops {
					var n int
					switch q := rnd.IntN(1000); {
					case i%97 == 0:
						n = special[forced%len(special)]
						forced++
					case i%500 == 250:
						n = c + rnd.IntN(cfg.bigMax-c+1) // a big one, > 1 MiB with the default chunk
					case q < 400:
						n = rnd.IntN(9)
					case q < 650:
						n = rnd.IntN(65)
					case q < 650+cfg.pSpecial:
						n = special[rnd.IntN(len(special))]
					default:
						n = rnd.IntN(cfg.mid + 1)
					}
					p.add(n, rnd.IntN(3))
					// Read back old strings, small and big, after all that was
					// added since.
					for range 2 {
						k := rnd.IntN(len(p.refs))
						p.check(k)
						p.checkSub(k, rnd)
					}
					if i%2000 == 1999 {
						p.checkAll()
					}
				}
				p.checkAll()
				if len(a.chunks) < 20 {
					t.Errorf("only %d chunks: the test should cross many", len(a.chunks))
				}
			})
		}
	}
}

func TestSub(t *testing.T) {
	a := NewArena(16)
	var refs []Ref
	var strs []string
	for i := range 40 {
		s := string(pattern(i%20, uint64(i)))
		refs, strs = append(refs, a.Add(s)), append(strs, s)
	}
	for k, r := range refs {
		s := strs[k]
		for off := 0; off <= len(s); off++ {
			for n := 0; off+n <= len(s); n++ {
				if got := a.String(Sub(r, off, n)); got != s[off:off+n] {
					t.Fatalf("Sub(%q, %d, %d) = %q", s, off, n, got)
				}
			}
		}
		L := len(s)
		for _, bad := range [][2]int{{-1, 0}, {0, -1}, {L + 1, 0}, {0, L + 1}, {L, 1}, {1, L}, {-1, L + 1}, {math.MinInt, 0}} {
			if !panics(func() { Sub(r, bad[0], bad[1]) }) {
				t.Errorf("Sub(a string of %d bytes, %d, %d) did not panic", L, bad[0], bad[1])
			}
		}
	}
	// A string of its own chunk, longer than 1 MiB: offsets past 1 MiB
	// (which a 20-bit offset could not hold).
	big := string(pattern(3<<20+5, 7))
	var d Arena
	d.Add("before")
	r := d.Add(big)
	d.Add("after")
	for _, off := range []int{0, 1, 1<<20 - 1, 1 << 20, 1<<20 + 1, 2 << 20, 3 << 20, len(big) - 1, len(big)} {
		for _, n := range []int{0, 1, 5, 1 << 20} {
			if off+n > len(big) {
				if !panics(func() { Sub(r, off, n) }) {
					t.Errorf("Sub(big, %d, %d) did not panic", off, n)
				}
				continue
			}
			if d.String(Sub(r, off, n)) != big[off:off+n] {
				t.Errorf("Sub(big, %d, %d) reads back wrong", off, n)
			}
		}
	}
	if Sub(Ref{}, 0, 0) != (Ref{}) || !panics(func() { Sub(Ref{}, 0, 1) }) {
		t.Error("Sub of the empty Ref")
	}
}

// TestSubOverflow: off+n must not wrap around. Slicing a string panics
// for s[1:1+math.MaxInt]; Sub does not.
func TestSubOverflow(t *testing.T) {
	var a Arena
	r := a.Add("hello")
	for _, bad := range [][2]int{{1, math.MaxInt}, {math.MaxInt, 1}, {math.MaxInt, math.MaxInt}} {
		if !panics(func() { Sub(r, bad[0], bad[1]) }) {
			t.Errorf("Sub(a string of 5 bytes, %d, %d) did not panic", bad[0], bad[1])
		}
	}
}

// listsPair is Lists and its twin, driven together.
type listsPair struct {
	t     testing.TB
	l     *Lists
	twin  twinLists
	held  [][]string // l.Get of each string when its list was added
	bytes int        // in all the lists
	strs  int        // in all the lists
	tag   uint64
}

// strings returns k strings of sizes from size.
func (p *listsPair) strings(k int, size func() int) []string {
	strs := make([]string, k)
	for i := range strs {
		p.tag++
		strs[i] = string(pattern(size(), p.tag))
	}
	return strs
}

func (p *listsPair) append(strs []string) {
	p.t.Helper()
	n := p.l.Append(strs...)
	if err := p.l.Err(); err != nil || n != p.l.Len()-1 {
		p.t.Fatalf("Append of %d strings = %d (Len %d), %v", len(strs), n, p.l.Len(), err)
	}
	if tn := p.twin.Append(strs...); tn != n {
		p.t.Fatalf("list numbered %d, twin %d", n, tn)
	}
	held := make([]string, len(strs))
	for i := range held {
		held[i] = p.l.Get(n, i)
	}
	p.held = append(p.held, held)
	for _, s := range strs {
		p.bytes += len(s)
	}
	p.strs += len(strs)
	p.check(n, -1)
}

// check checks list n: all of it when i < 0, else string i.
func (p *listsPair) check(n, i int) {
	p.t.Helper()
	count := p.twin.Count(n)
	if p.l.Count(n) != count {
		p.t.Fatalf("list %d: Count %d, want %d", n, p.l.Count(n), count)
	}
	if p.l.FirstByte(n) != p.twin.FirstByte(n) {
		p.t.Fatalf("list %d: FirstByte %d, want %d", n, p.l.FirstByte(n), p.twin.FirstByte(n))
	}
	from, to := 0, count
	if i >= 0 {
		from, to = i, i+1
	}
	for j := from; j < to; j++ {
		if got, want := p.l.Get(n, j), p.twin.Get(n, j); got != want {
			p.t.Fatalf("list %d (%d strings): string %d (%d bytes) reads back wrong at byte %d (got %d bytes)", n, count, j, len(want), firstDiff(got, want), len(got))
		}
	}
	if !panics(func() { p.l.Get(n, -1) }) || !panics(func() { p.l.Get(n, count) }) {
		p.t.Fatalf("list %d: Get out of range did not panic", n)
	}
}

func (p *listsPair) checkAll() {
	p.t.Helper()
	if p.l.Len() != p.twin.Len() {
		p.t.Fatalf("Len %d, want %d", p.l.Len(), p.twin.Len())
	}
	for n := range p.twin.Len() {
		p.check(n, -1)
		for i, s := range p.held[n] {
			if s != p.twin.Get(n, i) {
				p.t.Fatalf("list %d: string %d, as handed out, has changed since", n, i)
			}
		}
	}
	// The arena keeps the strings and their headers: a byte or two for
	// the count and the width of the ends, and at most four bytes an end.
	kept, headers := p.bytes, 0
	for _, strs := range p.twin.lists {
		total := 0
		for _, s := range strs {
			total += len(s)
		}
		headers += listPiece(len(strs), total) - total
	}
	if headers > 6*p.twin.Len()+4*p.strs {
		p.t.Fatalf("headers of %d bytes for %d lists of %d strings", headers, p.twin.Len(), p.strs)
	}
	kept += headers
	// Size counts what is kept, and perhaps room reserved: not less, and
	// not much more.
	if p.l.Size() < kept+8*p.twin.Len() || p.l.Size() > 2*kept+8*p.twin.Len()+1<<20 {
		p.t.Fatalf("Size() = %d for %d bytes kept", p.l.Size(), kept)
	}
	checkArenaShape(p.t, &p.l.arena, kept)
}

// listPiece is the size of the piece of a list of k strings of total
// bytes, as Lists' doc describes it: a uvarint of k, then, if k > 0, a
// byte for the width of the ends and k ends of the fewest bytes that hold
// total, then the strings.
func listPiece(k, total int) int {
	size := len(binary.AppendUvarint(nil, uint64(k))) + total
	if k == 0 {
		return size
	}
	width := 4
	if total < 1<<8 {
		width = 1
	} else if total < 1<<16 {
		width = 2
	}
	return size + 1 + k*width
}

func TestListsAgree(t *testing.T) {
	for _, cfg := range []struct {
		name  string
		chunk int // of the Lists' arena; 0: DefaultChunk, as the zero Lists has
		ops   int
	}{
		{"chunk64", 64, 20000},
		{"default", 0, 40000},
	} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed%d", cfg.name, seed), func(t *testing.T) {
				rnd := rand.New(rand.NewPCG(seed, 7))
				p := &listsPair{t: t, l: new(Lists)}
				p.l.arena.chunk = cfg.chunk
				upTo := func(n int) func() int { return func() int { return rnd.IntN(n + 1) } }
				const namesAt, overMiBAt, chunksAt = 1000, 3000, 5000
				for i := range cfg.ops {
					switch q := rnd.IntN(100); {
					case i == namesAt:
						// 150,000 short names in one list: more than 1 MiB of
						// them, and their ends.
						names := make([]string, 150000)
						for j := range names {
							names[j] = "n" + strconv.Itoa(j) + string(pattern(rnd.IntN(4), uint64(j)))
						}
						p.append(names)
					case i == overMiBAt:
						// A list of more than 1 MiB: strings past its first MiB.
						p.append(p.strings(25+rnd.IntN(5), func() int { return 45000 + rnd.IntN(10000) }))
					case i == chunksAt:
						// A list across several default chunks' worth of bytes.
						p.append(p.strings(12, func() int { return 500<<10 + rnd.IntN(1000) }))
					case q < 60:
						p.append(p.strings(rnd.IntN(8), upTo(24)))
					case q < 65:
						p.append(p.strings(rnd.IntN(4), func() int { return 0 })) // empty strings, or no string
					case q < 70:
						p.append(p.strings(rnd.IntN(50), upTo(500)))
					case q < 72:
						p.append(p.strings(1+rnd.IntN(3), upTo(min(2*chunkOf(&p.l.arena), 8192))))
					default:
						n := rnd.IntN(p.twin.Len() + 1)
						if n == p.twin.Len() || p.twin.Count(n) == 0 {
							p.append(p.strings(1, upTo(10)))
							continue
						}
						p.check(n, rnd.IntN(p.twin.Count(n)))
					}
					if i%10000 == 9999 {
						p.checkAll()
					}
				}
				p.checkAll()
				if len(p.l.arena.chunks) < 10 {
					t.Errorf("only %d chunks: the test should cross many", len(p.l.arena.chunks))
				}
			})
		}
	}
}

// idPair is an IDIndex and its twin, driven together.
type idPair struct {
	t    testing.TB
	x    *IDIndex
	twin *twinIDIndex
	held []string // x.ID of each id when it was added
}

func (p *idPair) add(id string, v Value) {
	p.t.Helper()
	n, added, err := p.x.Add(id, p.x.Hash(id), v)
	if len(id) > MaxIDBytes {
		le := limitErr(p.t, err)
		if le.Limit != MaxIDBytes || n != 0 || added || p.x.Err() != nil {
			p.t.Fatalf("an id of %d bytes: %d, %v, %v; Err %v", len(id), n, added, err, p.x.Err())
		}
		return
	}
	tn, tadded := p.twin.Add(id, v)
	if err != nil || n != tn || added != tadded {
		p.t.Fatalf("Add(an id of %d bytes) = %d, %v, %v; want %d, %v", len(id), n, added, err, tn, tadded)
	}
	if added {
		p.held = append(p.held, p.x.ID(n))
	}
	p.check(n)
}

func (p *idPair) check(n int) {
	p.t.Helper()
	id := p.twin.ID(n)
	if got := p.x.ID(n); got != id {
		p.t.Fatalf("ID(%d) (%d bytes) reads back wrong at byte %d", n, len(id), firstDiff(got, id))
	}
	if got := p.x.Value(n); got != p.twin.Value(n) {
		p.t.Fatalf("Value(%d) = %+v, want %+v", n, got, p.twin.Value(n))
	}
	if got, ok := p.x.Find(id, p.x.Hash(id)); !ok || got != n {
		p.t.Fatalf("Find(ID(%d)) = %d, %v", n, got, ok)
	}
}

func (p *idPair) find(id string) {
	p.t.Helper()
	n, ok := p.x.Find(id, p.x.Hash(id))
	tn, tok := p.twin.Find(id)
	if ok != tok || ok && n != tn {
		p.t.Fatalf("Find(an id of %d bytes) = %d, %v; want %d, %v", len(id), n, ok, tn, tok)
	}
}

func (p *idPair) checkAll() {
	p.t.Helper()
	if p.x.Len() != p.twin.Len() {
		p.t.Fatalf("Len %d, want %d", p.x.Len(), p.twin.Len())
	}
	long := 0
	for n := range p.twin.Len() {
		p.check(n)
		if p.held[n] != p.twin.ID(n) {
			p.t.Fatalf("ID(%d), as handed out, has changed since", n)
		}
		id := p.twin.ID(n)
		if len(id) > shortID {
			long += len(id)
		}
		// The first slot of a present id is never empty (nothing is
		// removed), and Touch and Peek read the same slot.
		h := p.x.Hash(id)
		m, ok := p.x.Peek(h)
		if !ok || m < 0 || m >= p.x.Len() {
			p.t.Fatalf("Peek(Hash(ID(%d))) = %d, %v", n, m, ok)
		}
		if got, want := p.x.Touch(h), uint32(len(p.twin.ID(m))+m+1); got != want {
			p.t.Fatalf("Touch(Hash(ID(%d))) = %d, want %d", n, got, want)
		}
	}
	if p.x.Len() > 0 && !panics(func() { p.x.ID(p.x.Len()) }) {
		p.t.Fatal("ID(Len()) did not panic")
	}
	checkArenaShape(p.t, &p.x.arena, long)
	if min := long + 4*2*p.x.Len() + 28*p.x.Len(); p.x.Size() < min {
		p.t.Fatalf("Size() = %d, less than the %d kept", p.x.Size(), min)
	}
}

// genID returns an id from 0 to 200 bytes, short and long, from a small
// alphabet at first so that ids share prefixes and short ones repeat; and
// some that differ from one another only in their last two bytes.
func genID(rnd *rand.Rand) string {
	if rnd.IntN(10) == 0 {
		n := []int{2, 8, 15, 16, 17, 18, 40, 200}[rnd.IntN(8)]
		b := []byte(nearPrefix[:n])
		b[n-1], b[n-2] = byte(rnd.IntN(256)), byte(rnd.IntN(4))
		return string(b)
	}
	var n int
	switch q := rnd.IntN(100); {
	case q < 10:
		n = []int{0, 1, 15, 16, 17, 31, 32, 100, 199, 200}[rnd.IntN(10)]
	case q < 55:
		n = rnd.IntN(shortID + 1)
	default:
		n = shortID + 1 + rnd.IntN(200-shortID)
	}
	b := make([]byte, n)
	for i := range b {
		if i < 6 {
			b[i] = 'a' + byte(rnd.IntN(4))
		} else {
			b[i] = byte(rnd.Uint32())
		}
	}
	return string(b)
}

var nearPrefix = strings.Repeat("record/0123456789/", 12)

// randValue returns a Value with every field random, whatever its fields.
func randValue(rnd *rand.Rand) Value {
	var v Value
	rv := reflect.ValueOf(&v).Elem()
	for i := range rv.NumField() {
		rv.Field(i).SetUint(rnd.Uint64()) // truncated to the field's size
	}
	return v
}

func TestIDIndexAgrees(t *testing.T) {
	for _, cfg := range []struct {
		name  string
		chunk int // of the index's arena, for long ids; 0: DefaultChunk
		ops   int
	}{
		{"arena64", 64, 250000},
		{"default", 0, 250000},
	} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed%d", cfg.name, seed), func(t *testing.T) {
				rnd := rand.New(rand.NewPCG(seed, 5))
				hseed := maphash.MakeSeed()
				p := &idPair{t: t, x: NewIDIndex(hseed), twin: newTwinIDIndex()}
				p.x.arena.chunk = cfg.chunk
				maxID := string(pattern(MaxIDBytes, seed))
				for i := range cfg.ops {
					switch q := rnd.IntN(100); {
					case i%50000 == 100:
						// The longest id kept, and one byte more: refused on its
						// own, leaving the index usable.
						p.add(maxID, randValue(rnd))
						p.add(maxID+"x", randValue(rnd))
						p.add(string(pattern(MaxIDBytes+1+rnd.IntN(1000), uint64(i))), randValue(rnd))
						p.find(maxID + "x")
					case q < 65:
						p.add(genID(rnd), randValue(rnd))
					case q < 85 && p.twin.Len() > 0:
						// Again: the same number, not added, the first value
						// kept.
						n := rnd.IntN(p.twin.Len())
						p.add(p.twin.ID(n), randValue(rnd))
					case q < 90:
						p.find(genID(rnd)) // most often absent
					case q < 95 && p.twin.Len() > 0:
						n, v := rnd.IntN(p.twin.Len()), randValue(rnd)
						p.x.SetValue(n, v)
						p.twin.SetValue(n, v)
						p.check(n)
					default:
						if p.twin.Len() > 0 {
							p.check(rnd.IntN(p.twin.Len()))
						}
					}
					if i%100000 == 99999 {
						p.checkAll()
					}
				}
				p.checkAll()
				// Indexes that share a seed share hashes.
				other := NewIDIndex(hseed)
				for n := range min(p.x.Len(), 1000) {
					if id := p.x.ID(n); other.Hash(id) != p.x.Hash(id) {
						t.Fatalf("Hash(ID(%d)) differs between indexes of one seed", n)
					}
				}
				if p.x.Len() < 6*entChunk || len(p.x.slots) < 1<<18 {
					t.Errorf("%d ids, %d slots: the test should cross more entry chunks and doublings", p.x.Len(), len(p.x.slots))
				}
				if cfg.chunk == 0 && len(p.x.arena.chunks) < 5 {
					t.Errorf("%d arena chunks: the test should cross more", len(p.x.arena.chunks))
				}
			})
		}
	}
}

// TestIDIndexNearIDs: ids that differ from one another in one byte, at
// the start, in the middle or at the end, of one length, short and long,
// and ids that are prefixes of others: a lookup must compare them whole.
func TestIDIndexNearIDs(t *testing.T) {
	for _, chunk := range []int{64, 0} {
		p := &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()}
		p.x.arena.chunk = chunk
		for _, n := range []int{1, 2, 8, 15, 16, 17, 18, 33, 200} {
			base := []byte(nearPrefix[:n])
			for _, at := range []int{0, n / 2, n - 1} {
				for c := range 256 {
					b := append([]byte(nil), base...)
					b[at] = byte(c)
					p.add(string(b), Value{A: uint32(n), B: uint32(at), Kind: uint8(c)})
				}
			}
			for k := range n {
				p.add(nearPrefix[:k], Value{A: uint32(k)}) // the prefixes
				p.find(nearPrefix[:k] + "\x00")
			}
		}
		for c := range 20000 { // the last two bytes
			b := []byte(nearPrefix[:40])
			b[38], b[39] = byte(c>>8), byte(c)
			p.add(string(b), Value{A: uint32(c)})
		}
		p.checkAll()
	}
}

func TestColumnAgrees(t *testing.T) {
	type val struct {
		a uint32
		b [3]byte
	}
	rnd := rand.New(rand.NewPCG(8, 8))
	var c Column[val]
	var twin twinColumn[val]
	var ptrs []*val // At(i) when value i was added: it must stay valid
	check := func(i int) {
		t.Helper()
		if *c.At(i) != *twin.At(i) || c.At(i) != ptrs[i] || *ptrs[i] != *twin.At(i) {
			t.Fatalf("value %d of %d: %+v at %p, want %+v at %p", i, c.Len(), *c.At(i), c.At(i), *twin.At(i), ptrs[i])
		}
	}
	for i := range 200000 { // past several chunks
		v := val{a: rnd.Uint32(), b: [3]byte{byte(i), byte(i >> 8), byte(i >> 16)}}
		c.Append(v)
		twin.Append(v)
		ptrs = append(ptrs, c.At(i))
		if c.Len() != twin.Len() {
			t.Fatalf("Len %d, want %d", c.Len(), twin.Len())
		}
		check(i)
		check(rnd.IntN(i + 1))
		if rnd.IntN(10) == 0 { // a change through At, seen by At after
			k := rnd.IntN(i + 1)
			c.At(k).a++
			twin.At(k).a++
		}
	}
	for i := range twin.Len() {
		check(i)
	}
	if !panics(func() { c.At(c.Len()) }) || !panics(func() { c.At(-1) }) {
		t.Fatal("At out of range did not panic")
	}
	const vs = int(unsafe.Sizeof(val{}))
	if s := c.Size(vs); s < c.Len()*vs || s > (c.Len()+columnChunk)*vs {
		t.Fatalf("Size(%d) = %d for %d values", vs, s, c.Len())
	}
	var empty Column[int]
	if empty.Len() != 0 || empty.Size(8) != 0 || !panics(func() { empty.At(0) }) {
		t.Fatal("the zero Column")
	}
}

// TestLowerLimits: what LowerLimits lowers is refused, and restore puts
// the limits back.
func TestLowerLimits(t *testing.T) {
	oldLen, oldIDs := maxLen, maxIDs
	restore := LowerLimits(100, 10)
	var a Arena
	a.Add(strings.Repeat("a", 100))
	if a.Err() != nil || a.Add(strings.Repeat("a", 101)) != (Ref{}) {
		t.Fatalf("an arena with the limits lowered to 100 bytes: %v", a.Err())
	}
	limitErr(t, a.Err())
	var l Lists
	if l.Append(strings.Repeat("a", 50), strings.Repeat("b", 51)) != -1 {
		t.Fatal("a list of 101 bytes kept")
	}
	limitErr(t, l.Err())
	x := NewIDIndex(maphash.MakeSeed())
	for i := range 10 {
		if _, _, err := x.Add(strconv.Itoa(i), x.Hash(strconv.Itoa(i)), Value{}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := x.Add("10", x.Hash("10"), Value{})
	limitErr(t, err)
	restore()
	if maxLen != oldLen || maxIDs != oldIDs {
		t.Fatalf("restored maxLen %d, maxIDs %d; want %d, %d", maxLen, maxIDs, oldLen, oldIDs)
	}
}

func TestArenaLimits(t *testing.T) {
	t.Run("maxLen", func(t *testing.T) {
		setVar(t, &maxLen, 100)
		rnd := rand.New(rand.NewPCG(1, 1))
		p := &arenaPair{t: t, a: NewArena(64)}
		for i := range 300 {
			p.add(rnd.IntN(101), i)
		}
		p.add(100, 0) // exactly the limit
		if r := p.a.Add(string(pattern(101, 0))); r != (Ref{}) {
			t.Fatalf("a string too long: %+v", r)
		}
		if le := limitErr(t, p.a.Err()); le.Limit != 100 {
			t.Fatalf("Limit %d", le.Limit)
		}
		first := p.a.Err()
		// Refused from now on, and the error kept.
		if r := p.a.Add("x"); r != (Ref{}) || p.a.Err() != first {
			t.Fatalf("after a refusal: %+v, %v", r, p.a.Err())
		}
		if r, b := p.a.Alloc(5); r != (Ref{}) || b != nil {
			t.Fatalf("Alloc after a refusal: %+v, %d bytes", r, len(b))
		}
		if r := p.a.AddBytes([]byte("yy")); r != (Ref{}) {
			t.Fatalf("AddBytes after a refusal: %+v", r)
		}
		p.checkAll()
	})
	t.Run("negative", func(t *testing.T) {
		var a Arena
		if r, b := a.Alloc(-1); r != (Ref{}) || b != nil {
			t.Fatal("Alloc(-1)")
		}
		limitErr(t, a.Err())
	})
	for _, big := range []bool{false, true} {
		t.Run(fmt.Sprintf("maxChunks/big=%v", big), func(t *testing.T) {
			setVar(t, &maxChunks, 5)
			rnd := rand.New(rand.NewPCG(2, 2))
			p := &arenaPair{t: t, a: NewArena(64)}
			for i := 0; ; i++ {
				if i > 10000 {
					t.Fatal("never refused")
				}
				n := rnd.IntN(20)
				if big {
					n = 32 + rnd.IntN(100) // a chunk of its own
				}
				before := len(p.a.chunks)
				r := p.a.Add(string(pattern(n, uint64(i))))
				if p.a.Err() != nil {
					limitErr(t, p.a.Err())
					if r != (Ref{}) || before != 5 || len(p.a.chunks) != 5 {
						t.Fatalf("refused with %d chunks before, %d after; %+v", before, len(p.a.chunks), r)
					}
					break
				}
				p.twin.Add(string(pattern(n, uint64(i))))
				p.refs = append(p.refs, r)
				p.held = append(p.held, p.a.String(r))
			}
			p.checkAll()
		})
	}
}

func TestListsLimits(t *testing.T) {
	t.Run("maxList", func(t *testing.T) {
		setVar(t, &maxList, 5)
		p := &listsPair{t: t, l: new(Lists)}
		p.l.arena.chunk = 64
		for k := range 6 {
			p.append(p.strings(k, func() int { return k * 7 }))
		}
		if n := p.l.Append("a", "b", "c", "d", "e", "f"); n != -1 {
			t.Fatalf("a list of 6: %d", n)
		}
		if le := limitErr(t, p.l.Err()); le.Limit != 5 {
			t.Fatalf("Limit %d", le.Limit)
		}
		if n := p.l.Append("a"); n != -1 || p.l.Len() != 6 {
			t.Fatalf("after a refusal: %d, Len %d", n, p.l.Len())
		}
		p.checkAll()
	})
	t.Run("maxLen", func(t *testing.T) {
		setVar(t, &maxLen, 100)
		p := &listsPair{t: t, l: new(Lists)}
		p.append(p.strings(2, func() int { return 48 })) // exactly the limit in all, with a header of 4
		p.append([]string{string(pattern(97, 1))})
		if n := p.l.Append(strings.Repeat("a", 60), strings.Repeat("b", 37)); n != -1 {
			t.Fatalf("97 bytes and a header of 4 in a list: %d", n)
		}
		limitErr(t, p.l.Err())
		p.checkAll()
		q := &listsPair{t: t, l: new(Lists)}
		if n := q.l.Append("", strings.Repeat("a", 101)); n != -1 {
			t.Fatalf("a string of 101 bytes: %d", n)
		}
		limitErr(t, q.l.Err())
	})
	t.Run("maxChunks", func(t *testing.T) {
		setVar(t, &maxChunks, 3)
		rnd := rand.New(rand.NewPCG(3, 3))
		p := &listsPair{t: t, l: new(Lists)}
		p.l.arena.chunk = 64
		for i := 0; ; i++ {
			if i > 10000 {
				t.Fatal("never refused")
			}
			strs := p.strings(rnd.IntN(4), func() int { return rnd.IntN(30) })
			if n := p.l.Append(strs...); n < 0 {
				limitErr(t, p.l.Err())
				if len(p.l.arena.chunks) != 3 {
					t.Fatalf("refused with %d chunks", len(p.l.arena.chunks))
				}
				break
			}
			// As p.append, without its check that Append succeeds.
			p.twin.Append(strs...)
			n := p.twin.Len() - 1
			held := make([]string, len(strs))
			for j := range held {
				held[j] = p.l.Get(n, j)
			}
			p.held = append(p.held, held)
			for _, s := range strs {
				p.bytes += len(s)
			}
			p.strs += len(strs)
		}
		p.checkAll()
	})
}

func TestIDIndexLimits(t *testing.T) {
	refused := func(t *testing.T, p *idPair, id string) {
		t.Helper()
		n, added, err := p.x.Add(id, p.x.Hash(id), Value{A: 1})
		limitErr(t, err)
		if n != 0 || added || p.x.Err() != err {
			t.Fatalf("refused: %d, %v, Err %v", n, added, p.x.Err())
		}
		// Still refused, the ids before still there.
		if _, _, err := p.x.Add("zz", p.x.Hash("zz"), Value{}); err == nil {
			t.Fatal("an Add after a refusal succeeded")
		}
		if p.x.Len() != p.twin.Len() {
			t.Fatalf("Len %d, want %d", p.x.Len(), p.twin.Len())
		}
		p.find(id)
		p.checkAll()
	}
	t.Run("maxIDs", func(t *testing.T) {
		setVar(t, &maxIDs, 1000)
		rnd := rand.New(rand.NewPCG(4, 4))
		p := &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()}
		for p.twin.Len() < 1000 {
			p.add(genID(rnd), randValue(rnd))
		}
		p.add(p.twin.ID(5), Value{}) // one it has: not refused
		id := genID(rnd)
		for _, ok := p.twin.Find(id); ok; _, ok = p.twin.Find(id) {
			id = genID(rnd)
		}
		refused(t, p, id)
	})
	t.Run("maxLen", func(t *testing.T) {
		setVar(t, &maxLen, 20)
		p := &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()}
		for n := range 21 { // up to 16 in the entry, 17 to 20 in the arena
			p.add(string(pattern(n, uint64(n))), Value{A: uint32(n)})
		}
		refused(t, p, string(pattern(21, 21)))
	})
	t.Run("maxChunks", func(t *testing.T) {
		setVar(t, &maxChunks, 2)
		rnd := rand.New(rand.NewPCG(5, 5))
		p := &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()}
		p.x.arena.chunk = 64
		for i := 0; ; i++ {
			if i > 10000 {
				t.Fatal("never refused")
			}
			id := genID(rnd)
			before := len(p.x.arena.chunks)
			n, added, err := p.x.Add(id, p.x.Hash(id), Value{A: 1})
			if err != nil {
				limitErr(t, err)
				if _, known := p.twin.Find(id); known || len(id) <= shortID || before != 2 || len(p.x.arena.chunks) != 2 || n != 0 || added || p.x.Err() != err {
					t.Fatalf("an id of %d bytes (known %v) refused with %d chunks before, %d after: %d, %v, Err %v",
						len(id), known, before, len(p.x.arena.chunks), n, added, p.x.Err())
				}
				if _, _, err := p.x.Add("zz", p.x.Hash("zz"), Value{}); err == nil {
					t.Fatal("an Add after a refusal succeeded")
				}
				p.find(id)
				p.checkAll()
				break
			}
			tn, tadded := p.twin.Add(id, Value{A: 1})
			if n != tn || added != tadded {
				t.Fatalf("Add = %d, %v; want %d, %v", n, added, tn, tadded)
			}
			if added {
				p.held = append(p.held, p.x.ID(n))
			}
		}
	})
	t.Run("MaxIDBytes", func(t *testing.T) {
		p := &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()}
		p.add("a", Value{A: 1})
		p.add(strings.Repeat("b", MaxIDBytes), Value{A: 2})
		p.add(strings.Repeat("c", MaxIDBytes+1), Value{A: 3}) // refused, the index usable
		p.add("d", Value{A: 4})
		p.add(strings.Repeat("b", MaxIDBytes), Value{A: 5})
		p.find(strings.Repeat("c", MaxIDBytes+1))
		p.checkAll()
	})
}

func TestMemoAgrees(t *testing.T) {
	calls := 0
	work := func(k string) string { calls++; return strconv.Itoa(len(k)) + ":" + k + ":" + strings.ToUpper(k) }
	pure := func(k string) string { return strconv.Itoa(len(k)) + ":" + k + ":" + strings.ToUpper(k) }
	rnd := rand.New(rand.NewPCG(6, 6))
	// More keys than slots, so that keys collide, of every length around
	// MaxMemoKey.
	var keys []string
	for i := range 5000 {
		var n int
		switch q := rnd.IntN(10); {
		case q < 6:
			n = rnd.IntN(20)
		case q < 8:
			n = []int{0, MaxMemoKey - 1, MaxMemoKey, MaxMemoKey + 1, 4 * MaxMemoKey}[rnd.IntN(5)]
		default:
			n = rnd.IntN(2 * MaxMemoKey)
		}
		keys = append(keys, string(pattern(n, uint64(i))))
	}
	m, twin := NewMemo[string](), twinMemo[string]{}
	for range 100000 {
		k := keys[rnd.IntN(len(keys))]
		if rnd.IntN(4) == 0 {
			k = keys[rnd.IntN(20)] // some keys again and again
		}
		before := calls
		if got, want := m.Get(k, work), twin.Get(k, pure); got != want {
			t.Fatalf("Get(a key of %d bytes) = %q, want %q", len(k), got, want)
		}
		if calls != before+1 && len(k) > MaxMemoKey {
			t.Fatalf("a key of %d bytes: work called %d times", len(k), calls-before)
		}
		// A key just worked on is remembered, unless too long.
		before = calls
		m.Get(k, work)
		if want := before + min(1, len(k)/(MaxMemoKey+1)); calls != want {
			t.Fatalf("Get again of a key of %d bytes: work called %d times", len(k), calls-before)
		}
	}
	checkMemoSlots(t, m, pure)

	// Two keys of one slot, in turn.
	var a, b string
	slotOf := map[uint64]string{}
	for i := 0; a == ""; i++ {
		k := "k" + strconv.Itoa(i)
		s := maphash.String(m.seed, k) & (memoSlots - 1)
		if o, ok := slotOf[s]; ok {
			a, b = o, k
		}
		slotOf[s] = k
	}
	for range 3 {
		if m.Get(a, work) != pure(a) || m.Get(b, work) != pure(b) {
			t.Fatalf("keys %q and %q of one slot mixed up", a, b)
		}
	}

	// The empty key, in a fresh memo whose slots hold the empty key unset.
	e := NewMemo[int]()
	if got := e.Get("", func(string) int { return 7 }); got != 7 {
		t.Fatalf(`Get("") in a fresh Memo = %d`, got)
	}
	checkMemoSlots(t, m, pure)
}

// checkMemoSlots checks that m keeps no key longer than MaxMemoKey, and
// the work of each key it keeps.
func checkMemoSlots(t *testing.T, m *Memo[string], work func(string) string) {
	t.Helper()
	full := 0
	for i, s := range m.slots {
		if !s.full {
			if s.key != "" {
				t.Fatalf("slot %d: not full, but keeps a key of %d bytes", i, len(s.key))
			}
			continue
		}
		full++
		if len(s.key) > MaxMemoKey {
			t.Fatalf("slot %d keeps a key of %d bytes", i, len(s.key))
		}
		if s.val != work(s.key) {
			t.Fatalf("slot %d: the value of another key", i)
		}
		if maphash.String(m.seed, s.key)&(memoSlots-1) != uint64(i) {
			t.Fatalf("slot %d keeps a key of another slot", i)
		}
	}
	if full < memoSlots/2 {
		t.Fatalf("only %d slots full", full)
	}
}

// TestEntrySize: an entry is as small as its fields allow (28 bytes for a
// Value of A, B and Kind; 32 with Aux), as the IDIndex's documentation
// says and the checker's memory estimates count: no padding inside it.
func TestEntrySize(t *testing.T) {
	var fields func(reflect.Type) uintptr
	fields = func(typ reflect.Type) uintptr {
		if typ.Kind() != reflect.Struct {
			return typ.Size()
		}
		n := uintptr(0)
		for i := range typ.NumField() {
			n += fields(typ.Field(i).Type)
		}
		return n
	}
	typ := reflect.TypeFor[entry]()
	align := uintptr(typ.Align())
	packed := (fields(typ) + align - 1) / align * align
	if s := unsafe.Sizeof(entry{}); s != packed {
		t.Errorf("unsafe.Sizeof(entry{}) = %d, want %d, its fields' %d bytes rounded to %d (Value is %d bytes, n at offset %d, short at %d)",
			s, packed, fields(typ), align, unsafe.Sizeof(Value{}), unsafe.Offsetof(entry{}.n), unsafe.Offsetof(entry{}.short))
	}
}

// TestStringsAgree drives Strings and its twin with strings from empty to
// several chunks long, across many chunks, and reads them back at random
// and at the end, as they were handed out and as they read now.
func TestStringsAgree(t *testing.T) {
	for _, chunk := range []int{64, 0} {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("chunk%d/seed%d", chunk, seed), func(t *testing.T) {
				rnd := rand.New(rand.NewPCG(seed, 11))
				x := &Strings{chunk: chunk}
				var twin twinStrings
				var held []string
				size := chunk
				if size == 0 {
					size = stringsChunk
				}
				check := func(i int) {
					t.Helper()
					if got, want := x.Get(i), twin.Get(i); got != want {
						t.Fatalf("string %d (%d bytes) reads back wrong at byte %d (got %d bytes)", i, len(want), firstDiff(got, want), len(got))
					}
				}
				var tag uint64
				for op := range 30000 {
					var n int
					switch q := rnd.IntN(100); {
					case q < 70:
						n = rnd.IntN(30)
					case q < 80:
						n = 0
					case q < 95 && (chunk != 0 || rnd.IntN(100) == 0):
						n = rnd.IntN(size + 2) // about a chunk: which fits, which does not
					case q < 98 && (chunk != 0 || rnd.IntN(100) == 0):
						n = size + rnd.IntN(3*size) // longer than a chunk
					case q < 98:
						n = rnd.IntN(3000)
					default:
						if twin.Len() > 0 {
							check(rnd.IntN(twin.Len()))
						}
						continue
					}
					if op == 5000 && chunk == 0 {
						n = 3<<20 + 5 // several default chunks
					}
					tag++
					s := string(pattern(n, tag))
					i := x.Append(s)
					if i != twin.Append(s) || x.Err() != nil {
						t.Fatalf("Append = %d, want %d (%v)", i, twin.Len()-1, x.Err())
					}
					held = append(held, x.Get(i))
					check(i)
				}
				if x.Len() != twin.Len() {
					t.Fatalf("Len %d, want %d", x.Len(), twin.Len())
				}
				bytes := 0
				for i, s := range held {
					check(i)
					if s != twin.Get(i) {
						t.Fatalf("string %d, as handed out, has changed since", i)
					}
					bytes += len(s)
				}
				if x.Size() < bytes+2*x.Len() || x.Size() > bytes+2*x.Len()+columnChunk*2 {
					t.Fatalf("Size() = %d for %d bytes in %d strings", x.Size(), bytes, x.Len())
				}
				reserved := 0
				for _, c := range x.chunks {
					reserved += cap(c)
				}
				if reserved > 2*bytes+size || len(x.chunks) < 10 {
					t.Fatalf("%d chunks reserve %d bytes for %d kept (chunk %d)", len(x.chunks), reserved, bytes, size)
				}
				for _, i := range []int{-1, x.Len()} {
					if !panics(func() { x.Get(i) }) {
						t.Fatalf("Get(%d) of %d strings did not panic", i, x.Len())
					}
				}
			})
		}
	}
}

func TestStringsLimits(t *testing.T) {
	t.Run("maxChunks", func(t *testing.T) {
		setVar(t, &maxChunks, 3)
		x := &Strings{chunk: 16}
		for _, s := range []string{"0123456789", "abcdef", "a string alone in its chunk", "x"} {
			if x.Append(s) < 0 {
				t.Fatalf("%q refused: %v", s, x.Err())
			}
		}
		if x.Append("0123456789abcdef") != -1 {
			t.Fatal("a fourth chunk made")
		}
		limitErr(t, x.Err())
		if x.Len() != 4 || x.Get(2) != "a string alone in its chunk" || x.Get(3) != "x" {
			t.Fatalf("after a refusal: Len %d, %q, %q", x.Len(), x.Get(2), x.Get(3))
		}
	})
	setVar(t, &maxLen, 100)
	var x Strings
	if x.Append(strings.Repeat("a", 100)) != 0 || x.Append("") != 1 || x.Err() != nil {
		t.Fatalf("strings of 100 and 0 bytes: %v", x.Err())
	}
	if x.Append(strings.Repeat("b", 101)) != -1 {
		t.Fatal("a string of 101 bytes kept")
	}
	limitErr(t, x.Err())
	if x.Append("c") != -1 || x.Len() != 2 || x.Get(0) != strings.Repeat("a", 100) {
		t.Fatalf("after a refusal: Len %d", x.Len())
	}
}
