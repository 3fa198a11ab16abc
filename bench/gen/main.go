// Command gen writes a deterministic, realistic dataset in the annals schema
// as JSON Lines: actors and sources first (so references resolve), then
// events and statements with 1-4 attestations each, with non-ASCII names
// and a configurable fraction of invalid records.
//
//	go run ./bench/gen -n 100000 -seed 1 -invalid 0.01 > records.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

func main() {
	n := flag.Int("n", 10000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same bytes")
	invalid := flag.Float64("invalid", 0, "fraction of records (0-1) made invalid")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	g := &gen{r: rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15)), invalid: *invalid}
	g.plan(*n)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range *n {
		if err := enc.Encode(g.record(i)); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type gen struct {
	r                       *rand.Rand
	invalid                 float64
	actors, sources, events int
}

// plan splits n records: 10% actors, 10% sources, 30% events, the rest
// statements (at least one actor and one source).
func (g *gen) plan(n int) {
	g.actors = max(1, n/10)
	g.sources = max(1, n/10)
	g.events = max(0, min(n-g.actors-g.sources, n*3/10))
}

var (
	given    = []string{"Sergei", "Anna", "Jens", "Dmitry", "Łucja", "Zoë", "Ahmet", "María", "Yury", "Olena"}
	family   = []string{"Ryabkov", "Petrova", "Lindqvist", "Öztürk", "García", "Kowalczyk", "Ushakov", "Nguyễn", "Schäfer", "Kovalenko"}
	outlets  = []string{"Daily Herald", "Harbour Wire", "Gazeta Północna", "Anadolu Ajansı", "Le Courrier", "Nordic Times"}
	cats     = []string{"agree", "consult", "support", "request", "accuse", "reject", "threaten", "protest"}
	statuses = []string{"scheduled", "occurred", "postponed", "rescheduled"}
	places   = [][2]string{{"Geneva", "CHE"}, {"Brussels", "BEL"}, {"Vienna", "AUT"}, {"Moscow", "RUS"}, {"Kyiv", "UKR"}, {"Washington", "USA"}}
	settings = []string{"interview", "press-briefing", "speech", "press-release", "social-media"}
	words    = []string{"talks", "guarantees", "security", "proposal", "treaty", "delegation", "consultations", "border", "alliance", "response", "militärisch", "переговоры"}
)

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) sentence(n int) string {
	s := ""
	for i := range n {
		if i > 0 {
			s += " "
		}
		s += g.pick(words)
	}
	return s + "."
}

func (g *gen) day() string {
	return fmt.Sprintf("2021-%02d-%02d", 1+g.r.IntN(12), 1+g.r.IntN(28))
}

func (g *gen) record(i int) map[string]any {
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

func (g *gen) actor(i int) map[string]any {
	name := g.pick(given) + " " + g.pick(family)
	return map[string]any{
		"type": "actor", "id": fmt.Sprintf("actor-%d", i), "name": name, "kind": "person",
		"country": places[g.r.IntN(len(places))][1],
		"aliases": []any{map[string]any{"name": name + "a", "kind": "misspelling", "seen_in": []any{fmt.Sprintf("source-%d", g.r.IntN(g.sources))}}},
		"roles":   []any{map[string]any{"title": "Deputy Minister", "from": "2008", "to": "2024-05"}},
	}
}

func (g *gen) source(i int) map[string]any {
	return map[string]any{
		"type": "source", "id": fmt.Sprintf("source-%d", i), "outlet": g.pick(outlets),
		"headline": g.sentence(8), "url": fmt.Sprintf("https://example.org/news/%d/%s", i, "article"),
		"published": "2021-12-31T10:00:00+03:00", "language": "en", "authors": []any{g.pick(given) + " " + g.pick(family)},
	}
}

func (g *gen) attestations() []any {
	var out []any
	for range 1 + g.r.IntN(4) {
		out = append(out, map[string]any{
			"source": fmt.Sprintf("source-%d", g.r.IntN(g.sources)), "rank": "normal",
			"quote": g.sentence(20), "quote_kind": "direct", "credited_to": g.pick(outlets),
			"reported_date": g.day(), "reported_date_text": "on Monday",
			"reported_names": []any{map[string]any{"actor": fmt.Sprintf("actor-%d", g.r.IntN(g.actors)), "spelling": g.pick(family)}},
		})
	}
	return out
}

func (g *gen) event(i int) map[string]any {
	p := places[g.r.IntN(len(places))]
	return map[string]any{
		"type": "event", "id": fmt.Sprintf("event-%d", i), "title": g.sentence(5), "category": g.pick(cats),
		"status": g.pick(statuses), "date": g.day(),
		"location":     map[string]any{"name": p[0], "country": p[1], "precision": "settlement"},
		"participants": []any{map[string]any{"actor": fmt.Sprintf("actor-%d", g.r.IntN(g.actors)), "role": "party"}},
		"attestations": g.attestations(),
	}
}

func (g *gen) statement(i int) map[string]any {
	rec := map[string]any{
		"type": "statement", "id": fmt.Sprintf("statement-%d", i), "speaker": fmt.Sprintf("actor-%d", g.r.IntN(g.actors)),
		"speaker_role": "Deputy Minister", "date": g.day(), "setting": map[string]any{"kind": g.pick(settings)},
		"language": "ru", "summary": g.sentence(12), "attestations": g.attestations(),
	}
	if g.events > 0 {
		rec["about"] = []any{fmt.Sprintf("event-%d", g.r.IntN(g.events))}
	}
	return rec
}

// spoil makes a record invalid in one of the ways curators do.
func (g *gen) spoil(rec map[string]any) {
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
