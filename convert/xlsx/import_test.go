package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
)

// saveWorkbook writes f to a temporary file and returns its path.
func saveWorkbook(t testing.TB, f *excelize.File, opts ...excelize.Options) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := f.SaveAs(file, opts...); err != nil {
		t.Fatal(err)
	}
	return file
}

// setRows writes rows from A1 of a sheet, creating it; nil leaves a cell
// empty.
func setRows(t testing.TB, f *excelize.File, sheet string, rows [][]any) {
	t.Helper()
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			if err := f.SetCellValue(sheet, cellName(c+1, r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestImportXLSXTolerance reads a workbook as people leave it after
// editing: columns reordered and renamed with stray spaces, empty rows and
// columns, numbers typed into text columns, date cells where Excel made
// them, rich text, link rows sorted another way.
func TestImportXLSXTolerance(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		f := excelize.NewFile() // with an empty Sheet1, which is no table
		t.Cleanup(func() { f.Close() })
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
		setRows(t, f, "Events", [][]any{
			{"status ", "  ID", nil, "title", "date", "date_earliest", "category", "location_coordinates_latitude", "location_coordinates_longitude", "location_name", "note"},
			{},
			{"occurred  ", 2022, nil, "Ferry talks ", time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), "consult", 59.5, " -10.25 ", nil, "  keep my spaces  "},
			{"   "},
			{"scheduled", "second-talks", nil, "Second", time.Date(2022, 2, 3, 14, 30, 0, 0, time.UTC), nil, " agree"},
		})
		if err := f.SetCellRichText("Events", "J3", []excelize.RichTextRun{{Text: "Nord"}, {Text: "havn", Font: &excelize.Font{Bold: true}}}); err != nil {
			t.Fatal(err)
		}
		setRows(t, f, "event attestations", [][]any{ // sheet names match regardless of case
			{"attestation_index", "event_id", "quote", "source"},
			{3, "2022", "third", "src-a"},
			{1, 2022, "first", "src-a"},
			{" 2", "2022 ", "=second", "src-b"},
		})
		var notes []*record.ImportError
		recs, errs := converttest.ImportFile(t, saveWorkbook(t, f), table.ImportOptions{Note: func(n *record.ImportError) { notes = append(notes, n) }}, NewImporter)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		want := []any{
			map[string]any{"type": "event", "id": "2022", "status": "occurred", "title": "Ferry talks ", "date": "2022-01-10",
				"category": "consult", "note": "  keep my spaces  ",
				"location": map[string]any{"name": "Nordhavn", "coordinates": map[string]any{"latitude": json.Number("59.5"), "longitude": json.Number("-10.25")}},
				"attestations": []any{
					map[string]any{"source": "src-a", "quote": "first"},
					map[string]any{"source": "src-b", "quote": "=second"},
					map[string]any{"source": "src-a", "quote": "third"},
				}},
			map[string]any{"type": "event", "id": "second-talks", "status": "scheduled", "title": "Second", "date": "2022-02-03", "category": "agree"},
		}
		converttest.CheckSame(t, "tolerance", recs, nil, want)
		if len(notes) != 1 || notes[0].Code != record.CodeDateTimeCell || notes[0].Position.Cell != "E5" ||
			!strings.Contains(notes[0].Error(), "edited.xlsx: Events!E5: the cell holds the date and time 2022-02-03 14:30:00; it was read as the day 2022-02-03") {
			t.Errorf("notes %v, want one about the date-time in Events!E5", notes)
		}
		// Positions follow the rows where the user put them.
		if p := recs[0].Position("/attestations/0/quote", false); p.Sheet != "event attestations" || p.Cell != "C3" {
			t.Errorf("first attestation's quote at %v, want 'event attestations'!C3", p)
		}
	}
}

// editFixture opens the fixture's workbook, lets edit change it and saves
// it to a temporary file.
func editFixture(t *testing.T, edit func(f *excelize.File)) string {
	t.Helper()
	f := openXLSX(t, fixtureWorkbook(t))
	edit(f)
	return saveWorkbook(t, f)
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func TestImportXLSXRefusals(t *testing.T) {
	for _, tc := range []struct {
		name      string
		edit      func(t *testing.T, f *excelize.File)
		code, pos string
		msg       string
	}{
		{"unknown sheet", func(t *testing.T, f *excelize.File) {
			setRows(t, f, "Notes", [][]any{{}, {nil, "remember the ferry"}})
		}, record.CodeUnknownTable, "Notes!B2", `the sheet "Notes" is not part of an annals export, and it holds data`},
		{"unknown sheet, a typo", func(t *testing.T, f *excelize.File) {
			setRows(t, f, "Event", [][]any{{"id"}})
		}, record.CodeUnknownTable, "Event!A1", `did you mean "Events"?`},
		{"unknown column", func(t *testing.T, f *excelize.File) {
			set(t, f, "Events", "R1", "titel")
		}, record.CodeUnknownColumn, "Events!R1", `unknown column "titel"; did you mean "title"?`},
		{"duplicate column", func(t *testing.T, f *excelize.File) {
			set(t, f, "Events", "R1", "Title ")
		}, record.CodeDuplicateColumn, "Events!R1", `a second "title" column (the first is column B)`},
		{"missing id", func(t *testing.T, f *excelize.File) {
			set(t, f, "Events", "A1", "")
		}, record.CodeMissingColumn, "Events!A1", `the "Events" sheet has no "id" column, which holds each record's id`},
		{"missing parent id", func(t *testing.T, f *excelize.File) {
			set(t, f, "Event attestations", "A1", "")
		}, record.CodeMissingColumn, "'Event attestations'!A1", `has no "event_id" column, which says which event each row belongs to`},
		{"missing index", func(t *testing.T, f *excelize.File) {
			if err := f.RemoveCol("Event attestations", "B"); err != nil {
				t.Fatal(err)
			}
		}, record.CodeMissingColumn, "'Event attestations'!A1", `has no "attestation_index" column, which says which attestation each row is`},
		{"index not a number", func(t *testing.T, f *excelize.File) {
			set(t, f, "Event attestations", "B2", "two")
		}, record.CodeBadIndex, "'Event attestations'!B2", `attestation_index "two" is not a whole number from 1; write the position of the attestation in its list, such as 1`},
		{"index not whole", func(t *testing.T, f *excelize.File) {
			set(t, f, "Event attestations", "B2", 1.5)
		}, record.CodeBadIndex, "'Event attestations'!B2", `attestation_index "1.5" is not a whole number from 1`},
		{"index zero", func(t *testing.T, f *excelize.File) {
			set(t, f, "Statement about", "B2", 0)
		}, record.CodeBadIndex, "'Statement about'!B2", `event_index "0" is not a whole number from 1`},
		{"index empty", func(t *testing.T, f *excelize.File) {
			set(t, f, "Statement attestations", "B3", "")
		}, record.CodeBadIndex, "'Statement attestations'!B3", `attestation_index is empty`},
		{"duplicate index", func(t *testing.T, f *excelize.File) {
			set(t, f, "Statement attestations", "B4", 1)
		}, record.CodeDuplicateIndex, "'Statement attestations'!B4", `statement "council-reply" already has attestation 1, on row 2; give each attestation its own number`},
		{"parent id empty", func(t *testing.T, f *excelize.File) {
			set(t, f, "Event participants", "A2", " ")
		}, record.CodeOrphanRow, "'Event participants'!A2", `event_id is empty; write the id of the event this row belongs to`},
		{"orphan row", func(t *testing.T, f *excelize.File) {
			set(t, f, "Actor aliases", "A2", "harbour-counsil")
			set(t, f, "Actor alias sources", "A2", "harbour-counsil") // reported with its alias, not again
		}, record.CodeOrphanRow, "'Actor aliases'!A2", `actor_id "harbour-counsil" matches no actor: no row of the "Actors" sheet has that id; correct the id or delete this row`},
		{"orphan row in a nested list", func(t *testing.T, f *excelize.File) {
			set(t, f, "Actor alias sources", "A2", "harbour-counsil")
		}, record.CodeOrphanRow, "'Actor alias sources'!A2", `actor_id "harbour-counsil" matches no actor`},
		{"orphan nested row", func(t *testing.T, f *excelize.File) {
			set(t, f, "Actor alias sources", "B2", 4)
		}, record.CodeOrphanRow, "'Actor alias sources'!B2", `actor "harbour-council" has no alias 4, so this row belongs nowhere; correct alias_index or delete this row`},
		{"header row pasted", func(t *testing.T, f *excelize.File) {
			set(t, f, "Sources", "A9", "id")
			set(t, f, "Sources", "B9", "name")
		}, record.CodeHeaderRow, "Sources!A9", `this row holds the column headers of the "Actors" sheet: rows of that table were pasted here, header and all; move them there and delete this row`},
		{"value without header", func(t *testing.T, f *excelize.File) {
			set(t, f, "Sources", "Z3", "stray")
		}, record.CodeUnknownColumn, "Sources!Z3", `this cell has a value but its column has no header`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := editFixture(t, func(f *excelize.File) { tc.edit(t, f) })
			_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
			converttest.WantImportError(t, errs, tc.code, filepath.Join(filepath.Dir(file), "edited.xlsx: ")+tc.pos, tc.msg)
		})
	}
}

// TestImportXLSXFormulas: a formula cell is read as the value it last
// gave, with a note once per column; an error value, or a formula without
// a result, is an error at its cell.
func TestImportXLSXFormulas(t *testing.T) {
	// excelize writes formulas without results; give them one, or an
	// error, as Excel saves them.
	withResult := func(typ, v string) func(string) string {
		re := regexp.MustCompile(`<c ([^>]*) t="str"><f>([^<]*)</f></c>`)
		return func(xml string) string {
			return re.ReplaceAllString(xml, `<c $1 t="`+typ+`"><f>$2</f><v>`+v+`</v></c>`)
		}
	}
	for _, tc := range []struct {
		name     string
		cells    []string // formulas in the Events sheet's title column, from row 2
		result   func(string) string
		code     string
		pos, msg string
		title    string // of the first event, when it is read
	}{
		{"no result", []string{`UPPER("ferry")`}, nil, record.CodeFormulaError, "Events!B2",
			`the cell holds the formula =UPPER("ferry"), but the workbook does not hold its result; open the workbook in Excel and save it, or type the value instead`, ""},
		{"error", []string{`VLOOKUP(1,A1:A2,3)`}, withResult("e", "#REF!"), record.CodeFormulaError, "Events!B2",
			"the cell shows the error #REF!, the result of a formula; correct the formula, or type the value instead", ""},
		{"results, noted once", []string{`UPPER("ferry")`, `UPPER("ferry")`}, withResult("str", "FERRY"), record.CodeFormulaCell, "Events!B2",
			`this column holds formulas (this cell: =UPPER("ferry")); annals read the values they last gave, and will not keep the formulas`, "FERRY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := editFixture(t, func(f *excelize.File) {
				for i, formula := range tc.cells {
					if err := f.SetCellFormula("Events", fmt.Sprintf("B%d", i+2), formula); err != nil {
						t.Fatal(err)
					}
				}
			})
			if tc.result != nil {
				rewriteParts(t, file, "xl/worksheets/", tc.result)
			}
			var notes []error
			recs, errs := converttest.ImportFile(t, file, table.ImportOptions{Note: func(e *record.ImportError) { notes = append(notes, e) }}, NewImporter)
			if tc.code == record.CodeFormulaCell {
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				errs = notes
			}
			converttest.WantImportError(t, errs, tc.code, filepath.Join(filepath.Dir(file), "edited.xlsx: ")+tc.pos, tc.msg)
			if tc.title == "" {
				return
			}
			for _, rec := range recs {
				if m := rec.Value.(map[string]any); m["type"] == "event" {
					if m["title"] != tc.title {
						t.Errorf("title %q, want %q", m["title"], tc.title)
					}
					return
				}
			}
			t.Error("no event read")
		})
	}
}

