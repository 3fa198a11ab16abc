package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

// writeXLSX writes the records to a workbook and returns its bytes.
func writeXLSX(t testing.TB, ds *record.Dataset, recs []*record.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	testkit.WriteAll(t, NewWriter(&b, ds), recs)
	return b.Bytes()
}

func openXLSX(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// fixture is the fixture's workbook, written once for the tests that only
// read it.
var fixture struct {
	once sync.Once
	b    []byte
}

func fixtureWorkbook(t *testing.T) []byte {
	t.Helper()
	fixture.once.Do(func() {
		fixture.b = writeXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, converttest.XLSXFixture))
	})
	if fixture.b == nil {
		t.Fatal("writing the fixture's workbook failed")
	}
	return fixture.b
}

// cell returns the reference of the cell of the named column in a data
// row (1 is the first under the header).
func cell(t *testing.T, f *excelize.File, sheet, column string, row int) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %q: %v", sheet, err)
	}
	i := slices.Index(rows[0], column)
	if i < 0 {
		t.Fatalf("sheet %q has no column %q", sheet, column)
	}
	return cellName(i+1, row+1)
}

func TestXLSXSheetsAndHeaders(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	tables := table.Tables(converttest.XLSXDataset(t).Validator)
	var want []string
	for _, tb := range tables {
		want = append(want, tb.Sheet)
	}
	want = append(want, "Analysis", "Codebook", "About", "Lists")
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets\n got %q\nwant %q", got, want)
	}
	headers := map[string][]string{
		"Codebook": {"Sheet", "Column", "Type", "Required", "Allowed values", "Refers to", "Description"},
		"About":    {"Field", "Value", "SHA-256", "Records"},
		"Lists":    {"country"},
	}
	for _, tb := range append(tables, analysis.NewLayout(converttest.XLSXDataset(t).Validator).Table) {
		for _, c := range tb.Columns {
			headers[tb.Sheet] = append(headers[tb.Sheet], c.Name)
		}
	}
	names := map[string]bool{}
	for _, sheet := range want {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || !slices.Equal(rows[0], headers[sheet]) {
			t.Errorf("%s: header %q, want %q", sheet, rows[0], headers[sheet])
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
		}
		style, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := f.GetStyle(style); s == nil || s.Font == nil || !s.Font.Bold || len(s.Fill.Color) == 0 {
			t.Errorf("%s: header cell style %+v is not bold and filled", sheet, s)
		}
		if dim, _ := f.GetSheetDimension(sheet); dim != "A1:"+cellName(len(headers[sheet]), len(rows)) {
			t.Errorf("%s: dimension %s for %d rows of %d columns", sheet, dim, len(rows), len(headers[sheet]))
		}
		tbls, err := f.GetTables(sheet)
		if err != nil || len(tbls) != 1 {
			t.Errorf("%s: want one table (for filters), got %v %v", sheet, tbls, err)
			continue
		}
		if names[tbls[0].Name] {
			t.Errorf("%s: table name %q used twice", sheet, tbls[0].Name)
		}
		names[tbls[0].Name] = true
	}
	if visible, _ := f.GetSheetVisible("Lists"); visible {
		t.Error("the Lists sheet is visible")
	}
}

