package store

import (
	"encoding/binary"
	"fmt"
)

// Lists keeps lists of strings, each list in one piece of an Arena: an
// actor's id and names, one list per actor. The zero Lists is ready to
// use.
//
// A list's piece is its header, then its strings end to end. The header
// is the number of strings k (a uvarint) and, if k > 0, the width w of
// the ends (1, 2 or 4 bytes: the fewest that hold the strings' total
// length) and where each string ends among the strings (k ends of w
// bytes, little-endian). A list of a few short names thus costs a byte
// for each beyond the names and three bytes, where a list of offsets
// would cost four bytes a string and twenty a list; and the i-th string
// of a list of a hundred thousand is found in two reads, not a hundred
// thousand.
type Lists struct {
	arena Arena
	lists Column[piece] // where each list's piece starts
	err   error
}

// piece is where a list's piece starts in the arena: its length is in
// its header.
type piece struct{ chunk, off uint32 }

// maxList is the most strings in one list. Tests lower it.
var maxList = 1<<32 - 1

// listHeader is the length of the header of a list of k strings of
// total bytes in all, and the width of its ends.
func listHeader(k, total int) (size, width int) {
	size = uvarintLen(uint64(k))
	if k == 0 {
		return size, 0
	}
	switch {
	case total <= 0xff:
		width = 1
	case total <= 0xffff:
		width = 2
	default:
		width = 4
	}
	return size + 1 + k*width, width
}

func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

// Append adds a list of strings and returns its number; lists are
// numbered from 0 in the order they are added. A list it cannot keep (a
// piece of 4 GiB or more, more than 4 billion strings) is refused: the
// number returned is then -1, and Err says why.
func (l *Lists) Append(strs ...string) int {
	if l.err != nil {
		return -1
	}
	if len(strs) > maxList {
		l.err = &LimitError{What: fmt.Sprintf("a record with %d names", len(strs)), Limit: int64(maxList), Unit: "names"}
		return -1
	}
	total := 0
	for _, s := range strs {
		if len(s) > maxLen || total > maxLen-len(s) {
			l.err = &LimitError{What: "the names of one record", Limit: int64(maxLen), Unit: "bytes"}
			return -1
		}
		total += len(s)
	}
	// len(strs) < 2^32 and total < 2^32: the header's size is below 2^35.
	header, width := listHeader(len(strs), total)
	if header > maxLen-total {
		l.err = &LimitError{What: "the names of one record", Limit: int64(maxLen), Unit: "bytes"}
		return -1
	}
	at, b := l.arena.Alloc(header + total)
	if err := l.arena.Err(); err != nil {
		l.err = err
		return -1
	}
	b = binary.AppendUvarint(b[:0], uint64(len(strs)))
	if len(strs) > 0 {
		b = append(b, byte(width))
		end := 0
		for _, s := range strs {
			end += len(s)
			for k := range width {
				b = append(b, byte(end>>(8*k)))
			}
		}
		for _, s := range strs {
			b = append(b, s...)
		}
	}
	l.lists.Append(piece{chunk: at.chunk, off: at.off})
	return l.lists.Len() - 1
}

// header reads the header of list n: its number of strings, the width of
// its ends, and the bytes from its ends on to the end of its chunk.
func (l *Lists) header(n int) (k, width int, rest []byte) {
	p := l.lists.At(n)
	b := l.arena.chunks[p.chunk][p.off:]
	x, size := binary.Uvarint(b)
	if x == 0 {
		return 0, 0, nil
	}
	return int(x), int(b[size]), b[size+1:]
}

// end reads the i-th of the ends that start rest.
func end(rest []byte, width, i int) int {
	switch width {
	case 1:
		return int(rest[i])
	case 2:
		return int(binary.LittleEndian.Uint16(rest[2*i:]))
	default:
		return int(binary.LittleEndian.Uint32(rest[4*i:]))
	}
}

// Len is the number of lists.
func (l *Lists) Len() int { return l.lists.Len() }

// Count is the number of strings in list n.
func (l *Lists) Count(n int) int {
	k, _, _ := l.header(n)
	return k
}

// Get returns the i-th string of list n, sharing the arena's bytes.
func (l *Lists) Get(n, i int) string {
	k, width, rest := l.header(n)
	if i < 0 || i >= k {
		panic(fmt.Sprintf("store: string %d of a list of %d", i, k))
	}
	from := 0
	if i > 0 {
		from = end(rest, width, i-1)
	}
	to := end(rest, width, i)
	data := rest[k*width:]
	return bytesString(data[from:to:to])
}

// FirstByte returns the first byte of list n's strings, or 0: reading it
// brings the list into the processor's cache.
func (l *Lists) FirstByte(n int) byte {
	k, width, rest := l.header(n)
	if k == 0 || end(rest, width, k-1) == 0 {
		return 0
	}
	return rest[k*width]
}

// Size is the number of bytes the lists keep, their headers included.
func (l *Lists) Size() int { return l.arena.Size() + l.lists.Size(8) }

// Err is the error of the first list refused, or nil.
func (l *Lists) Err() error { return l.err }
