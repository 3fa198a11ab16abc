package check

// A reference implementation of three dataset rules (duplicate ids,
// references, duplicate actors), written from their specification with
// plain maps, slices and brute force, and a differential test that runs
// it and the Checker on generated datasets and requires the same findings.
//
// The reference reads records already parsed from JSON Lines (refRecord);
// where a finding points, it takes from the generator, which knows the
// column of every value it wrote.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	annalsjson "github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/schema"
)

// ---------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------

// refRecord is one record of a JSON Lines file, parsed, with where its
// values are.
type refRecord struct {
	file      string
	line, col int            // where the record starts (col: 1-based, in characters)
	value     map[string]any // the record as encoding/json parses it
	at        map[string]int // the column of each value's first character, by JSON pointer
	typ, id   string         // value's "type" and "id"
}

// refReference is a field that holds the id of another record.
type refReference struct {
	typ    string // of the record that holds it
	path   string // a JSON pointer, "*" standing for every index of an array
	target string // the type of record it must name
}

// referenceFields are the references the generated records use. (The
// schema declares a few more, in fields the generator never writes;
// TestReferenceFieldsInSchema checks these against it.)
var referenceFields = []refReference{
	{"actor", "/aliases/*/seen_in/*", "source"},
	{"event", "/participants/*/actor", "actor"},
	{"event", "/attestations/*/source", "source"},
	{"event", "/attestations/*/reported_names/*/actor", "actor"},
	{"statement", "/speaker", "actor"},
	{"statement", "/attestations/*/source", "source"},
	{"statement", "/attestations/*/reported_names/*/actor", "actor"},
}

// referenceFindings is what the three rules find in recs, by code, each
// finding formatted as Finding.String formats it.
func referenceFindings(recs []refRecord) map[string][]string {
	first := firstWithID(recs)
	out := map[string][]string{}
	out[CodeDuplicateID] = referenceDuplicateIDs(recs, first)
	out[CodeDanglingReference], out[CodeWrongReference] = referenceReferences(recs, first)
	out[CodeDuplicateActor] = referenceDuplicateActors(referenceActors(recs, first))
	return out
}

// firstWithID maps each id to the index of the first record that has it.
func firstWithID(recs []refRecord) map[string]int {
	first := map[string]int{}
	for i, r := range recs {
		if _, ok := first[r.id]; !ok {
			first[r.id] = i
		}
	}
	return first
}

// referenceDuplicateIDs: every record but the first with an id gets an
// error at its /id.
func referenceDuplicateIDs(recs []refRecord, first map[string]int) []string {
	var out []string
	for i, r := range recs {
		j := first[r.id]
		if j == i {
			continue
		}
		p := recs[j]
		msg := fmt.Sprintf("%q is already the id of the %s at %s; ids must be unique across the dataset, so rename one of them",
			r.id, p.typ, fmt.Sprintf("%s:%d:%d", p.file, p.line, p.col))
		if p.file != r.file {
			msg += ", or, if one of the two files is an export or a copy of the other's records, leave it out of the dataset: list it (or its folder) under exclude: in annals.yaml, or in .gitignore"
		}
		out = append(out, refFinding(r, "/id", Error, msg))
	}
	return out
}

// referenceReferences: a reference names the first record with its id,
// anywhere in the dataset; none is dangling, one of another type is wrong.
func referenceReferences(recs []refRecord, first map[string]int) (dangling, wrong []string) {
	for _, r := range recs {
		for _, ref := range referenceFields {
			if ref.typ != r.typ {
				continue
			}
			eachAtPath(r.value, strings.Split(ref.path[1:], "/"), "", func(ptr, id string) {
				j, ok := first[id]
				switch {
				case !ok:
					dangling = append(dangling, refFinding(r, ptr, Error, fmt.Sprintf(
						"refers to %q, but no record has that id; add %s %s with this id, or correct the reference",
						id, refArticle(ref.target), ref.target)))
				case recs[j].typ != ref.target:
					got := recs[j].typ
					wrong = append(wrong, refFinding(r, ptr, Error, fmt.Sprintf(
						"refers to %q, which is %s %s, but it must refer to %s %s",
						id, refArticle(got), got, refArticle(ref.target), ref.target)))
				}
			})
		}
	}
	return dangling, wrong
}