func TestXLSXCellTypes(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	for _, tc := range []struct {
		sheet, column string
		row           int
		want          string
		typ           excelize.CellType
	}{
		{"Events", "date", 1, "2022-01~", excelize.CellTypeInlineString},
		{"Statements", "date", 1, "2021-12-23", excelize.CellTypeInlineString},
		{"Events", "date_earliest", 1, "44562", excelize.CellTypeUnset}, // 2022-01-01
		{"Events", "date_latest", 1, "44592", excelize.CellTypeUnset},   // 2022-01-31
		{"Events", "location_coordinates_latitude", 1, "69.6492", excelize.CellTypeUnset},
		{"Event participants", "participant_index", 1, "1", excelize.CellTypeUnset},
		{"Events", "date_precision", 1, "month", excelize.CellTypeInlineString},
	} {
		ref := cell(t, f, tc.sheet, tc.column, tc.row)
		typ, err := f.GetCellType(tc.sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(tc.sheet, ref, excelize.Options{RawCellValue: true})
		if typ != tc.typ || raw != tc.want {
			t.Errorf("%s!%s (%s): %q of type %v, want %q of type %v", tc.sheet, ref, tc.column, raw, typ, tc.want, tc.typ)
		}
	}
	ref := cell(t, f, "Events", "date_earliest", 1)
	if shown, _ := f.GetCellValue("Events", ref); shown != "2022-01-01" {
		t.Errorf("date_earliest shows %q, want 2022-01-01", shown)
	}
	id, _ := f.GetCellStyle("Events", ref)
	if s, _ := f.GetStyle(id); s == nil || s.CustomNumFmt == nil || *s.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date_earliest style %+v has no yyyy-mm-dd format", s)
	}
}

func TestXLSXFormulaLikeText(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	for _, tc := range []struct {
		sheet, column string
		row           int
		want          string
	}{
		{"Event attestations", "quote", 1, "=SUM(A1)"},
		{"Statements", "summary", 1, "@everyone the council will reply."},
		{"Statement attestations", "quote", 1, "+1 for the new timetable"},
		{"Statement attestations", "quote", 2, "-2 ferries a day"},
		{"Statement attestations", "quote", 3, "\t=cmd|' /C calc'!A0"},
		{"Statement attestations", "quote", 4, "\r@SUM(1+1)"},
	} {
		ref := cell(t, f, tc.sheet, tc.column, tc.row)
		got, _ := f.GetCellValue(tc.sheet, ref)
		formula, _ := f.GetCellFormula(tc.sheet, ref)
		typ, _ := f.GetCellType(tc.sheet, ref)
		if got != tc.want || formula != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s!%s: %q (type %v, formula %q), want the text %q", tc.sheet, ref, got, typ, formula, tc.want)
		}
	}
	// No cell of any sheet has a formula element.
	zr, err := zip.NewReader(bytes.NewReader(fixtureWorkbook(t)), int64(len(fixtureWorkbook(t))))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/worksheets/sheet") && bytes.Contains(readZipFile(t, zf), []byte("<f>")) {
			t.Errorf("%s has a formula", zf.Name)
		}
	}
}

func readZipFile(t testing.TB, zf *zip.File) []byte {
	t.Helper()
	r, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestXLSXLinks(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	ref := cell(t, f, "Sources", "url", 1)
	if ok, target, err := f.GetCellHyperLink("Sources", ref); !ok || target != "https://example.org/bulletin/42" || err != nil {
		t.Errorf("%s: link %v %q %v, want https://example.org/bulletin/42", ref, ok, target, err)
	}
	ref = cell(t, f, "Sources", "url", 2)
	if ok, target, _ := f.GetCellHyperLink("Sources", ref); ok {
		t.Errorf("%s: a javascript: URL became the link %q", ref, target)
	}
	if got, _ := f.GetCellValue("Sources", ref); got != "javascript:alert(1)" {
		t.Errorf("%s: %q, want the URL as text", ref, got)
	}
}

func TestXLSXLinkLimit(t *testing.T) {
	old := maxSheetLinks
	maxSheetLinks = 2
	t.Cleanup(func() { maxSheetLinks = old })
	var js []string
	for i := range 3 {
		js = append(js, fmt.Sprintf(`{"type": "source", "id": "s%d", "url": "https://example.org/%d"}`, i, i))
	}
	f := openXLSX(t, writeXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, "["+strings.Join(js, ",")+"]")))
	for row, want := range []bool{true, true, false} {
		ref := cell(t, f, "Sources", "url", row+1)
		ok, _, err := f.GetCellHyperLink("Sources", ref)
		got, _ := f.GetCellValue("Sources", ref)
		if ok != want || err != nil || got != fmt.Sprintf("https://example.org/%d", row) {
			t.Errorf("%s: link %v (%v), text %q; want link %v", ref, ok, err, got, want)
		}
	}
}

