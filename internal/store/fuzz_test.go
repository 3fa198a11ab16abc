package store

import (
	"encoding/binary"
	"hash/maphash"
	"reflect"
	"strconv"
	"testing"
)

// FuzzStore reads its input as a program of operations on an Arena, Lists,
// Strings and an IDIndex (each with a small chunk, so that a few bytes cross
// chunks), run on them and on their twins, the answers compared after
// every operation and everything read back at the end. Some operations
// lower the package's limits (restored after each input): what is
// refused must then be refused for a reason, with a *LimitError, and what
// was kept before must still read back.
//
// A program is a byte for the chunk size, then operations: an opcode byte,
// an argument (uvarint) and a payload (a uvarint length and its bytes).
func FuzzStore(f *testing.F) {
	for _, p := range fuzzSeeds() {
		f.Add(p)
	}
	f.Fuzz(runProgram)
}

const (
	opAdd        = iota // the payload, by Add
	opAddBytes          // the payload, by AddBytes
	opAlloc             // arg%(4*chunk) bytes, by Alloc
	opRead              // string arg%n
	opSub               // Sub of string arg%n at the two signed varints of the payload
	opAppend            // a list: the payload split at each 0
	opAppendMany        // a list of arg%3000 prefixes of the payload
	opGet               // list arg%n, its string at the varint of the payload (maybe out of range)
	opAddID             // the payload as an id, its Value from arg
	opAddLongID         // an id of arg%300 bytes, or when arg is odd, about MaxIDBytes
	opFindID            // the payload as an id, most often absent
	opReadID            // id arg%n
	opLimit             // lower limit arg%4 to the uvarint of the payload
	opCheckAll
	opAddManyIDs   // arg%2000 ids: the payload and two bytes, or the payload with its byte j%len changed
	opSetValue     // of id arg%n, to a Value from the payload's bytes
	opAppendString // the payload, to Strings; when arg is odd, arg/2%(8*chunk) bytes of a pattern instead
	opGetString    // string arg%n of Strings
	numOps
)

// fuzzProg builds a program, for the seeds.
type fuzzProg []byte

func (p fuzzProg) op(code byte, arg uint64, payload []byte) fuzzProg {
	p = append(p, code)
	p = binary.AppendUvarint(p, arg)
	p = binary.AppendUvarint(p, uint64(len(payload)))
	return append(p, payload...)
}

func varints(v ...int64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.AppendVarint(b, x)
	}
	return b
}

func fuzzSeeds() [][]byte {
	long := make([]byte, 300)
	fill(long, 1)
	var seeds [][]byte
	// Strings around a chunk of 32, read back after others.
	p := fuzzProg{16}
	for i, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 64, 5, 3, 100} {
		p = p.op(opAdd, 0, long[:n]).op(opAlloc, uint64(n), nil).op(opAddBytes, 0, long[i:i+n])
	}
	for k := range 30 {
		p = p.op(opRead, uint64(k), nil).op(opSub, uint64(k), varints(int64(k%3), int64(k%5)))
	}
	p = p.op(opSub, 7, varints(-1, 0)).op(opSub, 8, varints(0, 1<<39)).op(opCheckAll, 0, nil)
	seeds = append(seeds, p)
	// Lists, small and large, and reads of their strings.
	p = fuzzProg{48}.op(opAppend, 0, []byte("ann\x00bob\x00\x00carol")).
		op(opAppend, 0, nil).op(opAppend, 0, []byte{0, 0, 0}).
		op(opAppendMany, 2999, long).op(opAppend, 0, long[:200])
	for k := range 10 {
		p = p.op(opGet, uint64(k), varints(int64(k*37))).op(opAdd, 0, long[:k*9])
	}
	seeds = append(seeds, p.op(opCheckAll, 0, nil))
	// Strings around a chunk, alone in chunks, many in one block.
	p = fuzzProg{24}
	for k := range 300 {
		p = p.op(opAppendString, uint64(2*(k*7%90)+1), nil).op(opAppendString, 0, long[:k%5]).op(opGetString, uint64(k*13), nil)
	}
	seeds = append(seeds, p.op(opLimit, 1, binary.AppendUvarint(nil, 3)).op(opAppendString, 81, nil).op(opCheckAll, 0, nil))
	// Ids short and long, again, absent, and about MaxIDBytes.
	p = fuzzProg{0}
	for n := range 40 {
		p = p.op(opAddID, uint64(n)*0x9e3779b97f4a7c15, long[n:n*5])
	}
	for n := range 40 {
		p = p.op(opAddID, 1, long[n:n*5]).op(opFindID, 0, long[n+1:n*5+1]).op(opReadID, uint64(n*7), nil)
	}
	for n := range 10 {
		p = p.op(opSetValue, uint64(n*3), long[n:n+20])
	}
	p = p.op(opAddManyIDs, 1999, long[:15]).op(opAddManyIDs, 700, long[:30]).op(opFindID, 0, long[:16])
	p = p.op(opAddLongID, 1, nil).op(opAddLongID, 3, nil).op(opAddLongID, 5, nil).op(opAddLongID, 7, nil).op(opAddLongID, 250, nil)
	seeds = append(seeds, p.op(opCheckAll, 0, nil))
	// Limits lowered: each structure refuses, then reads back.
	p = fuzzProg{20}.op(opLimit, 0, binary.AppendUvarint(nil, 100)).
		op(opAdd, 0, long[:90]).op(opAdd, 0, long[:101]).op(opAdd, 0, long[:3]).
		op(opAppend, 0, long[:60]).op(opAppend, 0, long[:120]).
		op(opAddID, 0, long[:40]).op(opAddID, 0, long[:140]).op(opAddID, 0, long[:12])
	seeds = append(seeds, p.op(opCheckAll, 0, nil))
	p = fuzzProg{30}.op(opLimit, 1, binary.AppendUvarint(nil, 3)).op(opLimit, 2, binary.AppendUvarint(nil, 4)).op(opLimit, 3, binary.AppendUvarint(nil, 10))
	for k := range 20 {
		p = p.op(opAdd, 0, long[:k*3]).op(opAppend, 0, long[k:k*4]).op(opAddID, uint64(k), long[k:k*3])
	}
	seeds = append(seeds, p.op(opCheckAll, 0, nil))
	return seeds
}

