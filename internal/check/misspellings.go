package check

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// misspellings are the misspellings the actors' aliases record, one per
// source, actor and spelling: each becomes one note at Finish, at its
// first report in the order of findings, naming the records it is in. A
// million records can have hundreds of thousands of them, so they are
// kept packed, in memory the collector does not scan: the keys in a
// store.IDIndex (key to number), and per number a pointer-free entry that
// names records, actors and sources by their numbers in the checker's id
// index, with the strings left (the first report's sheet, cell and
// spelling) in one store.Lists. Per misspelling that is some 180 bytes,
// where a map of structs with a Finding took 500 and had the collector
// scan them all.
type misspellings struct {
	keys     *store.IDIndex            // a key's sixteen bytes (see number) to its entry's number, in Value.A
	long     map[misspellingKey]uint32 // the other keys (see number)
	entries  store.Column[misspelt]
	strs     store.Lists
	files    []string // the files of first reports, by number
	fileNums map[string]uint32
	ids      *idIndex // the records' ids: an id among them is kept as its number (nil: none is)
}

// name is an id a misspelling keeps (a record's, an actor's, a source's):
// even, its number in misspellings.ids, twice over; odd, the number of a
// list in strs that holds it (an id not in the index, or past 2³¹ ids),
// twice over plus one. Most ids are in the index, and a number is four
// bytes where a copy of the id took some thirty.
type name uint32

// misspellingKey is one source's misspelling of one actor, folded.
type misspellingKey struct{ actor, source, folded string }

// misspelt is one misspelling: where it is first reported, and the
// records it is in (the first few, and how many).
type misspelt struct {
	actor     uint32 // its number in the actors' table
	first     uint32 // the list in strs of the first report's sheet, cell and spelling
	recordID  name   // the first report's record
	actorID   name
	source    name
	file      uint32 // the first report's file, in misspellings.files
	line, col int64  // a line of a JSON array can be longer than 2 GiB
	fileOrder int32  // the first report's input (Finding.fileOrder)
	recN      int32  // and record number (Finding.index)
	att, idx  int32  // the first report's attestation and reported name
	typ       uint8  // the first report's record type, in schema.RecordTypes
	shown     uint8
	records   [misspeltShown]name  // the records it is in: with an odd name, the list holds the type, then the id
	recTypes  [misspeltShown]uint8 // their types, in schema.RecordTypes, for an even name
	count     uint32
	lastGroup uint64 // the name group counted last (Checker.nameGroupSeq)
}

// misspeltShown is how many records a misspelling's note names.
const misspeltShown = 3

// The strings of a first report, in their list.
const (
	firstSheet = iota
	firstCell
	firstSpelling
)

// newMisspellings returns an empty store that keeps the ids in ids by
// their numbers (ids may be nil).
func newMisspellings(seed maphash.Seed, ids *idIndex) *misspellings {
	return &misspellings{keys: store.NewIDIndex(seed), long: map[misspellingKey]uint32{}, fileNums: map[string]uint32{}, ids: ids}
}

// nameOf returns the name of id; strs.Err says if it could not be kept.
func (s *misspellings) nameOf(id string) name {
	if s.ids != nil {
		if n, ok := s.ids.number(id); ok && n < 1<<31 {
			return name(n << 1)
		}
	}
	return name(max(s.strs.Append(id), 0)<<1 | 1)
}

// id returns the id named nm, sharing the store's bytes.
func (s *misspellings) id(nm name) string {
	if nm&1 == 0 {
		return s.ids.ids.ID(int(nm >> 1))
	}
	return s.strs.Get(int(nm>>1), 0)
}

// recordName returns the name of the record typ id, and its type's
// number (a record of a type that is not one, or whose id is not in the
// index, is kept as a list of both).
func (s *misspellings) recordName(typ, id string) (name, uint8) {
	if t := slices.Index(schema.RecordTypes, typ); t >= 0 && s.ids != nil {
		if n, ok := s.ids.number(id); ok && n < 1<<31 {
			return name(n << 1), uint8(t)
		}
	}
	return name(max(s.strs.Append(typ, id), 0)<<1 | 1), 0
}

// record returns the label of the i-th record m is in.
func (s *misspellings) record(m *misspelt, i int) string {
	nm := m.records[i]
	if nm&1 == 0 {
		return fmt.Sprintf("%s %q", schema.RecordTypes[m.recTypes[i]], s.id(nm))
	}
	return fmt.Sprintf("%s %q", s.strs.Get(int(nm>>1), 0), s.strs.Get(int(nm>>1), 1))
}

