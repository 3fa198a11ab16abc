package check

import (
	"hash/maphash"
	"strings"
	"time"
	"unsafe"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/schema"
)

// idIndex holds an entry for the id of every record read: the one thing
// the Checker keeps per record. A million records would make a Go map
// of strings a large heap of pointers, scanned by every garbage
// collection; here the ids are bytes in an arena and the entries and the
// hash table hold no pointers, so the collector skips them, and memory is
// about 40 bytes per record (and a longer id). Entries and ids are kept in
// chunks that are never copied: a growing slice would hold its old and new
// arrays at once. An id of up to 16 bytes, as most are, is kept in its
// entry, so that finding it costs one miss of the processor's cache for
// the slot and one for the entry, not a third for the arena.
type idIndex struct {
	seed      maphash.Seed
	arena     stringArena // the ids longer than shortID
	ents      [][]entry   // in the order the records were read, in chunks of entChunk
	n         int         // entries
	slots     []uint32    // open addressing: an entry's number + 1, or 0 for none
	published []int64     // sources' last moments of publication (Unix seconds)
}

// maxIDBytes is the longest id the index holds.
const maxIDBytes = 1<<16 - 1

const entChunk = 1 << 14 // entries

// entry is what the cross-record checks need to know about a record.
type entry struct {
	start start  // where the record starts
	off   uint32 // an id longer than shortID, in the arena (strRef.off)
	pub   uint32 // sources: an index + 1 into published, or 0 if unknown
	n     uint16 // the id's length: ids are at most 100 characters of ASCII
	typ   uint8  // an index into schema.RecordTypes
	short [shortID]byte
}

// shortID is the longest id kept in its entry.
const shortID = 16

// start is where a record starts, as small as a position can be: a file
// (an index into the Checker's file names), a line and a column; or, for
// a record assembled from a workbook, an index into its list of places,
// as file = -1 - index.
type start struct {
	file, line, col int32
}

// newIDIndex returns an empty index that hashes with seed: indexes that
// share a seed share the hashes of ids.
func newIDIndex(seed maphash.Seed) *idIndex {
	return &idIndex{seed: seed, slots: make([]uint32, 1024)}
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
		e.off = x.arena.add(id).off
	}
	if published != nil {
		x.published = append(x.published, *published)
		e.pub = uint32(len(x.published))
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
	return x.arena.get(strRef{e.off, uint32(e.n)})
}

// id returns a copy of the id of an entry.
func (x *idIndex) id(e *entry) string { return strings.Clone(x.idOf(e)) }

// typeName is the record type of the entry.
func (e entry) typeName() string { return schema.RecordTypes[e.typ] }

// publishedAt returns the source's last moment of publication, if known.
func (x *idIndex) publishedAt(e entry) (time.Time, bool) {
	if e.pub == 0 {
		return time.Time{}, false
	}
	return time.Unix(x.published[e.pub-1], 0).UTC(), true
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
// or, for a cell of a workbook, an entry in the Checker's places.
func (c *Checker) startAt(p convert.Position) start {
	if p.Sheet != "" || p.Cell != "" {
		c.places = append(c.places, p)
		return start{file: -int32(len(c.places))}
	}
	n, ok := c.fileNumbers[p.File]
	if !ok {
		n = int32(len(c.fileNames))
		c.fileNumbers[p.File] = n
		c.fileNames = append(c.fileNames, p.File)
	}
	return start{file: n, line: int32(p.Line), col: int32(p.Col)}
}

// position turns a start back into the position it was made from.
func (c *Checker) position(s start) convert.Position {
	if s.file < 0 {
		return c.places[-s.file-1]
	}
	return convert.Position{File: c.fileNames[s.file], Line: int(s.line), Col: int(s.col)}
}

// mark is a finding kept for later in little memory, and without
// pointers: the record, the value (located now, while the record's text is
// at hand) and the order of findings. Finish turns it into a Finding with
// markFinding. Actors and references to records not read yet keep one
// each.
type mark struct {
	at               start
	fileOrder, index int32
	id, ptr          strRef // in the Checker's strs
	typ              uint8  // an index into schema.RecordTypes
}

// mark locates the value at ptr of the record for a finding later.
func (r *recordCtx) mark(ptr string) mark {
	c := r.c
	at := c.startAt(r.rec.Position(ptr, false))
	return mark{typ: typeIndex(r.typ), id: c.strs.add(r.id), ptr: c.strs.add(ptr), at: at,
		fileOrder: int32(c.inputs - 1), index: int32(r.rec.Index + 1)}
}

// markFinding makes the finding a mark stands for.
func (c *Checker) markFinding(m mark, sev Severity, code string) Finding {
	f := Finding{
		RecordType: schema.RecordTypes[m.typ], RecordID: c.strs.get(m.id), Pointer: c.strs.get(m.ptr), Field: schema.FieldPath(c.strs.get(m.ptr)),
		Severity: sev, Code: code, fileOrder: int(m.fileOrder), index: int(m.index),
	}
	f.locate(c.position(m.at))
	return f
}
