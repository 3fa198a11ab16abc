package jsonld

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/schema"
)

// The -update flag rewrites golden files. Other test files of the package
// may define it as a package variable; init runs after those, so it is
// defined here only when nobody else has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

// jsonldUpdating reports whether -update was given, wherever the flag was
// defined.
func jsonldUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// jsonldOfflineLoader fails the test for any document json-gold tries to load:
// the context is embedded and nothing may come from the network.
type jsonldOfflineLoader struct{ t testing.TB }

func (l jsonldOfflineLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	l.t.Errorf("JSON-LD processing tried to load %q", u)
	return nil, fmt.Errorf("offline: refusing to load %q", u)
}

// jsonldOptions are the options of every test: safe mode, so that
// json-gold fails on any key it would drop, and no network.
func jsonldOptions(t testing.TB) *ld.JsonLdOptions {
	opts := ld.NewJsonLdOptions("")
	opts.SafeMode = true
	opts.DocumentLoader = jsonldOfflineLoader{t}
	return opts
}

// jsonldNQuads expands a JSON-LD document in safe mode and returns its
// canonical N-Quads (URDNA2015: sorted, blank nodes labelled by content).
func jsonldNQuads(t testing.TB, doc []byte) string {
	t.Helper()
	var in any
	if err := json.Unmarshal(doc, &in); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, doc)
	}
	proc := ld.NewJsonLdProcessor()
	opts := jsonldOptions(t)
	expanded, err := proc.Expand(in, opts)
	if err != nil {
		t.Fatalf("expanding in safe mode: %v", err)
	}
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	out, err := proc.Normalize(expanded, opts)
	if err != nil {
		t.Fatalf("converting to N-Quads: %v", err)
	}
	return out.(string)
}

// writeJSONLD writes recs as JSON-LD and returns the document.
func writeJSONLD(t testing.TB, ds *record.Dataset, recs []*record.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, ds)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return b.Bytes()
}

// jsonldSamples reads the curated sample dataset: the records of every
// YAML file, and annals.yaml as the manifest.
func jsonldSamples(t testing.TB) (*record.Dataset, []*record.Record) {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds := &record.Dataset{Validator: v}
	files, err := filepath.Glob(filepath.Join(converttest.Samples, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	var recs []*record.Record
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		got, errs := readertest.ReadAll(t, yaml.NewReader(f, name))
		f.Close()
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		if filepath.Base(name) == "annals.yaml" {
			ds.Manifest = got[0].Value.(map[string]any)
			continue
		}
		recs = append(recs, got...)
	}
	return ds, recs
}

// jsonldGolden compares got with testdata/jsonld/name, or rewrites it
// with -update.
func jsonldGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "jsonld", name)
	if jsonldUpdating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -run %s -update and review the diff):\n%s",
			path, t.Name(), jsonldLineDiff(string(want), string(got)))
	}
}

// jsonldLineDiff lists the lines only in want (-) and only in got (+), enough to
// review a change to sorted N-Quads.
func jsonldLineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

func TestJSONLDSamples(t *testing.T) {
	ds, recs := jsonldSamples(t)
	doc := writeJSONLD(t, ds, recs)
	nq := jsonldNQuads(t, doc)
	jsonldGolden(t, "samples.nq", []byte(nq))

	// Every record is a subject under the base IRI, and nothing relative
	// or local slipped through.
	base := ds.Manifest["base_iri"].(string)
	for _, r := range recs {
		id := r.Value.(map[string]any)["id"].(string)
		if !strings.Contains(nq, "<"+base+id+"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>") {
			t.Errorf("no type triple for <%s%s>", base, id)
		}
	}
	if strings.Contains(nq, "urn:annals:") {
		t.Error("a sample IRI fell back to urn:annals: although the manifest has a base IRI")
	}
}

func TestJSONLDDeterministic(t *testing.T) {
	ds, recs := jsonldSamples(t)
	first := writeJSONLD(t, ds, recs)
	for range 3 {
		if again := writeJSONLD(t, ds, recs); !bytes.Equal(first, again) {
			t.Fatal("the same records gave different bytes")
		}
	}
}

