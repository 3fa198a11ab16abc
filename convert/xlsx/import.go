package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/internal/suggest"
	"github.com/annals-project/annals/schema"
)

// NewImporter returns a Reader of the records in the workbook file,
// laid out as [NewWriter] writes them: a sheet per table of [table.Tables]
// (v's schema; nil means [schema.Default]), matched by name, each with its
// header in its first row that is not blank and its columns matched by
// header in any order. The Codebook, About and Lists sheets are skipped,
// and so is an empty sheet of another name (Excel's Sheet1). Records come
// type by type (actors, sources, events, statements), each in the order of
// its sheet's rows; the rows of link sheets are attached by their
// <type>_id and put in the order of their index columns, however the user
// sorted them.
//
// Values come back as the export wrote them. Text is as typed, except that
// spaces around a value are dropped where the schema rules them out (ids,
// codes, dates, numbers); a number typed into a text column comes back as
// its text ("2022"); a date cell in a text column (Excel's doing, when
// someone types 2022-01-10 into a cell not formatted as text) comes back
// as YYYY-MM-DD, and a date-time cell as its day, with a note to
// ImportOptions.Note since the time cannot become an EDTF date-time
// without its zone. Numbers come back in the shortest form that holds the
// cell's value, which is how the export writes them (a curated 1.50 is
// 1.5 in the workbook and comes back so; numbers a float64 cannot hold
// are text cells and come back exactly). The derived _earliest, _latest,
// _precision, _uncertain and _approximate columns are ignored. Values that are wrong (a bad date, a
// reference to nothing) are returned as typed, for the checks to report.
//
// Each record's [record.Record.Position] names cells: a value's own cell; a
// missing field's empty cell in the row where it belongs, or that row's
// id cell when the sheet lacks the column; a list item's row (at its
// <type>_id cell); the record's id cell for the record itself.
//
// The file is checked before anything in it is parsed: it must be a zip
// archive (a PDF or an old .xls renamed to .xlsx is refused as such), not
// an encrypted workbook, and its parts must not unzip to more than
// ImportOptions.MaxUnzippedSize. Those problems are returned here as a
// *record.ImportError; an error opening the file is returned as it is.
// Problems with sheets, headers and rows come from Read, as *record.ImportError values
// positioned at their cells.
//
// Sheets are read by this package's own streaming XML reader rather than
// by excelize: a value's meaning depends on its cell's type and number
// format (a date is a number in a date format), which excelize's row
// iterator does not expose, and excelize reads every part of a workbook
// into memory when it opens it. Here only the rows of link sheets are
// held, one record type at a time. The returned Reader also implements
// io.Closer, which releases the file; Read does so at io.EOF.
func NewImporter(file string, v *schema.Validator, opts table.ImportOptions) (record.Reader, error) {
	v, err := table.ValidatorOrDefault(v)
	if err != nil {
		return nil, err
	}
	wb, err := openWorkbook(file, opts)
	if err != nil {
		return nil, err
	}
	files, problems := wb.tableFiles(table.Tables(v), opts)
	return table.NewImporter(v, opts, files, problems, wb.close), nil
}

// The sheets NewWriter adds after the tables, which hold no records.
var extraSheets = []string{analysis.Sheet, conflictsSheet, codebookSheet, AboutSheet, listsSheet}

// workbook is an open .xlsx file.
type workbook struct {
	path     string
	f        *os.File
	parts    map[string]*zip.File // by lower-case name: part names are case-insensitive
	sheets   []sheetPart          // in the workbook's order
	strings  store.Strings        // the shared strings: two bytes each beyond their text
	dates    []bool               // by cell style: its number format shows a date or time
	date1904 bool

	maxStrings, maxText int // bounds of the shared strings (see ImportOptions)
}

type sheetPart struct {
	name string
	part string
}

var (
	zipMagic      = []byte("PK\x03\x04")
	emptyZipMagic = []byte("PK\x05\x06")
	// An OLE compound file: what an encrypted workbook is, and an old .xls.
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	// The stream an encrypted OOXML file keeps the workbook in, named in
	// UTF-16LE in the compound file's directory.
	encryptedPackage = utf16LE("EncryptedPackage")
)

func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// openWorkbook opens the workbook at path and reads what every sheet
// needs: the sheet list, the shared strings and the cell styles.
func openWorkbook(file string, opts table.ImportOptions) (_ *workbook, err error) {
	limit := opts.MaxUnzipped()
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkMagic(file, f); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, info.Size())
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) { // nothing is extracted to disk
		return nil, table.WholeFileError(file, record.CodeNotWorkbook, fmt.Sprintf("not an Excel workbook (.xlsx): its zip archive is damaged (%v); if the file was downloaded or copied, it may be cut short", err))
	}
	if err := checkUnzippedSize(file, zr, limit); err != nil {
		return nil, err
	}
	wb := &workbook{path: file, f: f, parts: map[string]*zip.File{}}
	wb.maxStrings, wb.maxText = opts.SharedStrings()
	for _, zf := range zr.File {
		wb.parts[strings.ToLower(strings.TrimPrefix(zf.Name, "/"))] = zf
	}
	if err := wb.load(); err != nil {
		return nil, err
	}
	return wb, nil
}