// eachAtPath calls fn for every string at the path toks ("*" for every
// index) under v, with its JSON pointer.
func eachAtPath(v any, toks []string, ptr string, fn func(ptr, s string)) {
	if len(toks) == 0 {
		if s, ok := v.(string); ok {
			fn(ptr, s)
		}
		return
	}
	if toks[0] == "*" {
		list, _ := v.([]any)
		for i, x := range list {
			eachAtPath(x, toks[1:], ptr+"/"+strconv.Itoa(i), fn)
		}
		return
	}
	obj, _ := v.(map[string]any)
	if x, ok := obj[toks[0]]; ok {
		eachAtPath(x, toks[1:], ptr+"/"+toks[0], fn)
	}
}

// refActor is an actor for the duplicate-actor rule.
type refActor struct {
	n         int // its number, in input order
	rec       refRecord
	id        string
	name      string          // as written
	spellings []string        // its name, then its aliases, as written
	keys      map[string]bool // the skeletons of its name and aliases, but empty ones
}

// referenceActors are the actor records whose id was not taken before
// them, numbered in input order, with their keys.
func referenceActors(recs []refRecord, first map[string]int) []refActor {
	var actors []refActor
	for i, r := range recs {
		if r.typ != "actor" || first[r.id] != i {
			continue
		}
		a := refActor{n: len(actors), rec: r, id: r.id, keys: map[string]bool{}}
		a.name, _ = r.value["name"].(string)
		spellings := []string{a.name}
		aliases, _ := r.value["aliases"].([]any)
		for _, x := range aliases {
			alias, _ := x.(map[string]any)
			if s, ok := alias["name"].(string); ok {
				spellings = append(spellings, s)
			}
		}
		for _, s := range spellings {
			if k := names.Skeleton(s); k != "" {
				a.keys[k] = true
			}
		}
		a.spellings = spellings
		actors = append(actors, a)
	}
	return actors
}

// referenceHolders maps each key to the actors holding it, in input order.
func referenceHolders(actors []refActor) map[string][]int {
	holders := map[string][]int{}
	for _, a := range actors {
		for k := range a.keys {
			holders[k] = append(holders[k], a.n)
		}
	}
	return holders
}

// referenceActorGroups returns the reported groups of actors, each sorted
// by number, each set once:
//
//	(E) for each key, the actors holding it;
//	(F) for each string v and rune position i, with K the keys of 5 runes
//	    or more that give v when rune i is deleted: the actors holding a
//	    key in K, and those holding v if v is a key of 5 runes or more.
//
// A group is reported when it has 2 actors or more and, for (F), two
// different actors holding different keys of it.
func referenceActorGroups(actors []refActor) [][]int {
	holders := referenceHolders(actors)
	seen := map[string]bool{}
	var groups [][]int
	add := func(members map[int]bool) {
		g := make([]int, 0, len(members))
		for a := range members {
			g = append(g, a)
		}
		slices.Sort(g)
		key := fmt.Sprint(g)
		if !seen[key] {
			seen[key] = true
			groups = append(groups, g)
		}
	}
	// (E)
	for _, hs := range holders {
		if len(hs) >= 2 {
			members := map[int]bool{}
			for _, a := range hs {
				members[a] = true
			}
			add(members)
		}
	}
	// (F)
	type variant struct {
		v string
		i int
	}
	deleting := map[variant][]string{}
	for k := range holders {
		r := []rune(k)
		if len(r) < 5 {
			continue
		}
		for i := range r {
			v := string(r[:i]) + string(r[i+1:])
			deleting[variant{v, i}] = append(deleting[variant{v, i}], k)
		}
	}
	for vi, ks := range deleting {
		groupKeys := slices.Clone(ks)
		if _, ok := holders[vi.v]; ok && utf8.RuneCountInString(vi.v) >= 5 {
			groupKeys = append(groupKeys, vi.v)
		}
		members := map[int]bool{}
		for _, k := range groupKeys {
			for _, a := range holders[k] {
				members[a] = true
			}
		}
		if len(members) < 2 || !twoActorsTwoKeys(groupKeys, holders) {
			continue
		}
		add(members)
	}
	return groups
}

// twoActorsTwoKeys reports whether two different actors hold two different
// keys of ks.
func twoActorsTwoKeys(ks []string, holders map[string][]int) bool {
	for _, ka := range ks {
		for _, kb := range ks {
			if ka == kb {
				continue
			}
			for _, a := range holders[ka] {
				for _, b := range holders[kb] {
					if a != b {
						return true
					}
				}
			}
		}
	}
	return false
}