// jsonldFixtureRecords are small records with the characters that break naive
// writers: quotes, backslashes, control characters, U+2028, and scripts
// other than Latin.
func jsonldFixtureRecords() []*record.Record {
	vals := []map[string]any{
		{
			"type": "actor", "id": "sergei-lavrov", "name": "Sergei Lavrov", "kind": "person", "country": "RUS",
			"wikidata": "Q80137",
			"aliases": []any{
				map[string]any{"name": "Сергей Лавров", "kind": "translation", "language": "ru", "seen_in": []any{"src-tass"}},
				map[string]any{"name": "Sergey Lavrov", "kind": "transliteration"},
			},
			"roles": []any{map[string]any{"title": "Foreign Minister", "organization": "russia-mfa", "from": "2004-03-09"}},
		},
		{"type": "actor", "id": "russia-mfa", "name": "Ministry of Foreign Affairs of Russia", "kind": "organization"},
		{
			"type": "source", "id": "src-tass", "outlet": "TASS", "headline": "Лавров: \"гарантии\" — C:\\path\ttab",
			"url": "https://tass.ru/politika/1?a=1&b=%3C2%3E", "published": "2021-12-28T11:04:00+03",
			"accessed": "2022-01-03", "language": "ru", "authors": []any{"Анна Петрова", "O'Brien"},
		},
		{
			"type": "event", "id": "geneva-talks", "title": "Talks in Genève", "category": "consult", "status": "postponed",
			"date": "2022-01-10/..", "location": map[string]any{
				"name": "Palais des Nations, Genève", "country": "CHE",
				"coordinates": map[string]any{"latitude": json.Number("46.22665"), "longitude": json.Number("6.1402e0")},
				"precision":   "exact",
			},
			"participants": []any{
				map[string]any{"actor": "sergei-lavrov", "role": "party"},
				map[string]any{"actor": "russia-mfa", "role": "organizer"},
				map[string]any{"actor": "sergei-lavrov", "role": "host"},
			},
			"attestations": []any{map[string]any{"source": "src-tass", "quote": "line\u2028separator and \x01 control"}},
		},
		{
			"type": "statement", "id": "lavrov-quote", "speaker": "sergei-lavrov", "date": "2021-12-27",
			"summary": `He said "no" (нет) and 'maybe' — “quoted” « guillemets » 日本語 😀`,
			"setting": map[string]any{"kind": "interview", "outlet": "RT \"Arabic\"", "event": "geneva-talks"},
			"about":   []any{"geneva-talks"},
			"attestations": []any{
				map[string]any{"source": "src-tass", "rank": "preferred", "quote": "«Нет», — сказал он.", "quote_kind": "direct", "quote_language": "ru"},
				map[string]any{"source": "src-tass", "quote": `He said: "No."`, "quote_kind": "indirect"},
			},
		},
	}
	recs := make([]*record.Record, len(vals))
	for i, v := range vals {
		recs[i] = &record.Record{File: "fixture.yaml", Index: i, Line: 1, Col: 1, Value: v}
	}
	return recs
}

func jsonldFixtureManifest(base string) map[string]any {
	return map[string]any{
		"title": "Fixture «dataset»", "license": "CC0-1.0", "version": "0.1.0", "base_iri": base,
		"curators": []any{
			map[string]any{"name": "Zoë O'Neil", "orcid": "0000-0002-1825-0097", "email": "zoe@example.org", "role": "lead curator"},
			map[string]any{"name": "Ahmet Öztürk"},
		},
		"archive":  "texts",
		"keywords": []any{"diplomacy", "Genève"},
	}
}

