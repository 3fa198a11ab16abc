package check

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/schema"
)

// idIndex holds an entry for the id of every record read: the one thing
// the Checker keeps per record. A million records would make a Go map of
// strings a large heap of pointers, scanned by every garbage collection;
// here the ids are bytes in an arena and the entries and the hash table
// hold no pointers, so the collector skips them. Entries and ids are kept
// in chunks that are never copied: a growing slice would hold its old and
// new arrays at once. An id of up to 16 bytes, as most are, is kept in its
// entry, so that finding it costs one miss of the processor's cache for
// the slot and one for the entry, not a third for the arena. An entry is
// 28 bytes, so a million records' index is 36 MB with its hash table.
type idIndex struct {
	seed      maphash.Seed
	arena     stringArena      // the ids longer than shortID
	ents      [][]entry        // in the order the records were read, in chunks of entChunk
	n         int              // entries
	slots     []uint32         // open addressing: an entry's number + 1, or 0 for none
	published map[uint32]int64 // sources' last moments of publication (Unix seconds), by entry number
}

// maxIDBytes is the longest id the index holds.
const maxIDBytes = 1<<16 - 1

const entChunk = 1 << 14 // entries

// entry is what the cross-record checks need to know about a record.
type entry struct {
	start start  // where the record starts
	n     uint16 // the id's length: ids are at most 100 characters of ASCII
	typ   uint8  // an index into schema.RecordTypes
	// short is an id of up to shortID bytes; a longer one is in the arena,
	// and short begins with its offset there (strRef.off).
	short [shortID]byte
}

// shortID is the longest id kept in its entry.
const shortID = 16

// start is where a record starts, in 8 bytes: its line, and its file (an
// index into the Checker's file names) and column packed into fc. A start
// that does not fit (a record assembled from a workbook, a file after the
// 2,047th, a column past the 1,048,575th) is instead an index into the
// Checker's list of places, in line, with the top bit of fc set.
type start struct {
	line, fc uint32
}

const (
	colBits  = 20
	maxFile  = 1<<(31-colBits) - 1
	inPlaces = 1 << 31
)

// newIDIndex returns an empty index that hashes with seed: indexes that
// share a seed share the hashes of ids.
func newIDIndex(seed maphash.Seed) *idIndex {
	return &idIndex{seed: seed, slots: make([]uint32, 1024), published: map[uint32]int64{}}
}

// get returns the entry of id.
func (x *idIndex) get(id string) (entry, bool) { return x.getHashed(id, x.hash(id)) }

// getHashed is get with the hash of id already known.
func (x *idIndex) getHashed(id string, h uint64) (entry, bool) {
	if i, ok := x.findHashed(id, h); ok {
		return *x.entry(int(x.slots[i] - 1)), true
	}
	return entry{}, false
}

// entry returns the n-th entry.
func (x *idIndex) entry(n int) *entry { return &x.ents[n/entChunk][n%entChunk] }

// each calls fn for every entry, in the order the records were read.
func (x *idIndex) each(fn func(e *entry)) {
	for _, chunk := range x.ents {
		for i := range chunk {
			fn(&chunk[i])
		}
	}
}

// hash is the hash of id in the index. It only reads the index's seed, so
// it is safe while another goroutine changes the index.
func (x *idIndex) hash(id string) uint64 { return maphash.String(x.seed, id) }

// touch reads the slot of the hash h and the entry it holds, so that a
// lookup soon after finds them in the processor's cache. The loads of a
// batch of touches overlap, where lookups one after another would each
// wait for memory.
func (x *idIndex) touch(h uint64) uint32 {
	s := x.slots[int(h)&(len(x.slots)-1)]
	if s == 0 {
		return 0
	}
	return uint32(x.entry(int(s - 1)).n)
}

// findHashed returns the slot of id, whose hash is h, or the empty slot
// where it would go.
func (x *idIndex) findHashed(id string, h uint64) (int, bool) {
	mask := len(x.slots) - 1
	i := int(h) & mask
	for {
		s := x.slots[i]
		if s == 0 {
			return i, false
		}
		if e := x.entry(int(s - 1)); int(e.n) == len(id) && x.idOf(e) == id {
			return i, true
		}
		i = (i + 1) & mask
	}
}

// add adds id with its entry, and the source's publication date when
// published is set; or, when the index has id already, returns its entry
// and false.
func (x *idIndex) add(id string, e entry, published *int64) (prev entry, added bool) {
	return x.addHashed(id, x.hash(id), e, published)
}

