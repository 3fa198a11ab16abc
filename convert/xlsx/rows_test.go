package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/testkit"
)

// rowValues are values of every kind a sheet's rows hold, text that needs
// care among them.
var rowValues = [][]any{
	{"plain", 46.2, 7, true, time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC)},
	{" lead", -0.5, -3, false, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
	{"trail\t", math.Copysign(0, -1), 0, nil, time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC)},
	{"\nlf first", 1e21, 1 << 40, nil, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)},
	{"cr last\r", 1e-7, nil, nil, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
	{`<b>&amp;</b> "q" 'a' ]]>`, 0.30000000000000004, nil, nil, "1856-03-01"},
	{"bell\a nul\x00 us\x1f del\x7f", 12345678.9, nil, nil, nil},
	{"\ufdd0 \ufffe\uffff \ufffd \ufeff \u2028", nil, nil, nil, nil},
	{"bad \xff\xfe UTF-8 \xe2\x82", nil, nil, nil, nil},
	{"_x0041_ _x005F_ _x005F_x0041_ _x005F_ _x00e9_ _x12G4_", nil, nil, nil, nil},
	{"_x005F_x", "_x005F_x005F_", "__x0041__", "_x_x0041_", nil},
	{"Zoë Łucja Nguyễn 東京 🚢", "12345678901234567890", "=SUM(A1)", "", nil},
	{"line one\r\nline two\rthree\n", "\t=cmd|' /C calc'!A0", nil, nil, nil},
	{nil, nil, nil, nil, nil},
	{"https://example.org/a?b=1&c=2", nil, nil, nil, nil},
}

// marks matches the marks of xMarked.
var marks = regexp.MustCompile("\uFDD0([0-9A-F]{4})")

// streamedRows returns the <row> elements excelize's StreamWriter writes
// for rows, from row 2, the text marked as xMarked marks it and the marks
// then rewritten as escapes, as the workbook writer did before it wrote
// rows itself.
func streamedRows(t *testing.T, cellStyles []int, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if _, err := newStyles(f); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		values := make([]any, len(row))
		for i, v := range row {
			if s, ok := v.(string); ok {
				v, _ = xMarked(s)
			}
			if v != nil && cellStyles[i] != 0 {
				v = excelize.Cell{StyleID: cellStyles[i], Value: v}
			}
			values[i] = v
		}
		if err := sw.SetRow(cellName(1, r+2), values); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			sheet := string(readZipFile(t, zf))
			_, data, _ := strings.Cut(sheet, "<sheetData>")
			data, _, _ = strings.Cut(data, "</sheetData>")
			return marks.ReplaceAllString(data, "_x${1}_")
		}
	}
	t.Fatal("no sheet1.xml")
	return ""
}

// TestRowWriterMatchesExcelize checks that the rows are the bytes
// excelize's StreamWriter writes for the same values (where it loses no
// text: see escapeLiteralEscapes and TestXLSXTextReadsBack).
func TestRowWriterMatchesExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, cellStyles := range [][]int{
		{st.text, 0, 0, 0, st.date},
		{0, st.text, st.text, st.text, st.date},
	} {
		p := smallPlan("Sheet1", "t", []string{"a", "b", "c", "d", "e"}, rowValues)
		p.styles = cellStyles
		var got bytes.Buffer
		if err := newRowWriter(p, st, &sheetParts{}).writeRows(&got, func() bool { return false }); err != nil {
			t.Fatal(err)
		}
		want := streamedRows(t, cellStyles, rowValues)
		if got.String() != want {
			t.Errorf("styles %v:\n got %s\nwant %s", cellStyles, got.String(), want)
		}
	}
}

func TestAppendCellText(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"plain":        "plain",
		"a&b<c>d\"e'f": "a&amp;b&lt;c&gt;d&#34;e&#39;f",
		"t\tn\nr\r":    "t&#x9;n\nr&#xD;",
		"\a\x00\x1f":   "_x0007__x0000__x001F_",
		"\ufdd0\ufffe": "_xFDD0__xFFFE_",
		"é\xffü":       "é\ufffdü",
		"🚢\ufffd":      "🚢\ufffd",
	} {
		got, escaped := appendCellText(nil, in)
		if string(got) != want || escaped != strings.Contains(want, "_x") {
			t.Errorf("appendCellText(%q) = %q, %v; want %q", in, got, escaped, want)
		}
	}
}

