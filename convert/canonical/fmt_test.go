package canonical

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

func fmtOptions(t testing.TB) Options {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	return Options{Validator: v}
}

// fmtCase is an input and its canonical form.
type fmtCase struct {
	name     string
	in, want string
	manifest bool
}

var yamlFmtCases = []fmtCase{
	{name: "numbers in their canonical spelling, text left alone",
		in: "- type: event\n  id: e\n  location:\n    coordinates: {latitude: 46.20, longitude: +6.1E0}\n" +
			"  x: [.5, -0, 1e21, 1.5e-7, 0.000001, !!float 2, \"1.50\", 1.50, 1e1, 2.0]\n",
		want: "- type: event\n  id: e\n  location:\n    coordinates: {latitude: 46.2, longitude: 6.1}\n" +
			"  x: [0.5, 0, 1e+21, 1.5e-7, 0.000001, !!float 2, \"1.50\", 1.5, 10, 2]\n"},
	{name: "keys in schema order, unknown keys after them, sorted",
		in:   "- zeta: 1\n  kind: person\n  id: x\n  alpha: 2\n  name: N\n  type: actor\n",
		want: "- type: actor\n  id: x\n  name: N\n  kind: person\n  alpha: 2\n  zeta: 1\n"},
	{name: "nested objects and list items in schema order",
		in: "- type: event\n  id: e\n  attestations:\n    - quote: q\n      rank: preferred\n      source: s\n" +
			"  location:\n    precision: settlement\n    coordinates: {longitude: 6.1, latitude: 46.2}\n    name: Geneva\n",
		want: "- type: event\n  id: e\n  location:\n    name: Geneva\n    coordinates: {latitude: 46.2, longitude: 6.1}\n    precision: settlement\n" +
			"  attestations:\n    - source: s\n      rank: preferred\n      quote: q\n"},
	{name: "comments move with their keys",
		in: "# about the file\n\n- id: x # line comment of id\n  # head comment of name\n  name: N\n  type: actor\n  # foot comment of type\n" +
			"# about the second record\n- {type: actor, id: y}\n",
		want: "# about the file\n\n- type: actor\n  # foot comment of type\n\n  id: x # line comment of id\n  # head comment of name\n  name: N\n" +
			"# about the second record\n- {type: actor, id: y}\n"},
	{name: "the comment above a record stays on top",
		in:   "# the NATO record\nid: nato\ntype: actor\n",
		want: "# the NATO record\ntype: actor\nid: nato\n"},
	{name: "documents stay documents",
		in:   "---\nid: a\ntype: actor\n---\n- id: b\n  type: actor\n---\n# the third\nid: c\ntype: actor\n",
		want: "type: actor\nid: a\n---\n- type: actor\n  id: b\n---\n# the third\ntype: actor\nid: c\n"},
	{name: "flow style stays flow style",
		in:   "[{id: a, type: actor, aliases: [{seen_in: [s1, s2], name: A}]}, {type: source, id: s}]\n",
		want: "[{type: actor, id: a, aliases: [{name: A, seen_in: [s1, s2]}]}, {type: source, id: s}]\n"},
	{name: "quoting kept: text that looks like a number stays quoted, dates may stay plain",
		in:   "- date: 2022-01-10\n  title: \"2022\"\n  id: e\n  type: event\n  count: 2022\n  note: 'single'\n  other: \"2022-01-10\"\n",
		want: "- type: event\n  id: e\n  title: \"2022\"\n  date: 2022-01-10\n  note: 'single'\n  count: 2022\n  other: \"2022-01-10\"\n"},
	{name: "unicode stays as written",
		in:   "- name: \"Łódź – «Да» 🙂\"\n  id: łódź\n  type: actor\n  description: Сергей Рябков\n",
		want: "- type: actor\n  id: łódź\n  name: \"Łódź – «Да» 🙂\"\n  description: Сергей Рябков\n"},
	{name: "four-space indentation becomes two",
		in:   "-   type: event\n    id: e\n    participants:\n        -   actor: a\n            role: party\n",
		want: "- type: event\n  id: e\n  participants:\n    - actor: a\n      role: party\n"},
	{name: "folded text keeps its line breaks",
		in: "- note: >-\n      The first line of a note,\n      and its second line.\n\n      A second paragraph.\n" +
			"  id: e\n  type: event\n  description: >\n      One line.\n",
		want: "- type: event\n  id: e\n  description: >\n    One line.\n  note: >-\n    The first line of a note,\n    and its second line.\n\n    A second paragraph.\n"},
	{name: "folded text that the YAML library cannot write keeps its text, in literal style",
		in:   "b: 1\na: >+\n  kept\n\n",
		want: "a: |+\n  kept\n\nb: 1\n"},
	{name: "folded text under an anchor",
		in:   "z: >-\n  long line\n  wrapped\nb: &x >\n  p q\n  r\na: *x\n",
		want: "a: &x >\n  p q\n  r\nb: *x\nz: >-\n  long line\n  wrapped\n"},
	{name: "emoji stay emoji, in quotes",
		in:   "b: x 🙂 y\na: \"not an escape: \\\\U0001F642\"\n",
		want: "a: \"not an escape: \\\\U0001F642\"\nb: \"x 🙂 y\"\n"},
	{name: "literal text is kept",
		in:   "- note: |\n    line one\n      indented\n  id: e\n  type: event\n",
		want: "- type: event\n  id: e\n  note: |\n    line one\n      indented\n"},
	{name: "an alias that would come before its anchor takes its place",
		in:   "- type: event\n  id: e\n  note: &same The same text\n  title: *same\n",
		want: "- type: event\n  id: e\n  title: &same The same text\n  note: *same\n"},
	{name: "an anchor defined again keeps its aliases right",
		in:   "b: &x 1\nz: &x 2\nc: *x\na: *x\n",
		want: "a: &x-2 2\nb: &x 1\nc: *x-2\nz: *x-2\n"},
	{name: "byte order mark and CRLF",
		in:   "\xef\xbb\xbf- id: a\r\n  type: actor\r\n",
		want: "- type: actor\n  id: a\n"},
	{name: "the manifest in manifest order", manifest: true,
		in:   "# the manifest\nbase_iri: https://example.org/\nversion: \"1.0\"\ntitle: T\nlicense: CC0-1.0\n",
		want: "# the manifest\ntitle: T\nlicense: CC0-1.0\nversion: \"1.0\"\nbase_iri: https://example.org/\n"},
	{name: "a record without a type: every key sorted",
		in:   "b: 1\na: {d: 1, c: 2}\n",
		want: "a: {c: 2, d: 1}\nb: 1\n"},
	{name: "an empty null in a flow collection stays null",
		in:   "0: 0\n1: {0} \n",
		want: "0: 0\n1: {0: null}\n"},
	{name: "a comment after a document's last value settles",
		in:   "---0\n#",
		want: "'---0'\n\n#\n"},
	{name: "comments only: left as they are", in: "# nothing yet\n", want: "# nothing yet\n"},
	{name: "empty", in: "", want: ""},
	{name: "already canonical", in: "- type: actor\n  id: a # kept\n", want: "- type: actor\n  id: a # kept\n"},
}