// referenceDuplicateActors is one warning per reported group, at the name
// of its last member in input order.
func referenceDuplicateActors(actors []refActor) []string {
	var out []string
	for _, g := range referenceActorGroups(actors) {
		last := actors[g[len(g)-1]]
		var others []refActor
		for _, n := range g[:len(g)-1] {
			others = append(others, actors[n])
		}
		slices.SortFunc(others, func(a, b refActor) int { return strings.Compare(a.id, b.id) })
		sameName := true
		for _, o := range others {
			sameName = sameName && o.name == last.name
		}
		// The first of last's spellings that the first other has too, but
		// for case, accents and punctuation; looked for only when the two
		// have at most 1,000 between them.
		shared := ""
		if o := others[0]; len(last.spellings)+len(o.spellings) <= 1000 {
		search:
			for _, s := range last.spellings {
				for _, t := range o.spellings {
					if names.Fold(s) != "" && names.Fold(s) == names.Fold(t) {
						shared = s
						break search
					}
				}
			}
		}
		var msg string
		switch {
		case len(others) == 1 && sameName:
			msg = fmt.Sprintf("%q is also the name of actor %q: if they are one actor, merge the records; if not, say in each description who they are, so that curators can tell them apart",
				last.name, others[0].id)
		case len(others) == 1 && shared != "":
			msg = fmt.Sprintf("%q may be the same as actor %q (%q): both have the name or alias %q; if they are one actor, merge the records; if not, say in each description who they are, so that curators can tell them apart",
				last.name, others[0].id, others[0].name, shared)
		case len(others) == 1:
			msg = fmt.Sprintf("%q may be the same as actor %q (%q): their names or aliases are the same or alike but for transliteration or one letter; if they are one actor, merge the records and keep the other spelling as an alias",
				last.name, others[0].id, others[0].name)
		case sameName:
			msg = fmt.Sprintf("%q is also the name of %d other actors: %s; if they are one actor, merge the records; if not, say in each description who they are, so that curators can tell them apart",
				last.name, len(others), refList(others, func(o refActor) string { return fmt.Sprintf("%q", o.id) }))
		case shared != "":
			msg = fmt.Sprintf("%q may be the same as %d other actors, whose names or aliases are the same or alike but for transliteration or one letter: %s; it has the name or alias %q, as %q does; if they are one actor, merge the records; if not, say in each description who they are, so that curators can tell them apart",
				last.name, len(others), refList(others, func(o refActor) string { return fmt.Sprintf("%q (%q)", o.id, o.name) }), shared, others[0].id)
		default:
			msg = fmt.Sprintf("%q may be the same as %d other actors, whose names or aliases are the same or alike but for transliteration or one letter: %s; if they are one actor, merge the records and keep the other spellings as aliases",
				last.name, len(others), refList(others, func(o refActor) string { return fmt.Sprintf("%q (%q)", o.id, o.name) }))
		}
		out = append(out, refFinding(last.rec, "/name", Warning, msg))
	}
	return out
}

// refList is the first three of others, then how many more.
func refList(others []refActor, format func(refActor) string) string {
	var parts []string
	for _, o := range others[:min(3, len(others))] {
		parts = append(parts, format(o))
	}
	s := strings.Join(parts, ", ")
	if len(others) > 3 {
		s += fmt.Sprintf(" and %d more", len(others)-3)
	}
	return s
}

// refFinding formats a finding about the value at ptr of r as
// Finding.String does, but for the code at the end: FILE:LINE:COL:
// [warning: ]TYPE "ID": FIELD: MESSAGE.
func refFinding(r refRecord, ptr string, sev Severity, msg string) string {
	col, ok := r.at[ptr]
	if !ok {
		panic("the generator did not locate " + ptr)
	}
	s := fmt.Sprintf("%s:%d:%d: ", r.file, r.line, col)
	if sev != Error {
		s += sev.String() + ": "
	}
	return s + fmt.Sprintf("%s %q: %s: %s", r.typ, r.id, refFieldPath(ptr), msg)
}

