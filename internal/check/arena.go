package check

import "unsafe"

// stringArena keeps strings as bytes in chunks that never move, so that
// the strings it hands out, which share its bytes, stay valid; and it holds
// no pointer per string, so the collector does not scan what it keeps.
// It holds up to 4,096 chunks: 4 GiB.
type stringArena struct {
	chunks [][]byte
}

// strRef is a string in a stringArena: the chunk in its top 12 bits and
// the offset in the chunk below.
type strRef struct{ off, n uint32 }

const (
	chunkBits  = 20
	arenaChunk = 1 << chunkBits // bytes; a longer string has a chunk of its own
	maxChunks  = 1 << (32 - chunkBits)
)

// add copies s into the arena.
func (a *stringArena) add(s string) strRef {
	r, b := a.alloc(len(s))
	copy(b, s)
	return r
}

// alloc makes room for a string of n bytes, to be written into b.
func (a *stringArena) alloc(n int) (r strRef, b []byte) {
	if len(a.chunks) == 0 || len(a.chunks[len(a.chunks)-1])+n > cap(a.chunks[len(a.chunks)-1]) {
		if len(a.chunks) == maxChunks {
			// Tens of millions of records' ids: more than a strRef can
			// address. Stop rather than hand out wrong strings.
			panic("annals: more than 4 GiB of ids and names to keep")
		}
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, n)))
	}
	last := &a.chunks[len(a.chunks)-1]
	at := len(*last)
	r = strRef{off: uint32(len(a.chunks)-1)<<chunkBits | uint32(at), n: uint32(n)}
	*last = (*last)[:at+n]
	return r, (*last)[at:]
}

// get returns the string r, sharing the arena's bytes.
func (a *stringArena) get(r strRef) string {
	if r.n == 0 {
		return ""
	}
	b := a.chunks[r.off>>chunkBits][r.off&(arenaChunk-1):][:r.n]
	return unsafe.String(unsafe.SliceData(b), len(b))
}
