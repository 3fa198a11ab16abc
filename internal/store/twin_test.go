package store

// The plain twins of the store's structures, written with maps and slices
// only: what the packed structures must agree with. They know nothing of
// chunks, offsets or limits; the tests decide what a limit refuses.

// twinArena is an Arena: the strings, numbered in the order added.
type twinArena struct{ strs []string }

func (a *twinArena) Add(s string) int { a.strs = append(a.strs, s); return len(a.strs) - 1 }

func (a *twinArena) String(i int) string { return a.strs[i] }

// Size is the bytes of all the strings added.
func (a *twinArena) Size() int {
	n := 0
	for _, s := range a.strs {
		n += len(s)
	}
	return n
}

// twinLists is Lists: the lists, numbered in the order added.
type twinLists struct{ lists [][]string }

func (l *twinLists) Append(strs ...string) int {
	l.lists = append(l.lists, append([]string(nil), strs...))
	return len(l.lists) - 1
}

func (l *twinLists) Len() int            { return len(l.lists) }
func (l *twinLists) Count(n int) int     { return len(l.lists[n]) }
func (l *twinLists) Get(n, i int) string { return l.lists[n][i] }

// FirstByte is the first byte of list n's strings put end to end, or 0.
func (l *twinLists) FirstByte(n int) byte {
	for _, s := range l.lists[n] {
		if len(s) > 0 {
			return s[0]
		}
	}
	return 0
}

// twinStrings is Strings: the strings, numbered in the order added.
type twinStrings struct{ strs []string }

func (x *twinStrings) Append(s string) int { x.strs = append(x.strs, s); return len(x.strs) - 1 }
func (x *twinStrings) Len() int            { return len(x.strs) }
func (x *twinStrings) Get(i int) string    { return x.strs[i] }

// twinIDIndex is an IDIndex: a map from id to number, the ids by number
// and their values, the first value given for each.
type twinIDIndex struct {
	nums map[string]int
	ids  []string
	vals []Value
}

func newTwinIDIndex() *twinIDIndex { return &twinIDIndex{nums: map[string]int{}} }

func (x *twinIDIndex) Add(id string, v Value) (n int, added bool) {
	if n, ok := x.nums[id]; ok {
		return n, false
	}
	x.nums[id] = len(x.ids)
	x.ids = append(x.ids, id)
	x.vals = append(x.vals, v)
	return len(x.ids) - 1, true
}

func (x *twinIDIndex) Find(id string) (int, bool) { n, ok := x.nums[id]; return n, ok }
func (x *twinIDIndex) ID(n int) string            { return x.ids[n] }
func (x *twinIDIndex) Value(n int) Value          { return x.vals[n] }
func (x *twinIDIndex) Len() int                   { return len(x.ids) }
func (x *twinIDIndex) SetValue(n int, v Value)    { x.vals[n] = v }

// twinColumn is a Column: a slice.
type twinColumn[T any] struct{ vals []T }

func (c *twinColumn[T]) Append(v T)  { c.vals = append(c.vals, v) }
func (c *twinColumn[T]) At(i int) *T { return &c.vals[i] }
func (c *twinColumn[T]) Len() int    { return len(c.vals) }

// twinMemo is a Memo: it just does the work.
type twinMemo[V any] struct{}

func (twinMemo[V]) Get(key string, work func(string) V) V { return work(key) }