// addHashed is add with the hash of id already known.
func (x *idIndex) addHashed(id string, h uint64, e entry, published *int64) (prev entry, added bool) {
	if 2*(x.n+1) > len(x.slots) {
		x.grow()
	}
	i, found := x.findHashed(id, h)
	if found {
		return *x.entry(int(x.slots[i] - 1)), false
	}
	e.n = uint16(len(id))
	if len(id) <= shortID {
		copy(e.short[:], id)
	} else {
		binary.LittleEndian.PutUint32(e.short[:], x.arena.add(id).off)
	}
	if published != nil {
		x.published[uint32(x.n)] = *published
	}
	if x.n%entChunk == 0 {
		x.ents = append(x.ents, make([]entry, 0, entChunk))
	}
	x.ents[len(x.ents)-1] = append(x.ents[len(x.ents)-1], e)
	x.n++
	x.slots[i] = uint32(x.n)
	return entry{}, true
}

func (x *idIndex) grow() {
	x.slots = make([]uint32, 2*len(x.slots))
	mask := len(x.slots) - 1
	n := 0
	x.each(func(e *entry) {
		i := int(maphash.String(x.seed, x.idOf(e))) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		n++
		x.slots[i] = uint32(n)
	})
}

// idOf returns the id of the entry at e, as a string that shares its
// bytes: e must be in the index (not a copy) for the string to outlive the
// call.
func (x *idIndex) idOf(e *entry) string {
	if e.n <= shortID {
		return unsafe.String(&e.short[0], e.n)
	}
	return x.arena.get(strRef{binary.LittleEndian.Uint32(e.short[:]), uint32(e.n)})
}

// id returns a copy of the id of an entry.
func (x *idIndex) id(e *entry) string { return strings.Clone(x.idOf(e)) }

// typeName is the record type of the entry.
func (e entry) typeName() string { return schema.RecordTypes[e.typ] }

// number returns the number of the entry of id: its place in the order
// the records were read.
func (x *idIndex) number(id string) (int, bool) {
	i, ok := x.findHashed(id, x.hash(id))
	if !ok {
		return 0, false
	}
	return int(x.slots[i] - 1), true
}

// publishedAt returns the last moment of publication of the source whose
// entry is the n-th, if known.
func (x *idIndex) publishedAt(n int) (time.Time, bool) {
	t, ok := x.published[uint32(n)]
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(t, 0).UTC(), true
}

func typeIndex(typ string) uint8 {
	for i, t := range schema.RecordTypes {
		if t == typ {
			return uint8(i)
		}
	}
	panic("not a record type: " + typ)
}

// startOf makes the compact start of a record.
func (c *Checker) startOf(rec *convert.Record) start { return c.startAt(rec.Start()) }

// startAt makes the compact form of a position: a file, line and column,
// or, for a cell of a workbook or what does not fit, an entry in the
// Checker's places.
func (c *Checker) startAt(p convert.Position) start {
	if p.Sheet == "" && p.Cell == "" && p.Line >= 0 && int64(p.Line) <= math.MaxUint32 && p.Col >= 0 && p.Col < 1<<colBits {
		n, ok := c.fileNumbers[p.File]
		if !ok {
			n = int32(len(c.fileNames))
			c.fileNumbers[p.File] = n
			c.fileNames = append(c.fileNames, p.File)
		}
		if n <= maxFile {
			return start{line: uint32(p.Line), fc: uint32(n)<<colBits | uint32(p.Col)}
		}
	}
	if len(c.places) >= inPlaces {
		panic("annals: more than 2^31 places in workbooks to keep")
	}
	c.places = append(c.places, p)
	return start{line: uint32(len(c.places) - 1), fc: inPlaces}
}

// position turns a start back into the position it was made from.
func (c *Checker) position(s start) convert.Position {
	if s.fc&inPlaces != 0 {
		return c.places[s.line]
	}
	return convert.Position{File: c.fileNames[s.fc>>colBits], Line: int(s.line), Col: int(s.fc & (1<<colBits - 1))}
}

// mark is a finding kept for later in little memory, and without
// pointers: the record, the value (located now, while the record's text is
// at hand) and the order of findings. markFinding turns it into a Finding.
// References to records not read yet keep one each.
type mark struct {
	at               start
	fileOrder, index int32
	id, ptr          strRef // in the arena the mark was made with
	typ              uint8  // an index into schema.RecordTypes
}

// mark locates the value at ptr of the record for a finding later, with
// its strings kept in a.
func (r *recordCtx) mark(a *stringArena, ptr string) mark {
	c := r.c
	at := c.startAt(r.rec.Position(ptr, false))
	return mark{typ: typeIndex(r.typ), id: a.add(r.id), ptr: a.add(ptr), at: at,
		fileOrder: int32(c.inputs - 1), index: int32(r.rec.Index + 1)}
}

// markFinding makes the finding a mark whose strings are in a stands for.
// The finding's strings share a's bytes.
func (c *Checker) markFinding(a *stringArena, m mark, sev Severity, code string) Finding {
	ptr := a.get(m.ptr)
	f := Finding{
		RecordType: schema.RecordTypes[m.typ], RecordID: a.get(m.id), Pointer: ptr, Field: schema.FieldPath(ptr),
		Severity: sev, Code: code, fileOrder: int(m.fileOrder), index: int(m.index),
	}
	f.locate(c.position(m.at))
	return f
}