// TestJSONLDFixture pins the exact bytes of a small document, and checks
// that every string survives the trip through JSON unchanged.
func TestJSONLDFixture(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	recs := jsonldFixtureRecords()
	for _, r := range recs {
		obj := r.Value.(map[string]any)
		if vs := v.Validate(obj["type"].(string), obj); len(vs) > 0 {
			t.Fatalf("fixture %s is invalid: %v", obj["id"], vs)
		}
	}
	ds := &record.Dataset{Validator: v, Manifest: jsonldFixtureManifest("https://example.org/fixture/")}
	if vs := v.Validate(schema.Manifest, ds.Manifest); len(vs) > 0 {
		t.Fatalf("fixture manifest is invalid: %v", vs)
	}
	doc := writeJSONLD(t, ds, recs)
	jsonldGolden(t, "fixture.jsonld", doc)
	nq := jsonldNQuads(t, doc)
	jsonldGolden(t, "fixture.nq", []byte(nq))

	var parsed struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	summary := parsed.Graph[5]["summary"]
	if want := recs[4].Value.(map[string]any)["summary"]; summary != want {
		t.Errorf("summary came back as %q, want %q", summary, want)
	}
	for _, want := range []string{
		`<https://example.org/fixture/geneva-talks> <http://schema.org/startDate> "2022-01-10"^^<http://www.w3.org/2001/XMLSchema#date>`,
		`<https://example.org/fixture/src-tass> <http://schema.org/datePublished> "2021-12-28T11:04:00+03:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>`,
		`<https://example.org/fixture/src-tass> <https://w3id.org/annals/vocab#published> "2021-12-28T11:04:00+03"^^<http://id.loc.gov/datatypes/edtf/EDTF>`,
		`<https://example.org/fixture/geneva-talks> <http://schema.org/eventStatus> <http://schema.org/EventPostponed>`,
		`<https://example.org/fixture/geneva-talks> <http://schema.org/organizer> <https://example.org/fixture/russia-mfa>`,
		`<https://example.org/fixture/sergei-lavrov> <http://schema.org/sameAs> <http://www.wikidata.org/entity/Q80137>`,
		`<https://example.org/fixture/> <http://schema.org/creator> <https://orcid.org/0000-0002-1825-0097>`,
		`<http://schema.org/longitude> "6.1402"^^<http://www.w3.org/2001/XMLSchema#decimal>`,
		`<http://schema.org/latitude> "46.22665"^^<http://www.w3.org/2001/XMLSchema#decimal>`,
	} {
		if !strings.Contains(nq, want) {
			t.Errorf("no triple %s", want)
		}
	}
	if strings.Contains(nq, "<https://example.org/fixture/geneva-talks> <http://schema.org/endDate>") {
		t.Error("an open interval end became a schema:endDate")
	}
	if n := strings.Count(nq, "<http://schema.org/attendee>"); n != 1 {
		t.Errorf("%d attendee triples, want 1 (a party who is also host attends once; organizers do not attend)", n)
	}
}

// TestJSONLDBaseIRI checks that ids become base IRI + id whatever the
// base looks like, written as absolute IRIs, so that no processor has to
// apply @base (pyld does not apply the @base of a second context object).
func TestJSONLDBaseIRI(t *testing.T) {
	for _, tc := range []struct {
		name     string
		manifest map[string]any
		base     string
	}{
		{"slash", jsonldFixtureManifest("https://example.org/annals/"), "https://example.org/annals/"},
		{"hash", jsonldFixtureManifest("https://example.org/annals#"), "https://example.org/annals#"},
		{"dot-segment", jsonldFixtureManifest("https://example.org/a/../annals/"), "https://example.org/a/../annals/"},
		{"no-manifest", nil, "urn:annals:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := writeJSONLD(t, &record.Dataset{Manifest: tc.manifest}, jsonldFixtureRecords())
			if !bytes.Contains(doc, []byte(`{"id":"`+tc.base+`sergei-lavrov"`)) || bytes.Contains(doc, []byte(`"sergei-lavrov"`)) {
				t.Errorf("an id or a reference is not written as an absolute IRI:\n%s", doc)
			}
			nq := jsonldNQuads(t, doc)
			for _, want := range []string{
				"<" + tc.base + "lavrov-quote> <http://www.w3.org/ns/prov#wasAttributedTo> <" + tc.base + "sergei-lavrov>",
				"<" + tc.base + "lavrov-quote> <http://www.w3.org/ns/prov#wasQuotedFrom> <" + tc.base + "src-tass>",
			} {
				if !strings.Contains(nq, want) {
					t.Errorf("no triple %s in\n%s", want, nq)
				}
			}
			if hasDataset := strings.Contains(nq, "<http://schema.org/Dataset>"); hasDataset != (tc.manifest != nil) {
				t.Errorf("dataset node present: %v, want %v", hasDataset, tc.manifest != nil)
			}
		})
	}
}

// jsonldFull makes a valid value for every field of a schema tree, each
// leaf distinct where its schema allows, and records for each leaf a text
// that its triple must contain.
type jsonldFull struct {
	typ    string
	n      int
	leaves []jsonldLeaf
}

type jsonldLeaf struct {
	path  string // the schema path, such as /attestations/*/quote
	value string
}

var jsonldDates = []string{
	"2021-12-23", "2022-01", "2021", "2021-12-28T11:04:00+03:00", "2022-01-10/2022-01-13",
	"2021-12-27?", "2022-01~", "2021-12-XX", "2022-01-09/..", "2021-23",
}

