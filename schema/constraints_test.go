package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Valid records of every type with every optional field filled in: the
// base that each fixture below breaks in one place.
var fullRecords = map[string]string{
	Actor: `{"type":"actor","id":"anna-petrova","name":"Anna Petrova","kind":"person","country":"RUS",
		"wikidata":"Q42","description":"A fictional spokesperson.",
		"aliases":[{"name":"Ana Petrova","kind":"misspelling","language":"en","seen_in":["herald"]}],
		"roles":[{"title":"Spokesperson","organization":"ministry","from":"2019","to":"2023-06"}],
		"note":"Made up for tests."}`,
	Source: `{"type":"source","id":"herald","outlet":"Daily Herald","publisher":"daily-herald","headline":"Port talks set",
		"url":"https://example.org/herald/1","published":"2022-01-05T09:30:00+01:00","accessed":"2022-02-01",
		"language":"en","authors":["Kim Lee"],"archive":"texts/herald.txt","note":"Print edition."}`,
	Event: `{"type":"event","id":"port-talks","title":"Port talks","description":"Talks on the port.",
		"category":"consult","mode":"multilateral","status":"scheduled","date":"2022-03~",
		"location":{"name":"Lakeside","country":"FIN","coordinates":{"latitude":61.5,"longitude":23.75},"precision":"settlement"},
		"participants":[{"actor":"ministry","role":"party"}],"parent":"port-round",
		"attestations":[{"source":"herald","rank":"preferred","quote":"Talks are expected in March.","quote_kind":"paraphrase",
			"quote_language":"en","credited_to":"Harbour Wire","credited_actor":"harbour-wire","reported_date":"2022-03","reported_date_text":"in March",
			"reported_place":"the lakeside town","reported_names":[{"actor":"ministry","spelling":"Ministry of Ports"}],
			"note":"Second paragraph."}],
		"note":"Date approximate."}`,
	Statement: `{"type":"statement","id":"petrova-said","speaker":"anna-petrova","speaker_role":"Spokesperson",
		"date":"2022-01-04","setting":{"kind":"press-briefing","outlet":"Ministry TV","event":"port-talks"},
		"language":"ru","summary":"She expects talks.","about":["port-talks"],
		"attestations":[{"source":"herald","quote":"We expect talks.","quote_kind":"direct"}],"note":"Briefing."}`,
	Manifest: `{"title":"Test","description":"A test dataset.","license":"CC0-1.0",
		"curators":[{"name":"Test Curator","orcid":"0000-0002-1825-0097","email":"curator@example.org","role":"lead"}],
		"version":"1.0.0","base_iri":"https://example.org/test/","archive":"texts","checks":{"duplicate-actor":"off"},"keywords":["test"],"exclude":["exports/"],"extensions":{"statement":"codebook/statement.schema.json"}}`,
}

// fixture breaks one value of a full record: set the value at ptr to the
// JSON in value, or delete it when value is "-". want is the code the
// violation must have, reported at ptr (or at wantAt when set).
type fixture struct {
	typ, ptr, value, want, wantAt string
}

