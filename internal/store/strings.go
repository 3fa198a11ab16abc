package store

import "fmt"

// Strings keeps a sequence of strings, numbered from 0 in the order they
// are added: the skeletons of every actor's names, one after another.
// Each costs its bytes and two more, for where it ends in its chunk. The
// zero Strings is ready to use.
type Strings struct {
	// chunks hold the strings in order: up to a chunk of bytes of strings
	// each, or one string longer than a chunk alone, which is all of it.
	chunks [][]byte
	alone  []bool         // chunks[c] is one long string
	starts []int          // the number of the first string of each chunk
	ends   Column[uint16] // where each string ends in its chunk (0 for one alone)
	// blocks is, for every blockSize strings, the chunk of the first: a
	// string is found from there in a few steps.
	blocks []uint32
	chunk  int // the size of a chunk: stringsChunk when 0
	size   int // bytes kept
	err    error
}

const (
	stringsChunk = 1<<16 - 1 // bytes: an end fits in 16 bits
	blockSize    = 256       // strings
)

// Append adds s and returns its number. A string longer than the store
// keeps (4 GiB or more), or one that needs a chunk more than it numbers
// (2^32), is refused: Append then returns -1, and Err says why, as it
// does for every string added after.
func (x *Strings) Append(s string) int {
	if x.err != nil {
		return -1
	}
	if len(s) > maxLen {
		x.err = &LimitError{What: fmt.Sprintf("a name of %d bytes", len(s)), Limit: int64(maxLen), Unit: "bytes"}
		return -1
	}
	i := x.ends.Len()
	size := x.chunk
	if size == 0 {
		size = stringsChunk
	}
	last := len(x.chunks) - 1
	full := last < 0 || x.alone[last] || len(x.chunks[last])+len(s) > size
	if (full || len(s) > size) && len(x.chunks) >= maxChunks {
		x.err = &LimitError{What: "the names to compare", Limit: int64(maxChunks), Unit: "blocks of memory"}
		return -1
	}
	switch {
	case len(s) > size:
		x.chunks = append(x.chunks, []byte(s))
		x.alone = append(x.alone, true)
		x.starts = append(x.starts, i)
		x.ends.Append(0)
	case full:
		x.chunks = append(x.chunks, make([]byte, 0, size))
		x.alone = append(x.alone, false)
		x.starts = append(x.starts, i)
		last = len(x.chunks) - 1
		fallthrough
	default:
		x.chunks[last] = append(x.chunks[last], s...)
		x.ends.Append(uint16(len(x.chunks[last]))) // at most size, below 2^16
	}
	if i%blockSize == 0 {
		x.blocks = append(x.blocks, uint32(len(x.chunks)-1)) // at most maxChunks chunks
	}
	x.size += len(s)
	return i
}

// Len is the number of strings.
func (x *Strings) Len() int { return x.ends.Len() }

// Get returns string i, sharing the store's bytes.
func (x *Strings) Get(i int) string {
	if i < 0 || i >= x.ends.Len() {
		panic(fmt.Sprintf("store: string %d of %d", i, x.ends.Len()))
	}
	// Its chunk is the last that starts at or before i, from the chunk of
	// its block's first string to that of the next block's.
	b := i / blockSize
	lo, hi := int(x.blocks[b]), len(x.chunks)-1
	if b+1 < len(x.blocks) {
		hi = int(x.blocks[b+1])
	}
	for lo < hi { // the last c in [lo, hi] with starts[c] <= i
		mid := int(uint(lo+hi+1) >> 1)
		if x.starts[mid] <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	c := x.chunks[lo]
	if x.alone[lo] {
		return bytesString(c)
	}
	from := 0
	if i > x.starts[lo] {
		from = int(*x.ends.At(i - 1))
	}
	to := int(*x.ends.At(i))
	return bytesString(c[from:to:to])
}

// Size is the number of bytes the strings take, with their ends.
func (x *Strings) Size() int { return x.size + x.ends.Size(2) }

// Err is the error of the first string refused, or nil.
func (x *Strings) Err() error { return x.err }
