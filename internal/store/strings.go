package store

import (
	"fmt"
	"sort"
)

// Strings keeps a sequence of strings, numbered from 0 in the order they
// are added: the skeletons of every actor's names, one after another.
// Each costs its bytes and four more, for where it ends in its chunk.
// The zero Strings is ready to use.
type Strings struct {
	chunks [][]byte       // each full of whole strings, in order
	starts []int          // the number of the first string of each chunk
	ends   Column[uint32] // where each string ends in its chunk
	chunk  int            // the size of a chunk: DefaultChunk when 0
	size   int            // bytes kept
	err    error
}

// Append adds s and returns its number. A string longer than the store
// keeps (4 GiB or more) is refused: Append then returns -1, and Err says
// why, as it does for every string added after.
func (x *Strings) Append(s string) int {
	if x.err != nil {
		return -1
	}
	if len(s) > maxLen {
		x.err = &LimitError{What: fmt.Sprintf("a name of %d bytes", len(s)), Limit: int64(maxLen), Unit: "bytes"}
		return -1
	}
	last := len(x.chunks) - 1
	if last < 0 || len(x.chunks[last])+len(s) > cap(x.chunks[last]) {
		size := x.chunk
		if size == 0 {
			size = DefaultChunk
		}
		// A string longer than a chunk gets a chunk its size; the room
		// left in the last chunk, less than a chunk, stays unused.
		x.chunks = append(x.chunks, make([]byte, 0, max(size, len(s))))
		x.starts = append(x.starts, x.ends.Len())
		last++
	}
	x.chunks[last] = append(x.chunks[last], s...)
	x.ends.Append(uint32(len(x.chunks[last]))) // a chunk holds less than 2^32 bytes: at most one string of maxLen, or DefaultChunk
	x.size += len(s)
	return x.ends.Len() - 1
}

// Len is the number of strings.
func (x *Strings) Len() int { return x.ends.Len() }

// Get returns string i, sharing the store's bytes.
func (x *Strings) Get(i int) string {
	if i < 0 || i >= x.ends.Len() {
		panic(fmt.Sprintf("store: string %d of %d", i, x.ends.Len()))
	}
	c := sort.Search(len(x.starts), func(c int) bool { return x.starts[c] > i }) - 1
	from := 0
	if i > x.starts[c] {
		from = int(*x.ends.At(i - 1))
	}
	to := int(*x.ends.At(i))
	return bytesString(x.chunks[c][from:to:to])
}

// Size is the number of bytes the strings take, with their ends.
func (x *Strings) Size() int { return x.size + x.ends.Size(4) }

// Err is the error of the first string refused, or nil.
func (x *Strings) Err() error { return x.err }
