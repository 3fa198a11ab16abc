package check

import (
	"fmt"
	"iter"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
)

// The source-integrity checks compare what the records say with what their
// sources printed: spellings against the actors' names and aliases, the
// values each source reports against each other, and (in quotes.go)
// quotes against the archived articles. Like the other cross-record
// checks, they keep what they need of each record, not the record.

// reportedName is one spelling an attestation reports: the idx-th
// reported name of the att-th attestation of the record r, located only
// when a finding needs it. Kept past the record (for Finish, or as the
// first of an unlisted spelling), it is frozen: located once, and r let go.
type reportedName struct {
	actor, spelling, source, rank string
	folded                        names.Words
	key                           string     // the spelling folded, for spellingKey
	actorHash                     uint64     // of actor, in the index
	r                             *recordCtx // nil once frozen
	att, idx                      int
	place                         *Finding // once frozen
}

// at returns a finding at the spelling.
func (n *reportedName) at() Finding {
	if n.r == nil {
		return *n.place
	}
	return n.r.finding("/attestations/"+strconv.Itoa(n.att)+"/reported_names/"+strconv.Itoa(n.idx)+"/spelling",
		false, Warning, CodeAliasUnlisted, "", "")
}

// frozen returns n located, without its record.
func (n reportedName) frozen() reportedName {
	return n.frozenAt(n.at())
}

// frozenAt returns n without its record, at f (which is n.at()).
func (n reportedName) frozenAt(f Finding) reportedName {
	n.place, n.r = &f, nil
	return n
}

// nameGroup is the spellings of one record's attestations, for the
// spelling checks and the name conflicts. They are decided when the record
// is read if its actors have been read by then, and by Finish otherwise.
type nameGroup struct {
	typ, id string
	names   []reportedName // at least one; the group's findings are at the first
}

// spellingKey is a spelling of an actor, folded.
type spellingKey struct{ actor, folded string }

// unlistedSpelling is a spelling no name or alias of its actor covers: its
// first report, in the order of findings, and the sources that report it.
type unlistedSpelling struct {
	actor   int // its number in the actors' table
	first   Finding
	name    reportedName
	sources []string
}

// indexActor adds an actor that owns its id (see indexRecord), whose entry
// in the index is the n-th, to the actors' table, and its number there to
// that entry.
func (c *Checker) indexActor(r *recordCtx, n int) {
	if r.actor == nil {
		return
	}
	a, err := c.actors.add(r.id, r.actor, r.nameAt())
	if err != nil {
		c.failAt(r, err)
		return
	}
	c.index.setActor(n, a)
}