// refFieldPath writes /attestations/0/source as attestations[0].source.
func refFieldPath(ptr string) string {
	var b strings.Builder
	for _, tok := range strings.Split(ptr[1:], "/") {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func refArticle(noun string) string {
	if strings.IndexByte("aeiou", noun[0]) >= 0 {
		return "an"
	}
	return "a"
}

// refAlike reports whether two keys are alike: equal, or both of 5 runes
// or more and one rune edit apart (by the Levenshtein distance).
func refAlike(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 5 || len(rb) < 5 || len(ra)-len(rb) > 1 || len(rb)-len(ra) > 1 {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] == 1
}

// refAlikePairs is every pair of actors (lower number first) with a key
// each that are alike, by comparing every key with every key, with two
// such keys.
func refAlikePairs(actors []refActor) map[[2]int][2]string {
	holders := referenceHolders(actors)
	keys := make([]string, 0, len(holders))
	for k := range holders {
		keys = append(keys, k)
	}
	pairs := map[[2]int][2]string{}
	for i, ka := range keys {
		for _, kb := range keys[i:] {
			if !refAlike(ka, kb) {
				continue
			}
			for _, a := range holders[ka] {
				for _, b := range holders[kb] {
					if a != b {
						pairs[[2]int{min(a, b), max(a, b)}] = [2]string{ka, kb}
					}
				}
			}
		}
	}
	return pairs
}

// ---------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------

// genObj is a JSON object with its fields in the order they are written.
type genObj []genField

type genField struct {
	key string
	val any // string, genObj or []any
}

// genFile is a generated JSON Lines file.
type genFile struct {
	name string
	text string
}

// lineWriter writes one record on one line, noting the column (in
// characters, as convert counts them) where each value starts.
type lineWriter struct {
	b   strings.Builder
	col int // characters written
	at  map[string]int
	rng *rand.Rand
}

func (w *lineWriter) raw(s string) {
	w.b.WriteString(s)
	w.col += utf8.RuneCountInString(s)
}

// space writes a space now and then, so that columns are not all alike.
func (w *lineWriter) space() {
	if w.rng.IntN(6) == 0 {
		w.raw(" ")
	}
}

func (w *lineWriter) value(ptr string, v any) {
	w.at[ptr] = w.col + 1
	switch v := v.(type) {
	case string:
		b, err := json.Marshal(v) // escapes <, > and &, and quotes: more to count
		if err != nil {
			panic(err)
		}
		w.raw(string(b))
	case genObj:
		w.raw("{")
		for i, f := range v {
			if i > 0 {
				w.raw(",")
				w.space()
			}
			w.raw(strconv.Quote(f.key) + ":")
			w.space()
			w.value(ptr+"/"+f.key, f.val)
		}
		w.raw("}")
	case []any:
		w.raw("[")
		for i, x := range v {
			if i > 0 {
				w.raw(",")
				w.space()
			}
			w.value(ptr+"/"+strconv.Itoa(i), x)
		}
		w.raw("]")
	default:
		panic(fmt.Sprintf("cannot write %T", v))
	}
}

// Romanisation variants of a few names, one list per name, so that
// actors collide by skeleton, by one letter, or not at all.
var (
	genGivens = [][]string{
		{"Sergei", "Sergey", "Sergej", "Сергей"},
		{"Maria", "Mariya", "Marija", "Мария"},
		{"Yevgeny", "Evgeny", "Евгений"},
		{"Aleksandr", "Alexander", "Александр"},
		{"Yury", "Yuri", "Iurii", "Юрий"},
		{"Vasily", "Vasiliy", "Wassili"},
		{"Lyudmila", "Ludmila"},
	}
	genSurnames = [][]string{
		{"Ryabkov", "Rybkov", "Ryabkow", "Рябков"},
		{"Zhukov", "Zhukow", "Жуков"},
		{"Lavrov", "Lavrof", "Лавров"},
		{"Zelensky", "Zelenskyy", "Zelenskiy", "Зеленський"},
		{"Petrova", "Petrowa", "Петрова"},
		{"Andreyev", "Andreev", "Андреев"},
	}
	genShared = []string{"The Spokesman", "the spokesman", "Spokesman", "Spokesmen", "Press Office", "Foreign Ministry", "Ministry of Foreign Affairs", "Ministry of Foreign Affair"}
	genOdd    = []string{
		"!!!", "—", "...", "?!", "- -", "'", "(*)", // skeletons that are empty
		"王毅", "Σεργκέι Ριάμπκοφ", `Sergei "the Hawk" Ryabkov`, "Ryabkov <MFA> & Co",
		"O'Brien", "OBrien", "Kim Jong-un", "Kim Jong Un", "Natal'ya", "Natalya", "Hrushchev", "Khrushchev",
	}
	genLetters = []rune("abcdefghiklmnoprstuvyzж")
)

func genPick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// genName is the name of an actor, an alias or a spelling: mostly
// variants of a few names, now and then with a typo or two.
func genName(rng *rand.Rand) string {
	var s string
	switch r := rng.IntN(100); {
	case r < 45:
		s = genPick(rng, genPick(rng, genGivens)) + " " + genPick(rng, genPick(rng, genSurnames))
	case r < 60:
		s = genPick(rng, genPick(rng, genSurnames))
	case r < 66:
		s = genPick(rng, genPick(rng, genGivens))
	case r < 77:
		s = genPick(rng, genShared)
	case r < 86:
		s = genPick(rng, genOdd)
	case r < 93:
		g := []rune(genPick(rng, genPick(rng, genGivens)))
		s = string(g[0]) + ". " + genPick(rng, genPick(rng, genSurnames))
	default:
		s = strings.ToUpper(genPick(rng, genPick(rng, genGivens)) + " " + genPick(rng, genPick(rng, genSurnames)))
	}
	for rng.IntN(4) == 0 {
		s = genTypo(rng, s)
	}
	return s
}

// genTypo inserts, deletes or replaces one letter of s.
func genTypo(rng *rand.Rand, s string) string {
	r := []rune(s)
	i := rng.IntN(len(r) + 1)
	var t []rune
	switch op := rng.IntN(3); {
	case op == 0:
		t = slices.Concat(r[:i], []rune{genPick(rng, genLetters)}, r[i:])
	case i == len(r):
		return s
	case op == 1:
		t = slices.Concat(r[:i], r[i+1:])
	default:
		t = slices.Concat(r[:i], []rune{genPick(rng, genLetters)}, r[i+1:])
	}
	out := string(t)
	if len(t) > 100 || strings.TrimFunc(out, unicode.IsSpace) == "" {
		return s // the schema wants text that is not blank
	}
	return out
}

// genRandomName is a name of two words of random letters, which is
// unlikely to be alike any other.
func genRandomName(rng *rand.Rand) string {
	word := func() string {
		w := make([]byte, 6+rng.IntN(4))
		for i := range w {
			w[i] = byte('a' + rng.IntN(26))
		}
		w[0] -= 'a' - 'A'
		return string(w)
	}
	return word() + " " + word()
}

// genDataset makes a dataset of n records in one to three files, and the
// same records as the reference reads them. The names of actors and their
// aliases come from genName with probability vocab, else from
// genRandomName.
func genDataset(seed uint64, n int, vocab float64) ([]genFile, []refRecord) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	actorName := func() string {
		if rng.Float64() < vocab {
			return genName(rng)
		}
		return genRandomName(rng)
	}

	// Plan every record's type and id first, so that references can name
	// records further on as easily as those before.
	types := make([]string, n)
	ids := make([]string, n)
	pDup := []float64{0, 0.02, 0.1, 0.3}[rng.IntN(4)]
	for i := range n {
		switch r := rng.IntN(100); {
		case r < 40:
			types[i] = "actor"
		case r < 65:
			types[i] = "source"
		case r < 80:
			types[i] = "event"
		default:
			types[i] = "statement"
		}
		if i > 0 && rng.Float64() < pDup {
			ids[i] = ids[rng.IntN(i)]
		} else {
			ids[i] = genID(rng, i)
		}
	}
	byType := map[string][]int{}
	for i, t := range types {
		byType[t] = append(byType[t], i)
	}
	ref := func(target string) string {
		switch r := rng.IntN(100); {
		case r < 60 && len(byType[target]) > 0:
			return ids[genPick(rng, byType[target])]
		case r < 85:
			return ids[rng.IntN(n)]
		case r < 92:
			return fmt.Sprintf("missing-%d", rng.IntN(n+1))
		default: // a near miss, which may be the id of a record after all
			id := ids[rng.IntN(n)]
			return id[:len(id)-1] + string(rune('a'+rng.IntN(26)))
		}
	}
	attestations := func() []any {
		var atts []any
		for range 1 + rng.IntN(3) {
			att := genObj{{"source", ref("source")}}
			if rng.IntN(3) == 0 {
				var rn []any
				for range 1 + rng.IntN(2) {
					rn = append(rn, genObj{{"actor", ref("actor")}, {"spelling", genName(rng)}})
				}
				att = append(att, genField{"reported_names", rn})
			}
			atts = append(atts, att)
		}
		return atts
	}
	manyAliases := -1
	if rng.IntN(20) == 0 && len(byType["actor"]) > 0 {
		manyAliases = genPick(rng, byType["actor"])
	}

	var files []genFile
	var recs []refRecord
	nfiles := 1
	if rng.IntN(4) == 0 {
		nfiles = 2 + rng.IntN(2)
	}
	cut := func(f int) int { return f * n / nfiles }
	for f := range nfiles {
		name := fmt.Sprintf("part-%c.jsonl", 'a'+f)
		var text strings.Builder
		line := 0
		for i := cut(f); i < cut(f+1); i++ {
			for rng.IntN(15) == 0 { // lines that hold only whitespace are skipped
				text.WriteString(strings.Repeat(" ", rng.IntN(3)) + "\n")
				line++
			}
			var obj genObj
			switch types[i] {
			case "actor":
				obj = genObj{{"name", actorName()}, {"kind", "person"}}
				count := rng.IntN(4)
				if i == manyAliases {
					count = 100 + rng.IntN(300)
				}
				var aliases []any
				for range count {
					alias := genObj{{"name", actorName()}, {"kind", "transliteration"}}
					if rng.IntN(3) == 0 {
						seen := map[string]bool{}
						var in []any
						for range 1 + rng.IntN(3) {
							if id := ref("source"); !seen[id] { // the schema wants them unique
								seen[id] = true
								in = append(in, id)
							}
						}
						alias = append(alias, genField{"seen_in", in})
					}
					aliases = append(aliases, alias)
				}
				if len(aliases) > 0 {
					obj = append(obj, genField{"aliases", aliases})
				}
			case "source":
				obj = genObj{{"published", "2022-01-05"}}
			case "event":
				obj = genObj{{"title", "Talks"}, {"category", "consult"}, {"status", "occurred"}, {"date", "2022-01-10"}}
				var ps []any
				for range rng.IntN(4) {
					ps = append(ps, genObj{{"actor", ref("actor")}, {"role", "party"}})
				}
				if len(ps) > 0 {
					obj = append(obj, genField{"participants", ps})
				}
				obj = append(obj, genField{"attestations", attestations()})
			case "statement":
				obj = genObj{{"speaker", ref("actor")}, {"date", "2022-01-04"}, {"summary", "S."}, {"attestations", attestations()}}
			}
			obj = append(genObj{{"type", types[i]}, {"id", ids[i]}}, obj...)
			if rng.IntN(4) == 0 {
				rng.Shuffle(len(obj), func(a, b int) { obj[a], obj[b] = obj[b], obj[a] })
			}

			indent := 0
			if rng.IntN(8) == 0 {
				indent = 1 + rng.IntN(3)
			}
			w := lineWriter{at: map[string]int{}, rng: rng}
			w.raw(strings.Repeat(" ", indent))
			w.value("", obj)
			text.WriteString(w.b.String() + "\n")
			line++

			var value map[string]any
			if err := json.Unmarshal([]byte(w.b.String()), &value); err != nil {
				panic(err)
			}
			r := refRecord{file: name, line: line, col: indent + 1, value: value, at: w.at}
			r.typ, _ = value["type"].(string)
			r.id, _ = value["id"].(string)
			recs = append(recs, r)
		}
		files = append(files, genFile{name, text.String()})
	}
	return files, recs
}

// genID is a new id: short, slug-like, or long (up to the 100 characters
// the schema allows), unique by the number k in it.
func genID(rng *rand.Rand, k int) string {
	switch rng.IntN(6) {
	case 0, 1, 2:
		return fmt.Sprintf("x%d", k)
	case 3, 4:
		return fmt.Sprintf("sergei-ryabkov-%d", k)
	}
	length := 17 + rng.IntN(84)
	s := fmt.Sprintf("id%d", k)
	for len(s) < length {
		s += "-" + genPick(rng, []string{"geneva", "talks", "2022", "a", "mfa"})
	}
	return strings.TrimRight(s[:length], "-")
}

// ---------------------------------------------------------------------
// The differential test
// ---------------------------------------------------------------------

// refCodes are the codes the reference decides.
var refCodes = []string{CodeDuplicateID, CodeDanglingReference, CodeWrongReference, CodeDuplicateActor}

// refCheckerFindings runs the Checker on files and returns its findings with
// refCodes, formatted, and the findings that show the input is not what
// the generator meant (schema violations, unreadable lines).
func refCheckerFindings(t *testing.T, v *schema.Validator, files []genFile) (got map[string][]string, bad []string) {
	t.Helper()
	c := New(v)
	for _, f := range files {
		c.File(f.name)
		feed(c, f.name, annalsjson.NewLinesReader(strings.NewReader(f.text), f.name))
	}
	got = map[string][]string{}
	for _, f := range c.Finish().Findings {
		switch {
		case slices.Contains(refCodes, f.Code):
			s := strings.TrimSuffix(f.String(), " ["+f.Code+"]") // the reference knows the code by its map key
			if f.Code == CodeDanglingReference {
				s, _, _ = strings.Cut(s, " (did you mean ") // ids hold no spaces or parentheses
			}
			got[f.Code] = append(got[f.Code], s)
		case f.Keyword != "" || f.Code == CodeUnreadable || f.Code == CodeNotARecord || f.Code == CodeMissingType || f.Code == CodeUnknownType:
			bad = append(bad, f.String())
		}
	}
	return got, bad
}

// refDiff returns what only a has and what only b has, as multisets.
func refDiff(a, b []string) (onlyA, onlyB []string) {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			onlyA, a = append(onlyA, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			onlyB, b = append(onlyB, b[0]), b[1:]
		default:
			a, b = a[1:], b[1:]
		}
	}
	return onlyA, onlyB
}

