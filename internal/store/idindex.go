package store

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"unsafe"
)

// An IDIndex numbers ids in the order they are added and keeps a small
// Value for each: the one thing the checker keeps per record. Ids longer
// than 16 bytes are kept in an Arena; the entries, kept in chunks that
// are never copied (a growing slice would hold its old and new arrays at
// once), and the hash table hold no pointers, so the collector skips
// them. An id of up to 16 bytes, as most are, is kept in its entry, so
// that finding it costs one miss of the processor's cache for the slot and
// one for the entry, not a third for the arena. An entry is 32 bytes.
type IDIndex struct {
	seed  maphash.Seed
	arena Arena     // the ids longer than shortID
	ents  [][]entry // in the order added, in chunks of entChunk
	n     int       // entries
	slots []uint32  // open addressing: an entry's number + 1, or 0 for none
	err   error
}

// A Value is what the index keeps for an id: thirteen bytes, which the
// caller packs as it likes.
type Value struct {
	A, B, Aux uint32
	Kind      uint8
}

// entry is an id and its Value, whose fields are laid out here so that
// the entry packs into 32 bytes.
type entry struct {
	a, b, aux uint32
	n         uint16 // the id's length
	kind      uint8
	// short is an id of up to shortID bytes; a longer one is in the
	// arena, and short begins with its chunk and offset there.
	short [shortID]byte
}

const (
	shortID  = 16      // the longest id kept in its entry
	entChunk = 1 << 14 // entries
	// MaxIDBytes is the longest id an IDIndex keeps.
	MaxIDBytes = math.MaxUint16
)

// maxIDs is the most ids an IDIndex numbers: a slot holds a number + 1 in
// 32 bits. Tests lower it.
var maxIDs = math.MaxUint32 - 1

// NewIDIndex returns an empty index that hashes with seed: indexes that
// share a seed share the hashes of ids.
func NewIDIndex(seed maphash.Seed) *IDIndex {
	return &IDIndex{seed: seed, slots: make([]uint32, 1024)}
}

// Hash is the hash of id in the index. It only reads the index's seed, so
// it is safe while another goroutine changes the index.
func (x *IDIndex) Hash(id string) uint64 { return maphash.String(x.seed, id) }

// Find returns the number of id, whose hash is h.
func (x *IDIndex) Find(id string, h uint64) (n int, ok bool) {
	if i, ok := x.slot(id, h); ok {
		return int(x.slots[i] - 1), true
	}
	return 0, false
}

// slot returns the slot of id, whose hash is h, or the empty slot where it
// would go.
func (x *IDIndex) slot(id string, h uint64) (int, bool) {
	mask := len(x.slots) - 1
	i := int(h & uint64(mask))
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

// Add adds id, whose hash is h, with its value, and returns its number;
// or, when the index has id already, its number and false. An id it
// cannot keep is an error: one longer than MaxIDBytes is refused alone,
// and leaves the index usable; one past the 4 billionth fills it, and Err
// returns the error from then on.
func (x *IDIndex) Add(id string, h uint64, v Value) (n int, added bool, err error) {
	if x.err != nil {
		return 0, false, x.err
	}
	i, found := x.slot(id, h)
	if found {
		return int(x.slots[i] - 1), false, nil
	}
	switch {
	case len(id) > MaxIDBytes:
		return 0, false, &LimitError{What: fmt.Sprintf("an id of %d bytes", len(id)), Limit: MaxIDBytes, Unit: "bytes"}
	case x.n >= maxIDs:
		x.err = &LimitError{What: "the ids of the dataset", Limit: int64(maxIDs), Unit: "ids"}
		return 0, false, x.err
	}
	e := entry{n: uint16(len(id))}
	e.set(v)
	if len(id) <= shortID {
		copy(e.short[:], id)
	} else {
		r := x.arena.Add(id)
		if err := x.arena.Err(); err != nil {
			x.err = err
			return 0, false, err
		}
		binary.LittleEndian.PutUint32(e.short[:], r.chunk)
		binary.LittleEndian.PutUint32(e.short[4:], r.off)
	}
	if x.n%entChunk == 0 {
		x.ents = append(x.ents, make([]entry, 0, entChunk))
	}
	x.ents[len(x.ents)-1] = append(x.ents[len(x.ents)-1], e)
	x.n++
	x.slots[i] = uint32(x.n)
	if 2*x.n > len(x.slots) {
		x.grow()
	}
	return x.n - 1, true, nil
}

func (x *IDIndex) grow() {
	x.slots = make([]uint32, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for n := range x.n {
		i := x.Hash(x.idOf(x.entry(n))) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = uint32(n + 1)
	}
}

func (x *IDIndex) entry(n int) *entry { return &x.ents[n/entChunk][n%entChunk] }

// idOf returns the id of the entry at e, as a string that shares its
// bytes: e must be in the index (not a copy).
func (x *IDIndex) idOf(e *entry) string {
	if e.n <= shortID {
		return unsafe.String(&e.short[0], e.n)
	}
	r := Ref{chunk: binary.LittleEndian.Uint32(e.short[:]), off: binary.LittleEndian.Uint32(e.short[4:]), n: uint32(e.n)}
	return x.arena.String(r)
}

// ID returns the id numbered n, sharing the index's bytes: it stays valid
// as long as the index is reachable.
func (x *IDIndex) ID(n int) string { return x.idOf(x.entry(n)) }

// Value returns the value of the id numbered n.
func (x *IDIndex) Value(n int) Value {
	e := x.entry(n)
	return Value{A: e.a, B: e.b, Aux: e.aux, Kind: e.kind}
}

// SetValue changes the value of the id numbered n.
func (x *IDIndex) SetValue(n int, v Value) { x.entry(n).set(v) }

func (e *entry) set(v Value) { e.a, e.b, e.aux, e.kind = v.A, v.B, v.Aux, v.Kind }

// Len is the number of ids.
func (x *IDIndex) Len() int { return x.n }

// Touch reads the slot of the hash h and the entry it holds, so that a
// lookup soon after finds them in the processor's cache: the loads of a
// batch of touches overlap, where lookups one after another would each
// wait for memory. It returns what it read (the number + 1 of the entry
// in the slot, or 0), for the caller to keep so that the reads are not
// optimised away.
func (x *IDIndex) Touch(h uint64) uint32 {
	s := x.slots[h&uint64(len(x.slots)-1)]
	if s == 0 {
		return 0
	}
	return uint32(x.entry(int(s-1)).n) + s
}

// Peek returns the number of the id in the first slot the hash h looks
// at, if any: the id whose hash is h, most often, but not always. It is
// for reading ahead what a lookup will read, not for lookups.
func (x *IDIndex) Peek(h uint64) (n int, ok bool) {
	s := x.slots[h&uint64(len(x.slots)-1)]
	return int(s) - 1, s != 0
}

// Size is the number of bytes the index keeps.
func (x *IDIndex) Size() int {
	return x.arena.Size() + 4*len(x.slots) + len(x.ents)*entChunk*int(unsafe.Sizeof(entry{}))
}

// Err is the error of the first id refused for lack of room, or nil. An
// id too long is refused on its own and leaves the index usable.
func (x *IDIndex) Err() error { return x.err }
