package converttest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// importEdgeGen makes datasets whose records set the schema's fields (all of
// them in some records, a random part in others) to the values that
// tabular exports must carry with care: formula-like and multi-line text,
// CR and CRLF, quotes and commas, unicode, text thousands of characters
// long, every EDTF form, numbers whose spelling matters. It walks the
// schema's field tree, so a field added to the schema is covered too.
type importEdgeGen struct {
	r    *rand.Rand
	v    *schema.Validator
	long bool                // some text thousands of characters long (slow to write)
	ids  map[string][]string // by record type
}

// EdgeRecords returns a dataset of 1 to 4 records of each type.
func EdgeRecords(v *schema.Validator, seed uint64) []*record.Record {
	g := &importEdgeGen{r: rand.New(rand.NewPCG(seed, seed*31+7)), v: v, long: seed%8 == 1, ids: map[string][]string{}}
	for _, typ := range schema.RecordTypes {
		for i := range 1 + g.r.IntN(4) {
			g.ids[typ] = append(g.ids[typ], fmt.Sprintf("%s-%d-%d", typ, seed, i))
		}
	}
	var recs []*record.Record
	for _, typ := range schema.RecordTypes {
		for i, id := range g.ids[typ] {
			full := i == 0 // the first record of each type sets every field
			rec := g.object(v.Fields(typ), full)
			rec["type"], rec["id"] = typ, id
			recs = append(recs, &record.Record{File: "edge.json", Index: len(recs), Line: 1, Col: 1, Value: rec})
		}
	}
	return recs
}

