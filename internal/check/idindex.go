package check

import (
	"hash/maphash"
	"time"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/schema"
)

// idIndex holds an entry for the id of every record read: the one thing
// the Checker keeps per record. A million records would make a Go map
// of strings a large heap of pointers, scanned by every garbage
// collection; here the ids are bytes in one arena and the entries and the
// hash table hold no pointers, so the collector skips them, and memory is
// about 60 bytes per record.
type idIndex struct {
	seed  maphash.Seed
	arena []byte   // the ids, back to back
	ents  []entry  // in the order the records were read
	slots []uint32 // open addressing: an entry's number + 1, or 0 for none
}

// maxIDBytes is the longest id the index holds.
const maxIDBytes = 1<<16 - 1

// entry is what the cross-record checks need to know about a record.
type entry struct {
	published int64  // sources: the last moment of publication (Unix seconds), if hasPub
	start     start  // where the record starts
	off       uint32 // the id, in the arena
	n         uint16 // ids are at most 100 characters of ASCII
	typ       uint8  // an index into schema.RecordTypes
	hasPub    bool
}

// start is where a record starts, as small as a position can be: a file
// (an index into the Checker's file names), a line and a column; or, for
// a record assembled from a workbook, an index into its list of places.
type start struct {
	file, line, col int32
	place           int32 // an index + 1 into Checker.places, or 0
}

func newIDIndex() *idIndex {
	return &idIndex{seed: maphash.MakeSeed(), slots: make([]uint32, 1024)}
}

// get returns the entry of id.
func (x *idIndex) get(id string) (entry, bool) {
	if i, ok := x.find(id); ok {
		return x.ents[x.slots[i]-1], true
	}
	return entry{}, false
}

// find returns the slot of id, or the empty slot where it would go.
func (x *idIndex) find(id string) (int, bool) {
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, id)) & mask
	for {
		s := x.slots[i]
		if s == 0 {
			return i, false
		}
		if e := &x.ents[s-1]; string(x.arena[e.off:e.off+uint32(e.n)]) == id {
			return i, true
		}
		i = (i + 1) & mask
	}
}

// add adds id, which must not be in the index yet.
func (x *idIndex) add(id string, e entry) {
	if 2*(len(x.ents)+1) > len(x.slots) {
		x.grow()
	}
	i, _ := x.find(id)
	e.off, e.n = uint32(len(x.arena)), uint16(len(id))
	x.arena = append(x.arena, id...)
	x.ents = append(x.ents, e)
	x.slots[i] = uint32(len(x.ents))
}

func (x *idIndex) grow() {
	x.slots = make([]uint32, 2*len(x.slots))
	mask := len(x.slots) - 1
	for n, e := range x.ents {
		i := int(maphash.Bytes(x.seed, x.arena[e.off:e.off+uint32(e.n)])) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = uint32(n + 1)
	}
}

// id returns the id of an entry.
func (x *idIndex) id(e entry) string { return string(x.arena[e.off : e.off+uint32(e.n)]) }

// typeName is the record type of the entry.
func (e entry) typeName() string { return schema.RecordTypes[e.typ] }

// publishedAt returns the source's last moment of publication, if known.
func (e entry) publishedAt() (time.Time, bool) {
	return time.Unix(e.published, 0).UTC(), e.hasPub
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
		return start{place: int32(len(c.places))}
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
	if s.place > 0 {
		return c.places[s.place-1]
	}
	return convert.Position{File: c.fileNames[s.file], Line: int(s.line), Col: int(s.col)}
}

// mark is a finding kept for later in little memory: the record, the
// value (located now, while the record's text is at hand) and the order
// of findings. Finish turns it into a Finding with markFinding. Actors
// and references to records not read yet keep one each.
type mark struct {
	typ, id, ptr     string
	at               start
	fileOrder, index int32
}

// mark locates the value at ptr of the record for a finding later.
func (r *recordCtx) mark(ptr string) mark {
	at := r.c.startAt(r.rec.Position(ptr, false))
	return mark{typ: r.typ, id: r.id, ptr: ptr, at: at, fileOrder: int32(r.c.inputs - 1), index: int32(r.rec.Index + 1)}
}

// markFinding makes the finding a mark stands for.
func (c *Checker) markFinding(m mark, sev Severity, code string) Finding {
	f := Finding{
		RecordType: m.typ, RecordID: m.id, Pointer: m.ptr, Field: schema.FieldPath(m.ptr),
		Severity: sev, Code: code, fileOrder: int(m.fileOrder), index: int(m.index),
	}
	f.locate(c.position(m.at))
	return f
}
