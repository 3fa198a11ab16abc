package store

import "fmt"

// Lists keeps lists of strings, each list in one piece of an Arena with
// the lengths of its strings beside it: an actor's names, folded and
// reduced, one list per actor. The zero Lists is ready to use.
type Lists struct {
	arena Arena
	ends  Column[uint32] // where each string of each list ends in its list, one list after another
	lists Column[list]
	err   error
}

// list is one list: its bytes, and where its ends start in ends.
type list struct {
	first int // in ends
	at    Ref
	n     uint32
}

// maxList is the most strings in one list. Tests lower it.
var maxList = 1<<32 - 1

// Append adds a list of strings and returns its number; lists are
// numbered from 0 in the order they are added. A list it cannot keep (a
// string or the list 4 GiB or more, more than 4 billion strings in it)
// is refused: the number returned is then -1, and Err says why.
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
	at, b := l.arena.Alloc(total)
	if err := l.arena.Err(); err != nil {
		l.err = err
		return -1
	}
	b = b[:0]
	first := l.ends.Len()
	for _, s := range strs {
		b = append(b, s...)
		l.ends.Append(uint32(len(b))) // total < 2^32, checked above
	}
	l.lists.Append(list{at: at, first: first, n: uint32(len(strs))})
	return l.lists.Len() - 1
}

// Len is the number of lists.
func (l *Lists) Len() int { return l.lists.Len() }

// Count is the number of strings in list n.
func (l *Lists) Count(n int) int { return int(l.lists.At(n).n) }

// Before is the number of strings in the lists before list n: the i-th
// string of list n is the (Before(n)+i)-th of all.
func (l *Lists) Before(n int) int { return l.lists.At(n).first }

// Strings is the number of strings in all the lists.
func (l *Lists) Strings() int { return l.ends.Len() }

// Get returns the i-th string of list n, sharing the arena's bytes.
func (l *Lists) Get(n, i int) string {
	li := l.lists.At(n)
	if i < 0 || i >= int(li.n) {
		panic(fmt.Sprintf("store: string %d of a list of %d", i, li.n))
	}
	from := 0
	if i > 0 {
		from = int(*l.ends.At(li.first + i - 1))
	}
	return l.arena.String(Sub(li.at, from, int(*l.ends.At(li.first + i))-from))
}

// FirstByte returns the first byte of list n's strings, or 0: reading it
// brings the list into the processor's cache.
func (l *Lists) FirstByte(n int) byte {
	if b := l.arena.Bytes(l.lists.At(n).at); len(b) > 0 {
		return b[0]
	}
	return 0
}

// Size is the number of bytes the lists keep, their lengths included.
func (l *Lists) Size() int { return l.arena.Size() + l.ends.Size(4) + l.lists.Size(24) }

// Err is the error of the first list refused, or nil.
func (l *Lists) Err() error { return l.err }