func (g *importEdgeGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// object sets every field when full, else the required ones and about
// half of the others, and always at least one: an object without values
// has no cells, and the import omits it.
func (g *importEdgeGen) object(fields []schema.Field, full bool) map[string]any {
	m := map[string]any{}
	for i := range fields {
		f := &fields[i]
		if f.Const != "" {
			continue
		}
		if full || f.Required || g.r.IntN(2) == 0 {
			m[f.Name] = g.value(f, full)
		}
	}
	if len(m) == 0 {
		for i := range fields {
			if fields[i].Const == "" {
				m[fields[i].Name] = g.value(&fields[i], full)
				break
			}
		}
	}
	return m
}

func (g *importEdgeGen) value(f *schema.Field, full bool) any {
	switch {
	case f.Type == "array" && f.Items != nil:
		return g.list(f.Items, full)
	case f.Type == "object" || f.Fields != nil:
		return g.object(f.Fields, full)
	case len(f.Enum) > 0:
		return g.pick(f.Enum)
	case f.RefersTo != "":
		return g.pick(g.ids[f.RefersTo])
	case f.Format == "edtf":
		return g.pick(importEDTFForms)
	case f.Format == "uri":
		return g.pick(importEdgeURIs)
	case f.Format == "email":
		return "ilse.varn+annals@example.org"
	case f.Type == "number" || f.Type == "integer":
		return json.Number(g.pick(importEdgeNumbers))
	case f.Type == "boolean":
		return g.r.IntN(2) == 0
	case f.Pattern != "" && strings.HasPrefix(f.Pattern, "^"):
		return g.patterned(f.Pattern)
	}
	return g.text()
}

// list makes 1 to 3 items; plain values are distinct, as lists of ids
// must be.
func (g *importEdgeGen) list(item *schema.Field, full bool) []any {
	var out []any
	seen := map[any]bool{}
	for range 1 + g.r.IntN(3) {
		v := g.value(item, full)
		if _, ok := v.(map[string]any); !ok {
			if seen[v] {
				continue
			}
			seen[v] = true
		}
		out = append(out, v)
	}
	return out
}

// patterned picks a value that matches an anchored pattern (ids,
// language tags, Wikidata ids, archive paths).
func (g *importEdgeGen) patterned(pattern string) string {
	re := regexp.MustCompile(pattern)
	var fits []string
	for _, c := range importPatternValues {
		if re.MatchString(c) {
			fits = append(fits, c)
		}
	}
	if len(fits) == 0 {
		panic("no candidate value matches " + pattern)
	}
	return g.pick(fits)
}

// text makes free text, often with a formula trigger or another edge in
// front, sometimes thousands of characters long.
func (g *importEdgeGen) text() string {
	var parts []string
	for range 1 + g.r.IntN(3) {
		parts = append(parts, g.pick(importEdgeTexts))
		if g.r.IntN(6) == 0 {
			parts = append(parts, g.pick(importControlTexts))
		}
	}
	s := strings.Join(parts, g.pick([]string{" ", "", "\n", "\r\n", ", "}))
	if g.r.IntN(3) == 0 {
		s = g.pick(importFormulaStarts) + s
	}
	if g.long && g.r.IntN(10) == 0 {
		// Long, but under a cell's 32,767 UTF-16 code units however the
		// pieces fall.
		s = strings.Repeat(s+" ", 8000/(len(s)+1)+g.r.IntN(3000/(len(s)+1)+1))
	}
	return s
}

var (
	importEDTFForms = []string{
		"2022", "2022-01", "2022-01-10", "2021-12-27T11:04:00+03:00", "1985-04-12T23:20:30Z", "1985-04-12T23:20:30",
		"1985-04-12T23:20:30-04", "2022-01-10?", "2022-01~", "2004-06-11%", "1984?", "201X", "20XX", "2004-XX",
		"1985-04-XX", "1985-XX-XX", "2001-21", "2001-24", "1964/2008", "2004-02-01/2005-02-08", "2004-06/2006-08",
		"1985-04-12/..", "../1985", "1985/", "/1985-04", "1984?/2004%", "1984-06-02?/2004-08-08~", "-1985",
		"-0004-02-29", "Y170000002", "Y-170000002/1985", "0000", "2016-12-31T23:59:60Z", "1899-12-30", "1900-02-28",
	}
	importEdgeURIs = []string{
		"https://example.org/news/42", "https://example.org/a?q=1&r=%20x#frag", "http://例え.jp/パス",
		"mailto:desk@example.org", "https://example.org/=SUM(A1)", "urn:isbn:0451450523",
	}
	importEdgeNumbers = []string{
		"1.50", "-0.0", "0", "45", "-33.9", "89.999999999999", "1E1", "1e-7", "0.1000000000000000000001",
		"12.345678901234567890", "-90", "90", "1.0", "-0", "0.30000000000000004", "18.9553",
	}
	importPatternValues = []string{
		"geneva-talks-2022", "a", "x1-y2", "Q42", "Q1", "en", "ru", "pt-BR", "sr-Latn", "zh-Hant-TW",
		"texts/anadolu-2021-12-27.txt", "texts/a file with spaces.txt", "_notes/trailing space ",
	}
	importEdgeTexts = []string{
		"Talks on the ferry schedule", "Zoë Łucja Nguyễn Öztürk", "переговоры о гарантиях", "東京での会談",
		"مرحبا بالعالم", "🚢 ferry ⛴", "a, b, and c", `He said "soon".`, `""`, `"quoted"`, "line one\nline two",
		"windows\r\nlines\r\n", "trailing CR\r", "\r\nleading CRLF", "  padded  ", " ", "\t", "tab\tinside",
		"<b>&amp;</b> ]]>", "_x0041_ and _x005F_ and _x000D_", "2022", "1.50", "-0.0", "007", "1e5", "TRUE",
		"#N/A", "2022-01-10", "'already quoted", "''", "'", "\u00a0no-break\u00a0", "\ufeffbom inside", "\u2028sep",
		"semi;colon", "back\\slash",
	}
	// What XML cannot hold, which a workbook writes as _xHHHH_ escapes:
	// C0 control characters, U+FFFE and U+FFFF; and U+FDD0, which the
	// workbook writer uses to mark them.
	importControlTexts = []string{
		"bell\a", "nul\x00byte", "esc\x1b[0m", "\x01start", "end\x1f", "vertical\vtab", "\ufffe\uffff",
		"\ufdd00007", "\ufdd0", "_x\x07_", "\x07_x0041_", "\ufdd0\x01\ufdd0",
	}
	importFormulaStarts = []string{"=", "+", "-", "@", "\t", "\r", "'", "=SUM(A1)", "+1 ", "-2 ", "@SUM(1+1)", "\t=cmd|' /C calc'!A0", "'=", "''+"}
)
