package csv

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/formula"
	"github.com/annals-project/annals/internal/testkit"
)

// csvExport writes recs into a fresh directory and returns it.
func csvExport(t testing.TB, ds *record.Dataset, recs []*record.Record, opts Options) string {
	t.Helper()
	dir := t.TempDir()
	testkit.WriteAll(t, NewWriter(dir, ds, opts), recs)
	return dir
}

// csvRead reads a file strictly (LazyQuotes off, every row as long as the
// header), after the byte order mark if there is one.
func csvRead(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return rows
}

// csvCell returns the value of column col in the n-th row (from 0) whose first
// column is key, in table name of the export in dir.
func csvCell(t testing.TB, dir, name, key string, n int, col string) string {
	t.Helper()
	rows := csvRead(t, filepath.Join(dir, name+".csv"))
	ci := slices.Index(rows[0], col)
	if ci < 0 {
		t.Fatalf("%s has no column %s", name, col)
	}
	for _, row := range rows[1:] {
		if row[0] == key {
			if n == 0 {
				return row[ci]
			}
			n--
		}
	}
	t.Fatalf("%s has no row %d for %s", name, n, key)
	return ""
}

func TestCSVQuoting(t *testing.T) {
	ds := converttest.CSVDataset(t)
	dir := csvExport(t, ds, converttest.Records(t, converttest.CSVFixture), Options{})
	for _, c := range []struct{ table, key, col, want string }{
		{"actors", "mara-quell", "name", `Mara Quell, "the Ferrywoman"`},
		{"sources", "harbour-gazette", "headline", "Ferry line, closed since spring, to reopen"},
		{"events", "ferry-reopening", "description", "Line one\nline two, with a comma"},
		{"event_attestations", "ferry-reopening", "quote", "  padded  "},
		{"event_attestations", "ferry-trial", "quote", `It said "soon"; then, nothing.`},
		{"events", "ferry-reopening", "date", "2031-04~"},
		{"events", "ferry-reopening", "date_earliest", "2031-04-01"},
		{"events", "ferry-reopening", "date_latest", "2031-04-30"},
		{"events", "ferry-trial", "location_name", ""},
		{"source_authors", "harbour-gazette", "author_index", "1"},
	} {
		if got := csvCell(t, dir, c.table, c.key, 0, c.col); got != c.want {
			t.Errorf("%s %s %s = %q, want %q", c.table, c.key, c.col, got, c.want)
		}
	}
	// Only what needs quotes is quoted.
	for table, want := range map[string]string{
		"actors":             `mara-quell,"Mara Quell, ""the Ferrywoman""",person,`,
		"events":             "\"Line one\nline two, with a comma\",agree,",
		"event_attestations": `,preferred,  padded  ,`,
	} {
		if data, _ := os.ReadFile(filepath.Join(dir, table+".csv")); !bytes.Contains(data, []byte(want)) {
			t.Errorf("%s.csv does not contain %q:\n%s", table, want, data)
		}
	}
}

func TestAppendCSVField(t *testing.T) {
	for _, c := range []struct {
		in    string
		guard bool
		want  string
	}{
		{"plain", false, "plain"},
		{"", false, ""},
		{" spaced ", false, " spaced "},
		{"a,b", false, `"a,b"`},
		{`say "hi"`, false, `"say ""hi"""`},
		{`""`, false, `""""""`},
		{"a\r\nb", false, "\"a\r\nb\""}, // kept as is: RFC 4180 allows CRLF in a quoted field
		{"a\rb", false, "\"a\rb\""},
		{"=1+2", true, "'=1+2"},
		{"=1+2", false, "=1+2"},
		{"=a,b", true, `"'=a,b"`},
		{`-"x"`, true, `"'-""x"""`},
		{"'quoted", true, "''quoted"},
		{"é=", true, "é="},
	} {
		if got := string(appendCSVField(nil, c.in, c.guard)); got != c.want {
			t.Errorf("appendCSVField(%q, %v) = %q, want %q", c.in, c.guard, got, c.want)
		}
	}
}