var fixtures = []fixture{
	// actor
	{Actor, "/type", `"actress"`, CodeNotAllowed, ""},
	{Actor, "/id", `"Anna Petrova"`, CodeBadFormat, ""},
	{Actor, "/id", "-", CodeMissingField, ""},
	{Actor, "/name", `"  "`, CodeEmpty, ""},
	{Actor, "/name", "-", CodeMissingField, ""},
	{Actor, "/kind", `"persn"`, CodeNotAllowed, ""},
	{Actor, "/country", `"RU"`, CodeNotAllowed, ""},
	{Actor, "/wikidata", `"q42"`, CodeBadFormat, ""},
	{Actor, "/description", `""`, CodeEmpty, ""},
	{Actor, "/aliases", `"Ana"`, CodeWrongType, ""},
	{Actor, "/aliases/0", `"Ana"`, CodeWrongType, ""},
	{Actor, "/aliases/0/name", "-", CodeMissingField, ""},
	{Actor, "/aliases/0/kind", `"typo"`, CodeNotAllowed, ""},
	{Actor, "/aliases/0/language", `"English"`, CodeBadFormat, ""},
	{Actor, "/aliases/0/seen_in", `["herald","herald"]`, CodeDuplicateItem, "/aliases/0/seen_in/1"},
	{Actor, "/aliases/0/seen_in/0", `"Herald"`, CodeBadFormat, ""},
	{Actor, "/roles", `{}`, CodeWrongType, ""},
	{Actor, "/roles/0", `[]`, CodeWrongType, ""},
	{Actor, "/roles/0/title", "-", CodeMissingField, ""},
	{Actor, "/roles/0/organization", `"Ministry of Ports"`, CodeBadFormat, ""},
	{Actor, "/roles/0/from", `"2019-13"`, CodeBadDate, ""},
	{Actor, "/roles/0/to", `"2023/06"`, CodeBadDate, ""},
	{Actor, "/note", `7`, CodeWrongType, ""},
	{Actor, "/nickname", `"Annie"`, CodeUnknownField, ""},
	// source
	{Source, "/type", `"article"`, CodeNotAllowed, ""},
	{Source, "/id", `"herald_1"`, CodeBadFormat, ""},
	{Source, "/outlet", `""`, CodeEmpty, ""},
	{Source, "/publisher", `"Daily Herald"`, CodeBadFormat, ""},
	{Source, "/headline", `["a"]`, CodeWrongType, ""},
	{Source, "/url", `"https://example.org/a b"`, CodeBadURI, ""},
	{Source, "/published", "-", CodeMissingField, ""},
	{Source, "/published", `"5 January 2022"`, CodeBadDate, ""},
	{Source, "/accessed", `"2022-02-30"`, CodeBadDate, ""},
	{Source, "/language", `"english"`, CodeBadFormat, ""},
	{Source, "/authors", `"Kim Lee"`, CodeWrongType, ""},
	{Source, "/authors/0", `" "`, CodeEmpty, ""},
	{Source, "/archive", `"../texts/herald.txt"`, CodeBadFormat, ""},
	{Source, "/note", `false`, CodeWrongType, ""},
	// event
	{Event, "/type", `"evnt"`, CodeNotAllowed, ""},
	{Event, "/id", `"-port"`, CodeBadFormat, ""},
	{Event, "/title", "-", CodeMissingField, ""},
	{Event, "/description", `""`, CodeEmpty, ""},
	{Event, "/category", `"meet"`, CodeNotAllowed, ""},
	{Event, "/mode", `"Multi Lateral"`, CodeBadFormat, ""},
	{Event, "/status", `"occured"`, CodeNotAllowed, ""},
	{Event, "/date", `"2022-13-01"`, CodeBadDate, ""},
	{Event, "/date", `"2022-01-13/2022-01-09"`, CodeIntervalReversed, ""},
	{Event, "/location", `"Lakeside"`, CodeWrongType, ""},
	{Event, "/location/name", "-", CodeMissingField, ""},
	{Event, "/location/country", `"Finland"`, CodeNotAllowed, ""},
	{Event, "/location/coordinates", `[61.5, 23.75]`, CodeWrongType, ""},
	{Event, "/location/coordinates/latitude", `95`, CodeOutOfRange, ""},
	{Event, "/location/coordinates/longitude", `"23.75"`, CodeWrongType, ""},
	{Event, "/location/precision", `"city"`, CodeNotAllowed, ""},
	{Event, "/participants", `"ministry"`, CodeWrongType, ""},
	{Event, "/participants/0", `"ministry"`, CodeWrongType, ""},
	{Event, "/participants/0/actor", `"The Ministry"`, CodeBadFormat, ""},
	{Event, "/participants/0/role", `"guest"`, CodeNotAllowed, ""},
	{Event, "/parent", `["port-round"]`, CodeWrongType, ""},
	{Event, "/attestations", `[]`, CodeEmpty, ""},
	{Event, "/attestations", "-", CodeMissingField, ""},
	{Event, "/attestations/0", `"herald"`, CodeWrongType, ""},
	{Event, "/attestations/0/source", "-", CodeMissingField, ""},
	{Event, "/attestations/0/rank", `"best"`, CodeNotAllowed, ""},
	{Event, "/attestations/0/quote", `""`, CodeEmpty, ""},
	{Event, "/attestations/0/quote", "-", CodeMissingDependency, "/attestations/0/quote_kind"},
	{Event, "/attestations/0/quote_kind", `"verbatim"`, CodeNotAllowed, ""},
	{Event, "/attestations/0/quote_language", `"EN_gb"`, CodeBadFormat, ""},
	{Event, "/attestations/0/credited_to", `""`, CodeEmpty, ""},
	{Event, "/attestations/0/credited_actor", `"Harbour Wire"`, CodeBadFormat, ""},
	{Event, "/attestations/0/reported_date", `"March 2022"`, CodeBadDate, ""},
	{Event, "/attestations/0/reported_date_text", `3`, CodeWrongType, ""},
	{Event, "/attestations/0/reported_place", `""`, CodeEmpty, ""},
	{Event, "/attestations/0/reported_names", `{}`, CodeWrongType, ""},
	{Event, "/attestations/0/reported_names/0", `"Ministry"`, CodeWrongType, ""},
	{Event, "/attestations/0/reported_names/0/actor", "-", CodeMissingField, ""},
	{Event, "/attestations/0/reported_names/0/spelling", `""`, CodeEmpty, ""},
	{Event, "/attestations/0/note", `{}`, CodeWrongType, ""},
	{Event, "/note", `null`, CodeWrongType, ""},
	// statement
	{Statement, "/type", `"quote"`, CodeNotAllowed, ""},
	{Statement, "/id", `"Petrova"`, CodeBadFormat, ""},
	{Statement, "/speaker", "-", CodeMissingField, ""},
	{Statement, "/speaker_role", `""`, CodeEmpty, ""},
	{Statement, "/date", `"yesterday"`, CodeBadDate, ""},
	{Statement, "/setting", `"briefing"`, CodeWrongType, ""},
	{Statement, "/setting/kind", `"chat"`, CodeNotAllowed, ""},
	{Statement, "/setting/outlet", `""`, CodeEmpty, ""},
	{Statement, "/setting/event", `"Port Talks"`, CodeBadFormat, ""},
	{Statement, "/language", `"russian"`, CodeBadFormat, ""},
	{Statement, "/summary", "-", CodeMissingField, ""},
	{Statement, "/about", `["port-talks","port-talks"]`, CodeDuplicateItem, "/about/1"},
	{Statement, "/about/0", `5`, CodeWrongType, ""},
	{Statement, "/attestations", `{}`, CodeWrongType, ""},
	{Statement, "/note", `""`, CodeEmpty, ""},
	// manifest
	{Manifest, "/title", "-", CodeMissingField, ""},
	{Manifest, "/description", `""`, CodeEmpty, ""},
	{Manifest, "/license", `1`, CodeWrongType, ""},
	{Manifest, "/curators", `[]`, CodeEmpty, ""},
	{Manifest, "/curators/0", `"Test Curator"`, CodeWrongType, ""},
	{Manifest, "/curators/0/name", "-", CodeMissingField, ""},
	{Manifest, "/curators/0/orcid", `"https://orcid.org/0000-0002-1825-0097"`, CodeBadFormat, ""},
	{Manifest, "/curators/0/email", `"curator at example.org"`, CodeBadEmail, ""},
	{Manifest, "/curators/0/role", `""`, CodeEmpty, ""},
	{Manifest, "/version", `"1.0"`, CodeBadFormat, ""},
	{Manifest, "/base_iri", `"https://example.org/test"`, CodeBadFormat, ""},
	{Manifest, "/base_iri", `"example.org/test/"`, CodeBadURI, ""},
	{Manifest, "/archive", `"/abs/texts"`, CodeBadFormat, ""},
	{Manifest, "/checks", `"strict"`, CodeWrongType, ""},
	{Manifest, "/checks/duplicate-actor", `"ignore"`, CodeNotAllowed, ""},
	{Manifest, "/checks/syntax-error", `"off"`, CodeNotAllowed, ""},
	{Manifest, "/keywords", `"test"`, CodeWrongType, ""},
	{Manifest, "/keywords/0", `""`, CodeEmpty, ""},
	{Manifest, "/exclude", `"exports/"`, CodeWrongType, ""},
	{Manifest, "/exclude/0", `""`, CodeEmpty, ""},
	{Manifest, "/extensions", `"codebook.json"`, CodeWrongType, ""},
	{Manifest, "/extensions/actor", `"/abs/actor.schema.json"`, CodeBadFormat, ""},
	{Manifest, "/extensions/source", `"../source.schema.json"`, CodeBadFormat, ""},
	{Manifest, "/extensions/event", `1`, CodeWrongType, ""},
	{Manifest, "/extensions/statement", `""`, CodeEmpty, ""},
}

