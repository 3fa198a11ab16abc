package converttest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

// XLSXFixture is a small fictional dataset with one record of each type
// and the values the workbook must treat with care.
const XLSXFixture = `[
{"type": "actor", "id": "harbour-council", "name": "Harbour Council", "kind": "organization", "country": "NOR",
 "aliases": [{"name": "The Council", "kind": "other-name", "seen_in": ["src-bulletin"]}]},
{"type": "source", "id": "src-bulletin", "outlet": "Fjord Bulletin", "headline": "Council agrees to meet",
 "url": "https://example.org/bulletin/42", "published": "2021-12-23", "language": "en"},
{"type": "source", "id": "src-script", "outlet": "Odd Wire", "headline": "A link that runs code",
 "url": "javascript:alert(1)", "published": "2022", "language": "en"},
{"type": "event", "id": "ferry-talks", "title": "Talks on the ferry schedule", "category": "consult",
 "status": "scheduled", "date": "2022-01~",
 "location": {"name": "Tromsø", "country": "NOR", "coordinates": {"latitude": 69.6492, "longitude": 18.9553}},
 "participants": [{"actor": "harbour-council", "role": "host"}],
 "attestations": [{"source": "src-bulletin", "rank": "preferred", "quote": "=SUM(A1)", "quote_kind": "direct",
   "reported_date": "2022-01-10"}]},
{"type": "statement", "id": "council-reply", "speaker": "harbour-council", "date": "2021-12-23",
 "setting": {"kind": "press-release"}, "language": "no", "summary": "@everyone the council will reply.",
 "about": ["ferry-talks"],
 "attestations": [{"source": "src-bulletin", "quote": "+1 for the new timetable", "quote_kind": "direct"},
   {"source": "src-script", "quote": "-2 ferries a day", "quote_kind": "paraphrase"},
   {"source": "src-script", "quote": "\t=cmd|' /C calc'!A0", "quote_kind": "direct"},
   {"source": "src-script", "quote": "\r@SUM(1+1)", "quote_kind": "direct"}]}
]`

// DecodeRecords decodes a JSON array of records, as read from "f.json".
func DecodeRecords(t testing.TB, js string) []*record.Record {
	t.Helper()
	return recordsOf(t, "f.json", js)
}

// recordsOf decodes a JSON array of records, as read from file.
func recordsOf(t testing.TB, file, js string) []*record.Record {
	t.Helper()
	var recs []*record.Record
	for i, v := range testkit.DecodeJSON(t, js).([]any) {
		recs = append(recs, &record.Record{File: file, Index: i, Line: 1, Col: 1, Value: v})
	}
	return recs
}

// XLSXDataset is the dataset of XLSXFixture.
func XLSXDataset(t testing.TB) *record.Dataset {
	t.Helper()
	return &record.Dataset{
		Validator: Validator(t),
		Manifest: map[string]any{
			"title": "Harbour talks", "license": "CC-BY-4.0", "version": "0.3.0",
			"base_iri": "https://example.org/harbour/",
			"curators": []any{map[string]any{"name": "Ida Berg", "role": "lead curator", "orcid": "0000-0002-1825-0097"}},
		},
		Inputs:  []record.InputFile{{Path: "records/harbour.json", SHA256: strings.Repeat("ab", 32), Records: 5}},
		Counts:  map[string]int{"actor": 1, "source": 2, "event": 1, "statement": 1},
		Version: "0.9.0",
	}
}