// number returns the entry number of k, adding an entry when k is new.
// k.folded must be the first report's spelling folded (names.Fold), as
// reportedName.key is.
//
// A key whose actor and source are in the checker's index is sixteen
// bytes, which the index of keys holds in its entry: their two numbers and
// the hash of the folded spelling. A hit is checked against the spelling
// of the entry's first report, folded again; a key that another spelling's
// hash took, or whose source or actor is not in the index, is kept whole
// in the map long. A key once in long
// stays there, so that a source read after its first report (records in
// any order) does not give the misspelling a second entry.
func (s *misspellings) number(k misspellingKey) (num uint32, added bool, err error) {
	if num, ok := s.long[k]; ok {
		return num, false, nil
	}
	if key, ok := s.compactKey(k); ok {
		n, added, err := s.keys.Add(key, s.keys.Hash(key), store.Value{A: uint32(s.entries.Len())})
		if err != nil {
			return 0, false, err
		}
		num := s.keys.Value(n).A
		if added || names.Fold(s.strs.Get(int(s.entries.At(int(num)).first), firstSpelling)) == k.folded {
			return num, added, nil
		}
	}
	num = uint32(s.entries.Len())
	s.long[k] = num
	return num, true, nil
}

// compactKey is the sixteen bytes of k, if its actor and source are in
// the index.
func (s *misspellings) compactKey(k misspellingKey) (string, bool) {
	if s.ids == nil {
		return "", false
	}
	actor, ok1 := s.ids.number(k.actor)
	source, ok2 := s.ids.number(k.source)
	if !ok1 || !ok2 || actor > math.MaxUint32 || source > math.MaxUint32 {
		return "", false
	}
	var b [16]byte
	binary.LittleEndian.PutUint32(b[:], uint32(actor))
	binary.LittleEndian.PutUint32(b[4:], uint32(source))
	binary.LittleEndian.PutUint64(b[8:], foldedHash(s.keys, k.folded))
	return string(b[:]), true
}

// foldedHash hashes a folded spelling for a key. Tests make every
// spelling hash alike, so that every hit but one is another's.
var foldedHash = func(keys *store.IDIndex, folded string) uint64 { return keys.Hash(folded) }

// keepFirst files f, the report of the reported name n, as m's first; m
// is left as it was if its strings cannot be kept (see strs.Err).
func (s *misspellings) keepFirst(m *misspelt, f Finding, n *reportedName) {
	first := s.strs.Append(f.Sheet, f.Cell, n.spelling)
	if first < 0 {
		return
	}
	recordID, actorID, source := s.nameOf(f.RecordID), s.nameOf(n.actor), s.nameOf(n.source)
	if s.strs.Err() != nil {
		return
	}
	m.first, m.recordID, m.actorID, m.source = uint32(first), recordID, actorID, source
	num, ok := s.fileNums[f.File]
	if !ok {
		num = uint32(len(s.files))
		s.files = append(s.files, f.File)
		s.fileNums[f.File] = num
	}
	m.file, m.line, m.col, m.fileOrder, m.recN = num, int64(f.Line), int64(f.Column), int32(f.fileOrder), int32(f.index)
	m.att, m.idx = int32(n.att), int32(n.idx)
	m.typ = uint8(slices.Index(schema.RecordTypes, f.RecordType))
}

// before reports whether f, a report of a misspelling, comes before m's
// first in the order of findings. Both are alias-unlisted warnings with no
// message, so their places decide.
func (s *misspellings) before(f Finding, m *misspelt) bool {
	return cmp.Or(
		cmp.Compare(f.fileOrder, int(m.fileOrder)),
		strings.Compare(f.File, s.files[m.file]),
		strings.Compare(f.Sheet, s.strs.Get(int(m.first), firstSheet)),
		cmp.Compare(int64(f.Line), m.line),
		cmp.Compare(int64(f.Column), m.col),
	) < 0
}

// firstOf is the finding at m's first report, as reportedName.at made it.
func (s *misspellings) firstOf(m *misspelt) Finding {
	get := func(i int) string { return s.strs.Get(int(m.first), i) }
	ptr := "/attestations/" + strconv.Itoa(int(m.att)) + "/reported_names/" + strconv.Itoa(int(m.idx)) + "/spelling"
	return Finding{
		File: s.files[m.file], Sheet: get(firstSheet), Cell: get(firstCell), Line: int(m.line), Column: int(m.col),
		RecordType: schema.RecordTypes[m.typ], RecordID: strings.Clone(s.id(m.recordID)), Pointer: ptr, Field: schema.FieldPath(ptr),
		Severity: Warning, Code: CodeAliasUnlisted,
		fileOrder: int(m.fileOrder), index: int(m.recN),
	}
}