func TestFullRecordsAreValid(t *testing.T) {
	v := mustValidator(t)
	for typ, src := range fullRecords {
		if vs := v.Validate(typ, decode(t, src)); len(vs) > 0 {
			t.Errorf("full %s record is invalid: %+v", typ, vs)
		}
	}
}

func TestFixtures(t *testing.T) {
	v := mustValidator(t)
	for _, fx := range fixtures {
		t.Run(fx.typ+fx.ptr+"="+fx.value, func(t *testing.T) {
			rec := decode(t, fullRecords[fx.typ])
			mutate(t, rec, fx.ptr, fx.value)
			want := fx.ptr
			if fx.wantAt != "" {
				want = fx.wantAt
			}
			vs := v.Validate(fx.typ, rec)
			for _, x := range vs {
				if x.Pointer == want && x.Code == fx.want {
					if x.Message == "" || strings.Contains(x.Message, "jsonschema") {
						t.Errorf("message not written for researchers: %q", x.Message)
					}
					return
				}
			}
			t.Errorf("want %s at %s, got %+v", fx.want, want, vs)
		})
	}
}

// TestEveryPropertyHasAFixture walks every property of every schema and
// requires a fixture that breaks it, so a new field cannot land untested.
func TestEveryPropertyHasAFixture(t *testing.T) {
	v := mustValidator(t)
	covered := map[string]bool{}
	index := regexp.MustCompile(`/[0-9]+(/|$)`)
	for _, fx := range fixtures {
		covered[fx.typ+" "+index.ReplaceAllString(index.ReplaceAllString(fx.ptr, "/*$1"), "/*$1")] = true
	}
	locs := map[string][]string{} // schema location -> instance paths that reach it
	for _, typ := range append(append([]string{}, RecordTypes...), Manifest) {
		v.walkProperties(typ, func(path, loc string, _ map[string]any) {
			locs[loc] = append(locs[loc], typ+" "+path)
		})
	}
	var missing []string
	for loc, paths := range locs {
		ok := false
		for _, p := range paths {
			ok = ok || covered[p]
		}
		if !ok {
			missing = append(missing, fmt.Sprintf("%s (at %s)", strings.TrimPrefix(loc, BaseURI), strings.Join(paths, ", ")))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no failing fixture for %s", m)
	}
}

// mutate sets (or with "-" deletes) the value at ptr.
func mutate(t *testing.T, rec any, ptr, value string) {
	t.Helper()
	toks := strings.Split(ptr[1:], "/")
	parent := lookupPointer(rec, "/"+strings.Join(toks[:len(toks)-1], "/"))
	if len(toks) == 1 {
		parent = rec
	}
	last := toks[len(toks)-1]
	switch p := parent.(type) {
	case map[string]any:
		if value == "-" {
			delete(p, last)
		} else {
			p[last] = decode(t, value)
		}
	case []any:
		i, err := parseIndex(last)
		if err != nil || value == "-" {
			t.Fatalf("cannot mutate %s", ptr)
		}
		p[i] = decode(t, value)
	default:
		t.Fatalf("no parent for %s", ptr)
	}
}

// A field name that propertyNames refuses is reported at the name, as a
// name, with the nearest allowed one.
func TestPropertyNamesMessage(t *testing.T) {
	v := mustValidator(t)
	rec := decode(t, fullRecords[Manifest])
	mutate(t, rec, "/checks/duplicate-actors", `"off"`)
	for _, x := range v.Validate(Manifest, rec) {
		if x.Pointer != "/checks/duplicate-actors" {
			continue
		}
		if !x.Key || x.Code != CodeNotAllowed || !strings.HasPrefix(x.Message, `"duplicate-actors" is not allowed as a name here; use one of: `) ||
			!strings.HasSuffix(x.Message, `(did you mean "duplicate-actor"?)`) {
			t.Errorf("got %+v", x)
		}
		return
	}
	t.Error("no violation at /checks/duplicate-actors")
}
