package store

// A Column is a sequence of values kept in chunks of columnChunk that
// never move: appending never copies what is there, so a column of a
// million values never holds its old and new arrays at once, as a growing
// slice does, and wastes at most one chunk. The zero Column is empty and
// ready to use.
type Column[T any] struct {
	chunks [][]T
	n      int
}

const columnChunk = 1 << 14 // values

// Append adds v at the end, as value number Len()-1.
func (c *Column[T]) Append(v T) {
	if c.n%columnChunk == 0 {
		c.chunks = append(c.chunks, make([]T, 0, columnChunk))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, v)
	c.n++
}

// At returns a pointer to value i, which stays valid.
func (c *Column[T]) At(i int) *T { return &c.chunks[i/columnChunk][i%columnChunk] }

// Len is the number of values.
func (c *Column[T]) Len() int { return c.n }

// Size is the number of bytes the column takes, given the size of a value.
func (c *Column[T]) Size(valueSize int) int { return len(c.chunks) * columnChunk * valueSize }
