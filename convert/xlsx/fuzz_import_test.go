package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/schema"
)

// xlsxFuzzLimit bounds what a fuzzed workbook may unzip to: far above the
// template's few hundred KiB, far below what would slow the fuzzer down.
const xlsxFuzzLimit = 8 << 20

// xlsxTemplate is the workbook FuzzXLSXImport rewrites: the one the
// writer exports for the fixture, plus a relationship to a shared strings
// part, which the writer never writes (its cells hold inline strings), so
// that text given for that part is read.
type xlsxTemplate struct {
	exported []byte      // the workbook as the writer wrote it
	zr       *zip.Reader // the template's parts
	book     string      // the part names of the workbook, of the sheets fuzzed and of the shared strings
	events   string
	attests  string
	shared   string
}

const fuzzStringsRel = `<Relationship Id="rIdFuzzStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`

func newXLSXTemplate(t testing.TB) *xlsxTemplate {
	t.Helper()
	tp := &xlsxTemplate{exported: writeXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, converttest.XLSXFixture))}
	file := filepath.Join(t.TempDir(), "template.xlsx")
	if err := os.WriteFile(file, tp.exported, 0o666); err != nil {
		t.Fatal(err)
	}
	wb, err := openWorkbook(file, table.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.close()
	for _, sh := range wb.sheets {
		switch sh.name {
		case "Events":
			tp.events = sh.part
		case "Event attestations":
			tp.attests = sh.part
		}
	}
	tp.book, tp.shared = "xl/workbook.xml", "xl/sharedStrings.xml"
	rels := "xl/_rels/workbook.xml.rels"
	if tp.events == "" || tp.attests == "" || wb.parts[tp.book] == nil || wb.parts[rels] == nil || wb.parts[tp.shared] != nil {
		t.Fatalf("the exported workbook is not laid out as the template expects: sheets %v", wb.sheets)
	}
	// The template: the exported parts, the workbook's relationships with
	// one more.
	zr, err := zip.NewReader(bytes.NewReader(tp.exported), int64(len(tp.exported)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, zf := range zr.File {
		if zf.Name != rels {
			if err := zw.Copy(zf); err != nil {
				t.Fatal(err)
			}
			continue
		}
		content := zipPart(t, zr, rels)
		if !strings.Contains(content, "</Relationships>") {
			t.Fatalf("%s has no end tag", rels)
		}
		w, err := zw.Create(rels)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(strings.Replace(content, "</Relationships>", fuzzStringsRel+"</Relationships>", 1)))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if tp.zr, err = zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil {
		t.Fatal(err)
	}
	return tp
}

// zipPart returns the content of a part of zr.
func zipPart(t testing.TB, zr *zip.Reader, name string) string {
	t.Helper()
	for _, zf := range zr.File {
		if zf.Name == name {
			return string(readZipFile(t, zf))
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// with returns the template with the parts given (by name) in place of its
// own; an empty one keeps the template's. Parts are stored, not
// compressed: the fuzzer's time is better spent in the importer.
func (tp *xlsxTemplate) with(t testing.TB, parts map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	write := func(name string, content []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	for _, zf := range tp.zr.File {
		if content := parts[zf.Name]; len(content) > 0 {
			write(zf.Name, content)
			delete(parts, zf.Name)
			continue
		}
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(parts))
	for name := range parts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if content := parts[name]; len(content) > 0 {
			write(name, content)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// inlineToShared rewrites a sheet's inline strings as references to a
// shared strings part, which it returns too.
func inlineToShared(sheet string) (string, string) {
	inline := regexp.MustCompile(`<c ([^>]*)t="inlineStr"([^>]*)><is>(.*?)</is></c>`)
	var shared strings.Builder
	shared.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	n := 0
	sheet = inline.ReplaceAllStringFunc(sheet, func(c string) string {
		m := inline.FindStringSubmatch(c)
		shared.WriteString("<si>" + m[3] + "</si>")
		n++
		return `<c ` + m[1] + `t="s"` + m[2] + `><v>` + strings.Repeat(" ", n%2) + strconv.Itoa(n-1) + `</v></c>`
	})
	shared.WriteString("</sst>")
	return sheet, shared.String()
}

// FuzzXLSXImport reads fuzzed workbooks: the whole file when file is not
// empty, and otherwise the fixture's workbook with the workbook part, the
// Events and Event attestations sheets and the shared strings replaced by
// those given (an empty one keeps the template's). Random bytes are almost
// never a zip archive, so file alone would explore little beyond the check
// of the file's first bytes; the parts let the fuzzer work on what this
// package parses itself: the sheet list and date system, the rows and
// cells of a main sheet and of a link sheet (headers, keys, indexes,
// orphans, cell types, dates, rich text and escapes) and the shared
// strings they refer to. The importer must not panic, must end, and must
// report only *ImportError values that name the file, with positions that
// are cells; records must be of the schema's types, hold valid UTF-8 and
// have every value at a cell; the same workbook read twice gives the same
// records and errors.
func FuzzXLSXImport(f *testing.F) {
	tp := newXLSXTemplate(f)
	exported := tp.exported
	for _, n := range []int{0, 4, 30, len(exported) / 2, len(exported) - 22, len(exported) - 1, len(exported)} {
		f.Add(exported[:n:n], []byte(nil), []byte(nil), []byte(nil), []byte(nil)) // 0: the template as it is
	}
	// The workbooks of the hostile-input corpus.
	books, _ := filepath.Glob(filepath.Join(converttest.HostileCorpus, "*.xlsx"))
	if len(books) == 0 {
		f.Fatalf("no workbooks in %s", converttest.HostileCorpus)
	}
	for _, book := range books {
		b, err := os.ReadFile(book)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, []byte(nil), []byte(nil), []byte(nil), []byte(nil))
	}
	f.Add([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), []byte(nil), []byte(nil), []byte(nil), []byte(nil))
	f.Add(converttest.ZipOf(f, nil), []byte(nil), []byte(nil), []byte(nil), []byte(nil))
	f.Add(append(append([]byte{}, oleMagic...), utf16LE("EncryptedPackage")...), []byte(nil), []byte(nil), []byte(nil), []byte(nil))
	f.Add(converttest.ZipOf(f, map[string]string{"_rels/.rels": `<Relationships><Relationship Type="x/officeDocument" Target="/../book.xml"/></Relationships>`,
		"book.xml": `<workbook><sheets><sheet name="Events" r:id="r1"/></sheets></workbook>`}), []byte(nil), []byte(nil), []byte(nil), []byte(nil))

	book := zipPart(f, tp.zr, tp.book)
	events := zipPart(f, tp.zr, tp.events)
	attests := zipPart(f, tp.zr, tp.attests)
	sharedEvents, shared := inlineToShared(events)
	for _, parts := range [][4]string{
		{"", events, attests, ""}, // mutations start from the real sheets
		{strings.Replace(book, `<workbookPr `, `<workbookPr date1904="1" `, 1), "", "", ""},
		{strings.Replace(book, `name="Event attestations"`, `name=" events "`, 1), "", "", ""},
		{strings.Replace(book, `name="Codebook"`, `name="Notes"`, 1), "", "", ""},
		{"<workbook><sheets><sheet", "", "", ""},
		{"", sharedEvents, "", shared},
		{"", "", "", `<sst><si><r><t>Nord</t></r><r><t xml:space="preserve">havn _x000D_</t></r><rPh><t>ノ</t></rPh></si><si><t>_xD83D__xDE22_</t></si>`},
		{"", `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c>`, "", ""},
		{"", "\x00\xff<<garbage", "", ""},
		{"", `<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>id</t></is></c><c t="inlineStr"><is><t>date</t></is></c>` +
			`<c t="inlineStr"><is><t>title</t></is></c><c t="inlineStr"><is><t>location_coordinates_latitude</t></is></c></row>` +
			`<row><c t="n"><v>2022</v></c><c s="3"><v>44571.75</v></c><c t="b"><v>1</v></c><c t="str"><v> 1E2 </v></c></row>` +
			`<row r="9"><c r="B9" t="d"><v>2022-01-10T09:30:00Z</v></c><c r="A9" t="e"><v>#N/A</v></c><c r="ZZ9"><v>1</v></c></row>` +
			`<row r="10"><c r="A10" t="inlineStr"><is><t>second</t></is></c><c r="D10" s="3"><v>-1</v></c></row></sheetData></worksheet>`,
			`<worksheet><sheetData><row><c r="B1" t="inlineStr"><is><t>attestation_index</t></is></c><c r="A1" t="inlineStr"><is><t>event_id</t></is></c>` +
				`<c r="C1" t="inlineStr"><is><t>quote</t></is></c><c r="D1" t="inlineStr"><is><t>source</t></is></c><c r="E1" t="inlineStr"><is><t>Quote</t></is></c></row>` +
				`<row><c t="n"><v>2022</v></c><c><v>2</v></c><c t="inlineStr"><is><t>b</t></is></c></row>` +
				`<row><c t="inlineStr"><is><t> 2022</t></is></c><c t="inlineStr"><is><t> 1 </t></is></c><c t="inlineStr"><is><t>=a</t></is></c></row>` +
				`<row><c t="n"><v>2022</v></c><c><v>1</v></c><c t="inlineStr"><is><t>again</t></is></c></row>` +
				`<row><c t="inlineStr"><is><t>nobody</t></is></c><c><v>1.5</v></c></row><row r="99"><c><v>0</v></c><c r="B99"><v>1000000000</v></c></row></sheetData></worksheet>`, ""},
	} {
		f.Add([]byte(nil), []byte(parts[0]), []byte(parts[1]), []byte(parts[2]), []byte(parts[3]))
	}
	f.Fuzz(func(t *testing.T, file, book, events, attestations, sharedStrings []byte) {
		if len(file) == 0 {
			file = tp.with(t, map[string][]byte{tp.book: book, tp.events: events, tp.attests: attestations, tp.shared: sharedStrings})
		}
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if err := os.WriteFile(path, file, 0o666); err != nil {
			t.Fatal(err)
		}
		var first string
		for i, opts := range []table.ImportOptions{{}, {}, {IgnoreUnknown: true}} {
			var notes []error
			opts.MaxUnzippedSize = xlsxFuzzLimit
			opts.Note = func(n *record.ImportError) { notes = append(notes, n) }
			recs, errs := converttest.ImportFile(t, path, opts, NewImporter)
			for _, err := range append(errs, notes...) {
				checkFuzzedImportError(t, path, opts, err)
			}
			for _, rec := range recs {
				checkFuzzedRecord(t, path, rec)
			}
			// The same workbook gives the same records and errors: no
			// map order shows through.
			got := fuzzOutcome(t, recs, errs)
			if i == 0 {
				first = got
			} else if i == 1 && got != first {
				t.Fatalf("a second reading differs:\n%s\nthe first:\n%s", got, first)
			}
		}
	})
}

// importCode is the form of the codes of errors and notes.
var importCode = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkFuzzedImportError checks an error of importing the workbook at
// path: an *ImportError with a code, whose message is written as
// messages are, at a position in the file that is its first line or a
// cell.
func checkFuzzedImportError(t *testing.T, path string, opts table.ImportOptions, err error) {
	t.Helper()
	ie, ok := err.(*record.ImportError)
	if !ok {
		t.Fatalf("%v (%T) is not an *ImportError", err, err)
	}
	switch {
	case !importCode.MatchString(ie.Code):
		t.Fatalf("%v: code %q", ie, ie.Code)
	case ie.Msg == "" || ie.Msg[:1] != strings.ToLower(ie.Msg[:1]) || strings.HasSuffix(ie.Msg, "."):
		t.Fatalf("message %q does not start in lower case, or ends with a period", ie.Msg)
	case !utf8.ValidString(ie.Msg):
		t.Fatalf("message %q is not valid UTF-8", ie.Msg)
	case opts.IgnoreUnknown && ie.Code == record.CodeUnknownColumn:
		t.Fatalf("%v: with IgnoreUnknown", ie)
	}
	checkFuzzedPosition(t, path, ie.Position)
}

// checkFuzzedPosition checks that p is in the workbook at path: at a cell,
// or at line 1, column 1 for the whole file.
func checkFuzzedPosition(t *testing.T, path string, p record.Position) {
	t.Helper()
	switch {
	case p.File != path:
		t.Fatalf("position %v is not in %s", p, path)
	case p.Cell == "" && (p.Line != 1 || p.Col != 1 || p.Sheet != ""):
		t.Fatalf("position %+v of the whole file is not at 1:1", p)
	case p.Cell != "" && (p.Line < 1 || p.Col < 1 || p.Col > excelize.MaxColumns || p.Cell != cellRef(p.Col, p.Line)):
		t.Fatalf("position %+v is not a cell", p)
	}
}

// checkFuzzedRecord checks a record imported from the workbook at path.
func checkFuzzedRecord(t *testing.T, path string, rec *record.Record) {
	t.Helper()
	obj, ok := rec.Value.(map[string]any)
	if typ, _ := obj["type"].(string); !ok || !slices.Contains(schema.RecordTypes, typ) {
		t.Fatalf("record %#v is not of a record type", rec.Value)
	}
	if rec.File != path || rec.Line < 1 || rec.Col < 1 {
		t.Fatalf("record at %s:%d:%d", rec.File, rec.Line, rec.Col)
	}
	converttest.EachLeaf(obj, "", func(ptr string, v any) {
		if s, ok := v.(string); ok && !utf8.ValidString(s) {
			t.Fatalf("%s: %q is not valid UTF-8", ptr, s)
		}
		p := rec.Position(ptr, false)
		if p.Cell == "" {
			t.Fatalf("Position(%q) = %v, not a cell", ptr, p)
		}
		checkFuzzedPosition(t, path, p)
	})
}

// fuzzOutcome writes what an import gave, to compare two of them.
func fuzzOutcome(t *testing.T, recs []*record.Record, errs []error) string {
	t.Helper()
	var b strings.Builder
	for _, err := range errs {
		b.WriteString(err.Error() + "\n")
	}
	for _, v := range converttest.Values(recs) {
		line, err := json.Marshal(v) // members in sorted order: the same values give the same text
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	return b.String()
}

// TestImportXLSXDamagedPrintable: the XML parser's error, which quotes
// the bytes of a damaged part, reaches the message as printable UTF-8.
func TestImportXLSXDamagedPrintable(t *testing.T) {
	tp := newXLSXTemplate(t)
	for _, tc := range []struct {
		name      string
		part      string
		content   string
		pos, want string
	}{
		{"not UTF-8", tp.book, "<workbook>&\xa4 ", ":1:1", "its part xl/workbook.xml cannot be read (XML syntax error on line 1: invalid character entity &\ufffd (no semicolon))"},
		{"a C1 control", tp.events, "<worksheet><sheetData><row r=\"2\"><c><v>&\u009b[2J;</v>", ": Events!A2",
			"the sheet is damaged after this row (XML syntax error on line 1: invalid character entity &\ufffd (no semicolon))"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "damaged.xlsx")
			if err := os.WriteFile(file, tp.with(t, map[string][]byte{tc.part: []byte(tc.content)}), 0o666); err != nil {
				t.Fatal(err)
			}
			_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
			converttest.WantImportError(t, errs, record.CodeNotWorkbook, file+tc.pos, tc.want)
		})
	}
}

// TestImportXLSXRowNumbers: a sheet whose rows are out of order, repeat a
// number or go past a sheet's last row is damaged, as Excel finds it.
func TestImportXLSXRowNumbers(t *testing.T) {
	tp := newXLSXTemplate(t)
	header := `<row r="1"><c t="inlineStr"><is><t>id</t></is></c></row>`
	row := func(r string) string { return `<row` + r + `><c t="inlineStr"><is><t>x</t></is></c></row>` }
	for _, tc := range []struct {
		name, rows string
		pos, want  string
	}{
		{"repeated", row(` r="3"`) + row(` r="3"`), "Events!A3", "the sheet is damaged after this row (row 3 follows row 3)"},
		{"backwards", row(` r="3"`) + row(` r="2"`), "Events!A3", "(row 2 follows row 3)"},
		{"past the last row", row(` r="1048576"`) + row(""), "Events!A1048576", "(row 1048577 is past the last row of a sheet, 1,048,576)"},
		{"far past the last row", row(` r="9223372036854775807"`), "Events!A1", "(row 9223372036854775807 is past the last row of a sheet, 1,048,576)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "rows.xlsx")
			sheet := `<worksheet><sheetData>` + header + tc.rows + `</sheetData></worksheet>`
			if err := os.WriteFile(file, tp.with(t, map[string][]byte{tp.events: []byte(sheet)}), 0o666); err != nil {
				t.Fatal(err)
			}
			_, errs := converttest.ImportFile(t, file, table.ImportOptions{}, NewImporter)
			converttest.WantImportError(t, errs, record.CodeNotWorkbook, file+": "+tc.pos, tc.want)
		})
	}
}