// note is one misspelling as its note gives it.
type note struct {
	key      misspellingKey
	actor    int     // the actor's number in the actors' table
	first    Finding // its first report, as reportedName.at makes it
	spelling string  // as the first report writes it
	count    int     // the records it is in
	records  []string
}

// add files a report f of the misspelling k of actor a (number a in the
// actors' table), n, in the record typ id, which the name group group
// decides: a group counts a record once, however many times it has the
// misspelling.
func (s *misspellings) add(k misspellingKey, a int, n *reportedName, f Finding, group uint64, typ, id string) error {
	if err := s.strs.Err(); err != nil {
		return err // a limit was reached: the dataset's findings are incomplete, and say so
	}
	num, added, err := s.number(k)
	if err != nil {
		return err
	}
	if added {
		s.entries.Append(misspelt{actor: uint32(a)})
	}
	m := s.entries.At(int(num))
	if added || s.before(f, m) {
		s.keepFirst(m, f, n)
		if err := s.strs.Err(); err != nil {
			return err
		}
	}
	if m.count == 0 || m.lastGroup != group {
		m.lastGroup = group
		m.count++
		if m.shown < misspeltShown {
			nm, t := s.recordName(typ, id)
			if s.strs.Err() == nil {
				m.records[m.shown], m.recTypes[m.shown] = nm, t
				m.shown++
			}
		}
	}
	return s.strs.Err()
}

// each calls fn with every misspelling, in the order of their first
// reports, then of their sources.
func (s *misspellings) each(fn func(note)) {
	if s.strs.Err() != nil || s.keys.Err() != nil {
		return // past a limit, which the checker reports (beyond-limits)
	}
	order := make([]uint32, s.entries.Len())
	for i := range order {
		order[i] = uint32(i)
	}
	source := func(m *misspelt) string { return s.id(m.source) }
	slices.SortFunc(order, func(i, j uint32) int {
		a, b := s.entries.At(int(i)), s.entries.At(int(j))
		return cmp.Or(s.compareFirsts(a, b), strings.Compare(source(a), source(b)))
	})
	for _, i := range order {
		m := s.entries.At(int(i))
		get := func(i int) string { return s.strs.Get(int(m.first), i) }
		nt := note{
			key:   misspellingKey{strings.Clone(s.id(m.actorID)), strings.Clone(s.id(m.source)), ""},
			actor: int(m.actor), first: s.firstOf(m), spelling: get(firstSpelling), count: int(m.count),
		}
		for i := range int(m.shown) {
			nt.records = append(nt.records, s.record(m, i))
		}
		fn(nt)
	}
}

// compareFirsts orders two misspellings by their first reports, as
// compareFindings orders those (alias-unlisted warnings without a message,
// so their places decide).
func (s *misspellings) compareFirsts(a, b *misspelt) int {
	return cmp.Or(
		cmp.Compare(a.fileOrder, b.fileOrder),
		strings.Compare(s.files[a.file], s.files[b.file]),
		strings.Compare(s.strs.Get(int(a.first), firstSheet), s.strs.Get(int(b.first), firstSheet)),
		cmp.Compare(a.line, b.line),
		cmp.Compare(a.col, b.col),
	)
}

// addMisspelling counts a misspelling of actor a, which its aliases
// record, in the record of g.
func (c *Checker) addMisspelling(g nameGroup, a int, n *reportedName) {
	if err := c.misspellings.add(misspellingKey{n.actor, n.source, n.key}, a, n, n.at(), c.nameGroupSeq, g.typ, g.id); err != nil {
		c.fail(err)
	}
}

// finishMisspellings notes each source's misspelling of an actor once,
// naming the records it is in, then lets the store go.
func (c *Checker) finishMisspellings() {
	c.misspellings.each(func(m note) {
		f := m.first
		f.Severity, f.Code = Info, CodeMisspelling
		if f, ok := c.count(f); ok {
			in := strings.Join(m.records, ", ")
			if more := m.count - len(m.records); more > 0 {
				in += fmt.Sprintf(" and %d more", more)
			}
			if m.count > 1 {
				in = fmt.Sprintf("%d records: %s", m.count, in)
			}
			f.Message = fmt.Sprintf("source %q misspells actor %q (%q) as %q, a misspelling its aliases record, in %s; nothing to correct: the note is for whoever reads that source",
				m.key.source, m.key.actor, c.actors.name(m.actor, 0), m.spelling, in)
			c.list(f)
		}
	})
	c.misspellings = newMisspellings(maphash.MakeSeed(), nil)
}
