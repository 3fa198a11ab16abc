package check

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
	"unsafe"

	"github.com/annals-project/annals/convert"
)

// TestIDIndex fills the index past several chunks of entries and of ids
// (short ids, kept in their entries, and long ones) and finds every id
// again, with its entry.
func TestIDIndex(t *testing.T) {
	x := newIDIndex(maphash.MakeSeed())
	const n = 3*entChunk + 17
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("record-%d", i) // kept in the entry
		switch {
		case i%1000 == 0:
			ids[i] += strings.Repeat("x", maxIDBytes-len(ids[i])) // crosses arena chunks sooner
		case i%7 == 0:
			ids[i] += "-with-a-longer-name" // kept in the arena
		}
		var published *int64
		if i%3 == 0 {
			p := int64(i) * 1000
			published = &p
		}
		x.add(ids[i], entry{typ: uint8(i % 4), start: start{line: uint32(i + 1), fc: 1<<colBits | 1}}, published)
	}
	if len(x.arena.chunks) < 2 || len(x.ents) != 4 {
		t.Fatalf("the test does not cross chunks: %d arena chunks, %d entry chunks", len(x.arena.chunks), len(x.ents))
	}
	for i, id := range ids {
		e, ok := x.get(id)
		if !ok {
			t.Fatalf("%s: not found", id[:20])
		}
		if e.start.line != uint32(i+1) || e.typ != uint8(i%4) || x.id(&e) != id {
			t.Fatalf("%s: got line %d, type %d, id of %d bytes", id[:20], e.start.line, e.typ, len(x.id(&e)))
		}
		n, ok := x.number(id)
		if !ok || n != i {
			t.Fatalf("%s: number %d, %v", id[:20], n, ok)
		}
		p, known := x.publishedAt(n)
		if known != (i%3 == 0) || known && p.Unix() != int64(i)*1000 {
			t.Errorf("%s: published %v, %v", id[:20], p, known)
		}
	}
	if _, ok := x.get("record-"); ok {
		t.Error(`"record-" found`)
	}
	seen := 0
	x.each(func(e *entry) {
		if e.start.line != uint32(seen+1) {
			t.Fatalf("entry %d: line %d", seen, e.start.line)
		}
		seen++
	})
	if seen != n {
		t.Errorf("each saw %d entries, want %d", seen, n)
	}
}

// TestEntrySize keeps an index entry at 28 bytes: a million records'
// index is a million entries.
func TestEntrySize(t *testing.T) {
	if n := unsafe.Sizeof(entry{}); n != 28 {
		t.Errorf("an entry is %d bytes, want 28", n)
	}
}

// TestStart turns positions into starts and back: those that fit in a
// start's 8 bytes and those kept in the Checker's places.
func TestStart(t *testing.T) {
	c := New(nil)
	for i := range maxFile + 1 { // every file number a start can hold
		c.startAt(convert.Position{File: fmt.Sprintf("file-%d.yaml", i), Line: 1, Col: 1})
	}
	if len(c.places) != 0 {
		t.Fatalf("%d positions kept in places, want none", len(c.places))
	}
	positions := []convert.Position{
		{File: "file-0.yaml", Line: 1, Col: 1},
		{File: "file-1.yaml", Line: 1<<32 - 1, Col: 1<<colBits - 1},
		{File: "file-2.yaml", Line: 1, Col: 1 << colBits},
		{File: "file-3.yaml", Line: 1 << 32, Col: 3},
		{File: fmt.Sprintf("file-%d.yaml", maxFile), Line: 7, Col: 2},
		{File: fmt.Sprintf("file-%d.yaml", maxFile+1), Line: 7, Col: 2},
		{File: "book.xlsx", Sheet: "events", Cell: "B7", Line: 7},
	}
	for _, p := range positions {
		if got := c.position(c.startAt(p)); got != p {
			t.Errorf("%+v came back as %+v", p, got)
		}
	}
	if len(c.places) != 4 { // the last four
		t.Errorf("%d positions kept in places, want 4", len(c.places))
	}
}