// examineAttestations gathers what the source-integrity checks need from
// the attestations of an event or statement, and reports the conflicts
// that the record alone shows: dates and places.
func (c *Checker) examineAttestations(r *recordCtx, obj map[string]any) {
	atts, _ := obj["attestations"].([]any)
	// The values each source reports, and where (located only if they
	// conflict).
	var dates, places []record.ConflictValue
	var dateAtts, placeAtts []int // the attestations they are in
	group := nameGroup{typ: r.typ, id: r.id}
	var fc *store.Memo[foldedSpelling] // taken at the first spelling
	for i, x := range atts {
		att, _ := x.(map[string]any)
		if att == nil {
			continue
		}
		source, _ := att["source"].(string)
		rank, _ := att["rank"].(string)
		if d, ok := att["reported_date"].(string); ok && !(len(r.failed) > 0 && r.failed["/attestations/"+strconv.Itoa(i)+"/reported_date"]) {
			wording, _ := att["reported_date_text"].(string)
			if dates == nil { // room for every attestation: one allocation
				dates, dateAtts = make([]record.ConflictValue, 0, len(atts)), make([]int, 0, len(atts))
			}
			dates = append(dates, record.ConflictValue{Source: source, Value: d, Wording: wording, Rank: rank})
			dateAtts = append(dateAtts, i)
		}
		if p, ok := att["reported_place"].(string); ok {
			if places == nil {
				places, placeAtts = make([]record.ConflictValue, 0, len(atts)), make([]int, 0, len(atts))
			}
			places = append(places, record.ConflictValue{Source: source, Value: p, Rank: rank})
			placeAtts = append(placeAtts, i)
		}
		rn, _ := att["reported_names"].([]any)
		for j, y := range rn {
			m, _ := y.(map[string]any)
			actor, ok1 := m["actor"].(string)
			spelling, ok2 := m["spelling"].(string)
			if !ok1 || !ok2 {
				continue
			}
			if fc == nil {
				fc = foldCaches.Get().(*store.Memo[foldedSpelling])
				defer foldCaches.Put(fc)
			}
			f := fc.Get(spelling, foldSpelling)
			key, folded := f.key, f.words
			if group.names == nil {
				group.names = make([]reportedName, 0, 2*(len(atts)-i))
			}
			group.names = append(group.names, reportedName{actor: actor, spelling: spelling, source: source, rank: rank,
				folded: folded, key: key, actorHash: c.index.hash(actor), r: r, att: i, idx: j})
		}
	}
	if len(group.names) > 0 {
		r.names = &group
	}
	if len(dates) > 0 {
		canonical, _ := obj["date"].(string)
		c.dateConflict(r, canonical, dates, dateAtts)
	}
	if len(places) > 0 {
		var canonical string
		if loc, ok := obj["location"].(map[string]any); ok {
			canonical, _ = loc["name"].(string)
		}
		c.placeConflict(r, canonical, places, placeAtts)
	}
}

// addAttestations runs the checks of the attestations that span records:
// spellings against the actors, quotes against the archive.
func (c *Checker) addAttestations(r *recordCtx, obj map[string]any) {
	if r.names != nil {
		c.addNameGroup(*r.names)
	}
	for _, conf := range r.conflicts {
		c.conflicts.add(conf)
	}
	c.failAt(r, c.conflicts.err())
	atts, _ := obj["attestations"].([]any)
	for i, x := range atts {
		att, _ := x.(map[string]any)
		q, ok := att["quote"].(string)
		if !ok {
			continue
		}
		c.quoteCoverage.Quotes++
		ptr := "/attestations/" + strconv.Itoa(i) + "/quote"
		source, _ := att["source"].(string)
		switch {
		case !c.archiveWanted():
			c.quoteCoverage.NoArchiveFolder++
		case r.failed[ptr] || r.failed["/attestations/"+strconv.Itoa(i)+"/source"]:
			c.quoteCoverage.Invalid++
		default:
			c.quotes = append(c.quotes, pendingQuote{source: source, quote: q, f: r.finding(ptr, false, Error, CodeQuoteNotFound, "", "")})
		}
	}
}

// span is the days a date covers; an open end is unbounded.
type span struct{ from, to time.Time }

