// Package diff compares two versions of a dataset record by record: the
// records added, removed and changed, each change at the level of a field
// (inside lists too: an attestation is found by its source, a participant
// by its actor), and, for two coders' versions of the same records, how
// often each field agrees. What only the layout changes (the files a
// record is in, the order of keys, YAML's style, 1.50 against 1.5) is no
// difference: records are compared by value.
package diff

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// Key names a record: its type and id. A record without an id is named by
// its place, "#3" for the third of its type.
type Key struct {
	Type, ID string
}

func (k Key) String() string {
	if strings.HasPrefix(k.ID, "#") {
		return k.Type + " " + k.ID
	}
	return fmt.Sprintf("%s %q", k.Type, k.ID)
}

// compareKeys orders records as the exports do: by type (actors, sources,
// events, statements), then by id.
func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(typeRank(a.Type), typeRank(b.Type)), strings.Compare(a.Type, b.Type), strings.Compare(a.ID, b.ID))
}

func typeRank(t string) int {
	if i := slices.Index(schema.RecordTypes, t); i >= 0 {
		return i
	}
	return len(schema.RecordTypes)
}

// Side is one version of a dataset: each record's canonical JSON, by key,
// kept in a temporary file (only the keys and where each record is stay
// in memory), so that two large datasets can be compared.
type Side struct {
	file  *os.File
	w     *bufio.Writer
	size  int64
	spans map[Key]span
	dups  []Key // keys seen twice: the first record is compared
	err   error
}

type span struct {
	off int64
	n   int
}

// NewSide returns an empty side. Close removes its temporary file.
func NewSide() (*Side, error) {
	f, err := atomicfile.Spool("annals-diff-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for diff: %w", err)
	}
	return &Side{file: f, w: bufio.NewWriterSize(f, 256<<10), spans: map[Key]span{}}, nil
}

// Add keeps a record's canonical JSON (one line, as annals' canonical
// JSON Lines writer makes it).
func (s *Side) Add(k Key, canonical []byte) {
	if _, ok := s.spans[k]; ok {
		s.dups = append(s.dups, k)
		return
	}
	canonical = bytes.TrimSpace(canonical)
	if _, err := s.w.Write(canonical); err != nil && s.err == nil {
		s.err = fmt.Errorf("writing diff's temporary file: %w", err)
	}
	s.spans[k] = span{s.size, len(canonical)}
	s.size += int64(len(canonical))
}

// Len is the number of records.
func (s *Side) Len() int { return len(s.spans) }

// Duplicates are the keys that more than one record has.
func (s *Side) Duplicates() []Key { return s.dups }

// Close removes the temporary file.
func (s *Side) Close() error { return atomicfile.CloseSpool(s.file) }

// bytes reads the canonical JSON of record k into buf.
func (s *Side) bytes(k Key, buf []byte) ([]byte, bool, error) {
	sp, ok := s.spans[k]
	if !ok {
		return nil, false, nil
	}
	buf = slices.Grow(buf[:0], sp.n)[:sp.n]
	if _, err := s.file.ReadAt(buf, sp.off); err != nil {
		return nil, true, fmt.Errorf("reading diff's temporary file: %w", err)
	}
	return buf, true, nil
}

// flush readies the side for reading.
func (s *Side) flush() error {
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("writing diff's temporary file: %w", err)
	}
	return nil
}

// A Change is one field that differs: Old is absent (nil, with OldSet
// false) when the field was added, New when it was removed.
type Change struct {
	Path   string `json:"path"` // "date", "attestations[src-tass].reported_date", "about[+]"
	Old    any    `json:"old,omitempty"`
	New    any    `json:"new,omitempty"`
	OldSet bool   `json:"-"`
	NewSet bool   `json:"-"`
}

// Record is a record that changed, with its changes in field order.
type Record struct {
	Key
	Changes []Change
}

// Agreement is how often one field agrees between two coders: of the
// records both have where either gives the field, in how many the values
// are the same.
type Agreement struct {
	Field string  `json:"field"`
	Agree int     `json:"agree"`
	Total int     `json:"total"`
	Share float64 `json:"share"`
}

// Result is what differs between two sides.
type Result struct {
	Added, Removed []Key
	Changed        []Record
	Same           int // records in both, unchanged
	Old, New       int // records on each side
	Agreement      []Agreement
}

// Differs reports whether the sides differ.
func (r *Result) Differs() bool {
	return len(r.Added)+len(r.Removed)+len(r.Changed) > 0
}