func (wb *workbook) close() error { return wb.f.Close() }

// checkMagic tells a workbook from what people rename to .xlsx.
func checkMagic(file string, f *os.File) error {
	var head [8]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	b := head[:n]
	switch {
	case bytes.HasPrefix(b, zipMagic), bytes.HasPrefix(b, emptyZipMagic):
		return nil
	case bytes.Equal(b, oleMagic):
		found, err := containsBytes(f, encryptedPackage)
		if err != nil {
			return err
		}
		if found {
			return table.WholeFileError(file, record.CodePasswordProtected, "the workbook is password-protected; save an unprotected copy (File > Info > Protect Workbook > Encrypt with Password, and clear the password) and import that")
		}
		return table.WholeFileError(file, record.CodeNotWorkbook, "not an Excel workbook (.xlsx): it is an older Office file, such as an Excel 97-2003 workbook (.xls); open it in Excel and save it as Excel Workbook (.xlsx)")
	case bytes.HasPrefix(b, []byte("%PDF")):
		return table.WholeFileError(file, record.CodeNotWorkbook, "not an Excel workbook (.xlsx): it is a PDF document")
	}
	return table.WholeFileError(file, record.CodeNotWorkbook, "not an Excel workbook (.xlsx); open it in Excel and save it as Excel Workbook (.xlsx)")
}

// containsBytes reports whether r, from its start, holds pat.
func containsBytes(r io.ReadSeeker, pat []byte) (bool, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	buf := make([]byte, 0, 64<<10+len(pat))
	chunk := make([]byte, 64<<10)
	for {
		n, err := br.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, pat) {
			return true, nil
		}
		// Keep the tail, in case pat straddles two chunks.
		if len(buf) > len(pat) {
			buf = append(buf[:0], buf[len(buf)-len(pat):]...)
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// checkUnzippedSize refuses an archive whose entries, as its central
// directory declares them, unzip to more than limit bytes. The
// declaration can be trusted: archive/zip fails a read that inflates
// more than the entry declares.
func checkUnzippedSize(file string, zr *zip.Reader, limit int64) error {
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(limit) || total < zf.UncompressedSize64 {
			return table.WholeFileError(file, record.CodeTooLarge, fmt.Sprintf(
				"the workbook unzips to more than %s, the most annals reads; if it is a real workbook, export it to CSV and import that", byteSize(limit)))
		}
	}
	return nil
}

// byteSize shows a size in the largest binary unit that divides it, or in
// bytes.
func byteSize(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// Relationship types, by their last segment: transitional and strict
// OOXML name them under different prefixes.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
	relStyles         = "/styles"
)

type relationship struct {
	typ, target string
}

// otherPackage says what a zip archive without a workbook holds, when it
// is another office document.
func (wb *workbook) otherPackage() string {
	for _, kind := range []struct{ part, what string }{
		{"word/document.xml", "it is a Word document (.docx)"},
		{"ppt/presentation.xml", "it is a PowerPoint presentation (.pptx)"},
		{"content.xml", "it is an OpenDocument file, such as a LibreOffice spreadsheet (.ods); open it and save it as Excel 2007-365 (.xlsx)"},
	} {
		if wb.parts[kind.part] != nil {
			return kind.what
		}
	}
	return "the zip archive holds no workbook"
}

// load reads the workbook part, its relationships, the shared strings and
// the styles.
func (wb *workbook) load() error {
	book := "xl/workbook.xml"
	if rels, err := wb.rels("_rels/.rels", ""); err != nil {
		return err
	} else if r := findRel(rels, relOfficeDocument); r != nil {
		book = r.target
	}
	if wb.parts[strings.ToLower(book)] == nil {
		return table.WholeFileError(wb.path, record.CodeNotWorkbook, "not an Excel workbook (.xlsx): "+wb.otherPackage())
	}
	rels, err := wb.rels(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), path.Dir(book))
	if err != nil {
		return err
	}
	if err := wb.readBook(book, rels); err != nil {
		return err
	}
	if r := findRel(rels, relSharedStrings); r != nil {
		if err := wb.readStrings(r.target); err != nil {
			return err
		}
	}
	if r := findRel(rels, relStyles); r != nil {
		return wb.readStyles(r.target)
	}
	return nil
}

func findRel(rels map[string]relationship, typ string) *relationship {
	for _, r := range rels {
		if strings.HasSuffix(r.typ, typ) {
			return &r
		}
	}
	return nil
}