// rewriteParts rewrites the parts of the workbook file whose names start
// with prefix.
func rewriteParts(t *testing.T, file, prefix string, rewrite func(string) string) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, zf := range zr.File {
		data := readZipFile(t, zf)
		if strings.HasPrefix(zf.Name, prefix) {
			data = []byte(rewrite(string(data)))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestImportXLSXIgnoreUnknown: with IgnoreUnknown, what is not part of
// the export is skipped and the records come back.
func TestImportXLSXIgnoreUnknown(t *testing.T) {
	file := editFixture(t, func(f *excelize.File) {
		setRows(t, f, "Notes", [][]any{{"anything"}})
		set(t, f, "Events", "R1", "titel")
		set(t, f, "Events", "R2", "ignored")
		set(t, f, "Events", "Z2", "no header")
	})
	recs, errs := converttest.ImportFile(t, file, table.ImportOptions{IgnoreUnknown: true}, NewImporter)
	converttest.CheckSame(t, "ignore unknown", recs, errs, converttest.Values(converttest.DecodeRecords(t, converttest.XLSXFixture)))
}

func TestImportXLSXNotAWorkbook(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		code, msg     string
	}{
		{"report.xlsx", "%PDF-1.7\n%âãÏÓ\n1 0 obj", record.CodeNotWorkbook, "not an Excel workbook (.xlsx): it is a PDF document"},
		{"notes.xlsx", "id,name\nana,Ana\n", record.CodeNotWorkbook, "not an Excel workbook (.xlsx); open it in Excel and save it as Excel Workbook (.xlsx)"},
		{"empty.xlsx", "", record.CodeNotWorkbook, "not an Excel workbook (.xlsx)"},
		{"old.xlsx", string(oleMagic) + strings.Repeat("\x00", 600) + string(utf16LE("Workbook")), record.CodeNotWorkbook, "it is an older Office file, such as an Excel 97-2003 workbook (.xls)"},
		{"broken.xlsx", "PK\x03\x04 and then nothing", record.CodeNotWorkbook, "not an Excel workbook (.xlsx): its zip archive is damaged"},
		{"doc.xlsx", string(converttest.ZipOf(t, map[string]string{"word/document.xml": "<w:document/>"})), record.CodeNotWorkbook, "not an Excel workbook (.xlsx): it is a Word document (.docx)"},
		{"sheet.xlsx", string(converttest.ZipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})), record.CodeNotWorkbook, "it is an OpenDocument file"},
		{"other.xlsx", string(converttest.ZipOf(t, map[string]string{"a.txt": "a"})), record.CodeNotWorkbook, "not an Excel workbook (.xlsx): the zip archive holds no workbook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name)
			if err := os.WriteFile(file, []byte(tc.content), 0o666); err != nil {
				t.Fatal(err)
			}
			_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
			converttest.WantImportError(t, errs, tc.code, file+":1:1", tc.msg)
		})
	}
	_, errs := converttest.ImportFile(t, filepath.Join(dir, "missing.xlsx"), table.ImportOptions{}, NewImporter)
	if len(errs) != 1 || !errors.Is(errs[0], os.ErrNotExist) {
		t.Errorf("a missing file: got %v, want the error of opening it", errs)
	}
}

