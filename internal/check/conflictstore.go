package check

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/store"
)

// conflictStore keeps the conflicts that KeepConflicts asks for as bytes
// in an arena. A large dataset has hundreds of thousands of them; kept as
// Go values (strings and slices), every garbage collection would scan them
// all, and reading the input would slow down as it went on.
type conflictStore struct {
	arena store.Arena
	refs  []store.Ref // one per conflict, in the order found
	buf   []byte      // scratch for add
}

// add keeps a copy of c.
func (s *conflictStore) add(c record.Conflict) {
	b := s.buf[:0]
	for _, f := range [...]string{c.RecordType, c.RecordID, c.Field, c.Actor, c.Canonical} {
		b = appendString(b, f)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Values)))
	for _, v := range c.Values {
		for _, f := range [...]string{v.Source, v.Value, v.Wording, v.Rank, v.Pos.File, v.Pos.Sheet, v.Pos.Cell} {
			b = appendString(b, f)
		}
		agrees := uint64(0)
		if v.Agrees {
			agrees = 1
		}
		b = binary.AppendUvarint(b, agrees)
		b = binary.AppendUvarint(b, uint64(v.Pos.Line))
		b = binary.AppendUvarint(b, uint64(v.Pos.Col))
	}
	s.refs = append(s.refs, s.arena.AddBytes(b))
	s.buf = b
}

// err is the limit the store reached, if any.
func (s *conflictStore) err() error { return s.arena.Err() }

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// len is the number of conflicts kept.
func (s *conflictStore) len() int { return len(s.refs) }

// sort orders the conflicts by record type, record id, field and actor,
// and keeps the order they were found in otherwise.
func (s *conflictStore) sort() {
	slices.SortStableFunc(s.refs, func(a, b store.Ref) int {
		da, db := s.decoder(a), s.decoder(b)
		for range 4 {
			if c := bytes.Compare(da.view(), db.view()); c != 0 {
				return c
			}
		}
		return 0
	})
}

// each calls yield with every conflict kept, in order, each a value of
// its own, until yield returns false.
func (s *conflictStore) each(yield func(record.Conflict) bool) {
	for _, r := range s.refs {
		if !yield(s.get(r)) {
			return
		}
	}
}

func (s *conflictStore) decoder(r store.Ref) decoder { return decoder{b: s.arena.Bytes(r)} }

// get decodes one conflict.
func (s *conflictStore) get(r store.Ref) record.Conflict {
	d := s.decoder(r)
	var c record.Conflict
	c.RecordType, c.RecordID, c.Field, c.Actor, c.Canonical = d.string(), d.string(), d.string(), d.string(), d.string()
	if n := d.uint(); n > 0 {
		c.Values = make([]record.ConflictValue, n)
	}
	for j := range c.Values {
		v := &c.Values[j]
		v.Source, v.Value, v.Wording, v.Rank, v.Pos.File, v.Pos.Sheet, v.Pos.Cell = d.string(), d.string(), d.string(), d.string(), d.string(), d.string(), d.string()
		v.Agrees = d.uint() == 1
		v.Pos.Line, v.Pos.Col = int(d.uint()), int(d.uint())
	}
	return c
}

// decoder reads what conflictStore.add wrote.
type decoder struct{ b []byte }

func (d *decoder) uint() uint64 {
	n, k := binary.Uvarint(d.b)
	d.b = d.b[k:]
	return n
}

// string returns the next string, a copy of its own.
func (d *decoder) string() string { return string(d.view()) }

// view returns the next string, sharing the store's bytes.
func (d *decoder) view() []byte {
	n := int(d.uint())
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}