var jsonFmtCases = []fmtCase{
	{name: "an array stays an array",
		in:   `[{"id": "a", "type": "actor", "n": 1.50, "big": 12345678901234567890123}, {"type": "source", "id": "s"}]`,
		want: "[\n  {\n    \"type\": \"actor\",\n    \"id\": \"a\",\n    \"big\": 1.2345678901234567890123e+22,\n    \"n\": 1.5\n  },\n  {\n    \"type\": \"source\",\n    \"id\": \"s\"\n  }\n]\n"},
	{name: "one object stays an object",
		in:   "\xef\xbb\xbf\r\n {\"name\": \"Łódź <&>\", \"id\": \"a\", \"type\": \"actor\", \"aliases\": [{\"seen_in\": [], \"name\": \"A\"}], \"x\": {}}",
		want: "{\n  \"type\": \"actor\",\n  \"id\": \"a\",\n  \"name\": \"Łódź <&>\",\n  \"aliases\": [\n    {\n      \"name\": \"A\",\n      \"seen_in\": []\n    }\n  ],\n  \"x\": {}\n}\n"},
	{name: "an empty array", in: "[ ]", want: "[]\n"},
	{name: "an array of one", in: `[{"id": "a", "type": "actor"}]`, want: "[\n  {\n    \"type\": \"actor\",\n    \"id\": \"a\"\n  }\n]\n"},
	{name: "the manifest in manifest order", manifest: true,
		in:   `{"version": "1.0", "title": "T", "zz": null}`,
		want: "{\n  \"title\": \"T\",\n  \"version\": \"1.0\",\n  \"zz\": null\n}\n"},
}