func TestImportXLSXPasswordProtected(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	file := saveWorkbook(t, f, excelize.Options{Password: "ferry"})
	_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
	converttest.WantImportError(t, errs, record.CodePasswordProtected, file+":1:1", "the workbook is password-protected; save an unprotected copy")
}

func TestImportXLSXZipBomb(t *testing.T) {
	// A small archive whose central directory declares an entry of 1 TiB:
	// refused from the directory alone, before anything is inflated.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 1 << 40, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{0x03, 0x00})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := os.WriteFile(file, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
	converttest.WantImportError(t, errs, record.CodeTooLarge, file+":1:1", "the workbook unzips to more than 1 GiB, the most annals reads")

	// A real workbook under a tiny limit.
	file = filepath.Join(t.TempDir(), "annals.xlsx")
	if err := os.WriteFile(file, fixtureWorkbook(t), 0o666); err != nil {
		t.Fatal(err)
	}
	_, errs = converttest.ImportFile(t, file, table.ImportOptions{MaxUnzippedSize: 64 << 10}, NewImporter)
	converttest.WantImportError(t, errs, record.CodeTooLarge, file+":1:1", "the workbook unzips to more than 64 KiB")
}

// TestImportXLSXPositions: every value of an imported record is located
// at the cell that holds it, and what is missing at the cell where it
// would go, or at the row's id.
func TestImportXLSXPositions(t *testing.T) {
	file := editFixture(t, func(f *excelize.File) {
		set(t, f, "Events", "G2", "2022-13-01") // a bad date stays as typed, for the checks
	})
	recs, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	event, statement := recs[3], recs[4]
	if got := event.Value.(map[string]any)["date"]; got != "2022-13-01" {
		t.Fatalf("date %v, want the text as typed", got)
	}
	for _, tc := range []struct {
		rec         *record.Record
		ptr         string
		sheet, cell string
	}{
		{event, "/date", "Events", "G2"},
		{event, "", "Events", "A2"},
		{event, "/type", "Events", "A2"},
		{event, "/location", "Events", "M2"},
		{event, "/location/coordinates/latitude", "Events", "O2"},
		{event, "/note", "Events", "S2"}, // missing: where it would go
		{event, "/attestations/0/quote", "Event attestations", "E2"},
		{event, "/attestations/0", "Event attestations", "A2"},
		{event, "/attestations/7", "Events", "A2"}, // no such item: the record
		{event, "/participants/0/role", "Event participants", "D2"},
		{statement, "/about/0", "Statement about", "C2"},
		{statement, "/attestations/3/quote", "Statement attestations", "E5"},
		{statement, "/attestations/3/credited_to", "Statement attestations", "H5"},
		{recs[0], "/aliases/0/seen_in/0", "Actor alias sources", "D2"},
	} {
		p := tc.rec.Position(tc.ptr, false)
		col, row, _ := excelize.CellNameToCoordinates(tc.cell)
		want := record.Position{File: file, Sheet: tc.sheet, Cell: tc.cell, Line: row, Col: col}
		if p != want {
			t.Errorf("Position(%q) = %+v, want %+v", tc.ptr, p, want)
		}
	}
	if event.File != file || event.Line != 2 || event.Col != 1 || event.Index != 3 {
		t.Errorf("record at %s:%d:%d #%d, want %s:2:1 #3", event.File, event.Line, event.Col, event.Index, file)
	}
}

