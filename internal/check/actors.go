package check

import (
	"hash/maphash"
	"strings"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// actorTable is what the spelling checks keep of every actor: its name and
// aliases, as written and folded (see names.Fold), and where its name is,
// for the duplicate-actor findings. Like the id index, it holds no
// pointers: a hundred thousand actors would otherwise be a large heap for
// every garbage collection to scan.
type actorTable struct {
	ids   *store.IDIndex // the actors' ids: id n is actor n
	strs  store.Lists    // for each actor, its names as written, then folded, then their skeletons
	at    []nameAt       // for each actor, where its name is
	words names.Words    // scratch for foldedWords

	recent [4]foundActor // for find
	next   int
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

func newActorTable(seed maphash.Seed) *actorTable { return &actorTable{ids: store.NewIDIndex(seed)} }

// actorNames is what an actor record says of its names, gathered and
// folded on a worker while the record is examined: its name, then its
// aliases, as written, then folded (see names.Fold), then reduced to
// their skeletons (see names.Skeleton; "" for an empty name).
type actorNames struct {
	strs []string
}

// examineActorNames gathers the name and the aliases of an actor record.
func examineActorNames(obj map[string]any) *actorNames {
	name, _ := obj["name"].(string)
	list, _ := obj["aliases"].([]any)
	written := make([]string, 1, 1+len(list))
	written[0] = name
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			if s, ok := m["name"].(string); ok {
				written = append(written, s)
			}
		}
	}
	n := len(written)
	a := &actorNames{strs: make([]string, 3*n)}
	copy(a.strs, written)
	for i, s := range written {
		a.strs[n+i] = names.Fold(s)
		if s != "" {
			a.strs[2*n+i] = names.Skeleton(s)
		}
	}
	return a
}

// add adds an actor whose id is not in the table yet: its names and the
// position of its name. An actor the table cannot hold is an error, and
// is left out.
func (t *actorTable) add(id string, a *actorNames, at nameAt) error {
	if t.strs.Append(a.strs...) < 0 {
		return t.strs.Err()
	}
	if _, _, err := t.ids.Add(id, t.ids.Hash(id), store.Value{}); err != nil {
		return err
	}
	t.at = append(t.at, at)
	return nil
}

// find returns the number of the actor with this id. A record names the
// same actor several times, and the spelling checks look each one up more
// than once: the last few found are remembered (actors are never removed,
// so what was found stays true).
func (t *actorTable) find(id string) (int, bool) { return t.findHashed(id, t.ids.Hash(id)) }

// findHashed is find with the hash of id already known.
func (t *actorTable) findHashed(id string, h uint64) (int, bool) {
	for _, m := range t.recent {
		if m.n > 0 && m.id == id {
			return m.n - 1, true
		}
	}
	n, ok := t.ids.Find(id, h)
	if !ok {
		return 0, false
	}
	t.recent[t.next] = foundActor{id, n + 1}
	t.next = (t.next + 1) % len(t.recent)
	return n, true
}

// touch reads what listed will read of the actor whose id hashes to h:
// the start of its strings. Call it after t.ids.Touch(h), whose loads it
// follows.
func (t *actorTable) touch(h uint64) uint32 {
	if n, ok := t.ids.Peek(h); ok {
		return uint32(t.strs.FirstByte(n))
	}
	return 0
}

// foundActor is an actor's id and number + 1 (0: none).
type foundActor struct {
	id string
	n  int
}

// len is the number of actors.
func (t *actorTable) len() int { return len(t.at) }

// id returns the id of actor n.
func (t *actorTable) id(n int) string { return t.ids.ID(n) }

// names is the number of names of actor n: its name and its aliases.
func (t *actorTable) names(n int) int { return t.strs.Count(n) / 3 }

// name returns the i-th name of actor n as written: its name, then its
// aliases, up to names(n).
func (t *actorTable) name(n, i int) string { return t.strs.Get(n, i) }

// skeleton returns the skeleton of the i-th name of actor n ("" for an
// empty name).
func (t *actorTable) skeleton(n, i int) string { return t.strs.Get(n, 2*t.names(n)+i) }

// foldedWords returns the words of the i-th name of actor n, folded, in a
// scratch slice that the next call reuses.
func (t *actorTable) foldedWords(n, i int) names.Words {
	s := t.strs.Get(n, t.names(n)+i)
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
	at := c.actors.at[n]
	f := Finding{RecordType: schema.Actor, RecordID: strings.Clone(c.actors.id(n)), Pointer: "/name", Field: schema.FieldPath("/name"),
		Severity: sev, Code: code, fileOrder: int(at.fileOrder), index: int(at.index)}
	f.locate(c.position(at.at))
	return f
}