var jsonlFmtCases = []fmtCase{
	{name: "one compact record per line",
		in:   "{\"id\": \"a\", \"type\": \"actor\"}\n",
		want: "{\"type\":\"actor\",\"id\":\"a\"}\n"},
	{name: "blank lines go, CRLF becomes LF",
		in:   "\r\n{\"id\": \"a\", \"type\": \"actor\", \"n\": 1e400}\r\n\r\n{\"type\": \"source\", \"id\": \"s\"}",
		want: "{\"type\":\"actor\",\"id\":\"a\",\"n\":1e+400}\n{\"type\":\"source\",\"id\":\"s\"}\n"},
	{name: "empty", in: "", want: ""},
}

func TestCanonical(t *testing.T) {
	for _, f := range []struct {
		format record.Format
		cases  []fmtCase
	}{{record.FormatYAML, yamlFmtCases}, {record.FormatJSON, jsonFmtCases}, {record.FormatJSONL, jsonlFmtCases}} {
		for _, tc := range f.cases {
			t.Run(f.format.String()+"/"+tc.name, func(t *testing.T) {
				opts := fmtOptions(t)
				opts.Manifest = tc.manifest
				got := canonical(t, tc.in, f.format, opts)
				if got != tc.want {
					t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
				}
				checkCanonical(t, tc.in, f.format, opts)
			})
		}
	}
}

// canonical formats in, failing the test on error.
func canonical(t testing.TB, in string, f record.Format, opts Options) string {
	t.Helper()
	out, err := Format(strings.NewReader(in), "in", f, opts)
	if err != nil {
		t.Fatalf("Canonical: %v\ninput:\n%s", err, in)
	}
	return string(out)
}

// checkCanonical checks the invariants of Canonical on input that reads
// without error: the output reads back to the same records, and
// formatting it again changes nothing.
func checkCanonical(t testing.TB, in string, f record.Format, opts Options) {
	t.Helper()
	out := canonical(t, in, f, opts)
	want, errs := readertest.ReadAll(t, readers[f](strings.NewReader(in), "in"))
	got, errs2 := readertest.ReadAll(t, readers[f](strings.NewReader(out), "out"))
	if len(errs)+len(errs2) > 0 {
		t.Fatalf("read errors: %v, %v", errs, errs2)
	}
	// The same values, every number spelled canonically.
	if !reflect.DeepEqual(converttest.Values(got), converttest.CanonicalNumbers(converttest.Values(want))) {
		t.Fatalf("values changed:\n got %#v\nwant %#v\noutput:\n%s", converttest.Values(got), converttest.Values(want), out)
	}
	if again := canonical(t, out, f, opts); again != out {
		t.Fatalf("not idempotent:\ninput:\n%q\nonce:\n%q\ntwice:\n%q", in, out, again)
	}
}

// TestCanonicalFixtures formats the inputs of the readers' tests and the
// fixtures of the writers' tests.
func TestCanonicalFixtures(t *testing.T) {
	opts := fmtOptions(t)
	inputs := map[record.Format][]string{
		record.FormatYAML:  {readertest.LocateYAMLDoc},
		record.FormatJSON:  {readertest.LocateJSONDoc, tricky, converttest.XLSXFixture, converttest.CSVFixture, converttest.CSVManifest},
		record.FormatJSONL: {},
	}
	for _, tc := range readertest.YAMLRecordCases {
		inputs[record.FormatYAML] = append(inputs[record.FormatYAML], tc.In)
	}
	for _, tc := range readertest.JSONRecordCases {
		inputs[record.FormatJSON] = append(inputs[record.FormatJSON], tc.In)
		inputs[record.FormatJSONL] = append(inputs[record.FormatJSONL], strings.ReplaceAll(tc.In, "\n", " "))
	}
	for f, ins := range inputs {
		for _, in := range ins {
			if _, errs := readertest.ReadAll(t, readers[f](strings.NewReader(in), "in")); len(errs) > 0 {
				continue // the deliberately too-deep inputs of the JSON Lines variant
			}
			checkCanonical(t, in, f, opts)
		}
	}
}