// CSVFixture is a small fictional dataset whose text exercises quoting and
// the formula guard.
const CSVFixture = `[
  {"type": "actor", "id": "mara-quell", "name": "Mara Quell, \"the Ferrywoman\"", "kind": "person",
   "aliases": [{"name": "M. Quell", "kind": "abbreviation", "seen_in": ["harbour-gazette"]}]},
  {"type": "source", "id": "harbour-gazette", "outlet": "The Harbour Gazette", "published": "2031-04-02",
   "headline": "Ferry line, closed since spring, to reopen", "url": "https://example.org/gazette/ferry",
   "authors": ["Ilse Varn", "Tomas Oduya"]},
  {"type": "event", "id": "ferry-reopening", "title": "Ferry line reopens", "category": "agree",
   "status": "scheduled", "date": "2031-04~", "description": "Line one\nline two, with a comma",
   "location": {"name": "Port Ellery", "coordinates": {"latitude": -33.9, "longitude": 18.42}},
   "participants": [{"actor": "mara-quell", "role": "host"}],
   "attestations": [{"source": "harbour-gazette", "rank": "preferred", "quote": "  padded  "}]},
  {"type": "event", "id": "ferry-trial", "title": "Trial crossing", "category": "cooperate",
   "status": "occurred", "date": "2031-03-30", "parent": "ferry-reopening",
   "attestations": [{"source": "harbour-gazette", "quote": "It said \"soon\"; then, nothing."}]},
  {"type": "statement", "id": "quell-on-ferry", "speaker": "mara-quell", "date": "2031-04-01",
   "summary": "Quell said the ferry would run again.", "about": ["ferry-reopening"],
   "attestations": [{"source": "harbour-gazette", "quote": "=SUM(A1)",
     "reported_names": [{"actor": "mara-quell", "spelling": "-Quel"}]}]}
]`

// CSVManifest is the manifest of CSVDataset.
const CSVManifest = `{"title": "Zoë's Ferry Log, 2031", "description": "Crossings of an invented ferry line.",
  "license": "CC-BY-4.0", "version": "0.3.0", "base_iri": "https://example.org/ferry/",
  "curators": [{"name": "Ilse Varn", "orcid": "0000-0002-1825-0097", "email": "ilse@example.org", "role": "lead curator"},
               {"name": "Tomas Oduya", "role": "Maintainer"}],
  "keywords": ["ferries", "harbours"]}`

// Records decodes a JSON array of records, as read from "fixture.json".
func Records(t testing.TB, js string) []*record.Record {
	t.Helper()
	return recordsOf(t, "fixture.json", js)
}

// GeneratedRecords are n records of internal/gen, valid, as read from
// "gen.json".
func GeneratedRecords(n int, seed uint64) []*record.Record {
	var recs []*record.Record
	for m := range gen.Records(n, seed, 0) {
		recs = append(recs, &record.Record{File: "gen.json", Index: len(recs), Value: m})
	}
	return recs
}

// CSVDataset is the dataset of CSVFixture.
func CSVDataset(t testing.TB) *record.Dataset {
	t.Helper()
	return &record.Dataset{
		Validator: Validator(t),
		Manifest:  testkit.DecodeJSON(t, CSVManifest).(map[string]any),
		Inputs:    []record.InputFile{{Path: "data/ferry.json", SHA256: strings.Repeat("ab", 32), Records: 5}},
		Version:   "0.0.0-test",
	}
}

// BenchRecords builds n generated records once per benchmark.
func BenchRecords(b *testing.B, n int) []*record.Record {
	b.Helper()
	recs := make([]*record.Record, 0, n)
	for v := range gen.Records(n, 1, 0) {
		// gen yields the JSON data model (maps, slices, strings), as readers do.
		recs = append(recs, &record.Record{File: "gen.jsonl", Line: len(recs) + 1, Col: 1, Value: v})
	}
	return recs
}

// BenchWriter writes recs through a fresh writer on every iteration and
// reports records/s and allocs/record, counting only the writing: open
// (which makes the writer) and the done it returns, if any, run untimed.
func BenchWriter(b *testing.B, recs []*record.Record, open func() (record.Writer, func())) {
	b.Helper()
	var mallocs uint64
	runs := 0
	var before, after runtime.MemStats
	for b.Loop() {
		b.StopTimer()
		w, done := open()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		mallocs += after.Mallocs - before.Mallocs
		runs++
		if done != nil {
			done()
		}
		b.StartTimer()
	}
	total := float64(runs * len(recs))
	b.ReportMetric(total/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(mallocs)/total, "allocs/record")
}

// Validator is the validator of the record schemas annals embeds.
func Validator(t testing.TB) *schema.Validator {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Opener opens an export for reading: xlsx.NewImporter or
// csv.NewImporter.
type Opener func(string, *schema.Validator, table.ImportOptions) (record.Reader, error)

// ImportFile imports a workbook or a CSV export, returning the records
// and every error, the constructor's included.
func ImportFile(t testing.TB, file string, opts table.ImportOptions, open Opener) ([]*record.Record, []error) {
	t.Helper()
	r, err := open(file, nil, opts)
	if err != nil {
		return nil, []error{err}
	}
	return readertest.ReadAll(t, r)
}

// Values are the values of recs, in order.
func Values(recs []*record.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.Value
	}
	return out
}