type refCase struct {
	seed  uint64
	n     int
	vocab float64 // see genDataset
}

// refCases are 200 small datasets and a few large ones: over minSweep
// records, so that pending references are swept, and one over 1<<14
// records (entChunk in idindex.go), so that the index grows a second
// chunk of entries. In the large ones few actors take their names from
// the small vocabulary, so that the duplicate actors stay few.
func refCases() []refCase {
	var cases []refCase
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		cases = append(cases, refCase{seed, 5 + rng.IntN(196), 1})
	}
	for i, n := range []int{minSweep + 500, 2*minSweep + 1000, 1<<14 + 2000} {
		cases = append(cases, refCase{uint64(1000 + i), n, 0.02})
	}
	return cases
}

// TestReferenceAgrees requires the Checker to find what the reference
// finds, code by code, on every generated dataset.
func TestReferenceAgrees(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		refCase
		got, want map[string][]string
	}
	var outcomes []outcome
	coverage := map[string]int{}
	for _, rc := range refCases() {
		files, recs := genDataset(rc.seed, rc.n, rc.vocab)
		got, bad := refCheckerFindings(t, v, files)
		if len(bad) > 0 {
			t.Fatalf("seed %d: the generator wrote invalid records:\n%s", rc.seed, strings.Join(bad[:min(5, len(bad))], "\n"))
		}
		want := referenceFindings(recs)
		outcomes = append(outcomes, outcome{rc, got, want})
		refCoverage(coverage, recs, want)
	}
	t.Logf("the reference's findings and what they cover, over %d datasets: %v", len(outcomes), coverage)
	for _, what := range []string{"duplicate-id", "dangling-reference", "wrong-reference", "wrong-reference forward", "wrong-reference across a sweep",
		"duplicate-actor pair", "duplicate-actor group of 3+", "duplicate-actor group of 5+", "duplicate-actor by one edit only", "empty skeleton", "duplicate id of an actor"} {
		if coverage[what] == 0 {
			t.Errorf("no dataset has a %s: the generator does not cover it", what)
		}
	}

	families := []struct {
		name  string
		codes []string
	}{
		{"ids", []string{CodeDuplicateID}},
		{"references", []string{CodeDanglingReference, CodeWrongReference}},
		{"actors", []string{CodeDuplicateActor}},
	}
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			failed := 0
			for _, o := range outcomes {
				var onlyReal, onlyRef []string
				for _, code := range fam.codes {
					a, b := refDiff(o.got[code], o.want[code])
					onlyReal, onlyRef = append(onlyReal, a...), append(onlyRef, b...)
				}
				if len(onlyReal)+len(onlyRef) == 0 {
					continue
				}
				failed++
				if failed > 3 {
					continue
				}
				var msg strings.Builder
				fmt.Fprintf(&msg, "seed %d (%d records): the Checker and the reference differ (%d only in the Checker, %d only in the reference)",
					o.seed, o.n, len(onlyReal), len(onlyRef))
				for _, s := range onlyReal[:min(4, len(onlyReal))] {
					fmt.Fprintf(&msg, "\n  checker only:   %s", s)
				}
				for _, s := range onlyRef[:min(4, len(onlyRef))] {
					fmt.Fprintf(&msg, "\n  reference only: %s", s)
				}
				t.Error(msg.String())
			}
			if failed > 0 {
				t.Errorf("%d of %d datasets differ", failed, len(outcomes))
			}
		})
	}
}