func TestXLSXDropdowns(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	dvs, err := f.GetDataValidations("Events")
	if err != nil {
		t.Fatal(err)
	}
	col := strings.TrimRight(cell(t, f, "Events", "status", 1), "0123456789")
	var status *excelize.DataValidation
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, col+"2:") {
			status = dv
		}
	}
	if status == nil {
		t.Fatalf("no data validation on Events!%s (status) in %+v", col, dvs)
	}
	if status.Type != "list" || status.Formula1 != `"scheduled,rescheduled,postponed,cancelled,occurred"` || status.Error == nil || *status.Error == "" {
		t.Errorf("status dropdown: %+v", status)
	}
	dvs, err = f.GetDataValidations("Actors")
	if err != nil {
		t.Fatal(err)
	}
	col = strings.TrimRight(cell(t, f, "Actors", "country", 1), "0123456789")
	found := false
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, col+"2:") {
			found = true
			if dv.Formula1 != "Lists!$A$2:$A$251" {
				t.Errorf("country dropdown refers to %q, want Lists!$A$2:$A$251", dv.Formula1)
			}
		}
	}
	if !found {
		t.Errorf("no country dropdown in %+v", dvs)
	}
	lists, _ := f.GetRows("Lists")
	if len(lists) != 251 || lists[1][0] != "ABW" || lists[250][0] != "ZWE" {
		t.Errorf("Lists has %d rows, %q ... %q", len(lists), lists[1], lists[len(lists)-1])
	}
}

func TestXLSXCodebook(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	rows, err := f.GetRows("Codebook")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		r = append(r, make([]string, 7-len(r))...) // GetRows drops empty cells at the end
		got[r[0]+"/"+r[1]] = r[2:]
	}
	for key, want := range map[string][]string{
		"Events/status":                             {"text", "yes", "scheduled, rescheduled, postponed, cancelled, occurred", "", ""},
		"Events/date":                               {"EDTF date", "yes", "", "", ""},
		"Events/date_earliest":                      {"date", "no", "", "", ""},
		"Sources/url":                               {"URL", "no", "", "", ""},
		"Event participants/event_id":               {"text", "yes", "", "Events", ""},
		"Event participants/actor":                  {"text", "yes", "", "Actors", ""},
		"Events/location_coordinates_latitude":      {"number", "no", "", "", ""},
		"Event participants/participant_index":      {"whole number", "yes", "", "", ""},
		"Event attestation names/attestation_index": {"whole number", "yes", "", "Event attestations", ""},
		"Analysis/speaker":                          {"text", "no", "", "Actors", ""},
		"Analysis/date_uncertain":                   {"true-false", "no", "", "", ""},
	} {
		g, ok := got[key]
		if !ok {
			t.Errorf("no Codebook row for %s", key)
			continue
		}
		if !slices.Equal(g[:4], want[:4]) || g[4] == "" {
			t.Errorf("Codebook %s: %q, want %q and a description", key, g, want[:4])
		}
	}
	v := converttest.XLSXDataset(t).Validator
	if n := len(rows) - 1; n != countColumns(append(table.Tables(v), analysis.NewLayout(v).Table)) {
		t.Errorf("Codebook has %d rows, want one per column", n)
	}
}

func countColumns(tables []table.Table) int {
	n := 0
	for _, t := range tables {
		n += len(t.Columns)
	}
	return n
}