var jsonldLanguages = []string{"en", "ru", "de", "fr", "ar", "pt-BR", "sr-Latn"}

func (fv *jsonldFull) object(fields []schema.Field) map[string]any {
	obj := map[string]any{}
	for i := range fields {
		obj[fields[i].Name] = fv.value(&fields[i])
	}
	return obj
}

func (fv *jsonldFull) value(f *schema.Field) any {
	switch {
	case f.Items != nil:
		return []any{fv.value(f.Items)}
	case f.Fields != nil:
		return fv.object(f.Fields)
	case f.Type == "object":
		// A map (the manifest's checks): a JSON literal, checked below.
		return map[string]any{"duplicate-actor": "off"}
	}
	fv.n++
	v := fv.leaf(f)
	leaf := jsonldLeaf{path: f.Path, value: v}
	if f.Type == "number" {
		fv.leaves = append(fv.leaves, leaf)
		return json.Number(v)
	}
	if f.Const == "" { // the record's type is checked through its rdf:type
		fv.leaves = append(fv.leaves, leaf)
	}
	return v
}

func (fv *jsonldFull) leaf(f *schema.Field) string {
	n := fv.n
	name := f.Name
	if name == "" { // an array item: named after its list
		name = f.Item
	}
	switch {
	case f.Const != "":
		return f.Const
	case f.Enum != nil:
		return f.Enum[n%len(f.Enum)]
	case f.Path == "/id":
		return "full-" + fv.typ
	case f.RefersTo != "":
		return "ref-" + strconv.Itoa(n)
	case f.Format == "edtf":
		return jsonldDates[n%len(jsonldDates)]
	case f.Format == "uri":
		return "https://example.org/u" + strconv.Itoa(n) + "/"
	case f.Format == "email":
		return "curator" + strconv.Itoa(n) + "@example.org"
	case f.Type == "number":
		return fmt.Sprintf("%d.%04d", 10+n%70, n)
	}
	switch name {
	case "wikidata":
		return "Q" + strconv.Itoa(100+n)
	case "orcid":
		return "0000-0002-1825-0097"
	case "language", "quote_language":
		return jsonldLanguages[n%len(jsonldLanguages)]
	case "mode":
		return "mode-" + strconv.Itoa(n)
	case "archive":
		return "texts/full-" + strconv.Itoa(n) + ".txt"
	case "actor", "source", "event", "statement": // the manifest's extensions
		return "codebook/full-" + strconv.Itoa(n) + ".schema.json"
	case "version":
		return "1.2." + strconv.Itoa(n)
	}
	return fmt.Sprintf("Text %d of %s, \"quoted\" — ünïcødé", n, f.Path)
}

// TestJSONLDKeepsEveryField writes one record of every type, and the
// manifest, with every field of the schema set, and checks that expansion
// in safe mode keeps every key and that every value reaches a triple.
func TestJSONLDKeepsEveryField(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	const base = "https://example.org/full/"
	var recs []*record.Record
	var leaves []jsonldLeaf
	for _, typ := range schema.RecordTypes {
		fv := &jsonldFull{typ: typ, n: len(leaves)}
		obj := fv.object(v.Fields(typ))
		if vs := v.Validate(typ, obj); len(vs) > 0 {
			t.Fatalf("the full %s is invalid (teach jsonldFull the new field): %v", typ, vs)
		}
		recs = append(recs, &record.Record{File: "full", Value: obj})
		for _, l := range fv.leaves {
			leaves = append(leaves, jsonldLeaf{typ + l.path, l.value})
		}
	}
	fv := &jsonldFull{typ: schema.Manifest, n: len(leaves)}
	manifest := fv.object(v.Fields(schema.Manifest))
	manifest["base_iri"] = base
	if vs := v.Validate(schema.Manifest, manifest); len(vs) > 0 {
		t.Fatalf("the full manifest is invalid: %v", vs)
	}
	for _, l := range fv.leaves {
		if l.path != "/base_iri" {
			leaves = append(leaves, jsonldLeaf{"manifest" + l.path, l.value})
		}
	}

	nq := jsonldNQuads(t, writeJSONLD(t, &record.Dataset{Validator: v, Manifest: manifest}, recs))
	for _, l := range leaves {
		lit, _ := json.Marshal(l.value) // N-Quads escapes strings as JSON does for these values
		inJSON := `\"` + l.value + `\"` // a value inside a JSON literal (@json)
		if !strings.Contains(nq, string(lit)) && !strings.Contains(nq, l.value+">") && !strings.Contains(nq, inJSON) {
			t.Errorf("%s: value %q reaches no triple", l.path, l.value)
		}
	}
	for _, r := range recs {
		id := r.Value.(map[string]any)["id"].(string)
		if !strings.Contains(nq, "<"+base+id+"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>") {
			t.Errorf("%s has no rdf:type", id)
		}
	}
	if !strings.Contains(nq, `"{\"duplicate-actor\":\"off\"}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>`) {
		t.Error("the manifest's checks reach no triple as a JSON literal")
	}
	if !strings.Contains(nq, "<"+base+"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Dataset>") {
		t.Error("the manifest is not a schema:Dataset named by the base IRI")
	}
}