// TestImportXLSXPositionsHoldValues checks, for every value of imported
// records, that the cell Position names holds it.
func TestImportXLSXPositionsHoldValues(t *testing.T) {
	v := converttest.Validator(t)
	b := writeXLSX(t, &record.Dataset{Validator: v}, converttest.EdgeRecords(v, 3))
	recs, errs := importXLSXBytes(t, b, table.ImportOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	f := openXLSX(t, b)
	n := 0
	for _, rec := range recs {
		converttest.EachLeaf(rec.Value, "", func(ptr string, v any) {
			p := rec.Position(ptr, false)
			got, err := f.GetCellValue(p.Sheet, p.Cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			want := v
			if num, ok := v.(json.Number); ok {
				want = string(num)
			}
			if ptr != "/type" && got != want {
				t.Errorf("%s: %s holds %q, want %q", ptr, p, got, want)
			}
			n++
		})
	}
	if n < 100 {
		t.Fatalf("only %d values checked", n)
	}
}

func TestDecodeXString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"_x000D_":               "\r",
		"a_x0009_b":             "a\tb",
		"_x005F_x0041_":         "_x0041_",
		"_x005f_":               "_",
		"_xD83D__xDE22_":        "😢",
		"_xD83D_":               "\ufffd",
		"_x12G4_":               "_x12G4_",
		"_x00":                  "_x00",
		"__x0041__":             "_A_",
		"_x005F_x005F_x005F_x0": "_x005F_x0",
	} {
		if got := decodeXString(in); got != want {
			t.Errorf("decodeXString(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, "d-mmm-yy": true, "h:mm AM/PM": true, "[h]:mm:ss": true, "mm:ss.0": true,
		`[$-409]mmmm d, yyyy;@`: true, "General": false, "0.00": false, "0.00E+00": false, "@": false,
		`#,##0 "days"`: false, `0\h`: false, "[Red]0.00": false, "[$€-407] #,##0.00": false, `0_m`: false, "0;[Red]-0;d": false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 14: true, 22: true, 23: false, 45: true, 49: false} {
		if got := builtinDateFormat(id); got != want {
			t.Errorf("builtinDateFormat(%d) = %v, want %v", id, got, want)
		}
	}
}

// TestMakeCell reads each type of cell the way a value column needs it.
func TestMakeCell(t *testing.T) {
	wb := &workbook{path: "w.xlsx", dates: []bool{false, true}}
	wb.strings.Append("shared")
	for _, tc := range []struct {
		typ   string
		style int
		v     string
		want  table.InputCell
	}{
		{"s", 0, "0", table.InputCell{Text: "shared"}},
		{"inlineStr", 0, "", table.InputCell{Text: "inline"}},
		{"str", 0, "formula text", table.InputCell{Text: "formula text"}},
		{"e", 0, "#N/A", table.InputCell{Kind: table.InputError, Text: "#N/A"}},
		{"b", 0, "1", table.InputCell{Kind: table.InputBool, Text: "TRUE", Num: "1"}},
		{"b", 0, "0", table.InputCell{Kind: table.InputBool, Text: "FALSE", Num: "0"}},
		{"", 0, "2022", table.InputCell{Kind: table.InputNumber, Text: "2022", Num: "2022"}},
		{"n", 0, "1.1000000000000001", table.InputCell{Kind: table.InputNumber, Text: "1.1", Num: "1.1"}},
		{"n", 0, "-0", table.InputCell{Kind: table.InputNumber, Text: "-0", Num: "-0"}},
		{"n", 0, "1E+21", table.InputCell{Kind: table.InputNumber, Text: "1000000000000000000000", Num: "1000000000000000000000"}},
		{"n", 0, "not a number", table.InputCell{Text: "not a number"}},
		{"n", 1, "44571", table.InputCell{Kind: table.InputDate, Text: "2022-01-10", Num: "44571"}},
		{"n", 1, "44571.75", table.InputCell{Kind: table.InputDateTime, Text: "2022-01-10", Num: "44571.75", Clock: "18:00:00"}},
		{"n", 1, "-3", table.InputCell{Kind: table.InputNumber, Text: "-3", Num: "-3"}},
		{"n", 7, "44571", table.InputCell{Kind: table.InputNumber, Text: "44571", Num: "44571"}}, // a style the workbook lacks
		{"d", 0, "2022-01-10T00:00:00", table.InputCell{Kind: table.InputDate, Text: "2022-01-10", Num: "2022-01-10T00:00:00"}},
		{"d", 0, "2022-01-10T09:30:00Z", table.InputCell{Kind: table.InputDateTime, Text: "2022-01-10", Num: "2022-01-10T09:30:00Z", Clock: "09:30:00"}},
		{"d", 0, "soon", table.InputCell{Text: "soon"}},
	} {
		got, err := wb.makeCell(1, tc.typ, tc.style, tc.v, "inline", "S", 2)
		tc.want.Col = 1
		if err != nil || got != tc.want {
			t.Errorf("makeCell(%q, %d, %q) = %+v, %v; want %+v", tc.typ, tc.style, tc.v, got, err, tc.want)
		}
	}
	_, err := wb.makeCell(3, "s", 0, "9", "", "Events", 4)
	var ie *record.ImportError
	if !errors.As(err, &ie) || ie.Error() != "w.xlsx: Events!C4: the workbook is damaged: the cell refers to text the workbook does not hold; open it in Excel and save it again" {
		t.Errorf("a shared string out of range: %v", err)
	}
}

func TestRichText(t *testing.T) {
	in := `<si><r><t>Nord</t></r><r><rPr><b/></rPr><t xml:space="preserve">havn &amp; _x000D_ </t></r>` +
		`<rPh sb="0" eb="1"><t>ノルド</t></rPh><phoneticPr fontId="1"/></si><si><t/></si>`
	dec := xml.NewDecoder(strings.NewReader(in))
	var got []string
	err := eachStart(dec, func(se xml.StartElement) error {
		if se.Name.Local != "si" {
			return nil
		}
		s, err := richText(dec, "si")
		got = append(got, s)
		return err
	})
	if want := []string{"Nordhavn & \r ", ""}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

// TestSharedStringsBounded: a shared strings table that says it holds
// more strings than annals reads is refused before it is read, and one
// that holds more (whatever it says), or more text, while it is read. 200
// million empty strings, 1.5 MB zipped, took 7.7 GB and 76 s.
func TestSharedStringsBounded(t *testing.T) {
	for _, tc := range []struct {
		name, sst, msg string
	}{
		{"said", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5000" uniqueCount="5000"><si><t>x</t></si></sst>`,
			"holds more than 1000 strings, more than annals reads; split the workbook"},
		{"held", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + strings.Repeat("<si/>", 1001) + `</sst>`,
			"holds more than 1000 strings, more than annals reads; split the workbook"},
		{"text", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + strings.Repeat("<si><t>"+strings.Repeat("a", 1000)+"</t></si>", 11) + `</sst>`,
			"the workbook's shared strings hold more than 0 MiB of text"},
		{"one long string", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` + strings.Repeat("a", 1<<20+30000) + `</t></si></sst>`,
			"the workbook's shared strings (xl/sharedStrings.xml) unzip to 1 MiB, more than annals reads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A string set by excelize goes to the shared strings table.
			file := editFixture(t, func(f *excelize.File) { set(t, f, "Events", "B2", "The council votes") })
			rewriteParts(t, file, "xl/sharedStrings.xml", func(string) string { return tc.sst })
			_, errs := converttest.ImportFile(t, file, table.ImportOptions{MaxSharedStrings: 1000, MaxSharedText: 10000}, NewImporter)
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.msg) {
				t.Fatalf("got %v", errs)
			}
			var ie *record.ImportError
			if !errors.As(errs[0], &ie) || ie.Code != record.CodeTooLarge {
				t.Errorf("code: %v", errs[0])
			}
		})
	}
}