// Compare compares two sides; with agreement, it also tallies how often
// each field agrees (see Agreement).
func Compare(old, new *Side, agreement bool) (*Result, error) {
	for _, s := range []*Side{old, new} {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	r := &Result{Old: old.Len(), New: new.Len()}
	agree := map[string]*Agreement{}
	var fields []string
	for k := range old.spans {
		if _, ok := new.spans[k]; !ok {
			r.Removed = append(r.Removed, k)
		}
	}
	keys := make([]Key, 0, len(new.spans))
	for k := range new.spans {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	slices.SortFunc(r.Removed, compareKeys)
	var ob, nb []byte
	for _, k := range keys {
		var ok bool
		var err error
		if nb, _, err = new.bytes(k, nb); err != nil {
			return nil, err
		}
		if ob, ok, err = old.bytes(k, ob); err != nil {
			return nil, err
		}
		if !ok {
			r.Added = append(r.Added, k)
			continue
		}
		same := bytes.Equal(ob, nb)
		if same && !agreement {
			r.Same++
			continue
		}
		ov, err := decode(ob)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		nv, err := decode(nb)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if agreement {
			tally(agree, &fields, ov, nv)
		}
		if same {
			r.Same++
			continue
		}
		if changes := Values("", ov, nv); len(changes) > 0 {
			r.Changed = append(r.Changed, Record{Key: k, Changes: changes})
		} else {
			r.Same++ // the same values, spelt differently
		}
	}
	slices.Sort(fields)
	for _, f := range fields {
		a := agree[f]
		a.Share = float64(a.Agree) / float64(a.Total)
		r.Agreement = append(r.Agreement, *a)
	}
	return r, nil
}

func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// tally counts, for each top-level field and each field of an attestation
// (matched by source), whether two coders' values agree.
func tally(agree map[string]*Agreement, fields *[]string, ov, nv any) {
	count := func(field string, a, b any, aSet, bSet bool) {
		if !aSet && !bSet {
			return
		}
		g := agree[field]
		if g == nil {
			g = &Agreement{Field: field}
			agree[field] = g
			*fields = append(*fields, field)
		}
		g.Total++
		if aSet && bSet && len(Values("", a, b)) == 0 { // as the diff sees it: lists matched by their items' names
			g.Agree++
		}
	}
	om, _ := ov.(map[string]any)
	nm, _ := nv.(map[string]any)
	for _, name := range unionKeys(om, nm) {
		if name == "type" || name == "id" {
			continue
		}
		a, aSet := om[name]
		b, bSet := nm[name]
		count(name, a, b, aSet, bSet)
		if name != "attestations" {
			continue
		}
		oa, _ := a.([]any)
		na, _ := b.([]any)
		for _, p := range align("attestations", oa, na) {
			if p.old == nil || p.new == nil {
				continue
			}
			x, _ := p.old.(map[string]any)
			y, _ := p.new.(map[string]any)
			for _, f := range unionKeys(x, y) {
				if f == "source" {
					continue
				}
				xv, xs := x[f]
				yv, ys := y[f]
				count("attestations."+f, xv, yv, xs, ys)
			}
		}
	}
}

// unionKeys returns the keys of a then those only b has, each in the
// order of the canonical form (schema order, which the encoder wrote and
// json decoding loses): sorted here by name for determinism.
func unionKeys(a, b map[string]any) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Values returns the changes from old to new below path, field by field.
func Values(path string, old, new any) []Change {
	if jsonvalue.Equal(old, new) {
		return nil
	}
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if oIsMap && nIsMap {
		var out []Change
		for _, k := range unionKeys(om, nm) {
			o, oSet := om[k]
			n, nSet := nm[k]
			p := join(path, k)
			switch {
			case oSet && nSet:
				out = append(out, Values(p, o, n)...)
			case oSet:
				out = append(out, Change{Path: p, Old: o, OldSet: true})
			default:
				out = append(out, Change{Path: p, New: n, NewSet: true})
			}
		}
		return out
	}
	ol, oIsList := old.([]any)
	nl, nIsList := new.([]any)
	if oIsList && nIsList {
		var out []Change
		pairs := align(path, ol, nl)
		if before, after, moved := reordered(pairs); moved {
			out = append(out, Change{Path: path + " (order)", Old: before, New: after, OldSet: true, NewSet: true})
		}
		for _, p := range pairs {
			at := path + "[" + p.label + "]"
			switch {
			case p.old != nil && p.new != nil:
				out = append(out, Values(at, p.old, p.new)...)
			case p.old != nil:
				out = append(out, Change{Path: at, Old: p.old, OldSet: true})
			default:
				out = append(out, Change{Path: at, New: p.new, NewSet: true})
			}
		}
		return out
	}
	return []Change{{Path: path, Old: old, New: new, OldSet: true, NewSet: true}}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// pair is an item of a list on either side, matched with its counterpart.
type pair struct {
	label        string // how the item is named in a path
	old, new     any
	oldAt, newAt int // the item's place in each list, or -1
}

// itemKeys are the fields that name an item of a list of objects, tried
// in turn: an attestation by its source, a participant or a reported name
// by its actor (and spelling), an alias by its name.
var itemKeys = [][]string{{"source"}, {"actor", "spelling"}, {"actor"}, {"name"}}

// align matches the items of two versions of a list: objects by the first
// of itemKeys that names every item of both, each name's n-th occurrence
// with its n-th; scalars by value; anything else by position.
func align(path string, old, new []any) []pair {
	name := itemNamer(old, new)
	if name == nil {
		var out []pair
		for i := range max(len(old), len(new)) {
			p := pair{label: strconv.Itoa(i + 1), oldAt: -1, newAt: -1}
			if i < len(old) {
				p.old, p.oldAt = old[i], i
			}
			if i < len(new) {
				p.new, p.newAt = new[i], i
			}
			out = append(out, p)
		}
		return out
	}
	// Items are told apart by name and, for a name met again in one
	// list, by its occurrence: the second "herald" is "herald#2".
	type slotKey struct {
		name string
		n    int
	}
	type slot struct {
		label        string
		old, new     any
		oldAt, newAt int
	}
	var order []slotKey
	slots := map[slotKey]*slot{}
	place := func(items []any, isNew bool) {
		seen := map[string]int{}
		for i, it := range items {
			n := name(it)
			seen[n]++
			k := slotKey{n, seen[n]}
			s := slots[k]
			if s == nil {
				s = &slot{label: n, oldAt: -1, newAt: -1}
				if k.n > 1 {
					s.label += "#" + strconv.Itoa(k.n)
				}
				slots[k] = s
				order = append(order, k)
			}
			if isNew {
				s.new, s.newAt = it, i
			} else {
				s.old, s.oldAt = it, i
			}
		}
	}
	place(old, false)
	place(new, true)
	out := make([]pair, 0, len(order))
	for _, k := range order {
		s := slots[k]
		out = append(out, pair{label: s.label, old: s.old, new: s.new, oldAt: s.oldAt, newAt: s.newAt})
	}
	return out
}

// reordered returns the labels of the items both lists have, in the old
// order and in the new, and whether the orders differ: the curator's order
// is kept (it numbers an attestation in the exports), so a move is a
// change.
func reordered(pairs []pair) (before, after []any, moved bool) {
	var both []pair
	for _, p := range pairs {
		if p.oldAt >= 0 && p.newAt >= 0 {
			both = append(both, p)
		}
	}
	byOld := slices.Clone(both)
	slices.SortFunc(byOld, func(a, b pair) int { return cmp.Compare(a.oldAt, b.oldAt) })
	byNew := slices.Clone(both)
	slices.SortFunc(byNew, func(a, b pair) int { return cmp.Compare(a.newAt, b.newAt) })
	for i := range byOld {
		before = append(before, byOld[i].label)
		after = append(after, byNew[i].label)
		moved = moved || byOld[i].label != byNew[i].label
	}
	return before, after, moved
}

// itemNamer returns how the items of both lists are named, or nil to
// match them by position.
func itemNamer(old, new []any) func(any) string {
	all := append(slices.Clone(old), new...)
	scalars := true
	for _, it := range all {
		switch it.(type) {
		case string, json.Number, bool:
		default:
			scalars = false
		}
	}
	if scalars {
		return func(it any) string { return Text(it) }
	}
	for _, keys := range itemKeys {
		ok := true
		for _, it := range all {
			m, isMap := it.(map[string]any)
			for _, k := range keys {
				if _, has := m[k].(string); !isMap || !has {
					ok = false
				}
			}
		}
		if ok && len(all) > 0 {
			return func(it any) string {
				m := it.(map[string]any)
				parts := make([]string, len(keys))
				for i, k := range keys {
					parts[i] = m[k].(string)
				}
				return strings.Join(parts, "/")
			}
		}
	}
	return nil
}

// Text is a value as a change shows it: text and numbers as they are,
// anything else as compact JSON.
func Text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return jsonvalue.CanonicalNumber(string(v))
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