func TestAppendCSVCell(t *testing.T) {
	day := time.Date(2031, 4, 2, 0, 0, 0, 0, time.UTC)
	row := []table.Cell{{}, {Kind: table.CellString, Text: "-x"}, {Kind: table.CellNumber, Text: "-33.9"}, {Kind: table.CellNumber, Text: "-1"},
		{Kind: table.CellIndex, Int: 3}, {Kind: table.CellBool, Int: 1}, {Kind: table.CellBool}, {Kind: table.CellDay, Day: day},
		{Kind: table.CellDay, Day: time.Date(-12, 1, 5, 0, 0, 0, 0, time.UTC)}, {Kind: table.CellDay, Day: time.Date(12345, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Kind: table.CellDay, Day: time.Date(7, 10, 9, 0, 0, 0, 0, time.UTC)}}
	guard := []bool{true, true, false, true, false, false, false, false, false, false, false}
	var b []byte
	for i, c := range row {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVCell(b, c, guard[i])
	}
	// Days beyond the years 0000-9999 are left empty: a date column holds
	// ISO 8601 days only, and -0012-01-05 would be a formula to Excel.
	if want := ",'-x,-33.9,'-1,3,true,false,2031-04-02,,,0007-10-09"; string(b) != want {
		t.Errorf("cells = %q, want %q", b, want)
	}
	// Every other day is written as FormatDay writes it.
	for _, d := range []table.Cell{row[7], row[10]} {
		if got, want := string(appendDay(nil, d.Day)), table.FormatDay(d.Day); got != want {
			t.Errorf("appendDay(%v) = %q, want %q", d.Day, got, want)
		}
	}
}

// FuzzNeedsQuotes holds needsQuotes, which looks at eight bytes at a time,
// to the plain rule.
func FuzzNeedsQuotes(f *testing.F) {
	for _, s := range []string{"", "plain text here", "a,b", "twelve bytes, then", "0123456\"", "tab\there, and comma",
		"\x00\x01\x1f ok", "line\nbreak", "carriage\rreturn", "é,ü", "unicode only ——————"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := needsQuotes(s), strings.ContainsAny(s, ",\"\r\n"); got != want {
			t.Errorf("needsQuotes(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestCSVLineEndings(t *testing.T) {
	dir := csvExport(t, converttest.CSVDataset(t), converttest.Records(t, converttest.CSVFixture), Options{})
	for _, tb := range table.Tables(converttest.CSVDataset(t).Validator) {
		path := filepath.Join(dir, tb.Name+".csv")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rows := csvRead(t, path)
		lfInCells := 0
		for _, row := range rows {
			for _, v := range row {
				lfInCells += strings.Count(v, "\n")
			}
		}
		crlf := bytes.Count(data, []byte("\r\n"))
		if crlf != len(rows) || bytes.Count(data, []byte("\n"))-crlf != lfInCells || !bytes.HasSuffix(data, []byte("\r\n")) {
			t.Errorf("%s: %d rows, %d CRLF, %d LF: every row must end in CRLF\n%q", tb.Name, len(rows), crlf, bytes.Count(data, []byte("\n")), data)
		}
	}
}

func TestCSVBOM(t *testing.T) {
	ds := converttest.CSVDataset(t)
	recs := converttest.Records(t, converttest.CSVFixture)
	plain := csvExport(t, ds, recs, Options{})
	bom := csvExport(t, ds, recs, Options{BOM: true})
	for _, tb := range table.Tables(ds.Validator) {
		a, _ := os.ReadFile(filepath.Join(plain, tb.Name+".csv"))
		b, _ := os.ReadFile(filepath.Join(bom, tb.Name+".csv"))
		first := tb.Columns[0].Name + ","
		if !bytes.HasPrefix(a, []byte(first)) {
			t.Errorf("%s without BOM starts with %q", tb.Name, a[:min(8, len(a))])
		}
		if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf"+first)) {
			t.Errorf("%s with BOM starts with %q", tb.Name, b[:min(8, len(b))])
		}
		if !bytes.Equal(a, b[3:]) {
			t.Errorf("%s: the BOM changed more than the first bytes", tb.Name)
		}
	}
	for dir, want := range map[string]string{plain: "utf-8", bom: "utf-8-sig"} {
		for _, r := range csvReadPackage(t, dir).Resources {
			if r.Encoding != want {
				t.Fatalf("%s: encoding %q, want %q", r.Name, r.Encoding, want)
			}
		}
	}
}

func TestCSVFormulaGuard(t *testing.T) {
	ds := converttest.CSVDataset(t)
	recs := converttest.Records(t, converttest.CSVFixture)
	for _, c := range []struct {
		opts               Options
		quote, spelling    string
		note, fieldMarking string
	}{
		{Options{}, "'=SUM(A1)", "'-Quel", guardOn, guardField},
		{Options{NoFormulaGuard: true}, "=SUM(A1)", "-Quel", guardOff, ""},
	} {
		dir := csvExport(t, ds, recs, c.opts)
		if got := csvCell(t, dir, "statement_attestations", "quell-on-ferry", 0, "quote"); got != c.quote {
			t.Errorf("%+v: quote = %q, want %q", c.opts, got, c.quote)
		}
		if got := csvCell(t, dir, "statement_attestation_names", "quell-on-ferry", 0, "spelling"); got != c.spelling {
			t.Errorf("%+v: spelling = %q, want %q", c.opts, got, c.spelling)
		}
		// Numbers are never guarded: a negative latitude stays a number.
		if got := csvCell(t, dir, "events", "ferry-reopening", 0, "location_coordinates_latitude"); got != "-33.9" {
			t.Errorf("%+v: latitude = %q, want -33.9", c.opts, got)
		}
		p := csvReadPackage(t, dir)
		if p.FormulaGuard != c.note {
			t.Errorf("%+v: package note %q", c.opts, p.FormulaGuard)
		}
		for _, r := range p.Resources {
			for _, f := range r.Schema.Fields {
				want := ""
				if f.Type == "string" {
					want = c.fieldMarking
				}
				if f.FormulaGuard != want {
					t.Errorf("%+v: %s.%s (%s) has annals:formulaGuard %q, want %q", c.opts, r.Name, f.Name, f.Type, f.FormulaGuard, want)
				}
			}
		}
	}
}

// FuzzFormulaGuard holds the CSV field writer, with the guard on, to
// encoding/csv: every field reads back as formula.Guard wrote it.
func FuzzFormulaGuard(f *testing.F) {
	for _, s := range []string{"", "plain", "=SUM(A1)", "'=1", "\tx", "\rx", "a,\"b\"\r\nc", "\xff="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := formula.Guard(s)
		// The written field reads back as the guarded value (encoding/csv
		// reads a CRLF inside a quoted field as LF).
		line := append(appendCSVField([]byte("k,"), s, true), '\r', '\n')
		r := csv.NewReader(bytes.NewReader(line))
		r.FieldsPerRecord = 2
		rec, err := r.Read()
		if err != nil {
			t.Fatalf("reading %q: %v", line, err)
		}
		if want := strings.ReplaceAll(g, "\r\n", "\n"); rec[1] != want {
			t.Fatalf("field %q reads back as %q, want %q", line, rec[1], want)
		}
	})
}

// csvReadPackage decodes the export's datapackage.json.
func csvReadPackage(t testing.TB, dir string) *dpPackage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var p dpPackage
	if err := d.Decode(&p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestDataPackage(t *testing.T) {
	ds := converttest.CSVDataset(t)
	dir := csvExport(t, ds, converttest.Records(t, converttest.CSVFixture), Options{})
	p := csvReadPackage(t, dir)
	tables := append(table.Tables(ds.Validator), analysis.NewLayout(ds.Validator).Table)

	// Every file is a resource and every resource a file.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files, paths []string
	for _, e := range entries {
		files = append(files, e.Name())
		if !ExportFiles(ds.Validator)(e.Name()) {
			t.Errorf("ExportFiles says %s is not the export's", e.Name())
		}
	}
	paths = append(paths, "datapackage.json")
	byName := map[string]*dpResource{}
	for i := range p.Resources {
		r := &p.Resources[i]
		byName[r.Name] = r
		paths = append(paths, r.Path)
		if r.Path != r.Name+".csv" {
			t.Errorf("resource %s has path %s", r.Name, r.Path)
		}
	}
	slices.Sort(files)
	slices.Sort(paths)
	if !slices.Equal(files, paths) {
		t.Errorf("files %v, resources %v", files, paths)
	}

	if len(p.Resources) != len(tables) {
		t.Fatalf("%d resources for %d tables", len(p.Resources), len(tables))
	}
	for i, tb := range tables {
		csvCheckResource(t, &tb, &p.Resources[i], byName)
	}
}

// csvCheckResource compares the resource of a table with the table.
func csvCheckResource(t *testing.T, tb *table.Table, r *dpResource, byName map[string]*dpResource) {
	t.Helper()
	if r.Name != tb.Name || r.Title != tb.Sheet || r.Description != tb.Description || r.Profile != "tabular-data-resource" {
		t.Errorf("resource %s (%s) for table %s", r.Name, r.Title, tb.Name)
	}
	if !slices.Equal(r.Schema.PrimaryKey, tb.PrimaryKey) {
		t.Errorf("%s: primaryKey %v, want %v", tb.Name, r.Schema.PrimaryKey, tb.PrimaryKey)
	}
	if len(r.Schema.ForeignKeys) != len(tb.ForeignKeys) {
		t.Errorf("%s: %d foreign keys, want %d", tb.Name, len(r.Schema.ForeignKeys), len(tb.ForeignKeys))
	}
	for i, fk := range r.Schema.ForeignKeys {
		want := tb.ForeignKeys[i]
		target := fk.Reference.Resource
		if target == "" {
			target = tb.Name // the spec's way of referring to the table itself
		}
		if target != want.Table || !slices.Equal(fk.Fields, want.Fields) || !slices.Equal(fk.Reference.Fields, want.RefFields) {
			t.Errorf("%s: foreign key %+v, want %+v", tb.Name, fk, want)
		}
		ref, ok := byName[target]
		if !ok {
			t.Errorf("%s: foreign key to missing resource %q", tb.Name, target)
			continue
		}
		if !slices.Equal(ref.Schema.PrimaryKey, fk.Reference.Fields) {
			t.Errorf("%s: foreign key refers to %s%v, not its primary key %v", tb.Name, target, fk.Reference.Fields, ref.Schema.PrimaryKey)
		}
	}
	if len(r.Schema.Fields) != len(tb.Columns) {
		t.Fatalf("%s: %d fields for %d columns", tb.Name, len(r.Schema.Fields), len(tb.Columns))
	}
	for i, c := range tb.Columns {
		f := r.Schema.Fields[i]
		if f.Name != c.Name || f.Type != c.Type || f.Title != c.Title || f.Description != c.Description {
			t.Errorf("%s: field %+v for column %s %s", tb.Name, f, c.Name, c.Type)
		}
		var enum []string
		if f.Constraints != nil {
			enum = f.Constraints.Enum
		}
		if !slices.Equal(enum, c.Enum) {
			t.Errorf("%s.%s: enum %v, want %v", tb.Name, c.Name, enum, c.Enum)
		}
		if strings.HasSuffix(c.Name, "_earliest") || strings.HasSuffix(c.Name, "_latest") {
			if f.Type != "date" || f.Format != "default" {
				t.Errorf("%s.%s: type %s format %q, want a date", tb.Name, c.Name, f.Type, f.Format)
			}
		}
	}
	if !slices.Equal(r.Schema.MissingValues, []string{""}) || r.Format != "csv" || r.Mediatype != "text/csv" {
		t.Errorf("%s: missingValues %q, format %s, mediatype %s", tb.Name, r.Schema.MissingValues, r.Format, r.Mediatype)
	}
	if want := (dpDialect{",", "\r\n", `"`, true, true}); r.Dialect != want {
		t.Errorf("%s: dialect %+v", tb.Name, r.Dialect)
	}
}

func TestDataPackageRequired(t *testing.T) {
	ds := converttest.CSVDataset(t)
	p := csvReadPackage(t, csvExport(t, ds, nil, Options{}))
	required := map[string]bool{}
	for _, r := range p.Resources {
		for _, f := range r.Schema.Fields {
			required[r.Name+"."+f.Name] = f.Constraints != nil && f.Constraints.Required
		}
	}
	for name, want := range map[string]bool{
		"events.id":                            true,
		"events.title":                         true,
		"events.description":                   false,
		"events.location_name":                 false, // required in a location, but an event may have none
		"events.location_coordinates_latitude": false,
		"statements.setting_kind":              false,
		"event_participants.event_id":          true,
		"event_participants.participant_index": true,
		"event_participants.actor":             true, // required in its item, which the row is
		"actor_aliases.name":                   true,
		"event_attestation_names.spelling":     true,
		"sources.published":                    true,
		"sources.published_earliest":           false, // open starts have none
		"statement_about.event":                true,  // a row exists only for an item, and the item is the value
	} {
		got, ok := required[name]
		if !ok {
			t.Errorf("no field %s", name)
		} else if got != want {
			t.Errorf("%s required = %v, want %v", name, got, want)
		}
	}
}

func TestDataPackageDescriptor(t *testing.T) {
	ds := converttest.CSVDataset(t)
	dir := csvExport(t, ds, nil, Options{})
	p := csvReadPackage(t, dir)
	want := dpPackage{
		Profile:     "tabular-data-package",
		Name:        "zoes-ferry-log-2031",
		Title:       "Zoë's Ferry Log, 2031",
		Description: "Crossings of an invented ferry line.",
		Version:     "0.3.0",
		Licenses:    []dpLicense{{Name: "CC-BY-4.0"}},
		Contributors: []dpContributor{
			{Title: "Ilse Varn", Path: "https://orcid.org/0000-0002-1825-0097", Email: "ilse@example.org", Role: "author", CuratorRole: "lead curator"},
			{Title: "Tomas Oduya", Role: "maintainer"},
		},
		Keywords:     []string{"ferries", "harbours"},
		Sources:      []dpSource{{Title: "data/ferry.json", SHA256: strings.Repeat("ab", 32), Records: 5}},
		FormulaGuard: guardOn,
		Generator:    "annals 0.0.0-test",
	}
	// The manifest itself, for validating the export away from its
	// dataset (see TestCarriedManifest).
	if !reflect.DeepEqual(p.Manifest, converttest.CanonicalNumbers(ds.Manifest)) {
		t.Errorf("annals:manifest = %v, want the manifest %v", p.Manifest, ds.Manifest)
	}
	p.Resources, p.Manifest = nil, nil
	if !reflect.DeepEqual(*p, want) {
		t.Errorf("package\n%+v\nwant\n%+v", *p, want)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	for _, s := range []string{
		"{\n  \"profile\": \"tabular-data-package\",\n  \"name\": ",
		`"resource": "",`, // events.parent refers to events itself
		`"lineTerminator": "\r\n"`,
		`"annals:format": "edtf"`,
	} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("datapackage.json does not contain %q", s)
		}
	}

	// Without a manifest the package still has a name.
	ds.Manifest, ds.Inputs, ds.Version = nil, nil, ""
	p = csvReadPackage(t, csvExport(t, ds, nil, Options{}))
	if p.Name != "annals-dataset" || p.Licenses != nil || p.Contributors != nil || p.Generator != "" {
		t.Errorf("package without manifest: %+v", p)
	}
}

func TestDataPackageName(t *testing.T) {
	for title, want := range map[string]string{
		"":                      "annals-dataset",
		"Zoë's Ferry Log, 2031": "zoes-ferry-log-2031",
		"Gazeta Północna — Straßen & Häfen": "gazeta-polnocna-strassen-hafen",
		"  --Already-a-slug--  ":            "already-a-slug",
		"Security talks: January 2022 (v2)": "security-talks-january-2022-v2",
		"переговоры":                        "annals-dataset",
		"Talks переговоры 2022":             "talks-2022",
		"Cafe\u0301 notes":                  "cafe-notes",
	} {
		if got := dpName(title); got != want {
			t.Errorf("dpName(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestDataPackageLicenses(t *testing.T) {
	for in, want := range map[string][]dpLicense{
		"":                            nil,
		"CC0-1.0":                     {{Name: "CC0-1.0"}},
		"ODbL-1.0":                    {{Name: "ODbL-1.0"}},
		"LicenseRef-ferry":            {{Name: "LicenseRef-ferry"}},
		"https://example.org/licence": {{Path: "https://example.org/licence"}},
		"CC-BY-4.0 OR MIT":            {{Title: "CC-BY-4.0 OR MIT"}},
		"All rights reserved":         {{Title: "All rights reserved"}},
		"-odd":                        {{Title: "-odd"}},
	} {
		if got := dpLicenses(in); !reflect.DeepEqual(got, want) {
			t.Errorf("dpLicenses(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestCSVDeterministic(t *testing.T) {
	ds := converttest.CSVDataset(t)
	recs := append(converttest.Records(t, converttest.CSVFixture), converttest.GeneratedRecords(200, 3)...)
	a := csvExport(t, ds, recs, Options{})
	b := csvExport(t, ds, recs, Options{})
	entries, _ := os.ReadDir(a)
	if len(entries) != len(table.Tables(ds.Validator))+2 { // and analysis.csv, datapackage.json
		t.Fatalf("%d files", len(entries))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two exports of the same records (%v)", e.Name(), err)
		}
	}
}

// TestCSVMatchesFlatten reads every table back and compares it, cell by
// cell, with the rows Flatten makes, formatted independently here.
func TestCSVMatchesFlatten(t *testing.T) {
	ds := converttest.CSVDataset(t)
	recs := append(converttest.Records(t, converttest.CSVFixture), converttest.GeneratedRecords(300, 5)...)
	dir := csvExport(t, ds, recs, Options{})
	tables := table.Tables(ds.Validator)
	want := make([][][]string, len(tables))
	for i, tb := range tables {
		var header []string
		for _, c := range tb.Columns {
			header = append(header, c.Name)
		}
		want[i] = [][]string{header}
	}
	for _, rec := range recs {
		for ti, rows := range table.Flatten(tables, rec.Value.(map[string]any)) {
			for _, row := range rows {
				want[ti] = append(want[ti], csvFormatRow(&tables[ti], row))
			}
		}
	}
	for i, tb := range tables {
		got := csvRead(t, filepath.Join(dir, tb.Name+".csv"))
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s: read back\n%q\nwant\n%q", tb.Name, got, want[i])
		}
	}
}

func csvFormatRow(tb *table.Table, row table.Row) []string {
	out := make([]string, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case string:
			out[i] = x
		case json.Number:
			out[i] = string(x)
		case int:
			out[i] = strconv.Itoa(x)
		case time.Time:
			out[i] = table.FormatDay(x)
		case bool:
			out[i] = strconv.FormatBool(x)
		}
		if tb.Columns[i].Type == "string" {
			out[i] = formula.Guard(out[i])
		}
	}
	return out
}

func TestCSVEmpty(t *testing.T) {
	ds := converttest.CSVDataset(t)
	dir := csvExport(t, ds, nil, Options{})
	for _, tb := range table.Tables(ds.Validator) {
		var names []string
		for _, c := range tb.Columns {
			names = append(names, c.Name)
		}
		data, err := os.ReadFile(filepath.Join(dir, tb.Name+".csv"))
		if want := strings.Join(names, ",") + "\r\n"; err != nil || string(data) != want {
			t.Errorf("%s = %q (%v), want just the header %q", tb.Name, data, err, want)
		}
	}
}

// TestCSVWriteEncoded holds rows encoded ahead to what Write writes, for
// every choice of options, and for rows that an encoder with other options
// made, which the writer must encode again.
func TestCSVWriteEncoded(t *testing.T) {
	ds := converttest.CSVDataset(t)
	recs := converttest.Records(t, converttest.CSVFixture)
	all := []Options{{}, {BOM: true}, {NoFormulaGuard: true}}
	for _, opts := range all {
		want := csvExport(t, ds, recs, opts)
		for _, by := range all {
			enc := NewEncoder(ds.Validator, by)
			dir := t.TempDir()
			w := NewWriter(dir, ds, opts)
			for _, rec := range recs {
				if err := w.WriteEncoded(rec, enc.Encode(rec)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			for _, tb := range table.Tables(ds.Validator) {
				a, _ := os.ReadFile(filepath.Join(want, tb.Name+".csv"))
				b, err := os.ReadFile(filepath.Join(dir, tb.Name+".csv"))
				if err != nil || !bytes.Equal(a, b) {
					t.Errorf("%+v, rows encoded with %+v: %s differs from Write's (%v)", opts, by, tb.Name, err)
				}
			}
		}
	}
	guarded, plain := csvExport(t, ds, recs, Options{}), csvExport(t, ds, recs, Options{NoFormulaGuard: true})
	for _, tb := range table.Tables(ds.Validator) {
		a, _ := os.ReadFile(filepath.Join(guarded, tb.Name+".csv"))
		b, _ := os.ReadFile(filepath.Join(plain, tb.Name+".csv"))
		if !bytes.Equal(a, b) {
			return
		}
	}
	t.Fatal("the fixture has no guarded text: the options would not tell")
}

func TestCSVWriterErrors(t *testing.T) {
	ds := converttest.CSVDataset(t)
	rec := converttest.Records(t, converttest.CSVFixture)[0]

	t.Run("missing directory", func(t *testing.T) {
		w := NewWriter(filepath.Join(t.TempDir(), "missing"), ds, Options{})
		err := w.Write(rec)
		if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "csv: ") {
			t.Errorf("Write = %v, want a wrapped not-exist error", err)
		}
		if cerr := w.Close(); cerr != err {
			t.Errorf("Close = %v, want the first error %v", cerr, err)
		}
	})

	t.Run("directory not empty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "events.csv"), []byte("mine"), 0o666); err != nil {
			t.Fatal(err)
		}
		w := NewWriter(dir, ds, Options{})
		if err := w.Close(); !errors.Is(err, fs.ErrExist) {
			t.Errorf("Close = %v, want a wrapped exist error", err)
		}
		if data, _ := os.ReadFile(filepath.Join(dir, "events.csv")); string(data) != "mine" {
			t.Errorf("events.csv was overwritten: %q", data)
		}
		if _, err := os.Stat(filepath.Join(dir, "datapackage.json")); err == nil {
			t.Error("datapackage.json written after an error")
		}
	})

	t.Run("not an object", func(t *testing.T) {
		w := NewWriter(t.TempDir(), ds, Options{})
		bad := &record.Record{File: "x.json", Line: 3, Col: 1, Value: []any{"x"}}
		err := w.WriteEncoded(bad, NewEncoder(ds.Validator, Options{}).Encode(bad))
		var re *record.WriteError
		if !errors.As(err, &re) || re.Line != 3 {
			t.Errorf("Write = %v, want a *WriteError at line 3", err)
		}
		if cerr := w.Close(); cerr != err {
			t.Errorf("Close = %v, want %v", cerr, err)
		}
	})

	t.Run("write after close", func(t *testing.T) {
		w := NewWriter(t.TempDir(), ds, Options{})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(rec); err == nil || err.Error() != "csv: write after close" {
			t.Errorf("Write after Close = %v", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
}

// BenchmarkCSVWriter writes generated datasets; the records are made
// before the clock starts, and each run writes into a fresh directory.
func BenchmarkCSVWriter(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			ds := converttest.CSVDataset(b)
			recs := converttest.GeneratedRecords(n, 1)
			root := b.TempDir()
			runs := 0
			converttest.BenchWriter(b, recs, func() (record.Writer, func()) {
				dir := filepath.Join(root, strconv.Itoa(runs))
				runs++
				if err := os.Mkdir(dir, 0o777); err != nil {
					b.Fatal(err)
				}
				return NewWriter(dir, ds, Options{}), func() { os.RemoveAll(dir) } // keep the disk use of one run
			})
		})
	}
}

// BenchmarkCSVEncoder encodes generated records into CSV rows, the part of
// the export that the command runs on every core; no file is written.
func BenchmarkCSVEncoder(b *testing.B) {
	enc := NewEncoder(converttest.CSVDataset(b).Validator, Options{})
	recs := converttest.GeneratedRecords(10_000, 1)
	var bytes int
	for b.Loop() {
		for _, r := range recs {
			rows := enc.Encode(r)
			bytes += len(rows.Bytes)
			rows.Release()
		}
	}
	b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(bytes)/float64(b.N*len(recs)), "bytes/record")
}