// progReader reads a program.
type progReader struct{ b []byte }

func (r *progReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *progReader) bytes() []byte {
	n := int(min(r.uvarint(), 4096, uint64(len(r.b))))
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

// signed reads a varint of the payload, within ±2^40: see TestSubOverflow
// for what lies beyond.
func signed(b *[]byte) int {
	v, n := binary.Varint(*b)
	if n <= 0 {
		*b = nil
		return 0
	}
	*b = (*b)[n:]
	return int(max(min(v, 1<<40), -1<<40))
}

// fuzzMachine runs a program.
type fuzzMachine struct {
	t                *testing.T
	a                *arenaPair
	l                *listsPair
	x                *idPair
	s                *Strings
	sTwin            twinStrings
	sBad             bool
	aBad, lBad, xBad bool // refused something, so refuses everything since
	aSize            int
	tag              uint64
	budget           int // bytes and reads left for the program
}

func runProgram(t *testing.T, prog []byte) {
	// The limits, as they are, restored after the program (which may
	// lower them); also restored before the final checks.
	restore := func(vars ...*int) func() {
		old := make([]int, len(vars))
		for i, v := range vars {
			old[i] = *v
		}
		return func() {
			for i, v := range vars {
				*v = old[i]
			}
		}
	}(&maxLen, &maxChunks, &maxList, &maxIDs)
	t.Cleanup(restore)
	if len(prog) == 0 {
		return
	}
	chunk := 16 + int(prog[0])%241
	m := &fuzzMachine{
		t: t,
		a: &arenaPair{t: t, a: NewArena(chunk)},
		l: &listsPair{t: t, l: new(Lists)},
		x: &idPair{t: t, x: NewIDIndex(maphash.MakeSeed()), twin: newTwinIDIndex()},
		s: &Strings{chunk: chunk},
	}
	m.l.l.arena.chunk = chunk
	m.x.x.arena.chunk = chunk
	m.budget = 16 << 20
	r := &progReader{b: prog[1:]}
	for ops := 0; len(r.b) > 0 && ops < 3000 && m.budget > 0; ops++ {
		code := r.b[0] % numOps
		r.b = r.b[1:]
		arg := r.uvarint()
		payload := r.bytes()
		m.run(code, arg, payload, chunk)
		// After every operation, what is cheap to compare.
		if m.a.a.Size() != m.aSize || m.l.l.Len() != m.l.twin.Len() || m.x.x.Len() != m.x.twin.Len() {
			t.Fatalf("after op %d: Size %d (want %d), Lists.Len %d (want %d), IDIndex.Len %d (want %d)", code,
				m.a.a.Size(), m.aSize, m.l.l.Len(), m.l.twin.Len(), m.x.x.Len(), m.x.twin.Len())
		}
	}
	restore()
	m.a.checkAll()
	m.l.checkAll()
	m.x.checkAll()
	m.checkStrings()
}

// checkStrings reads every string of Strings back.
func (m *fuzzMachine) checkStrings() {
	if m.s.Len() != m.sTwin.Len() {
		m.t.Fatalf("Strings.Len %d, want %d", m.s.Len(), m.sTwin.Len())
	}
	for i := range m.sTwin.Len() {
		if m.s.Get(i) != m.sTwin.Get(i) {
			m.t.Fatalf("Strings: string %d of %d bytes reads back wrong", i, len(m.sTwin.Get(i)))
		}
	}
}

// appendString appends s to Strings, as addString does to the arena.
func (m *fuzzMachine) appendString(s string) {
	t, x := m.t, m.s
	before, errBefore := len(x.chunks), x.Err()
	i := x.Append(s)
	switch {
	case m.sBad:
		if i != -1 || x.Err() != errBefore {
			t.Fatalf("a string after a refusal: %d, Err %v (was %v)", i, x.Err(), errBefore)
		}
		return
	case len(s) > maxLen:
		if i != -1 || x.Err() == nil {
			t.Fatalf("a string of %d bytes, with maxLen %d: %d, Err %v", len(s), maxLen, i, x.Err())
		}
	case i < 0:
		if x.Err() == nil || before < maxChunks || len(x.chunks) != before {
			t.Fatalf("a string of %d bytes refused with %d chunks before, %d after, maxChunks %d: %v", len(s), before, len(x.chunks), maxChunks, x.Err())
		}
	default:
		if x.Err() != nil || i != m.sTwin.Len() {
			t.Fatalf("Strings.Append = %d, Err %v; want %d", i, x.Err(), m.sTwin.Len())
		}
		m.sTwin.Append(s)
		if x.Get(i) != s {
			t.Fatalf("Strings: string %d of %d bytes reads back wrong", i, len(s))
		}
		return
	}
	limitErr(t, x.Err())
	m.sBad = true
}

func (m *fuzzMachine) run(code byte, arg uint64, payload []byte, chunk int) {
	t := m.t
	switch code {
	case opAdd, opAddBytes, opAlloc:
		if code == opAlloc {
			m.tag++
			payload = pattern(int(arg%uint64(4*chunk)), m.tag)
		}
		m.budget -= len(payload)
		m.addString(code, payload)
	case opRead:
		if n := len(m.a.refs); n > 0 {
			m.a.check(int(arg % uint64(n)))
		}
	case opSub:
		if len(m.a.refs) == 0 {
			return
		}
		k := int(arg % uint64(len(m.a.refs)))
		off, n := signed(&payload), signed(&payload)
		s := m.a.twin.String(k)
		if off < 0 || n < 0 || off > len(s) || n > len(s)-off {
			if !panics(func() { Sub(m.a.refs[k], off, n) }) {
				t.Fatalf("Sub(a string of %d bytes, %d, %d) did not panic", len(s), off, n)
			}
			return
		}
		if got := m.a.a.String(Sub(m.a.refs[k], off, n)); got != s[off:off+n] {
			t.Fatalf("Sub(string %d of %d bytes, %d, %d) reads back wrong", k, len(s), off, n)
		}
	case opAppend:
		var strs []string
		for start, i := 0, 0; i <= len(payload); i++ {
			if i == len(payload) || payload[i] == 0 {
				strs = append(strs, string(payload[start:i]))
				start = i + 1
			}
		}
		if len(payload) == 0 {
			strs = nil
		}
		m.appendList(strs)
	case opAppendMany:
		strs := make([]string, arg%3000)
		for j := range strs {
			strs[j] = string(payload[:j%(len(payload)+1)]) + strconv.Itoa(j)
			m.budget -= len(strs[j]) + 16
		}
		m.appendList(strs)
	case opGet:
		if m.l.twin.Len() == 0 {
			return
		}
		n := int(arg % uint64(m.l.twin.Len()))
		i := signed(&payload)
		if i < 0 || i >= m.l.twin.Count(n) {
			if !panics(func() { m.l.l.Get(n, i) }) {
				t.Fatalf("Get(%d, %d) of a list of %d did not panic", n, i, m.l.twin.Count(n))
			}
			return
		}
		m.l.check(n, i)
	case opAddID:
		m.addID(string(payload), Value{A: uint32(arg), B: uint32(arg >> 32), Kind: uint8(arg >> 8)})
	case opAddLongID:
		n := int(arg % 300)
		if arg%2 == 1 {
			n = MaxIDBytes - 1 + int(arg/2%3)
		}
		m.budget -= n
		m.addID(string(pattern(n, arg)), Value{A: uint32(arg)})
	case opAddManyIDs:
		for j := range int(arg % 2000) {
			id := append([]byte(nil), payload...)
			if j%2 == 0 || len(id) == 0 {
				id = append(id, byte(j>>8), byte(j))
			} else {
				id[j%len(id)] += byte(j >> 1)
			}
			m.budget -= len(id) + 64
			m.addID(string(id), Value{A: uint32(j), Kind: uint8(arg)})
		}
	case opSetValue:
		if n := m.x.twin.Len(); n > 0 {
			var v Value
			rv := reflect.ValueOf(&v).Elem()
			for i := range rv.NumField() {
				var b [8]byte
				payload = payload[copy(b[:], payload):]
				rv.Field(i).SetUint(binary.LittleEndian.Uint64(b[:]))
			}
			k := int(arg % uint64(n))
			m.x.x.SetValue(k, v)
			m.x.twin.SetValue(k, v)
			m.x.check(k)
		}
	case opFindID:
		m.x.find(string(payload))
	case opReadID:
		if n := m.x.twin.Len(); n > 0 {
			m.x.check(int(arg % uint64(n)))
		}
	case opLimit:
		v := 0
		if u, n := binary.Uvarint(payload); n > 0 {
			v = int(u % 5000)
		}
		switch arg % 4 {
		case 0:
			maxLen = v
		case 1:
			maxChunks = v % 200
		case 2:
			maxList = v % 200
		case 3:
			maxIDs = v % 2000
		}
	case opAppendString:
		s := string(payload)
		if arg%2 == 1 {
			m.tag++
			s = string(pattern(int(arg/2%uint64(8*chunk)), m.tag))
		}
		m.budget -= len(s) + 8
		m.appendString(s)
	case opGetString:
		if n := m.sTwin.Len(); n > 0 {
			i := int(arg % uint64(n))
			if m.s.Get(i) != m.sTwin.Get(i) {
				t.Fatalf("Strings: string %d reads back wrong", i)
			}
		}
	case opCheckAll:
		// Not the arenas' shape: the limits may be lower than what was
		// kept before they were lowered.
		m.budget -= m.aSize + m.l.bytes + 16*m.l.strs + 64*m.x.twin.Len()
		for k := range m.a.refs {
			m.a.check(k)
		}
		for n := range m.l.twin.Len() {
			m.l.check(n, -1)
		}
		for n := range m.x.twin.Len() {
			m.x.check(n)
		}
	}
}

// addString adds s to the arena, by Add, AddBytes or Alloc, and checks
// that it is refused when it must be, and only when it may be.
func (m *fuzzMachine) addString(code byte, s []byte) {
	t, a := m.t, m.a.a
	before, errBefore := len(a.chunks), a.Err()
	var r Ref
	switch code {
	case opAdd:
		r = a.Add(string(s))
	case opAddBytes:
		r = a.AddBytes(s)
	case opAlloc:
		var b []byte
		r, b = a.Alloc(len(s))
		if a.Err() != nil && b != nil || a.Err() == nil && (len(b) != len(s) || cap(b) != len(s)) {
			t.Fatalf("Alloc(%d): len %d cap %d, Err %v", len(s), len(b), cap(b), a.Err())
		}
		copy(b, s)
	}
	switch {
	case m.aBad:
		if r != (Ref{}) || a.Err() != errBefore {
			t.Fatalf("a string after a refusal: %+v, Err %v (was %v)", r, a.Err(), errBefore)
		}
		return
	case len(s) > maxLen:
		if r != (Ref{}) || a.Err() == nil {
			t.Fatalf("a string of %d bytes, with maxLen %d: %+v, Err %v", len(s), maxLen, r, a.Err())
		}
	case a.Err() != nil:
		if r != (Ref{}) || len(s) == 0 || before < maxChunks || len(a.chunks) != before {
			t.Fatalf("a string of %d bytes refused with %d chunks before, %d after, maxChunks %d: %v",
				len(s), before, len(a.chunks), maxChunks, a.Err())
		}
	default:
		if len(a.chunks) > max(maxChunks, before) {
			t.Fatalf("%d chunks, past maxChunks %d", len(a.chunks), maxChunks)
		}
		m.a.twin.Add(string(s))
		m.a.refs = append(m.a.refs, r)
		m.a.held = append(m.a.held, a.String(r))
		m.aSize += len(s)
		m.a.check(len(m.a.refs) - 1)
		return
	}
	limitErr(t, a.Err())
	m.aBad = true
}

// appendList appends strs to the lists, as addString.
func (m *fuzzMachine) appendList(strs []string) {
	t, l := m.t, m.l.l
	before, errBefore := len(l.arena.chunks), l.Err()
	n := l.Append(strs...)
	total := 0
	for _, s := range strs {
		total += len(s)
	}
	switch {
	case m.lBad:
		if n != -1 || l.Err() != errBefore {
			t.Fatalf("a list after a refusal: %d, Err %v (was %v)", n, l.Err(), errBefore)
		}
		return
	case len(strs) > maxList || listPiece(len(strs), total) > maxLen:
		if n != -1 || l.Err() == nil {
			t.Fatalf("a list of %d strings, %d bytes, with maxList %d, maxLen %d: %d, Err %v", len(strs), total, maxList, maxLen, n, l.Err())
		}
	case n < 0:
		if l.Err() == nil || before < maxChunks || len(l.arena.chunks) != before {
			t.Fatalf("a list of %d bytes refused with %d chunks before, %d after, maxChunks %d: %v",
				total, before, len(l.arena.chunks), maxChunks, l.Err())
		}
	default:
		if l.Err() != nil || n != m.l.twin.Len() {
			t.Fatalf("Append = %d, Err %v; want %d", n, l.Err(), m.l.twin.Len())
		}
		m.l.twin.Append(strs...)
		held := make([]string, len(strs))
		for i := range held {
			held[i] = l.Get(n, i)
		}
		m.l.held = append(m.l.held, held)
		m.l.bytes += total
		m.l.strs += len(strs)
		m.l.check(n, -1)
		return
	}
	limitErr(t, l.Err())
	m.lBad = true
}

// addID adds id to the index, as addString.
func (m *fuzzMachine) addID(id string, v Value) {
	t, x := m.t, m.x.x
	before, errBefore := len(x.arena.chunks), x.Err()
	n, added, err := x.Add(id, x.Hash(id), v)
	tn, known := m.x.twin.Find(id)
	switch {
	case m.xBad:
		if err == nil || added || x.Err() != errBefore {
			t.Fatalf("an id after a refusal: %d, %v, %v, Err %v (was %v)", n, added, err, x.Err(), errBefore)
		}
		return
	case len(id) > MaxIDBytes:
		limitErr(t, err)
		if added || x.Err() != nil {
			t.Fatalf("an id of %d bytes: %v, %v, Err %v", len(id), added, err, x.Err())
		}
		return
	case known:
		if err != nil || added || n != tn {
			t.Fatalf("an id it has (%d): %d, %v, %v", tn, n, added, err)
		}
		m.x.check(n)
		return
	case m.x.twin.Len() >= maxIDs || len(id) > shortID && len(id) > maxLen:
		if err == nil {
			t.Fatalf("an id of %d bytes, %d ids, maxIDs %d, maxLen %d: not refused", len(id), m.x.twin.Len(), maxIDs, maxLen)
		}
	case err != nil:
		if len(id) <= shortID || before < maxChunks || len(x.arena.chunks) != before {
			t.Fatalf("an id of %d bytes refused with %d chunks before, %d after, maxChunks %d: %v",
				len(id), before, len(x.arena.chunks), maxChunks, err)
		}
	default:
		tn, _ := m.x.twin.Add(id, v)
		if !added || n != tn {
			t.Fatalf("Add(a new id of %d bytes) = %d, %v; want %d", len(id), n, added, tn)
		}
		m.x.held = append(m.x.held, x.ID(n))
		m.x.check(n)
		return
	}
	limitErr(t, err)
	if x.Err() != err || n != 0 || added {
		t.Fatalf("refused: %d, %v, Err %v, err %v", n, added, x.Err(), err)
	}
	m.xBad = true
}