func TestXLSXAbout(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r[1:]
	}
	for field, want := range map[string][]string{
		"Title":          {"Harbour talks"},
		"License":        {"CC-BY-4.0"},
		"Curator":        {"Ida Berg (lead curator), ORCID 0000-0002-1825-0097"},
		"Base IRI":       {"https://example.org/harbour/"},
		"annals version": {"0.9.0"},
		"Schema version": {schema.Version},
		"Source records": {"2"},
		"Input file":     {"records/harbour.json", strings.Repeat("ab", 32), "5"},
	} {
		if !slices.Equal(got[field], want) {
			t.Errorf("About %s: %q, want %q", field, got[field], want)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "Harbour talks" || props.Creator != "Ida Berg" || props.Created != "1980-01-01T00:00:00Z" {
		t.Errorf("document properties %+v %v", props, err)
	}
}

func TestXLSXDeterministic(t *testing.T) {
	a := writeXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, converttest.XLSXFixture))
	b := writeXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, converttest.XLSXFixture))
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same records differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part %s, want [Content_Types].xml", zr.File[0].Name)
	}
	for _, zf := range zr.File {
		if !zf.Modified.Equal(zipTime) {
			t.Errorf("%s: modified %v", zf.Name, zf.Modified)
		}
	}
}

func TestXLSXLongText(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	long := strings.Repeat("é", 32_768)
	fits := strings.Repeat("ы", 32_765) + "😀" // 32,767 UTF-16 code units, as Excel counts
	recs := converttest.DecodeRecords(t, `[
{"type": "event", "id": "fits", "title": "t", "attestations": [{"source": "s", "quote": "`+fits+`"}]},
{"type": "event", "id": "too-long", "title": "t", "attestations": [{"source": "s"}, {"source": "s", "quote": "`+long+`"}]}
]`)
	var out bytes.Buffer
	w := NewWriter(&out, converttest.XLSXDataset(t))
	if err := w.Write(recs[0]); err != nil {
		t.Fatal(err)
	}
	err := w.Write(recs[1])
	var re *record.WriteError
	if !errors.As(err, &re) {
		t.Fatalf("Write: %v, want a *WriteError", err)
	}
	if re.File != "f.json" || re.Line != 1 || re.ID != "too-long" || re.Pointer != "/attestations/1/quote" ||
		!strings.Contains(err.Error(), "text of 32,768 characters is longer than the 32,767 an Excel cell can hold") {
		t.Errorf("error %+v: %v", re, err)
	}
	if err := w.Close(); !errors.Is(err, re) {
		t.Errorf("Close: %v, want the Write error", err)
	}
	if out.Len() != 0 {
		t.Errorf("Close wrote %d bytes after a failed Write", out.Len())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}

	// Text of exactly the limit is kept whole.
	f := openXLSX(t, writeXLSX(t, converttest.XLSXDataset(t), recs[:1]))
	got, _ := f.GetCellValue("Event attestations", cell(t, f, "Event attestations", "quote", 1))
	if got != fits {
		t.Errorf("text of 32,767 characters read back as %d characters", textLength(got))
	}
}

func TestXLSXTemporaryFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	recs := converttest.DecodeRecords(t, converttest.XLSXFixture)
	w := NewWriter(io.Discard, converttest.XLSXDataset(t))
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	spooled := 0
	for _, s := range w.(*xlsxWriter).sheets {
		if s.spool != nil {
			spooled += s.spool.rows
		}
	}
	if spooled == 0 {
		t.Fatal("no rows spooled: the test checks nothing")
	}
	// Outside Windows the spools lose their names at once, so that a
	// killed process leaves nothing in TMPDIR.
	if entries, _ := os.ReadDir(dir); runtime.GOOS != "windows" && len(entries) != 0 {
		t.Errorf("spools still named while writing: %v", entries)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left after Close: %v", entries)
	}

	// And when writing the output fails.
	w = NewWriter(failWriter{}, converttest.XLSXDataset(t))
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close: %v, want the output's error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left after a failed Close: %v", entries)
	}
}

var errDiskFull = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestXLSXRowLimit(t *testing.T) {
	old := maxSheetRows
	maxSheetRows = 2
	t.Cleanup(func() { maxSheetRows = old })
	recs := converttest.DecodeRecords(t, `[
{"type": "event", "id": "a", "attestations": [{"source": "s"}]},
{"type": "event", "id": "b", "attestations": [{"source": "s"}, {"source": "s"}]}
]`)
	w := NewWriter(io.Discard, converttest.XLSXDataset(t))
	defer w.Close()
	if err := w.Write(recs[0]); err != nil {
		t.Fatal(err)
	}
	err := w.Write(recs[1])
	if err == nil || !strings.Contains(err.Error(), `the "Event attestations" sheet would have more than the 2 rows`) {
		t.Errorf("Write: %v", err)
	}
}