// refCoverage counts what the reference found that a test should see.
func refCoverage(coverage map[string]int, recs []refRecord, want map[string][]string) {
	for _, code := range refCodes {
		coverage[code] += len(want[code])
	}
	first := firstWithID(recs)
	for i, r := range recs {
		if r.typ == "actor" && first[r.id] != i {
			coverage["duplicate id of an actor"]++
		}
		for _, ref := range referenceFields {
			if ref.typ != r.typ {
				continue
			}
			eachAtPath(r.value, strings.Split(ref.path[1:], "/"), "", func(_, id string) {
				if j, ok := first[id]; ok && j > i && recs[j].typ != ref.target {
					coverage["wrong-reference forward"]++
					if j-i > minSweep {
						coverage["wrong-reference across a sweep"]++
					}
				}
			})
		}
	}
	if len(recs) > 1000 {
		return // the large datasets are for the references
	}
	actors := referenceActors(recs, first)
	for _, a := range actors {
		if names.Skeleton(a.name) == "" {
			coverage["empty skeleton"]++
		}
	}
	holders := referenceHolders(actors)
	for _, g := range referenceActorGroups(actors) {
		switch {
		case len(g) >= 5:
			coverage["duplicate-actor group of 5+"]++
			fallthrough
		case len(g) >= 3:
			coverage["duplicate-actor group of 3+"]++
		default:
			coverage["duplicate-actor pair"]++
		}
		if len(g) == 2 {
			shared := false
			for k := range actors[g[0]].keys {
				shared = shared || slices.Contains(holders[k], g[1])
			}
			if !shared {
				coverage["duplicate-actor by one edit only"]++
			}
		}
	}
}