// TestCanonicalSamples: the curated samples are in canonical form.
func TestCanonicalSamples(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(converttest.Samples, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opts := fmtOptions(t)
			opts.Manifest = filepath.Base(path) == "annals.yaml"
			checkCanonical(t, string(data), record.FormatYAML, opts)
			if got := canonical(t, string(data), record.FormatYAML, opts); got != string(data) {
				t.Errorf("%s is not in canonical form: run annals fmt samples", path)
			}
		})
	}
}

// TestCanonicalWriters: what the canonical writers write is already in
// canonical form, so annals convert --to yaml and annals fmt agree.
func TestCanonicalWriters(t *testing.T) {
	ds := canonDataset(t)
	for _, tc := range []struct {
		format record.Format
		writer func(w *bytes.Buffer) record.Writer
	}{
		{record.FormatJSON, func(w *bytes.Buffer) record.Writer { return NewJSONWriter(w, ds) }},
		{record.FormatJSONL, func(w *bytes.Buffer) record.Writer { return NewJSONLWriter(w, ds) }},
		{record.FormatYAML, func(w *bytes.Buffer) record.Writer { return NewYAMLWriter(w, ds) }},
	} {
		var buf bytes.Buffer
		w := tc.writer(&buf)
		for rec := range gen.Records(50, 7, 0) {
			if err := w.Write(&record.Record{Value: testkit.DecodeJSON(t, mustJSON(t, rec))}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Write(&record.Record{Value: testkit.DecodeJSON(t, tricky)}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := canonical(t, buf.String(), tc.format, Options{Validator: ds.Validator}); got != buf.String() {
			t.Errorf("%v: the writer's output is not canonical:\n%s", tc.format, firstDiff(buf.String(), got))
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := appendJSON(&b, v, nil, nil, "", 0); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + al[i] + "\n  is " + bl[i]
		}
	}
	return "lengths differ"
}

func TestCanonicalSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		format record.Format
		in     string
		want   string
	}{
		{record.FormatYAML, "- type: actor\n  id: d\n   kind: person\n", "in:3:4: kind: is indented more than id: above it, which has its value on its line: indent kind: by 2 spaces"},
		{record.FormatYAML, "- id: a\n  id: b\n", `in:2:3: duplicate key "id" (first at line 1, column 3)`},
		{record.FormatJSON, `[{"id": "a",}]`, "in:1:12: trailing comma before '}'"},
		{record.FormatJSONL, "{\"id\": 1}\n{\"id\"\n[1,\n", "in:2:6: unexpected end of line: the object opened at line 2, column 1 is never closed; every line of a JSON Lines file holds one whole record (if this is pretty-printed JSON, name the file .json)\nin:3:4: unexpected end of line: the array opened at line 3, column 1 is never closed"},
	} {
		_, err := Format(strings.NewReader(tc.in), "in", tc.format, fmtOptions(t))
		var se *record.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: error %v is not a *SyntaxError", tc.in, err)
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error\n%v\ndoes not start with\n%s", tc.in, err, tc.want)
		}
	}
}

// TestCanonicalRefusesChanges tests the safety net: output whose records
// differ from the input's, or that lacks a comment, is an error naming
// the file.
func TestCanonicalRefusesChanges(t *testing.T) {
	want := []any{map[string]any{"a": readertest.N("1")}}
	for _, out := range []string{"a: 2\n", "a: 1\n---\nb: 1\n", "a: [1\n"} {
		err := checkSameValues([]byte(out), "events.yaml", record.FormatYAML, want)
		if err == nil || !strings.HasPrefix(err.Error(), "events.yaml: ") || !strings.Contains(err.Error(), "bug") {
			t.Errorf("output %q: error %v", out, err)
		}
	}
	if err := checkSameValues([]byte("a: 1\n"), "events.yaml", record.FormatYAML, want); err != nil {
		t.Error(err)
	}
	err := checkComments("events.yaml", []byte("# a\nb: 1 # b\nc: '#c' #d\n# b\n"), []byte("# a\nb: 1 # b\nc: '#c' #d\n"))
	var lost *LostCommentError
	if !errors.As(err, &lost) || err.Error() != `events.yaml:4: the YAML library cannot keep the comment "# b" in canonical form; move it to a line of its own above a key (the file is left as it is)` {
		t.Errorf("lost comment: error %v", err)
	}
	if err := checkComments("events.yaml", []byte("# a\nb: 1\n"), []byte("b: 1 # a\n")); err != nil {
		t.Error(err)
	}
	// yaml.v3 drops these as it parses: Canonical must notice.
	for _, in := range []string{"a: 1\n\n# c10\n\n---\n# c11\nb: 2\n# c12 is lost\n...\n# c13\n"} {
		if _, err := Format(strings.NewReader(in), "in", record.FormatYAML, fmtOptions(t)); !errors.As(err, &lost) {
			t.Errorf("%q: error %v, want a *LostCommentError", in, err)
		}
	}
}

