package check

import (
	"hash/maphash"
	"math"
	"strings"
	"time"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// idIndex holds an entry for the id of every record read: the one thing
// the Checker keeps per record, in a store.IDIndex (32 bytes an id, in
// memory the collector does not scan), with the sources' publication dates
// beside it. A million records' index is 40 MB with its hash table.
type idIndex struct {
	ids       *store.IDIndex
	published map[uint32]int64 // sources' last moments of publication (Unix seconds), by entry number
}

// maxIDBytes is the longest id the index holds.
const maxIDBytes = store.MaxIDBytes

// entry is what the cross-record checks need to know about a record.
type entry struct {
	start start  // where the record starts
	typ   uint8  // an index into schema.RecordTypes
	actor uint32 // for an actor, its number in the actors' table + 1
}

func (e entry) value() store.Value {
	return store.Value{A: e.start.line, B: e.start.fc, Aux: e.actor, Kind: e.typ}
}

func entryOf(v store.Value) entry {
	return entry{start: start{line: v.A, fc: v.B}, typ: v.Kind, actor: v.Aux}
}

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
	return &idIndex{ids: store.NewIDIndex(seed), published: map[uint32]int64{}}
}

// get returns the entry of id.
func (x *idIndex) get(id string) (entry, bool) { return x.getHashed(id, x.hash(id)) }

// getHashed is get with the hash of id already known.
func (x *idIndex) getHashed(id string, h uint64) (entry, bool) {
	if n, ok := x.ids.Find(id, h); ok {
		return x.entry(n), true
	}
	return entry{}, false
}

// entry returns the n-th entry.
func (x *idIndex) entry(n int) entry { return entryOf(x.ids.Value(n)) }

// hash is the hash of id in the index. It only reads the index's seed, so
// it is safe while another goroutine changes the index.
func (x *idIndex) hash(id string) uint64 { return x.ids.Hash(id) }

// touch brings the slot of the hash h and its entry into the processor's
// cache (see store.IDIndex.Touch).
func (x *idIndex) touch(h uint64) uint32 { return x.ids.Touch(h) }

// setActor records that entry n is actor a of the actors' table.
func (x *idIndex) setActor(n, a int) {
	e := x.entry(n)
	e.actor = uint32(a + 1)
	x.ids.SetValue(n, e.value())
}

// addHashed adds id, whose hash is h, with its entry, and the source's
// publication date when published is set, and returns its number; or,
// when the index has id already, the number of its entry and false. err
// is a limit the index reached.
func (x *idIndex) addHashed(id string, h uint64, e entry, published *int64) (n int, added bool, err error) {
	n, added, err = x.ids.Add(id, h, e.value())
	if added && published != nil {
		x.published[uint32(n)] = *published
	}
	return n, added, err
}

// len is the number of entries.
func (x *idIndex) len() int { return x.ids.Len() }

// id returns a copy of the id of entry n.
func (x *idIndex) id(n int) string { return strings.Clone(x.ids.ID(n)) }

// typeName is the record type of the entry.
func (e entry) typeName() string { return schema.RecordTypes[e.typ] }

// number returns the number of the entry of id: its place in the order
// the records were read.
func (x *idIndex) number(id string) (int, bool) { return x.ids.Find(id, x.hash(id)) }

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
func (c *Checker) startOf(rec *record.Record) start { return c.startAt(rec.Start()) }

// startAt makes the compact form of a position: a file, line and column,
// or, for a cell of a workbook or what does not fit, an entry in the
// Checker's places.
func (c *Checker) startAt(p record.Position) start {
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
		c.fail(&store.LimitError{What: "the records read from workbooks", Limit: inPlaces, Unit: "records"})
		return start{line: 0, fc: inPlaces}
	}
	c.places = append(c.places, p)
	return start{line: uint32(len(c.places) - 1), fc: inPlaces}
}

// position turns a start back into the position it was made from.
func (c *Checker) position(s start) record.Position {
	if s.fc&inPlaces != 0 {
		if int(s.line) >= len(c.places) { // only after a limit was reached
			return record.Position{}
		}
		return c.places[s.line]
	}
	return record.Position{File: c.fileNames[s.fc>>colBits], Line: int(s.line), Col: int(s.fc & (1<<colBits - 1))}
}

// mark is a finding kept for later in little memory, and without
// pointers: the record, the value (located now, while the record's text is
// at hand) and the order of findings. markFinding turns it into a Finding.
// References to records not read yet keep one each.
type mark struct {
	at               start
	fileOrder, index int32
	id, ptr          store.Ref // in the arena the mark was made with
	typ              uint8     // an index into schema.RecordTypes
}

// mark locates the value at ptr of the record for a finding later, with
// its strings kept in a.
func (r *recordCtx) mark(a *store.Arena, ptr string) mark {
	c := r.c
	at := c.startAt(r.rec.Position(ptr, false))
	return mark{typ: typeIndex(r.typ), id: a.Add(r.id), ptr: a.Add(ptr), at: at,
		fileOrder: int32(c.inputs - 1), index: int32(r.rec.Index + 1)}
}

// markFinding makes the finding a mark whose strings are in a stands for.
// The finding's strings share a's bytes.
func (c *Checker) markFinding(a *store.Arena, m mark, sev Severity, code string) Finding {
	ptr := a.String(m.ptr)
	f := Finding{
		RecordType: schema.RecordTypes[m.typ], RecordID: a.String(m.id), Pointer: ptr, Field: schema.FieldPath(ptr),
		Severity: sev, Code: code, fileOrder: int(m.fileOrder), index: int(m.index),
	}
	f.locate(c.position(m.at))
	return f
}