var (
	minTime = time.Date(-999999, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(999999, 12, 31, 0, 0, 0, 0, time.UTC)
)

func dateSpan(s string) (span, bool) {
	d, ok := parseDate(s)
	if !ok {
		return span{}, false
	}
	sp := span{minTime, maxTime}
	if t, ok := d.Earliest(); ok {
		sp.from = t
	}
	if t, ok := d.Latest(); ok {
		sp.to = t
	}
	return sp, true
}

func (a span) overlaps(b span) bool { return !a.to.Before(b.from) && !b.to.Before(a.from) }

// dateConflict reports when no one day fits the record's date and every
// reported date: a less precise date ("2022-01") fits a day in it.
func (c *Checker) dateConflict(r *recordCtx, canonical string, reported []record.ConflictValue, atts []int) {
	cs, hasCanonical := dateSpan(canonical)
	if r.failed["/date"] {
		hasCanonical = false
	}
	all := span{minTime, maxTime}
	if hasCanonical {
		all = cs
	}
	n := 0
	for i, v := range reported {
		s, ok := dateSpan(v.Value)
		reported[i].Agrees = !ok || !hasCanonical || s.overlaps(cs)
		if !ok {
			continue
		}
		n++
		if s.from.After(all.from) {
			all.from = s.from
		}
		if s.to.Before(all.to) {
			all.to = s.to
		}
	}
	if !all.from.After(all.to) || n+btoi(hasCanonical) < 2 {
		return
	}
	if !hasCanonical {
		canonical = ""
	}
	c.addConflict(r, "date", "/date", CodeDateConflict, canonical, reported, atts, "reported_date", "date")
}

// placeConflict reports places that neither contain each other nor the
// location's name, after case, accents and punctuation.
func (c *Checker) placeConflict(r *recordCtx, canonical string, reported []record.ConflictValue, atts []int) {
	conflict := false
	for i, v := range reported {
		reported[i].Agrees = canonical == "" || fits(canonical, v.Value)
		conflict = conflict || !reported[i].Agrees
		for _, w := range reported[:i] {
			conflict = conflict || !fits(v.Value, w.Value)
		}
	}
	if conflict {
		c.addConflict(r, "location.name", "/location/name", CodePlaceConflict, canonical, reported, atts, "reported_place", "place")
	}
}

// addConflict counts a conflict, lists its finding at the record's own
// value, or at the first source's when the record has none, and keeps it
// for Conflicts if asked to. The values are the member leaf of the
// attestations atts; they are located only for what is listed or kept.
func (c *Checker) addConflict(r *recordCtx, field, ptr, code, canonical string, values []record.ConflictValue, atts []int, leaf, what string) {
	conf := record.Conflict{RecordType: r.typ, RecordID: r.id, Field: field, Canonical: canonical, Values: values}
	msg := func() string { return conflictMessage(conf, what, "the record has") }
	at := func(i int) string { return "/attestations/" + strconv.Itoa(atts[i]) + "/" + leaf }
	if canonical != "" {
		r.emitAt(ptr, ptr, false, Info, code, "", msg)
	} else {
		r.emitAt("", at(0), false, Info, code, "", msg)
	}
	if c.KeepConflicts {
		for i := range values {
			values[i].Pos = r.rec.Position(at(i), false)
		}
		r.conflicts = append(r.conflicts, conf)
	}
}

// conflictMessage says who reports what:
// the sources disagree on the date: the record has 2022-01-10; "src-a" reports 2022-01-09 ("on Sunday"), ...
func conflictMessage(conf record.Conflict, what, has string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the record and its sources differ on the %s", what)
	if conf.Canonical != "" {
		fmt.Fprintf(&b, ": %s %s", has, quoteIfText(conf.Canonical, what))
	}
	for i, v := range conf.Values {
		switch {
		case i == 0 && conf.Canonical == "":
			b.WriteString(": ")
		default:
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%q reports %s", v.Source, quoteIfText(v.Value, what))
		if v.Wording != "" {
			fmt.Fprintf(&b, " (%q)", v.Wording)
		}
		if v.Rank != "" && v.Rank != "normal" {
			fmt.Fprintf(&b, ", ranked %s", v.Rank)
		}
	}
	b.WriteString("; annals conflicts lists every conflict")
	return b.String()
}

func quoteIfText(s, what string) string {
	if what == "date" {
		return s
	}
	return fmt.Sprintf("%q", s)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fits reports whether one place or spelling contains the other.
func fits(a, b string) bool { return names.Covers(a, b) || names.Covers(b, a) }

// finishNames runs the checks that need every actor: spellings against
// names and aliases, name conflicts, and near-duplicate actors.
// addNameGroup decides a record's spellings now if every actor they
// name has been read, and keeps them for Finish otherwise, with their
// positions, since the record is gone by then.
func (c *Checker) addNameGroup(g nameGroup) {
	for _, n := range g.names {
		if _, ok := c.findActor(n.actor, n.actorHash); !ok {
			for i := range g.names {
				g.names[i] = g.names[i].frozen()
			}
			c.nameGroups = append(c.nameGroups, g)
			return
		}
	}
	c.decideNames(g)
}

// decideNames checks a record's spellings against the actors' names and
// aliases, and against each other.
func (c *Checker) decideNames(g nameGroup) {
	c.nameGroupSeq++
	var actors []string // in the order of their first spelling
	var numbers []int   // theirs in the actors' table
	for _, n := range g.names {
		a, ok := c.findActor(n.actor, n.actorHash)
		if !ok {
			continue // a dangling reference, reported as such
		}
		if !slices.Contains(actors, n.actor) {
			actors, numbers = append(actors, n.actor), append(numbers, a)
		}
		if c.actors.listed(a, n.folded) {
			continue
		}
		k := spellingKey{n.actor, n.key}
		u := c.unlisted[k]
		if u == nil {
			first := n.frozen()
			c.unlisted[k] = &unlistedSpelling{actor: a, first: *first.place, name: first, sources: []string{n.source}}
			continue
		}
		if !slices.Contains(u.sources, n.source) {
			u.sources = append(u.sources, n.source)
		}
		if f := n.at(); compareFindings(f, u.first) < 0 {
			u.first, u.name = f, n.frozenAt(f)
		}
	}
	for i, actor := range actors {
		c.nameConflict(g, actor, numbers[i], spellingsOf(g.names, actor))
	}
}

// spellingsOf returns the reported names of one actor, in order: ns
// itself when they are all that actor's, as they usually are.
func spellingsOf(ns []reportedName, actor string) []reportedName {
	all := true
	for _, n := range ns {
		all = all && n.actor == actor
	}
	if all {
		return ns
	}
	var out []reportedName
	for _, n := range ns {
		if n.actor == actor {
			out = append(out, n)
		}
	}
	return out
}

// decideHeldNames decides the spellings of the records read before an
// actor they name: at Finish, while the index still finds the actors.
func (c *Checker) decideHeldNames() {
	for _, g := range c.nameGroups {
		c.decideNames(g)
	}
	c.nameGroups = nil
}

func (c *Checker) finishNames() {
	c.finishMisspellings()
	keys := slices.Collect(maps.Keys(c.unlisted))
	slices.SortFunc(keys, func(a, b spellingKey) int { return compareFindings(c.unlisted[a].first, c.unlisted[b].first) })
	for _, k := range keys {
		u := c.unlisted[k]
		in := fmt.Sprintf("%q", u.sources[0])
		for _, s := range u.sources[1:] {
			in += fmt.Sprintf(", also in %q", s)
		}
		f := u.first
		f.Message = fmt.Sprintf("%q (in %s) is neither the name of actor %q (%q) nor one of its aliases; add it to the actor's aliases, with its kind (transliteration, misspelling...) and the sources it was seen in",
			u.name.spelling, in, k.actor, c.actors.name(u.actor, 0))
		c.add(f)
	}
	c.duplicateActors()
}

// nameConflict reports the spellings of one actor in one record that are
// not ways to write its name: neither its name nor an alias (of a kind
// other than misspelling), nor a part of one. Such a spelling is a
// conflict of the record, which annals conflicts lists. A note says so
// at the record when a spelling is no alias at all; a misspelling the
// aliases record is noted once per source and actor, at Finish, with the
// records it is in (see finishMisspellings).
func (c *Checker) nameConflict(g nameGroup, actor string, a int, ns []reportedName) {
	conflict, unknown := false, false
	agrees := make([]bool, len(ns))
	for i := range ns {
		n := &ns[i]
		ok, misspelling := c.actors.accepts(a, n.folded)
		agrees[i] = ok
		conflict = conflict || !ok
		unknown = unknown || !ok && !misspelling
		if misspelling {
			c.addMisspelling(g, a, n)
		}
	}
	if !conflict {
		return
	}
	conf := record.Conflict{RecordType: g.typ, RecordID: g.id, Field: "reported_names", Actor: actor, Canonical: c.actors.name(a, 0)}
	for i, n := range ns {
		conf.Values = append(conf.Values, record.ConflictValue{Source: n.source, Value: n.spelling, Rank: n.rank, Agrees: agrees[i]})
	}
	if c.KeepConflicts {
		for i, n := range ns {
			conf.Values[i].Pos = n.at().Position()
		}
		c.conflicts.add(conf)
	}
	if !unknown {
		return
	}
	f := Finding{RecordType: g.typ, RecordID: g.id, Field: "reported_names", Severity: Info, Code: CodeNameConflict}
	if f, ok := c.count(f); ok {
		at := g.names[0].at()
		f.File, f.Line, f.Column, f.Sheet, f.Cell, f.fileOrder, f.index = at.File, at.Line, at.Column, at.Sheet, at.Cell, at.fileOrder, at.index
		f.Message = conflictMessage(conf, fmt.Sprintf("spelling of %q", actor), "the actor's name is")
		c.list(f)
	}
}

// duplicateActors reports the groups of actors whose names or aliases
// have the same transliteration skeleton, or skeletons one letter apart
// (see names.Groups): one finding per group, at the actor that comes last
// in the input, naming the first few others.
func (c *Checker) duplicateActors() {
	t := c.actors
	total := 0
	for a := range t.len() {
		total += t.names(a)
	}
	if total > math.MaxUint32 { // actorKeys numbers names and actors in 32 bits
		c.fail(&store.LimitError{What: fmt.Sprintf("%d names of actors to compare", total), Limit: math.MaxUint32, Unit: "names"})
		return
	}
	keys := actorKeys{first: make([]uint32, t.len())}
	last := -1
	skeletons(t, func(a int, skeleton string) {
		if i := keys.skeletons.Append(skeleton); a != last {
			keys.first[a], last = uint32(i), a // i < total <= MaxUint32, or -1 after an error, which stops here
		}
	})
	if err := keys.skeletons.Err(); err != nil {
		c.fail(err)
		return
	}
	names.Groups(&keys, func(owners []int) bool {
		c.add(c.duplicateActorFinding(owners))
		return true
	})
}

// skeletons calls add with the skeleton of every name of every actor
// (see names.Skeleton; "" for an empty name), actor by actor, in order:
// made on every core, a batch of actors at a time.
func skeletons(t *actorTable, add func(actor int, skeleton string)) {
	const batch = 4096
	workers := runtime.GOMAXPROCS(0)
	out := make([][]string, workers)
	for from := 0; from < t.len(); from += workers * batch {
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := min(from+w*batch, t.len()), min(from+(w+1)*batch, t.len())
			out[w] = out[w][:0]
			wg.Go(func() {
				for a := lo; a < hi; a++ {
					for i := range t.names(a) {
						s := ""
						if name := t.name(a, i); name != "" {
							s = names.Skeleton(name)
						}
						out[w] = append(out[w], s)
					}
				}
			})
		}
		wg.Wait()
		for w := range workers {
			k := 0
			for a := min(from+w*batch, t.len()); a < min(from+(w+1)*batch, t.len()); a++ {
				for range t.names(a) {
					add(a, out[w][k])
					k++
				}
			}
		}
	}
}

// actorKeys is the skeletons of every actor's names, for names.Groups,
// actor after actor: actor a's first is the first[a]-th.
type actorKeys struct {
	skeletons store.Strings
	first     []uint32
}

func (k *actorKeys) Len() int { return k.skeletons.Len() }

func (k *actorKeys) Key(i int) string { return k.skeletons.Get(i) }

// Owner is the actor of key i: the last whose first key is not after it.
func (k *actorKeys) Owner(i int) int {
	a, found := slices.BinarySearch(k.first, uint32(i))
	if !found {
		a--
	}
	return a
}

// maxNamed is how many other actors a duplicate-actor finding names, and
// maxNameShown the most characters of a name it shows.
const (
	maxNamed     = 3
	maxNameShown = 120
)

// duplicateActorFinding is the finding for a group of actors (numbers,
// sorted) whose names are alike: at the last in the input, naming the
// first few others by id.
func (c *Checker) duplicateActorFinding(group []int) Finding {
	t := c.actors
	last := group[len(group)-1] // actors are numbered in input order
	others := group[:len(group)-1]
	// The first few others by id, found in one pass.
	named := make([]int, 0, maxNamed+1)
	for _, o := range others {
		i, _ := slices.BinarySearchFunc(named, t.id(o), func(n int, id string) int { return strings.Compare(t.id(n), id) })
		if i < maxNamed {
			named = slices.Insert(named, i, o)
			named = named[:min(len(named), maxNamed)]
		}
	}
	name := t.name(last, 0)
	same := true // every other actor has the same name
	for _, o := range others {
		same = same && t.name(o, 0) == name
	}
	shown := func(n int) string { return ellipsize(t.name(n, 0), maxNameShown) }
	name = shown(last)
	f := c.nameFinding(last, Warning, CodeDuplicateActor)
	const tellApart = "if they are one actor, merge the records; if not, say in each description who they are, so that curators can tell them apart"
	shared := ""
	if !same {
		shared = ellipsize(t.sharedName(last, named[0]), maxNameShown)
	}
	if len(others) == 1 {
		o := others[0]
		switch {
		case same:
			f.Message = fmt.Sprintf("%q is also the name of actor %q: %s", name, t.id(o), tellApart)
		case shared != "":
			f.Message = fmt.Sprintf("%q may be the same as actor %q (%q): both have the name or alias %q; %s", name, t.id(o), shown(o), shared, tellApart)
		default:
			f.Message = fmt.Sprintf("%q may be the same as actor %q (%q): their names or aliases are the same or alike but for transliteration or one letter; if they are one actor, merge the records and keep the other spelling as an alias",
				name, t.id(o), shown(o))
		}
		return f
	}
	var list strings.Builder
	for i, o := range named {
		if i > 0 {
			list.WriteString(", ")
		}
		if same {
			fmt.Fprintf(&list, "%q", t.id(o))
		} else {
			fmt.Fprintf(&list, "%q (%q)", t.id(o), shown(o))
		}
	}
	if more := len(others) - len(named); more > 0 {
		fmt.Fprintf(&list, " and %d more", more)
	}
	switch {
	case same:
		f.Message = fmt.Sprintf("%q is also the name of %d other actors: %s; %s", name, len(others), list.String(), tellApart)
	case shared != "":
		f.Message = fmt.Sprintf("%q may be the same as %d other actors, whose names or aliases are the same or alike but for transliteration or one letter: %s; it has the name or alias %q, as %q does; %s",
			name, len(others), list.String(), shared, t.id(named[0]), tellApart)
	default:
		f.Message = fmt.Sprintf("%q may be the same as %d other actors, whose names or aliases are the same or alike but for transliteration or one letter: %s; if they are one actor, merge the records and keep the other spellings as aliases",
			name, len(others), list.String())
	}
	return f
}

// Conflicts returns the conflicts found (with KeepConflicts), sorted by
// record and field. Call it after Finish.
func (c *Checker) Conflicts() []record.Conflict { return slices.Collect(c.ConflictSeq()) }

// ConflictSeq is Conflicts one at a time, for a dataset with more of them
// than should be in memory at once as Go values: each is decoded when it
// is reached. It may be ranged over more than once. Call it after Finish.
func (c *Checker) ConflictSeq() iter.Seq[record.Conflict] {
	c.conflicts.sort()
	return c.conflicts.each
}