// parse runs fn over the XML tokens of a part; a missing part is an empty
// one.
func (wb *workbook) parse(name string, fn func(dec *xml.Decoder) error) error {
	zf := wb.parts[strings.ToLower(name)]
	if zf == nil {
		return nil
	}
	rc, err := zf.Open()
	if err != nil {
		return wb.damaged(name, err)
	}
	defer rc.Close()
	if err := fn(xml.NewDecoder(rc)); err != nil {
		var ie *record.ImportError
		if errors.As(err, &ie) {
			return err
		}
		return wb.damaged(name, err)
	}
	return nil
}

func (wb *workbook) damaged(part string, err error) error {
	return table.WholeFileError(wb.path, record.CodeNotWorkbook, fmt.Sprintf("the workbook is damaged: its part %s cannot be read (%s); open it in Excel and save it again",
		printable(part), printable(err.Error())))
}

// printable returns s with U+FFFD for every byte that is not UTF-8 and
// every character that is not printable. A damaged part's name and the
// XML parser's errors, which quote the bytes where parsing stopped, come
// from the file, and a message must not carry them to a terminal as they
// are.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// eachStart calls fn for every start tag of a part's XML, by local name:
// namespace prefixes differ between the programs that write workbooks.
func eachStart(dec *xml.Decoder, fn func(se xml.StartElement) error) error {
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(se); err != nil {
				return err
			}
		}
	}
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// rels reads a relationships part; targets are resolved against dir.
func (wb *workbook) rels(name, dir string) (map[string]relationship, error) {
	out := map[string]relationship{}
	err := wb.parse(name, func(dec *xml.Decoder) error {
		return eachStart(dec, func(se xml.StartElement) error {
			if se.Name.Local != "Relationship" {
				return nil
			}
			if mode, _ := attr(se, "TargetMode"); mode == "External" {
				return nil
			}
			id, _ := attr(se, "Id")
			typ, _ := attr(se, "Type")
			target, _ := attr(se, "Target")
			if strings.HasPrefix(target, "/") {
				target = path.Clean(target[1:])
			} else {
				target = path.Join(dir, target)
			}
			out[id] = relationship{typ: typ, target: target}
			return nil
		})
	})
	return out, err
}

// readBook reads the sheet list and the date system.
func (wb *workbook) readBook(book string, rels map[string]relationship) error {
	return wb.parse(book, func(dec *xml.Decoder) error {
		return eachStart(dec, func(se xml.StartElement) error {
			switch se.Name.Local {
			case "workbookPr":
				v, _ := attr(se, "date1904")
				wb.date1904 = v == "1" || v == "true"
			case "sheet":
				name, _ := attr(se, "name")
				id, _ := attr(se, "id") // r:id; sheetId is another attribute
				if r, ok := rels[id]; ok && strings.HasSuffix(r.typ, relWorksheet) {
					wb.sheets = append(wb.sheets, sheetPart{name: name, part: r.target})
				}
			}
			return nil
		})
	})
}

// readStrings reads the shared strings table, refusing one that says it
// holds more than its bound of strings (before reading it), or that does hold
// more strings or text than the limits.
func (wb *workbook) readStrings(name string) error {
	// One <si> is read whole before its length is known: a part that
	// unzips to more than twice the text allowed (its markup, and some)
	// is refused before it is read.
	if zf := wb.parts[strings.ToLower(name)]; zf != nil && zf.UncompressedSize64 > uint64(2*wb.maxText)+1<<20 {
		return table.WholeFileError(wb.path, record.CodeTooLarge, fmt.Sprintf("the workbook's shared strings (%s) unzip to %d MiB, more than annals reads; split the workbook", printable(name), zf.UncompressedSize64>>20))
	}
	text := 0
	return wb.parse(name, func(dec *xml.Decoder) error {
		return eachStart(dec, func(se xml.StartElement) error {
			switch se.Name.Local {
			case "sst":
				for _, a := range []string{"count", "uniqueCount"} {
					if v, ok := attr(se, a); ok {
						if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > int64(wb.maxStrings) && a == "uniqueCount" {
							return wb.tooManyStrings(name)
						}
					}
				}
				return nil
			case "si":
			default:
				return nil
			}
			if wb.strings.Len() >= wb.maxStrings {
				return wb.tooManyStrings(name)
			}
			s, err := richText(dec, "si")
			if text += len(s); text > wb.maxText {
				return table.WholeFileError(wb.path, record.CodeTooLarge, fmt.Sprintf("the workbook's shared strings hold more than %d MiB of text, more than annals reads; split the workbook", wb.maxText>>20))
			}
			if wb.strings.Append(s) < 0 {
				return table.WholeFileError(wb.path, record.CodeTooLarge, wb.strings.Err().Error())
			}
			return err
		})
	})
}

