// Package gen makes deterministic, realistic datasets in the annals schema
// for benchmarks and property tests: actors and sources first (so that
// references resolve), then events and statements with 1-4 attestations
// each, non-ASCII names, and a chosen fraction of invalid records.
package gen

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"unicode"
	"unicode/utf8"
)

// Records yields n records made from seed; the same seed gives the same
// records. A fraction invalid (0-1) of them is broken in one of the ways
// curators break records.
func Records(n int, seed uint64, invalid float64) iter.Seq[map[string]any] {
	return func(yield func(map[string]any) bool) {
		g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), invalid: invalid}
		g.plan(n)
		for i := range n {
			if !yield(g.record(i)) {
				return
			}
		}
	}
}

// Actors yields n actor records made from seed, and nothing else: the
// worst case for the checker's memory, which keeps every actor's names.
// Their aliases cite no source, since there is none.
func Actors(n int, seed uint64) iter.Seq[map[string]any] {
	return func(yield func(map[string]any) bool) {
		g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
		g.actors, g.sources = n, 1
		for i := range n {
			rec := g.actor(i)
			delete(rec["aliases"].([]any)[0].(map[string]any), "seen_in")
			if !yield(rec) {
				return
			}
		}
	}
}

type generator struct {
	r                       *rand.Rand
	invalid                 float64
	actors, sources, events int
}

// plan splits n records: 10% actors, 10% sources, 30% events, the rest
// statements (at least one actor and one source).
func (g *generator) plan(n int) {
	g.actors = max(1, n/10)
	g.sources = max(1, n/10)
	g.events = max(0, min(n-g.actors-g.sources, n*3/10))
}

var (
	given  = []string{"Sergei", "Anna", "Jens", "Dmitry", "Łucja", "Zoë", "Ahmet", "María", "Yury", "Olena"}
	family = []string{"Ryabkov", "Petrova", "Lindqvist", "Öztürk", "García", "Kowalczyk", "Ushakov", "Nguyễn", "Schäfer", "Kovalenko"}
	// syllables make the surnames of the actors: enough of them that
	// two actors rarely share a name, or names one letter apart, as in
	// real data, where duplicate-actor warnings are few.
	syllables = []string{"ba", "ko", "lin", "dra", "vé", "mor", "su", "tan", "gri", "pol", "ne", "ška", "rov", "el", "dmi", "ya", "zur", "fen", "ho", "quist", "ta", "wen", "bra", "li", "ga", "ön", "mi", "cha", "ver", "du", "sto", "ki"}
	outlets   = []string{"Daily Herald", "Harbour Wire", "Gazeta Północna", "Anadolu Ajansı", "Le Courrier", "Nordic Times"}
	cats      = []string{"agree", "consult", "support", "request", "accuse", "reject", "threaten", "protest"}
	statuses  = []string{"scheduled", "occurred", "postponed", "rescheduled"}
	places    = [][2]string{{"Geneva", "CHE"}, {"Brussels", "BEL"}, {"Vienna", "AUT"}, {"Moscow", "RUS"}, {"Kyiv", "UKR"}, {"Washington", "USA"}}
	settings  = []string{"interview", "press-briefing", "speech", "press-release", "social-media"}
	words     = []string{"talks", "guarantees", "security", "proposal", "treaty", "delegation", "consultations", "border", "alliance", "response", "militärisch", "переговоры"}
)

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) sentence(n int) string {
	s := ""
	for i := range n {
		if i > 0 {
			s += " "
		}
		s += g.pick(words)
	}
	return s + "."
}

func (g *generator) day() string {
	return fmt.Sprintf("2021-%02d-%02d", 1+g.r.IntN(12), 1+g.r.IntN(28))
}

func (g *generator) record(i int) map[string]any {
	var rec map[string]any
	switch {
	case i < g.actors:
		rec = g.actor(i)
	case i < g.actors+g.sources:
		rec = g.source(i - g.actors)
	case i < g.actors+g.sources+g.events:
		rec = g.event(i - g.actors - g.sources)
	default:
		rec = g.statement(i)
	}
	if g.invalid > 0 && g.r.Float64() < g.invalid {
		g.spoil(rec)
	}
	return rec
}

// actorName is actor i's name: the same for the same i, whatever the
// seed, so that attestations can report it.
func actorName(i int) string {
	h := uint64(i)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e5
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	next := func(n int) int { k := int(h % uint64(n)); h /= uint64(n); return k }
	surname := ""
	for range 3 + next(2) {
		surname += syllables[next(len(syllables))]
	}
	first, size := utf8.DecodeRuneInString(surname)
	return given[next(len(given))] + " " + string(unicode.ToUpper(first)) + surname[size:]
}

