package store

import (
	"hash/maphash"
	"strings"
)

// A Memo remembers the results of work on short strings, such as folding
// the spellings that records report again and again: a direct-mapped
// cache, where each slot keeps the last string that hashed to it. It keeps
// at most memoSlots strings of at most MaxMemoKey bytes, so however large
// the input, it holds at most a few hundred kilobytes of keys. A Memo is
// not safe for concurrent use: each goroutine takes its own (from a
// sync.Pool, say).
type Memo[V any] struct {
	seed  maphash.Seed
	slots [memoSlots]memoSlot[V]
}

type memoSlot[V any] struct {
	key  string
	val  V
	full bool
}

const memoSlots = 1024 // a power of two

// MaxMemoKey is the longest string a Memo remembers work on, in bytes: a
// name is far shorter, and a longer string is worked on every time.
const MaxMemoKey = 256

// NewMemo returns an empty Memo.
func NewMemo[V any]() *Memo[V] { return &Memo[V]{seed: maphash.MakeSeed()} }

// Get returns work(key), from the memo when key is in it. work must
// return the same value for the same key.
func (m *Memo[V]) Get(key string, work func(string) V) V {
	if len(key) > MaxMemoKey {
		return work(key)
	}
	s := &m.slots[maphash.String(m.seed, key)&(memoSlots-1)]
	if !s.full || s.key != key {
		// A copy of key: it may be a slice of a much larger string.
		*s = memoSlot[V]{key: strings.Clone(key), val: work(key), full: true}
	}
	return s.val
}