func (wb *workbook) tooManyStrings(part string) error {
	return table.WholeFileError(wb.path, record.CodeTooLarge, fmt.Sprintf("the workbook's shared strings table (%s) holds more than %d strings, more than annals reads; split the workbook", printable(part), wb.maxStrings))
}

// readStyles reads which cell styles show dates: the number format of
// every entry of cellXfs, the styles that cells refer to.
func (wb *workbook) readStyles(name string) error {
	formats := map[int]string{}
	var xfs []int
	inCellXfs := false
	err := wb.parse(name, func(dec *xml.Decoder) error {
		for {
			tok, err := dec.RawToken()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "numFmt":
					id, _ := attr(t, "numFmtId")
					code, _ := attr(t, "formatCode")
					if n, err := strconv.Atoi(id); err == nil {
						formats[n] = code
					}
				case "cellXfs":
					inCellXfs = true
				case "xf":
					if inCellXfs {
						id, _ := attr(t, "numFmtId")
						n, _ := strconv.Atoi(id)
						xfs = append(xfs, n)
					}
				}
			case xml.EndElement:
				if t.Name.Local == "cellXfs" {
					inCellXfs = false
				}
			}
		}
	})
	wb.dates = make([]bool, len(xfs))
	for i, id := range xfs {
		code, custom := formats[id]
		wb.dates[i] = custom && isDateFormat(code) || !custom && builtinDateFormat(id)
	}
	return err
}

// builtinDateFormat reports whether a built-in number format shows a date
// or time: 14-22 and 45-47 in every locale, 27-36 and 50-58 in East Asian
// ones.
func builtinDateFormat(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports whether a custom number format shows a date or
// time: whether its first section has a date or time code (y, m, d, h, s,
// or an elapsed [h]) outside quoted text, escapes and bracketed colours
// or locales.
func isDateFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal, or padding
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			if inner := strings.ToLower(code[i+1 : i+j]); inner != "" && strings.Trim(inner, "hms") == "" {
				return true // elapsed time: [h]:mm
			}
			i += j
		case ';':
			return false
		default:
			switch c | 0x20 {
			case 'y', 'm', 'd', 'h', 's':
				return true
			}
		}
	}
	return false
}

// tableFiles matches the workbook's sheets to tables. A sheet that is
// neither a table nor one of the extra sheets is a problem unless
// IgnoreUnknown is set or it is empty (Excel's new workbooks come with
// an empty Sheet1).
func (wb *workbook) tableFiles(tables []table.Table, opts table.ImportOptions) (map[string]*table.InputTable, []error) {
	files := map[string]*table.InputTable{}
	var problems []error
	var names []string
	for _, t := range tables {
		names = append(names, t.Sheet)
	}
	for _, sh := range wb.sheets {
		name := strings.TrimSpace(sh.name)
		if t := tableBySheet(tables, name); t != nil {
			if files[t.Name] != nil {
				problems = append(problems, &record.ImportError{Position: wb.tableFile(sh).Pos(1, 1), Code: record.CodeUnknownTable,
					Msg: fmt.Sprintf("a second sheet for the table %q; keep one of them", t.Sheet)})
			}
			files[t.Name] = wb.tableFile(sh)
			continue
		}
		if isExtraSheet(name) || opts.IgnoreUnknown {
			continue
		}
		pos, found, err := table.FirstValue(wb.tableFile(sh))
		switch {
		case err != nil:
			problems = append(problems, err)
		case found:
			msg := fmt.Sprintf("the sheet %q is not part of an annals export, and it holds data", sh.name)
			if s := suggest.Nearest(name, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			problems = append(problems, &record.ImportError{Position: pos, Code: record.CodeUnknownTable,
				Msg: msg + "; rename it to one of the export's sheets, or move its data out of the workbook"})
		}
	}
	return files, problems
}

func tableBySheet(tables []table.Table, name string) *table.Table {
	for i := range tables {
		if strings.EqualFold(tables[i].Sheet, name) {
			return &tables[i]
		}
	}
	return nil
}

func isExtraSheet(name string) bool {
	for _, s := range extraSheets {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// tableFile returns the rows and positions of a sheet.
func (wb *workbook) tableFile(sh sheetPart) *table.InputTable {
	return &table.InputTable{
		Open: func() (table.RowReader, error) { return wb.openSheet(sh) },
		Pos: func(row, col int) record.Position {
			return record.Position{File: wb.path, Sheet: sh.name, Cell: cellRef(col, row), Line: row, Col: col}
		},
		Name: func(t *table.Table) string { return fmt.Sprintf("the %q sheet", t.Sheet) },
		Row:  "row",
	}
}

// cellRef returns the A1 reference of a cell.
func cellRef(col, row int) string {
	return table.ColumnName(col) + strconv.Itoa(row)
}