// Diff describes the first difference between two values.
func Diff(got, want any, ptr string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %#v, want an object", ptr, got)
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			gv, gok := g[k]
			wv, wok := w[k]
			if gok != wok {
				return fmt.Sprintf("%s/%s: got %#v, want %#v (a member present on one side only)", ptr, k, gv, wv)
			}
			if d := Diff(gv, wv, ptr+"/"+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %#v, want %#v", ptr, got, want)
		}
		for i := range w {
			if d := Diff(g[i], w[i], ptr+"/"+strconv.Itoa(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("%s: got %#v (%T), want %#v (%T)", ptr, got, got, want, want)
	}
	return ""
}

// CheckSame fails unless the imported records are want, in order,
// in canonical form: the same members, the same values, numbers compared
// in their canonical spelling, so that their canonical JSON Lines are the
// same bytes. A
// workbook's cells hold numbers, not their spelling, so 1.50 comes back as
// 1.5, which is its canonical spelling.
func CheckSame(t testing.TB, what string, got []*record.Record, errs []error, want []any) {
	t.Helper()
	if len(errs) > 0 {
		t.Fatalf("%s: %d errors, the first: %v", what, len(errs), errs[0])
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d", what, len(got), len(want))
	}
	for i := range want {
		if d := Diff(CanonicalNumbers(got[i].Value), CanonicalNumbers(want[i]), ""); d != "" {
			t.Fatalf("%s: record %d: %s", what, i, d)
		}
	}
}

// WantImportError checks that errs has one error, an *ImportError with the
// code, position and message given.
func WantImportError(t *testing.T, errs []error, code, pos, msg string) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("got %d errors %v, want one", len(errs), errs)
	}
	var ie *record.ImportError
	if !errors.As(errs[0], &ie) {
		t.Fatalf("%v (%T) is not an *ImportError", errs[0], errs[0])
	}
	text := ie.Error()
	if ie.Code != code || !strings.HasPrefix(text, pos+": ") || !strings.Contains(text, msg) {
		t.Errorf("got [%s] %s\nwant [%s] %s: …%s…", ie.Code, text, code, pos, msg)
	}
	if ie.Msg == "" || ie.Msg[:1] != strings.ToLower(ie.Msg[:1]) || strings.HasSuffix(ie.Msg, ".") {
		t.Errorf("message %q does not start in lower case, or ends with a period", ie.Msg)
	}
}

// ZipOf returns a zip archive of the given files.
func ZipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// EachLeaf calls fn for every value that is not an object or a list.
func EachLeaf(v any, ptr string, fn func(ptr string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			EachLeaf(e, ptr+"/"+k, fn)
		}
	case []any:
		for i, e := range x {
			EachLeaf(e, ptr+"/"+strconv.Itoa(i), fn)
		}
	default:
		fn(ptr, v)
	}
}

// HostileCorpus is the folder of hostile inputs (testdata/hostile), shared
// by every package's fuzz targets as seeds.
var HostileCorpus = Repo("testdata", "hostile")

// Samples is the folder of the sample dataset.
var Samples = Repo("samples")

// Repo returns the path of elem inside the repository, wherever the test
// that asks runs.
func Repo(elem ...string) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("converttest: cannot tell where the repository is")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	return filepath.Join(append([]string{root}, elem...)...)
}

// ReadSamples reads the records of a YAML file of the samples.
func ReadSamples(t *testing.T, path string) []*record.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, errs := readertest.ReadAll(t, yaml.NewReader(f, path))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return recs
}

// CanonicalNumbers returns v with every number spelled as the canonical
// writers spell it.
func CanonicalNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = CanonicalNumbers(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = CanonicalNumbers(e)
		}
		return l
	case json.Number:
		return json.Number(jsonvalue.CanonicalNumber(string(x)))
	}
	return v
}

// TempFile writes data into a file called name in a fresh temporary
// folder and returns its path.
func TempFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}