// TestXLSXTextReadsBack writes text that needs escapes of every kind and
// reads it back, through excelize and through the importer.
func TestXLSXTextReadsBack(t *testing.T) {
	texts := []string{
		"bell\a nul\x00 us\x1f", "\ufdd0 \ufffe\uffff", "_x0041_ _x005F_ _x005F_x0041_ _x005f_x0041_ _x005F_",
		// Which excelize would write so that they read back otherwise.
		"_xD800_ _xd83d__xDE00_ _x0041_x0042_ _x005f_x0041_ _x005F_xD800_",
		" padded\t", "\r\nlines\r\n", `<b>&amp;</b> "q" 'a'`, "Zoë 東京 🚢 \u2028",
	}
	var js []string
	for i, s := range texts {
		q, _ := json.Marshal(s)
		js = append(js, fmt.Sprintf(`{"type": "event", "id": "e%d", "title": %s, "attestations": [{"source": "s", "quote": %s}]}`, i, q, q))
	}
	recs := converttest.DecodeRecords(t, "["+strings.Join(js, ",")+"]")
	b := writeXLSX(t, converttest.XLSXDataset(t), recs)
	f := openXLSX(t, b)
	for i, want := range texts {
		for _, sc := range []struct{ sheet, column string }{{"Events", "title"}, {"Event attestations", "quote"}} {
			got, err := f.GetCellValue(sc.sheet, cell(t, f, sc.sheet, sc.column, i+1))
			if err != nil || got != want {
				t.Errorf("%s %s %d: %q (%v), want %q", sc.sheet, sc.column, i+1, got, err, want)
			}
		}
	}
	got, errs := importXLSXBytes(t, b, table.ImportOptions{})
	converttest.CheckSame(t, "xlsx", got, errs, converttest.Values(recs))
}

// TestXLSXManyRows writes sheets of thousands of rows, written and
// compressed concurrently, and reads them back.
func TestXLSXManyRows(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	n := 3000
	if testing.Short() || testkit.RaceEnabled {
		n = 1000
	}
	recs := converttest.GeneratedRecords(n, 7)
	ds := converttest.XLSXDataset(t)
	w := NewWriter(io.Discard, ds).(*xlsxWriter)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	rows := map[string]int{}
	for i, s := range w.sheets {
		rows[w.tables[i].Sheet] = s.rows()
	}
	w.Close()

	b := writeXLSX(t, ds, recs)
	f := openXLSX(t, b)
	most := 0
	for sheet, want := range rows {
		got, err := f.GetRows(sheet)
		if err != nil || len(got) != want+1 {
			t.Errorf("%s: %d rows (%v), want %d and the header", sheet, len(got), err, want)
		}
		most = max(most, want)
	}
	if most < 500 {
		t.Errorf("the largest sheet has %d rows: the test checks little", most)
	}
	got, errs := importXLSXBytes(t, b, table.ImportOptions{})
	converttest.CheckSame(t, "xlsx", got, errs, converttest.Values(recs))
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestXLSXCloseErrors checks the errors only Close finds, in the rows of
// two sheets at once: the one reported is the first sheet's, every time,
// though the sheets are written concurrently, and nothing is written.
func TestXLSXCloseErrors(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	// Fits a cell, but not with its control characters marked.
	quote := strings.Repeat("\a", 10) + strings.Repeat("x", MaxCellChars-20)
	recs := converttest.DecodeRecords(t, `[{"type": "event", "id": "e", "attestations": [{"source": "s", "quote": "`+
		strings.ReplaceAll(quote, "\a", `\u0007`)+`"}]}]`)
	ds := converttest.XLSXDataset(t)
	ds.Manifest["title"] = strings.Repeat("t", MaxCellChars+1) // for the About sheet
	for range 5 {
		var out bytes.Buffer
		w := NewWriter(&out, ds)
		if err := w.Write(recs[0]); err != nil {
			t.Fatal(err)
		}
		err := w.Close()
		if err == nil || !strings.Contains(err.Error(), `writing the "Event attestations" sheet: text of 32,757 characters, control characters among them, is too long`) {
			t.Fatalf("Close: %v", err)
		}
		if out.Len() != 0 {
			t.Fatalf("Close wrote %d bytes after an error", out.Len())
		}
	}
	delete(ds.Manifest, "title")
	ds.Inputs = []record.InputFile{{Path: strings.Repeat("p", MaxCellChars+1)}}
	err := NewWriter(io.Discard, ds).Close()
	if err == nil || !strings.Contains(err.Error(), `writing the "About" sheet: text of 32,768 characters is longer than the 32,767`) {
		t.Errorf("Close: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestAppendSerial(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), "1"},
		{time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC), "59"},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), "61"}, // after Lotus's 29 February 1900
		{time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "44562"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "2958465"},
	} {
		if got := string(appendSerial(nil, tc.day)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.day, got, tc.want)
		}
	}
}

func TestEscapeLiteralEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain _x _x00_ _x004G_": "plain _x _x00_ _x004G_",
		"_x0041_":                "_x005F_x0041_",
		"_x005F_x0041_":          "_x005F_x005F_x005F_x0041_",
		"_x0041_x0042_":          "_x005F_x0041_x005F_x0042_",
		"a_xD800_b":              "a_x005F_xD800_b",
		"__x00e9__":              "__x005F_x00e9__",
	} {
		if got := escapeLiteralEscapes(in); got != want {
			t.Errorf("escapeLiteralEscapes(%q) = %q, want %q", in, got, want)
		}
		if got := decodeXString(escapeLiteralEscapes(in)); got != in {
			t.Errorf("%q reads back as %q", in, got)
		}
	}
}
