package check

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// actorTable is what the spelling checks keep of every actor: its id,
// its name and aliases as written, and where its name is, for the
// duplicate-actor findings; and, once a record names the actor, its
// names folded (see names.Fold), which the spellings of its records are
// checked against. Like the id index, it holds no pointers: a hundred
// thousand actors would otherwise be a large heap for every garbage
// collection to scan. Actors are found by id through the Checker's index,
// whose entry of an actor has its number here.
//
// The skeletons of the names, which only the duplicate-actor check
// compares, are made at Finish (see duplicateActors), and the names of an
// actor no record names are never folded: a dataset of a million actors
// keeps each actor's names once, not three times.
type actorTable struct {
	strs        store.Lists       // for each actor, where its name is (see nameAt.encode), its id, its misspellings (see misspelling), then its names as written
	foldedNames store.Lists       // the names of the actors folded so far, folded
	foldedOf    map[uint32]uint32 // for each actor folded so far, its list in foldedNames
	words       names.Words       // scratch for foldedWords
}

// nameAt is where an actor's name is, for a finding there.
type nameAt struct {
	at               start
	fileOrder, index int32
}

// encode returns the place as a string of four uvarints, kept with the
// actor's names: most take nine bytes, where the place itself takes 16.
func (p nameAt) encode() string {
	var b [4 * binary.MaxVarintLen32]byte
	e := binary.AppendUvarint(b[:0], uint64(p.at.line))
	e = binary.AppendUvarint(e, uint64(p.at.fc))
	e = binary.AppendUvarint(e, uint64(uint32(p.fileOrder)))
	e = binary.AppendUvarint(e, uint64(uint32(p.index)))
	return string(e)
}

// decodeNameAt reads a place that encode wrote.
func decodeNameAt(s string) nameAt {
	var v [4]uint32
	for i := range v {
		x, n := binary.Uvarint([]byte(s)) // does not escape: no copy
		v[i], s = uint32(x), s[n:]
	}
	return nameAt{at: start{line: v[0], fc: v[1]}, fileOrder: int32(v[2]), index: int32(v[3])}
}

// nameAt locates the name of the actor record r.
func (r *recordCtx) nameAt() nameAt {
	c := r.c
	return nameAt{at: c.startAt(r.rec.Position("/name", false)), fileOrder: int32(c.inputs - 1), index: int32(r.rec.Index + 1)}
}

// actorNames is what an actor record says of its names, gathered on a
// worker while the record is examined: places for where its name is and
// for its id, which of its names are misspellings, then its name and
// aliases, as written.
type actorNames struct {
	strs []string
}

// firstName is where an actor's names start in its list of strs.
const firstName = 3

// examineActorNames gathers the name and the aliases of an actor record,
// and marks the aliases of kind misspelling: "" when it has none, as most
// actors have not, else a byte per name, 'm' for a misspelling.
func examineActorNames(obj map[string]any) *actorNames {
	name, _ := obj["name"].(string)
	list, _ := obj["aliases"].([]any)
	strs := make([]string, firstName+1, firstName+1+len(list))
	strs[firstName] = name
	var misspelt []int // which names are misspellings
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			if s, ok := m["name"].(string); ok {
				strs = append(strs, s)
				if m["kind"] == "misspelling" {
					misspelt = append(misspelt, len(strs)-1-firstName)
				}
			}
		}
	}
	if len(misspelt) > 0 {
		marks := bytes.Repeat([]byte{'.'}, len(strs)-firstName)
		for _, i := range misspelt {
			marks[i] = 'm'
		}
		strs[2] = string(marks)
	}
	return &actorNames{strs: strs}
}

// add adds an actor that owns its id: its names and the position of its
// name, and returns its number. An actor the table cannot hold is an
// error, and is left out.
func (t *actorTable) add(id string, a *actorNames, at nameAt) (int, error) {
	a.strs[0], a.strs[1] = at.encode(), id
	n := t.strs.Append(a.strs...)
	if n < 0 {
		return 0, t.strs.Err()
	}
	return n, nil
}

// findActor returns the number of the actor with this id, whose hash is
// h, through the memo of the record's lookups.
func (c *Checker) findActor(id string, h uint64) (int, bool) {
	e, ok := c.lookupHashed(id, h)
	if !ok || e.actor == 0 {
		return 0, false
	}
	return int(e.actor - 1), true
}

// touchActor reads what listed will read of the actor whose id hashes to
// h, if the index has it in the first slot it looks at: the start of its
// strings. Call it after c.index.touch(h), whose loads it follows.
func (c *Checker) touchActor(h uint64) uint32 {
	if n, ok := c.index.ids.Peek(h); ok {
		if a := c.index.entry(n).actor; a > 0 {
			return uint32(c.actors.strs.FirstByte(int(a - 1)))
		}
	}
	return 0
}