func TestRewrap(t *testing.T) {
	for _, tc := range []struct {
		block, input, want []string
	}{
		{[]string{"a b c"}, []string{"a b", "c"}, []string{"a b", "c"}},
		{[]string{"a b", "", "c d"}, []string{"a", "b", "", "c", "d"}, []string{"a", "b", "", "c", "d"}},
		{[]string{"a b", "  more", "c"}, []string{"a", "b", "  more", "c"}, []string{"a", "b", "  more", "c"}},
		{[]string{"a  b"}, []string{"a ", " b"}, nil},          // not a single space: YAML would not fold it back
		{[]string{"a b c"}, []string{"a b", "x"}, nil},         // other text
		{[]string{"a b"}, []string{"a b"}, []string{"a b"}},    // one line
		{[]string{"a b c"}, []string{"a", "b"}, nil},           // too short
		{[]string{"ab"}, []string{"a", "b"}, nil},              // joined with a space, not nothing
		{[]string{"a b "}, []string{"a b "}, []string{"a b "}}, // the same line is always fine
	} {
		got, ok := rewrap(tc.block, tc.input)
		if ok != (tc.want != nil) || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("rewrap(%q, %q) = %q, %v; want %q", tc.block, tc.input, got, ok, tc.want)
		}
	}
}

// The seeds of the fuzz targets are the inputs of the tables and the
// samples, so that every `go test` checks the invariants on them.

func FuzzFormatYAML(f *testing.F) {
	for _, tc := range yamlFmtCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range readertest.YAMLRecordCases {
		f.Add([]byte(tc.In))
	}
	paths, _ := filepath.Glob(filepath.Join(converttest.Samples, "*.yaml"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	// Records set apart by blank lines, with comments above and between.
	f.Add([]byte("# top\n- type: actor\n  id: a\n  name: A\n  kind: person\n\n# b\n- type: actor\n  id: b\n  name: B\n  kind: person\n  # foot of b\n\n\n- type: actor\n  id: c\n  name: C\n  kind: person\n- {type: actor, id: d, name: D, kind: person}\n"))
	opts := fmtOptions(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCanonical(t, data, record.FormatYAML, opts)
	})
}

func FuzzFormatJSON(f *testing.F) {
	for _, tc := range jsonFmtCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range jsonlFmtCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range readertest.JSONRecordCases {
		f.Add([]byte(tc.In))
	}
	opts := fmtOptions(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCanonical(t, data, record.FormatJSON, opts)
		fuzzCanonical(t, data, record.FormatJSONL, opts)
	})
}

// fuzzCanonical: if the input reads without error, Canonical succeeds, its
// output reads back to the same values, and formatting it again changes
// nothing; the one exception is a YAML comment that yaml.v3 cannot keep,
// which Canonical reports. Otherwise Canonical reports a syntax error.
func fuzzCanonical(t *testing.T, data []byte, f record.Format, opts Options) {
	_, errs := readertest.ReadAll(t, readers[f](bytes.NewReader(data), "in"))
	if len(errs) > 0 {
		var se *record.SyntaxError
		if _, err := Format(bytes.NewReader(data), "in", f, opts); !errors.As(err, &se) {
			t.Fatalf("input with errors %v: Canonical returned %v", errs, err)
		}
		return
	}
	if _, err := Format(bytes.NewReader(data), "in", f, opts); errors.As(err, new(*LostCommentError)) {
		return // a limit of yaml.v3, reported as such
	}
	checkCanonical(t, string(data), f, opts)
}