func TestXLSXEmpty(t *testing.T) {
	f := openXLSX(t, writeXLSX(t, converttest.XLSXDataset(t), nil))
	rows, err := f.GetRows("Events")
	if err != nil || len(rows) != 1 {
		t.Errorf("Events of an empty dataset: %q %v", rows, err)
	}
}

func TestXLSXColumnWidths(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	for _, tc := range []struct {
		sheet, column string
		min, max      float64
	}{
		{"Events", "id", minColumnWidth, 12},
		{"Events", "title", 28, 32},
		{"Codebook", "Description", maxColumnWidth, maxColumnWidth},
	} {
		col := strings.TrimRight(cell(t, f, tc.sheet, tc.column, 1), "0123456789")
		w, err := f.GetColWidth(tc.sheet, col)
		if err != nil || w < tc.min || w > tc.max {
			t.Errorf("%s!%s (%s) width %v, want %v..%v", tc.sheet, col, tc.column, w, tc.min, tc.max)
		}
	}
}

func TestNumberCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want any
	}{
		{"46.2", 46.2},
		{"-0.5", -0.5},
		{"1E2", 100.0},
		{"0.50", 0.5},
		{"12345678901234567890", "12345678901234567890"},
		{"0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827"},
		{"1e400", "1e400"},
		{"1e-99999999999999999999", "1e-99999999999999999999"},
		{"-0", 0.0},
	} {
		if got := numberCell(json.Number(tc.in)); got != tc.want {
			t.Errorf("numberCell(%s) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestDayCell(t *testing.T) {
	if got := dayCell(time.Date(1856, 3, 1, 0, 0, 0, 0, time.UTC)); got != "1856-03-01" {
		t.Errorf("a day before 1900 gives %#v, want its text", got)
	}
	day := time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC)
	if got := dayCell(day); got != day {
		t.Errorf("dayCell(%v) = %#v", day, got)
	}
}

func TestLinkTarget(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org/a":   true,
		"HTTP://example.org/":     true,
		"mailto:desk@example.org": true,
		"javascript:alert(1)":     false,
		"file:///etc/passwd":      false,
		"https:no-host":           false,
		"https://example.org/a b": false,
		"https://example.org/" + strings.Repeat("a", maxLinkLength): false,
	} {
		if got := linkTarget(s); got != want {
			t.Errorf("linkTarget(%.40q) = %v", s, got)
		}
	}
}

// TestFinishTail checks where the links and ignoredErrors go in the end of
// a worksheet.
func TestFinishTail(t *testing.T) {
	tail := `</sheetData><dataValidations count="1"/><pageMargins left="1"/><tableParts count="1"/></worksheet>`
	want := `</sheetData><dataValidations count="1"/><hyperlinks><hyperlink ref="A2" r:id="rIdLink1"/></hyperlinks>` +
		`<pageMargins left="1"/>` + ignoredErrors + `<tableParts count="1"/></worksheet>`
	p := &sheetParts{name: "sheet"}
	p.addLink("A2", "https://example.org/?a=1&b=2")
	got, err := p.finishTail([]byte(tail))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(p.relationships.String(), `Target="https://example.org/?a=1&amp;b=2"`) {
		t.Errorf("relationship %s does not escape the URL", p.relationships.String())
	}
}

// BenchmarkXLSXWriter writes generated datasets, reporting the records
// written per second, the allocations per record and how much the live
// heap grew at most: what the writer keeps, which must not grow with the
// records. It reads about 4 MiB at 10k and 40 MiB at 100k, nearly all of
// it rows made while a collection marks the benchmark's input, which
// counts them live (excelize's per-sheet stream buffers made it 180 MiB
// at 100k before the writer wrote the rows itself).
func BenchmarkXLSXWriter(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			recs := converttest.BenchRecords(b, n)
			ds := converttest.XLSXDataset(b)
			runtime.GC()
			peak := watchHeap()
			converttest.BenchWriter(b, recs, func() (record.Writer, func()) { return NewWriter(io.Discard, ds), nil })
			b.ReportMetric(float64(peak())/(1<<20), "live-heap-MiB")
		})
	}
}

