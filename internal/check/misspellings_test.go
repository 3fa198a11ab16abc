package check

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// plainMisspellings is the obviously correct twin of misspellings: a map
// of structs holding whole Findings, as the checker kept them before they
// were packed. One rule changed with the packing, on purpose: a record is
// counted once per name group (one record), where the old map counted
// once per run of records with the same type and id, so that two
// neighbouring records without an id, or sharing one, counted once.
type plainMisspellings map[misspellingKey]*plainMisspelt

type plainMisspelt struct {
	actor     int
	first     Finding
	spelling  string
	records   []string
	count     int
	lastGroup uint64
}

func (p plainMisspellings) add(k misspellingKey, a int, n *reportedName, f Finding, group uint64, typ, id string) {
	m := p[k]
	if m == nil {
		m = &plainMisspelt{actor: a, first: f, spelling: n.spelling}
		p[k] = m
	} else if compareFindings(f, m.first) < 0 {
		m.first, m.spelling = f, n.spelling
	}
	if m.count > 0 && m.lastGroup == group {
		return
	}
	m.lastGroup = group
	m.count++
	if len(m.records) < misspeltShown {
		m.records = append(m.records, fmt.Sprintf("%s %q", typ, id))
	}
}

func (p plainMisspellings) notes() []note {
	keys := make([]misspellingKey, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b misspellingKey) int {
		return cmp.Or(compareFindings(p[a].first, p[b].first), strings.Compare(a.source, b.source))
	})
	var out []note
	for _, k := range keys {
		m := p[k]
		out = append(out, note{key: misspellingKey{k.actor, k.source, ""}, actor: m.actor, first: m.first,
			spelling: m.spelling, count: m.count, records: m.records})
	}
	return out
}

// TestMisspellingsAgree drives the packed store and its plain twin with the
// same reports, in random order and places, and holds them to the same
// notes: past the chunks of the store's columns and index (16,384), with
// keys repeated across records and within one, and keys too long for the
// index, which the store keeps in a map of its own.
func TestMisspellingsAgree(t *testing.T) {
	for _, tc := range []struct {
		reports, keys int
		seed          uint64
		collide       bool // every folded spelling hashes alike
	}{{50, 10, 1, false}, {2000, 300, 2, false}, {60000, 40000, 3, false}, {3000, 500, 4, true}} {
		name := strconv.Itoa(tc.reports)
		if tc.collide {
			name += " colliding"
		}
		t.Run(name, func(t *testing.T) {
			if tc.collide {
				defer func(h func(*store.IDIndex, string) uint64) { foldedHash = h }(foldedHash)
				foldedHash = func(*store.IDIndex, string) uint64 { return 42 }
			}
			rng := rand.New(rand.NewPCG(tc.seed, 99))
			// Half the records, actors and sources are in the checker's
			// index, whose numbers the store keeps; the others it keeps
			// as text. A quarter more come into it halfway, as records
			// read after the first reports that name them.
			ids := newIDIndex(maphash.MakeSeed())
			index := func(rest int) {
				for i := range tc.reports + tc.keys {
					for _, id := range []string{"rec-", "actor-", "src-"} {
						if id := id + strconv.Itoa(i); i%4 == rest || rest == 0 && i%4 == 2 {
							if _, _, err := ids.addHashed(id, ids.hash(id), entry{}, nil); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
			}
			index(0)
			packed, plain := newMisspellings(maphash.MakeSeed(), ids), plainMisspellings{}
			files := []string{"a.yaml", "b.yaml", "c.xlsx"}
			group := uint64(0)
			for r := range tc.reports {
				if r == tc.reports/2 {
					index(1)
				}
				if rng.IntN(3) > 0 {
					group++ // most reports are in a record of their own
				}
				kn := rng.IntN(tc.keys)
				// The spellings of one key differ but fold alike, as a
				// reported name's key is its spelling folded.
				base := "spelling " + strconv.Itoa(kn%97+100*rng.IntN(2)) // a source may misspell an actor two ways
				if kn%1000 == 7 {
					base = strings.Repeat("x", store.MaxIDBytes) + strconv.Itoa(kn)
				}
				spelling := []string{base, strings.ToUpper(base), "  " + base + "!"}[rng.IntN(3)]
				k := misspellingKey{actor: "actor-" + strconv.Itoa(kn%13), source: "src-" + strconv.Itoa(kn), folded: names.Fold(spelling)}
				fileOrder := rng.IntN(len(files))
				att, idx := rng.IntN(4), rng.IntN(3)
				ptr := "/attestations/" + strconv.Itoa(att) + "/reported_names/" + strconv.Itoa(idx) + "/spelling"
				typ := []string{schema.Event, schema.Statement}[rng.IntN(2)]
				id := "rec-" + strconv.FormatUint(group, 10)
				f := Finding{
					// Two reports are never at one place, which two notes
					// of one source could not be told apart by.
					File: files[fileOrder], Line: 1 + rng.IntN(50)*tc.reports + r, Column: 1 + rng.IntN(5),
					RecordType: typ, RecordID: id, Pointer: ptr, Field: schema.FieldPath(ptr),
					Severity: Warning, Code: CodeAliasUnlisted, fileOrder: fileOrder, index: 1 + rng.IntN(50),
				}
				if fileOrder == 2 {
					f.Sheet, f.Cell = []string{"Events", "Statements"}[rng.IntN(2)], "D"+strconv.Itoa(f.Line)
				}
				n := &reportedName{actor: k.actor, source: k.source, key: k.folded, spelling: spelling, att: att, idx: idx}
				if err := packed.add(k, kn%13, n, f, group, typ, id); err != nil {
					t.Fatal(err)
				}
				plain.add(k, kn%13, n, f, group, typ, id)
			}
			var got []note
			packed.each(func(m note) { got = append(got, m) })
			want := plain.notes()
			if len(got) != len(want) {
				t.Fatalf("%d notes, the twin %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("note %d:\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestMisspellingsPastTheLimit fills the store past a lowered limit: it
// refuses the report that does not fit and every later one with the
// error, and neither add nor each panics (the checker then reports
// beyond-limits).
func TestMisspellingsPastTheLimit(t *testing.T) {
	defer store.LowerLimits(1000, 1<<20)()
	s := newMisspellings(maphash.MakeSeed(), nil)
	var failed error
	for i := range 50 {
		k := misspellingKey{actor: "actor-1", source: "src-" + strconv.Itoa(i), folded: "spelling"}
		n := &reportedName{actor: k.actor, source: k.source, key: k.folded, spelling: strings.Repeat("Rybkov ", 20+5*i)}
		f := Finding{File: "a.yaml", Line: i + 1, Column: 5, RecordType: schema.Statement, RecordID: "st-" + strconv.Itoa(i),
			Pointer: "/attestations/0/reported_names/0/spelling", Severity: Warning, Code: CodeAliasUnlisted}
		for range 2 { // a second report of the same key after the limit
			if err := s.add(k, 1, n, f, uint64(i), schema.Statement, f.RecordID); err != nil {
				failed = err
			}
		}
	}
	if failed == nil {
		t.Fatal("no limit reached: the test does not test it")
	}
	s.each(func(note) {})
}
