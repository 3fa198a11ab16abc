package store

import (
	"fmt"
	"math"
	"unsafe"
)

// An Arena keeps strings as bytes in chunks that never move, so that the
// strings it hands out, which share its bytes, stay valid for as long as
// the Arena is reachable. It holds no pointer per string. The zero Arena
// is ready to use.
type Arena struct {
	chunks [][]byte
	cur    int // the chunk that takes small strings: chunks[cur]
	size   int // bytes kept
	chunk  int // the size of a chunk: DefaultChunk when 0
	err    error
}

// A Ref is a string in an Arena: 12 bytes.
type Ref struct{ chunk, off, n uint32 }

// Len is the length of the string r, in bytes.
func (r Ref) Len() int { return int(r.n) }

// DefaultChunk is the size of an Arena's chunks, in bytes. A string at
// least half as long as a chunk gets a chunk of its own.
const DefaultChunk = 1 << 20

// maxLen is the longest string an Arena keeps, and maxChunks the most
// chunks: what a Ref can address. Tests lower them.
var (
	maxLen    = math.MaxUint32
	maxChunks = math.MaxUint32
)

// NewArena returns an Arena whose chunks are of size bytes (at least 16):
// tests use small ones to cross many chunks.
func NewArena(size int) *Arena { return &Arena{chunk: max(size, 16)} }

// A LimitError is something too large for the store to keep.
type LimitError struct {
	What  string // what was too large, as a researcher would say it
	Limit int64  // the most the store keeps
	Unit  string // of Limit
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s, more than the %d %s that annals can keep", e.What, e.Limit, e.Unit)
}

// Add copies s into the arena and returns its Ref. A string longer than
// the arena keeps, or one more chunk than it can number, is refused: Add
// then returns the empty Ref and Err says why.
func (a *Arena) Add(s string) Ref {
	r, b := a.Alloc(len(s))
	copy(b, s)
	return r
}

// AddBytes is Add for a byte slice.
func (a *Arena) AddBytes(s []byte) Ref {
	r, b := a.Alloc(len(s))
	copy(b, s)
	return r
}

// Alloc makes room for a string of n bytes, to be written into b before
// the string is read. It refuses what Add refuses, returning a nil b.
func (a *Arena) Alloc(n int) (r Ref, b []byte) {
	if a.err != nil {
		return Ref{}, nil
	}
	if n < 0 || n > maxLen {
		a.err = &LimitError{What: fmt.Sprintf("a text of %d bytes", n), Limit: int64(maxLen), Unit: "bytes"}
		return Ref{}, nil
	}
	if n == 0 {
		return Ref{}, nil
	}
	size := a.chunk
	if size == 0 {
		size = DefaultChunk
	}
	c := a.cur
	if n >= size/2 || len(a.chunks) == 0 || len(a.chunks[c])+n > cap(a.chunks[c]) {
		if len(a.chunks) >= maxChunks {
			a.err = &LimitError{What: "the ids and names of the dataset", Limit: int64(maxChunks), Unit: "blocks of memory"}
			return Ref{}, nil
		}
		if n >= size/2 {
			// A chunk of its own, which takes nothing after it: the chunk of
			// small strings stays the one it was.
			a.chunks = append(a.chunks, make([]byte, 0, n))
		} else {
			a.chunks = append(a.chunks, make([]byte, 0, size))
			a.cur = len(a.chunks) - 1
		}
		c = len(a.chunks) - 1
	}
	at := len(a.chunks[c])
	a.chunks[c] = a.chunks[c][:at+n]
	a.size += n
	return Ref{chunk: uint32(c), off: uint32(at), n: uint32(n)}, a.chunks[c][at : at+n : at+n]
}

// String returns the string r, sharing the arena's bytes.
func (a *Arena) String(r Ref) string {
	if r.n == 0 {
		return ""
	}
	return bytesString(a.chunks[r.chunk][r.off : r.off+r.n])
}

// bytesString returns the string whose bytes are b, sharing them: the
// caller never changes them after.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Bytes returns the string r as bytes that share the arena's: the caller
// must not change them.
func (a *Arena) Bytes(r Ref) []byte {
	if r.n == 0 {
		return nil
	}
	return a.chunks[r.chunk][r.off : r.off+r.n : r.off+r.n]
}

// Sub returns the part of r that starts off bytes in and is n bytes long.
// It panics if that is not within r, as slicing a string would.
func Sub(r Ref, off, n int) Ref {
	if off < 0 || n < 0 || off > int(r.n) || n > int(r.n)-off {
		panic(fmt.Sprintf("store: [%d:%d] of a string of %d bytes", off, off+n, r.n))
	}
	if n == 0 {
		return Ref{}
	}
	return Ref{chunk: r.chunk, off: r.off + uint32(off), n: uint32(n)}
}

// Size is the number of bytes the arena keeps.
func (a *Arena) Size() int { return a.size }

// Err is the error of the first string refused, or nil.
func (a *Arena) Err() error { return a.err }

// LowerLimits makes every structure of the package refuse strings and
// lists of more than bytes bytes and more than ids ids, so that callers
// can test how they report a limit reached without gigabytes of input. It
// returns a function that restores the limits. It is for tests only, and
// must not be called while the package is in use.
func LowerLimits(bytes, ids int) (restore func()) {
	oldLen, oldIDs := maxLen, maxIDs
	maxLen, maxIDs = bytes, ids
	return func() { maxLen, maxIDs = oldLen, oldIDs }
}