// watchHeap samples the live heap (as of the last collection) until the
// returned function is called, which returns the most it grew over its
// size at the start (the generated records, the benchmark's input).
func watchHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	base, peak := sample[0].Value.Uint64(), sample[0].Value.Uint64()
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak - base
	}
}

// TestZipSpoolNewRelationships checks the relationships part zipSpool
// writes for a sheet with links when excelize wrote none for it.
func TestZipSpoolNewRelationships(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	z := newZipSpool()
	defer z.remove()
	p := smallPlan("Links", "links", []string{"url"}, [][]any{{"mailto:desk@example.org"}})
	p.links[0] = true
	z.sheet(1, p)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<worksheet><sheetData></sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := z.writeTo(&out, styles{link: 4}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, zf := range zr.File {
		got[zf.Name] = string(readZipFile(t, zf))
	}
	want := `<worksheet><sheetData><row r="2"><c r="A2" s="4" t="inlineStr"><is><t>mailto:desk@example.org</t></is></c></row></sheetData>` +
		`<hyperlinks><hyperlink ref="A2" r:id="rIdLink1"/></hyperlinks>` + ignoredErrors + `</worksheet>`
	if got["xl/worksheets/sheet1.xml"] != want {
		t.Errorf("sheet:\n got %s\nwant %s", got["xl/worksheets/sheet1.xml"], want)
	}
	if !strings.Contains(got["xl/worksheets/_rels/sheet1.xml.rels"], `Target="mailto:desk@example.org" TargetMode="External"/></Relationships>`) {
		t.Errorf("relationships: %s", got["xl/worksheets/_rels/sheet1.xml.rels"])
	}
}

// importXLSXBytes writes a workbook to a temporary file and imports it.
func importXLSXBytes(t testing.TB, b []byte, opts table.ImportOptions) ([]*record.Record, []error) {
	t.Helper()
	return converttest.ImportFile(t, converttest.TempFile(t, "annals.xlsx", b), opts, NewImporter)
}

// TestXLSXAnalysisSheet checks the flat sheet: one row per attestation,
// with the speaker's name and the source's outlet joined in, and text
// that looks like a formula kept as text.
func TestXLSXAnalysisSheet(t *testing.T) {
	f := openXLSX(t, fixtureWorkbook(t))
	rows, err := f.GetRows(analysis.Sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+5 {
		t.Fatalf("%d rows, want the header and one per attestation (5)", len(rows))
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	ev, st := rows[1], rows[3]
	for _, tc := range []struct{ got, want string }{
		{ev[col("record_id")], "ferry-talks"},
		{ev[col("participant_names")], "Harbour Council"},
		{ev[col("outlet")], "Fjord Bulletin"},
		{ev[col("quote")], "=SUM(A1)"},
		{ev[col("reported_date_earliest")], "2022-01-10"},
		{st[col("speaker_name")], "Harbour Council"},
		{st[col("attestation_index")], "2"},
		{st[col("outlet")], "Odd Wire"},
		{st[col("published_precision")], "year"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	ref, _ := excelize.CoordinatesToCellName(col("quote")+1, 2)
	if formula, _ := f.GetCellFormula(analysis.Sheet, ref); formula != "" {
		t.Errorf("%s holds the formula %q", ref, formula)
	}
}

// TestXLSXDiscard checks that a discarded workbook is not written.
func TestXLSXDiscard(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, converttest.XLSXDataset(t))
	for _, r := range converttest.DecodeRecords(t, converttest.XLSXFixture) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.(record.Discarder).Discard()
	if err := w.Close(); !errors.Is(err, record.ErrDiscarded) || b.Len() != 0 {
		t.Errorf("Close after Discard = %v, with %d bytes written", err, b.Len())
	}
}