func (g *generator) actor(i int) map[string]any {
	name := actorName(i)
	return map[string]any{
		"type": "actor", "id": fmt.Sprintf("actor-%d", i), "name": name, "kind": "person",
		"country": places[g.r.IntN(len(places))][1],
		"aliases": []any{map[string]any{"name": name + "a", "kind": "misspelling", "seen_in": []any{fmt.Sprintf("source-%d", g.r.IntN(g.sources))}}},
		"roles":   []any{map[string]any{"title": "Deputy Minister", "from": "2008", "to": "2024-05"}},
	}
}

func (g *generator) source(i int) map[string]any {
	rec := map[string]any{
		"type": "source", "id": fmt.Sprintf("source-%d", i), "outlet": g.pick(outlets),
		"headline": g.sentence(8), "url": fmt.Sprintf("https://example.org/news/%d/%s", i, "article"),
		"published": "2021-12-31T10:00:00+03:00", "language": "en", "authors": []any{g.pick(given) + " " + g.pick(family)},
	}
	// Two sources in three name their publisher's record. (Chosen from
	// i, not drawn, so that the records drawn stay those of earlier
	// versions.)
	if i%3 != 0 {
		rec["publisher"] = fmt.Sprintf("actor-%d", i%g.actors)
	}
	return rec
}

// attestations are 1-4 reports of a record dated date that names actor.
func (g *generator) attestations(date string, actor int) []any {
	var out []any
	for range 1 + g.r.IntN(4) {
		out = append(out, map[string]any{
			"source": fmt.Sprintf("source-%d", g.r.IntN(g.sources)), "rank": "normal",
			"quote": g.sentence(20), "quote_kind": "direct", "credited_to": g.pick(outlets),
			"reported_date": date, "reported_date_text": "on Monday",
			"reported_names": []any{map[string]any{"actor": fmt.Sprintf("actor-%d", actor), "spelling": actorName(actor)}},
		})
		// One report in three credits an actor's record as well.
		if k := actor + len(out); k%3 == 0 {
			out[len(out)-1].(map[string]any)["credited_actor"] = fmt.Sprintf("actor-%d", k%g.actors)
		}
		// A source in ten reports another day; one in ten spells the
		// actor as the alias has it.
		if g.r.IntN(10) == 0 {
			out[len(out)-1].(map[string]any)["reported_date"] = g.day()
		}
		if g.r.IntN(10) == 0 {
			out[len(out)-1].(map[string]any)["reported_names"] = []any{map[string]any{"actor": fmt.Sprintf("actor-%d", actor), "spelling": actorName(actor) + "a"}}
		}
	}
	return out
}

func (g *generator) event(i int) map[string]any {
	p := places[g.r.IntN(len(places))]
	date, actor := g.day(), g.r.IntN(g.actors)
	return map[string]any{
		"type": "event", "id": fmt.Sprintf("event-%d", i), "title": g.sentence(5), "category": g.pick(cats),
		"status": g.pick(statuses), "date": date,
		"location":     map[string]any{"name": p[0], "country": p[1], "precision": "settlement"},
		"participants": []any{map[string]any{"actor": fmt.Sprintf("actor-%d", actor), "role": "party"}},
		"attestations": g.attestations(date, actor),
	}
}

func (g *generator) statement(i int) map[string]any {
	date, speaker := g.day(), g.r.IntN(g.actors)
	rec := map[string]any{
		"type": "statement", "id": fmt.Sprintf("statement-%d", i), "speaker": fmt.Sprintf("actor-%d", speaker),
		"speaker_role": "Deputy Minister", "date": date, "setting": map[string]any{"kind": g.pick(settings)},
		"language": "ru", "summary": g.sentence(12), "attestations": g.attestations(date, speaker),
	}
	if g.events > 0 {
		rec["about"] = []any{fmt.Sprintf("event-%d", g.r.IntN(g.events))}
	}
	return rec
}

// spoil makes a record invalid in one of the ways curators do.
func (g *generator) spoil(rec map[string]any) {
	switch g.r.IntN(4) {
	case 0:
		rec["id"] = "Not A Slug"
	case 1:
		rec["date"] = "2021-13-45"
	case 2:
		rec["unknown_field"] = true
	default:
		delete(rec, "type")
	}
}