// TestJSONLDContextTerms checks that every field name of every record
// type is a term of the embedded context, at the top level or in a scoped
// context, so that the JSON-LD keys are the record's own.
func TestJSONLDContextTerms(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	var ctx map[string]any
	if err := json.Unmarshal(Context(), &ctx); err != nil {
		t.Fatalf("the embedded context is not JSON: %v", err)
	}
	terms := map[string]bool{}
	jsonldTerms(ctx, terms)
	for _, typ := range schema.RecordTypes {
		schema.Walk(v.Fields(typ), func(f *schema.Field) {
			if f.Name != "" && !terms[f.Name] {
				t.Errorf("%s field %s (%s) is not a term of the JSON-LD context", typ, f.Name, f.Path)
			}
		})
	}
	if len(Context()) == 0 || &Context()[0] == &jsonldContext[0] {
		t.Error("Context must return a copy")
	}
}

func jsonldTerms(ctx map[string]any, terms map[string]bool) {
	for k, def := range ctx {
		if !strings.HasPrefix(k, "@") {
			terms[k] = true
		}
		if d, ok := def.(map[string]any); ok {
			if scoped, ok := d["@context"].(map[string]any); ok {
				jsonldTerms(scoped, terms)
			}
		}
	}
}

func TestJSONLDDates(t *testing.T) {
	for _, tc := range []struct {
		in, lit, typ string
	}{
		{"2021", "2021", "xsd:gYear"},
		{"2021-12", "2021-12", "xsd:gYearMonth"},
		{"2021-12-23", "2021-12-23", "xsd:date"},
		{"2021-12-28T11:04:00", "2021-12-28T11:04:00", "xsd:dateTime"},
		{"2021-12-28T11:04:00Z", "2021-12-28T11:04:00Z", "xsd:dateTime"},
		{"2021-12-28T11:04:00+03", "2021-12-28T11:04:00+03:00", "xsd:dateTime"},
		{"2021-12-28T11:04:00-05:30", "2021-12-28T11:04:00-05:30", "xsd:dateTime"},
		{"2021-12-28T11:04:00+14:00", "2021-12-28T11:04:00+14:00", "xsd:dateTime"},
		{"2021-12-28T11:04:00+15:00", "", ""}, // beyond xsd's offsets
		{"2016-12-31T23:59:60Z", "", ""},      // a leap second, which xsd has not
		{"2021-12-23?", "", ""},
		{"2022-01~", "", ""},
		{"2021-12-XX", "", ""},
		{"2021-21", "", ""},
		{"-0100", "", ""},
		{"2022-01-10/2022-01-13", "", ""},
		{"not a date", "", ""},
	} {
		lit, typ, ok := ldXSDDate(tc.in)
		if ok != (tc.typ != "") || lit != tc.lit || typ != tc.typ {
			t.Errorf("ldXSDDate(%q) = %q, %q, %v; want %q, %q", tc.in, lit, typ, ok, tc.lit, tc.typ)
		}
	}
}

