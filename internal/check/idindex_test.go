package check

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
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
		x.add(ids[i], entry{typ: uint8(i % 4), start: start{file: 1, line: int32(i + 1), col: 1}}, published)
	}
	if len(x.arena.chunks) < 2 || len(x.ents) != 4 {
		t.Fatalf("the test does not cross chunks: %d arena chunks, %d entry chunks", len(x.arena.chunks), len(x.ents))
	}
	for i, id := range ids {
		e, ok := x.get(id)
		if !ok {
			t.Fatalf("%s: not found", id[:20])
		}
		if e.start.line != int32(i+1) || e.typ != uint8(i%4) || x.id(&e) != id {
			t.Fatalf("%s: got line %d, type %d, id of %d bytes", id[:20], e.start.line, e.typ, len(x.id(&e)))
		}
		p, known := x.publishedAt(e)
		if known != (i%3 == 0) || known && p.Unix() != int64(i)*1000 {
			t.Errorf("%s: published %v, %v", id[:20], p, known)
		}
	}
	if _, ok := x.get("record-"); ok {
		t.Error(`"record-" found`)
	}
	seen := 0
	x.each(func(e *entry) {
		if e.start.line != int32(seen+1) {
			t.Fatalf("entry %d: line %d", seen, e.start.line)
		}
		seen++
	})
	if seen != n {
		t.Errorf("each saw %d entries, want %d", seen, n)
	}
}