// len is the number of actors.
func (t *actorTable) len() int { return t.strs.Len() }

// id returns the id of actor n.
func (t *actorTable) id(n int) string { return t.strs.Get(n, 1) }

// names is the number of names of actor n: its name and its aliases.
func (t *actorTable) names(n int) int { return t.strs.Count(n) - firstName }

// name returns the i-th name of actor n as written: its name, then its
// aliases, up to names(n).
func (t *actorTable) name(n, i int) string { return t.strs.Get(n, firstName+i) }

// misspelling reports whether the i-th name of actor n is an alias of kind
// misspelling: a source's error, not another way to write the name.
func (t *actorTable) misspelling(n, i int) bool {
	marks := t.strs.Get(n, 2)
	return i < len(marks) && marks[i] == 'm'
}

// folded returns the i-th name of actor n, folded: the first time one of
// its names is asked for, the actor's names are folded and kept. Once the
// table cannot keep an actor's (more than 4 GiB of names, folded), it
// keeps no more, and the names of that actor and every one folded after
// are folded again each time they are read: slower, never wrong.
func (t *actorTable) folded(n, i int) string {
	list, ok := t.foldedOf[uint32(n)]
	if !ok {
		k := t.names(n)
		strs := make([]string, k)
		for j := range k {
			strs[j] = names.Fold(t.name(n, j))
		}
		l := t.foldedNames.Append(strs...)
		if l < 0 || l > math.MaxUint32 {
			return strs[i]
		}
		if t.foldedOf == nil {
			t.foldedOf = map[uint32]uint32{}
		}
		list = uint32(l)
		t.foldedOf[uint32(n)] = list
	}
	return t.foldedNames.Get(int(list), i)
}

// foldedNow is folded, without keeping what it folds: for the findings
// made at Finish, which read a few names of many actors once.
func (t *actorTable) foldedNow(n, i int) string {
	if list, ok := t.foldedOf[uint32(n)]; ok {
		return t.foldedNames.Get(int(list), i)
	}
	return names.Fold(t.name(n, i))
}

// foldedWords returns the words of the i-th name of actor n, folded, in a
// scratch slice that the next call reuses.
func (t *actorTable) foldedWords(n, i int) names.Words {
	s := t.folded(n, i)
	t.words = t.words[:0]
	for s != "" {
		var w string
		w, s, _ = strings.Cut(s, " ")
		if w != "" {
			t.words = append(t.words, w)
		}
	}
	return t.words
}

// listed reports whether spelling is actor n's name or an alias, or a part
// of one (a surname alone), after case, accents and punctuation.
func (t *actorTable) listed(n int, spelling names.Words) bool {
	for i := range t.names(n) {
		if t.foldedWords(n, i).Covers(spelling) {
			return true
		}
	}
	return false
}

// accepts reports whether spelling is a way to write actor n's name: its
// name or an alias of a kind other than misspelling, or a part of one (a
// surname alone), after case, accents and punctuation; and, if not,
// whether an alias of kind misspelling covers it.
func (t *actorTable) accepts(n int, spelling names.Words) (ok, misspelt bool) {
	for i := range t.names(n) {
		if t.foldedWords(n, i).Covers(spelling) {
			if !t.misspelling(n, i) {
				return true, false
			}
			misspelt = true
		}
	}
	return false, misspelt
}

// nameFinding makes a finding at the name of actor n.
func (c *Checker) nameFinding(n int, sev Severity, code string) Finding {
	at := decodeNameAt(c.actors.strs.Get(n, 0))
	f := Finding{RecordType: schema.Actor, RecordID: strings.Clone(c.actors.id(n)), Pointer: "/name", Field: schema.FieldPath("/name"),
		Severity: sev, Code: code, fileOrder: int(at.fileOrder), index: int(at.index)}
	f.locate(c.position(at.at))
	return f
}

// maxShared is the most names two actors may have together for
// sharedName to look for one they share: an actor with thousands of
// aliases in many groups would otherwise make the findings quadratic.
const maxShared = 1000

// sharedName returns the first of actor a's names (its name, then its
// aliases) that actor b has too, but for case, accents and punctuation
// (see names.Fold), as a has written it; or "".
func (t *actorTable) sharedName(a, b int) string {
	if t.names(a)+t.names(b) > maxShared {
		return ""
	}
	has := make(map[string]bool, t.names(b))
	for i := range t.names(b) {
		has[t.foldedNow(b, i)] = true
	}
	for i := range t.names(a) {
		if f := t.foldedNow(a, i); f != "" && has[f] {
			return t.name(a, i)
		}
	}
	return ""
}