// TestReferenceGroupsArePairs checks the grouping idea of the reference
// against brute force: two actors are in a reported group together
// exactly when a key of one and a key of the other are alike.
func TestReferenceGroupsArePairs(t *testing.T) {
	failures := 0
	for _, rc := range refCases() {
		if rc.n > 1000 {
			continue
		}
		_, recs := genDataset(rc.seed, rc.n, rc.vocab)
		actors := referenceActors(recs, firstWithID(recs))
		want := refAlikePairs(actors)
		got := map[[2]int]bool{}
		for _, g := range referenceActorGroups(actors) {
			for i, a := range g {
				for _, b := range g[i+1:] {
					got[[2]int{a, b}] = true
				}
			}
		}
		for p, keys := range want {
			if !got[p] {
				failures++
				if failures <= 10 {
					t.Errorf("seed %d: actors %q and %q have alike keys (%q, %q) but share no group", rc.seed, actors[p[0]].id, actors[p[1]].id, keys[0], keys[1])
				}
			}
		}
		for p := range got {
			if _, ok := want[p]; !ok {
				failures++
				if failures <= 10 {
					t.Errorf("seed %d: actors %q and %q share a group but have no alike keys", rc.seed, actors[p[0]].id, actors[p[1]].id)
				}
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d pairs of actors in all", failures)
	}
}

// TestRefAlike pins the brute-force likeness the pair check relies on.
func TestRefAlike(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"riabkov", "riabkov", true},
		{"riabkov", "ribkov", true},   // deletion
		{"ribkov", "riabkov", true},   // insertion
		{"riabkov", "riabkof", true},  // substitution
		{"riabkov", "rabkof", false},  // two edits
		{"riabkov", "raibkov", false}, // a transposition is two edits
		{"abcd", "abce", false},       // too short
		{"abcd", "abcde", false},      // one side too short
		{"abc", "abc", true},          // equal keys are alike at any length
		{"жуков", "жукоф", true},      // runes, not bytes
		{"sergei riabkov", "sergei riabkow", true},
	} {
		if got := refAlike(c.a, c.b); got != c.want {
			t.Errorf("refAlike(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestReferenceFieldsInSchema checks the reference's list of references
// against the schema's.
func TestReferenceFieldsInSchema(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range referenceFields {
		found := false
		for _, r := range v.References(ref.typ) {
			found = found || r.Path == ref.path && r.Target == ref.target
		}
		if !found {
			t.Errorf("the schema does not declare %s %s as a reference to %s", ref.typ, ref.path, ref.target)
		}
	}
	// The references the schema declares but the generator never writes.
	var others []string
	for _, typ := range schema.RecordTypes {
		for _, r := range v.References(typ) {
			if !slices.ContainsFunc(referenceFields, func(x refReference) bool { return x.typ == typ && x.path == r.Path }) {
				others = append(others, typ+" "+r.Path)
			}
		}
	}
	slices.Sort(others)
	t.Logf("references the generated records never use: %s", strings.Join(others, ", "))
}