func TestJSONLDUnmappedField(t *testing.T) {
	rec := &record.Record{File: "x.yaml", Line: 3, Col: 1, Value: map[string]any{
		"type": "event", "id": "e", "title": "T", "category": "consult", "status": "occurred", "date": "2022",
		"attestations": []any{map[string]any{"source": "s", "colour": "red"}},
	}}
	w := NewWriter(io.Discard, &record.Dataset{})
	err := w.Write(rec)
	var re *record.WriteError
	if !errors.As(err, &re) || re.Pointer != "/attestations/0/colour" || re.ID != "e" {
		t.Fatalf("Write = %v, want a WriteError at /attestations/0/colour", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close after a record error: %v", err)
	}
}

func TestJSONLDEmpty(t *testing.T) {
	doc := writeJSONLD(t, &record.Dataset{}, nil)
	if nq := jsonldNQuads(t, doc); nq != "" {
		t.Errorf("an empty dataset gave triples:\n%s", nq)
	}
}

type jsonldFailingWriter struct{ n int }

func (f *jsonldFailingWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestJSONLDWriteError(t *testing.T) {
	_, recs := jsonldSamples(t)
	w := NewWriter(&jsonldFailingWriter{n: 1000}, &record.Dataset{})
	var err error
	for _, r := range recs {
		if err = w.Write(r); err != nil {
			break
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the writer's error", err)
	}
}

func BenchmarkJSONLDWriter(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			var recs []*record.Record
			for v := range gen.Records(n, 1, 0) {
				recs = append(recs, &record.Record{File: "gen", Value: v})
			}
			v, err := schema.Default()
			if err != nil {
				b.Fatal(err)
			}
			ds := &record.Dataset{Validator: v, Manifest: jsonldFixtureManifest("https://example.org/bench/")}
			NewWriter(io.Discard, ds) // make the plans outside the measurement
			converttest.BenchWriter(b, recs, func() (record.Writer, func()) { return NewWriter(io.Discard, ds), nil })
		})
	}
}

// TestReservedNamesCoverTheContext holds schema.ReservedNames to the
// context: every term an extension field could take (lower-case letters,
// digits and _) is a field name of the record model or reserved, so that
// no study's field redefines a term of the canonical ones.
func TestReservedNamesCoverTheContext(t *testing.T) {
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(Context(), &doc); err != nil {
		t.Fatal(err)
	}
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, n := range schema.ReservedNames {
		names[n] = true
	}
	for _, typ := range schema.Types() {
		schema.Walk(v.Fields(typ), func(f *schema.Field) { names[f.Name], names[f.Item] = true, true })
	}
	term := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for k := range doc.Context {
		if term.MatchString(k) && !names[k] {
			t.Errorf("the context's term %q is neither a field name nor in schema.ReservedNames: an extension field could redefine it", k)
		}
	}
}

// Two articles of one outlet name its actor record as publisher: the graph
// has one publisher node for both, and the name each article prints stays
// as annals:outlet; an article whose outlet is not an actor keeps its
// Organization node. An attestation's credited actor is an IRI too.
func TestJSONLDPublisherIsTheOutletsActor(t *testing.T) {
	ds, _ := jsonldSamples(t)
	recs := []*record.Record{
		{Value: map[string]any{"type": "actor", "id": "tass", "name": "TASS", "kind": "organization"}},
		{Value: map[string]any{"type": "source", "id": "a1", "outlet": "TASS", "publisher": "tass", "published": "2021-12-23"}},
		{Value: map[string]any{"type": "source", "id": "a2", "outlet": "TASS Russian News Agency", "publisher": "tass", "published": "2021-12-24"}},
		{Value: map[string]any{"type": "source", "id": "a3", "outlet": "Gazette", "published": "2021-12-25"}},
		{Value: map[string]any{"type": "statement", "id": "s", "speaker": "tass", "date": "2021-12-23", "summary": "S",
			"attestations": []any{map[string]any{"source": "a1", "credited_to": "TASS", "credited_actor": "tass"}}}},
	}
	nq := jsonldNQuads(t, writeJSONLD(t, ds, recs))
	base := "<https://example.org/annals/security-guarantees-2021/"
	for _, want := range []string{
		base + "a1> <http://schema.org/publisher> " + base + "tass> .",
		base + "a2> <http://schema.org/publisher> " + base + "tass> .",
		base + "a2> <https://w3id.org/annals/vocab#outlet> \"TASS Russian News Agency\" .",
		"<https://w3id.org/annals/vocab#creditedActor> " + base + "tass> .",
	} {
		if !strings.Contains(nq, want) {
			t.Errorf("no %s in\n%s", want, nq)
		}
	}
	if n := strings.Count(nq, "<http://schema.org/publisher>"); n != 3 {
		t.Errorf("%d publisher triples, want 3 (two to the actor, one to a3's node):\n%s", n, nq)
	}
}
