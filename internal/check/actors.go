package check

import (
	"hash/maphash"
	"strings"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/schema"
)

// actorTable is what the spelling checks keep of every actor: its name and
// aliases, as written and folded (see names.Fold), and where its name is,
// for the duplicate-actor findings. Like the id index, it holds no
// pointers: a hundred thousand actors would otherwise be a large heap for
// every garbage collection to scan.
type actorTable struct {
	ids   *idIndex // the actors' ids: entry n is actor n
	recs  []actorRec
	lens  []uint32    // for each actor, the lengths of its names as written, then folded, then of their skeletons
	strs  stringArena // for each actor, those strings one after another
	words names.Words // scratch for foldedWords

	recent [4]foundActor // for find
	next   int
}

// actorRec is an actor: 28 bytes, and its strings.
type actorRec struct {
	off   uint32 // its strings, in strs (strRef.off)
	first uint32 // its first length, in lens
	count uint32 // the name and the aliases
	at    nameAt
}

// nameAt is where an actor's name is, for a finding there.
type nameAt struct {
	at               start
	fileOrder, index int32
}

// nameAt locates the name of the actor record r.
func (r *recordCtx) nameAt() nameAt {
	c := r.c
	return nameAt{at: c.startAt(r.rec.Position("/name", false)), fileOrder: int32(c.inputs - 1), index: int32(r.rec.Index + 1)}
}

func newActorTable(seed maphash.Seed) *actorTable { return &actorTable{ids: newIDIndex(seed)} }

// actorNames is what an actor record says of its names, gathered and
// folded on a worker while the record is examined.
type actorNames struct {
	names     []string // the name, then the aliases
	folded    []string // each folded (see names.Fold)
	skeletons []string // each reduced to its skeleton (see names.Skeleton)
}

// examineActorNames gathers the name and the aliases of an actor record.
func examineActorNames(obj map[string]any) *actorNames {
	name, _ := obj["name"].(string)
	a := &actorNames{names: []string{name}}
	list, _ := obj["aliases"].([]any)
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			if s, ok := m["name"].(string); ok {
				a.names = append(a.names, s)
			}
		}
	}
	for _, n := range a.names {
		sk := ""
		if n != "" {
			sk = names.Skeleton(n)
		}
		a.folded = append(a.folded, names.Fold(n))
		a.skeletons = append(a.skeletons, sk)
	}
	return a
}

// add adds an actor, unless its id is already in the table: its names and
// the position of its name.
func (t *actorTable) add(id string, a *actorNames, at nameAt) {
	if _, added := t.ids.add(id, entry{typ: typeIndex(schema.Actor)}, nil); !added {
		return
	}
	rec := actorRec{first: uint32(len(t.lens)), count: uint32(len(a.names)), at: at}
	n := 0
	for _, list := range [][]string{a.names, a.folded, a.skeletons} {
		for _, s := range list {
			t.lens = append(t.lens, uint32(len(s)))
			n += len(s)
		}
	}
	// One string in the arena, so that one offset finds them all.
	ref, buf := t.strs.alloc(n)
	buf = buf[:0]
	for _, list := range [][]string{a.names, a.folded, a.skeletons} {
		for _, s := range list {
			buf = append(buf, s...)
		}
	}
	rec.off = ref.off
	t.recs = append(t.recs, rec)
}

// str returns the i-th string of actor n: its names as written, then
// folded, then their skeletons.
func (t *actorTable) str(n, i int) string {
	r := &t.recs[n]
	lens := t.lens[r.first:][:3*r.count]
	off := 0
	for _, l := range lens[:i] {
		off += int(l)
	}
	return t.strs.get(strRef{r.off + uint32(off), lens[i]})
}

// find returns the number of the actor with this id. A record names the
// same actor several times, and the spelling checks look each one up more
// than once: the last few found are remembered (actors are never removed,
// so what was found stays true).
func (t *actorTable) find(id string) (int, bool) { return t.findHashed(id, t.ids.hash(id)) }

// findHashed is find with the hash of id already known.
func (t *actorTable) findHashed(id string, h uint64) (int, bool) {
	for _, m := range t.recent {
		if m.n > 0 && m.id == id {
			return m.n - 1, true
		}
	}
	i, ok := t.ids.findHashed(id, h)
	if !ok {
		return 0, false
	}
	n := int(t.ids.slots[i] - 1)
	t.recent[t.next] = foundActor{id, n + 1}
	t.next = (t.next + 1) % len(t.recent)
	return n, true
}

// touch reads what listed will read of the actor whose id hashes to h
// (see idIndex.touch): its record, and the start of its strings. Call it after
// t.ids.touch(h), whose loads it follows.
func (t *actorTable) touch(h uint64) uint32 {
	s := t.ids.slots[int(h)&(len(t.ids.slots)-1)]
	if s == 0 {
		return 0
	}
	r := &t.recs[s-1]
	if chunk, i := t.strs.chunks[r.off>>chunkBits], r.off&(arenaChunk-1); int(i) < len(chunk) {
		return uint32(chunk[i])
	}
	return 0 // an actor whose names are all empty
}

// foundActor is an actor's id and number + 1 (0: none).
type foundActor struct {
	id string
	n  int
}

// len is the number of actors.
func (t *actorTable) len() int { return len(t.recs) }

// id returns the id of actor n.
func (t *actorTable) id(n int) string { return t.ids.idOf(t.ids.entry(n)) }

// name returns the i-th name of actor n as written: its name, then its
// aliases, up to names(n).
func (t *actorTable) name(n, i int) string { return t.str(n, i) }

// skeleton returns the skeleton of the i-th name of actor n ("" for an
// empty name).
func (t *actorTable) skeleton(n, i int) string { return t.str(n, 2*t.names(n)+i) }

// names is the number of names of actor n: its name and its aliases.
func (t *actorTable) names(n int) int { return int(t.recs[n].count) }

// foldedWords returns the words of the i-th name of actor n, folded, in a
// scratch slice that the next call reuses.
func (t *actorTable) foldedWords(n, i int) names.Words {
	s := t.str(n, t.names(n)+i)
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

// nameFinding makes a finding at the name of actor n.
func (c *Checker) nameFinding(n int, sev Severity, code string) Finding {
	at := c.actors.recs[n].at
	f := Finding{RecordType: schema.Actor, RecordID: strings.Clone(c.actors.id(n)), Pointer: "/name", Field: schema.FieldPath("/name"),
		Severity: sev, Code: code, fileOrder: int(at.fileOrder), index: int(at.index)}
	f.locate(c.position(at.at))
	return f
}
