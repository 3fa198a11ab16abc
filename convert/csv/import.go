package csv

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/formula"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/internal/suggest"
	"github.com/annals-project/annals/schema"
)

// NewImporter returns a Reader of the records in a CSV export, as
// [NewWriter] writes it: dir is the export's directory or its
// datapackage.json. Every <table>.csv file in it is read as the table of
// [table.Tables] of that name (matched regardless of case), with its header on
// its first line that is not blank; a table without a file has no rows.
// Records come in the order xlsx.NewImporter describes, with the same
// conversions of values, except that every CSV field is text: a field in
// a number column is a number when it is written as JSON writes numbers.
//
// Files are read as RFC 4180 allows and Excel writes them: UTF-8, with or
// without a byte order mark, lines ending in CRLF, LF or CR, fields quoted
// with " when they need to be. Inside quotes every byte is kept, CR and
// CRLF included: the reader is this package's own rather than
// encoding/csv, which turns a quoted CRLF into LF, so that a value with
// Windows line breaks survives the round trip.
//
// The formula guard is undone ([formula.Unguard]) in the fields that
// datapackage.json marks with annals:formulaGuard; without a
// datapackage.json, in every text column, since the guard is the export's
// default. A .csv file that is not a table (unless it is empty), an
// unknown column, a header without a key column and rows that belong
// nowhere are refused as xlsx.NewImporter refuses them. Positions, of
// values and of problems alike, are FILE:LINE:COLUMN: the table's file,
// the line where the row starts and the number of the field; a record's
// File is its main table's.
func NewImporter(dir string, v *schema.Validator, opts table.ImportOptions) (record.Reader, error) {
	v, err := table.ValidatorOrDefault(v)
	if err != nil {
		return nil, err
	}
	if dir, err = csvExportDir(dir); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var problems []error
	guards, err := readGuards(dir)
	if err != nil {
		problems = append(problems, err)
	}
	files, more := csvTableFiles(dir, entries, table.Tables(v), guards, opts)
	return table.NewImporter(v, opts, files, append(problems, more...), nil), nil
}

// csvTableFiles matches the .csv files of a directory to tables.
func csvTableFiles(dir string, entries []os.DirEntry, tables []table.Table, guards csvGuards, opts table.ImportOptions) (map[string]*table.InputTable, []error) {
	files := map[string]*table.InputTable{}
	var problems []error
	var names []string
	for _, t := range tables {
		names = append(names, t.Name+".csv")
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(filepath.Ext(name), ".csv") {
			continue
		}
		if strings.EqualFold(name, analysis.Name+".csv") {
			continue // derived from the other tables: edits to it are not read back
		}
		file := filepath.Join(dir, name)
		tf := csvTableFile(file, guards.forFile(name, tables), opts.Limits.OrDefault().RecordSize)
		t := tableByFile(tables, name)
		switch {
		case t != nil && files[t.Name] != nil:
			problems = append(problems, table.WholeFileError(file, record.CodeUnknownTable,
				fmt.Sprintf("a second file for the table %s; keep one of them", t.Name+".csv")))
		case t != nil:
			files[t.Name] = tf
		case !opts.IgnoreUnknown:
			if p := unknownCSV(file, tf, names); p != nil {
				problems = append(problems, p)
			}
		}
	}
	return files, problems
}

// csvExportDir returns the directory of an export named by its directory
// or its datapackage.json.
func csvExportDir(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return path, nil
	}
	if strings.EqualFold(filepath.Base(path), "datapackage.json") {
		return filepath.Dir(path), nil
	}
	return "", table.WholeFileError(path, record.CodeUnknownTable, "name the directory of the CSV export, or its datapackage.json, rather than one of its files")
}

func tableByFile(tables []table.Table, name string) *table.Table {
	for i := range tables {
		if strings.EqualFold(tables[i].Name+".csv", name) {
			return &tables[i]
		}
	}
	return nil
}

// unknownCSV reports a CSV file that is not a table, unless it is empty.
func unknownCSV(file string, tf *table.InputTable, names []string) error {
	_, found, err := table.FirstValue(tf)
	if err != nil || !found {
		return err
	}
	name := filepath.Base(file)
	msg := fmt.Sprintf("%s is not a table of an annals export, and it holds data", name)
	if s := suggest.Nearest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	return table.WholeFileError(file, record.CodeUnknownTable, msg+"; rename it to one of the export's tables, or move it out of the directory")
}

// csvGuards says which fields of which files the formula guard applies
// to, as datapackage.json marks them.
type csvGuards struct {
	files map[string]map[string]bool // by lower-case file name: the guarded fields; nil without datapackage.json
}

// maxDataPackage bounds the datapackage.json read: annals writes some
// kilobytes.
const maxDataPackage = 16 << 20

// readGuards reads the guard marks of datapackage.json, if there is one.
func readGuards(dir string) (csvGuards, error) {
	name := filepath.Join(dir, "datapackage.json")
	data, err := regularfile.ReadFile(name, maxDataPackage)
	if os.IsNotExist(err) {
		return csvGuards{}, nil
	}
	if err != nil {
		return csvGuards{}, err
	}
	var pkg struct {
		Resources []struct {
			Path   string `json:"path"`
			Schema struct {
				Fields []struct {
					Name  string `json:"name"`
					Guard string `json:"annals:formulaGuard"`
				} `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return csvGuards{}, table.WholeFileError(name, record.CodeSyntax, fmt.Sprintf(
			"cannot be read (%v), so it does not say which fields the formula guard applies to; fix it, or delete it to have the guard undone in every text column", err))
	}
	g := csvGuards{files: map[string]map[string]bool{}}
	for _, r := range pkg.Resources {
		fields := map[string]bool{}
		for _, f := range r.Schema.Fields {
			fields[strings.ToLower(f.Name)] = f.Guard != ""
		}
		g.files[strings.ToLower(filepath.Base(r.Path))] = fields
	}
	return g, nil
}

// forFile returns whether the guard applies to a column of a file, by its
// header. Without a description of the file, the guard applies to the
// text columns of its table, as the export's default.
func (g csvGuards) forFile(name string, tables []table.Table) func(header string) bool {
	if fields, ok := g.files[strings.ToLower(name)]; ok {
		return func(header string) bool { return fields[strings.ToLower(header)] }
	}
	t := tableByFile(tables, name)
	return func(header string) bool {
		if t == nil {
			return false
		}
		ci := -1
		for i, c := range t.Columns {
			if strings.EqualFold(c.Name, header) {
				ci = i
			}
		}
		return ci >= 0 && t.Columns[ci].Type == "string"
	}
}

// csvTableFile returns the rows and positions of a CSV file.
func csvTableFile(file string, guarded func(header string) bool, limit int) *table.InputTable {
	return &table.InputTable{
		Open: func() (table.RowReader, error) { return openCSV(file, guarded, limit) },
		Pos:  func(row, col int) record.Position { return record.Position{File: file, Line: row, Col: col} },
		Name: func(t *table.Table) string { return t.Name + ".csv" },
		Row:  "line",
	}
}

// csvRows reads the rows of a CSV file.
type csvRows struct {
	f       *os.File
	r       *bufio.Reader
	file    string
	line    int // the line the next row starts on
	guarded func(header string) bool
	guard   []bool // by column - 1, once the header is read
	header  bool   // the header has been read
	fields  []string
	buf     []byte
	size    int // bytes in the row so far
	limit   int
}

func openCSV(file string, guarded func(string) bool, limit int) (table.RowReader, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	c := &csvRows{f: f, r: bufio.NewReaderSize(f, 64<<10), file: file, line: 1, guarded: guarded, limit: limit}
	head, _ := c.r.Peek(3)
	switch {
	case record.LooksUTF16(head):
		f.Close()
		return nil, &record.ImportError{Position: record.Position{File: file, Line: 1, Col: 1}, Code: record.CodeInvalidUTF8,
			Msg: "the file is encoded as UTF-16; save it as CSV UTF-8 (Comma delimited)"}
	case string(head) == string(record.UTF8BOM):
		c.r.Discard(3)
	}
	return c, nil
}

func (c *csvRows) Close() error { return c.f.Close() }

// Next returns the next row with a non-empty field. After the header,
// the formula guard is undone in the guarded columns.
func (c *csvRows) Next() (table.InputRow, error) {
	for {
		start := c.line
		fields, err := c.record()
		if err != nil {
			return table.InputRow{}, err
		}
		row := table.InputRow{Num: start}
		for i, f := range fields {
			if f != "" {
				row.Cells = append(row.Cells, table.InputCell{Col: i + 1, Text: f})
			}
		}
		if len(row.Cells) == 0 {
			continue
		}
		if !c.header {
			if !row.Blank() {
				c.readHeader(row)
			}
			return row, nil
		}
		for i := range row.Cells {
			if col := row.Cells[i].Col; col <= len(c.guard) && c.guard[col-1] {
				row.Cells[i].Text = formula.Unguard(row.Cells[i].Text)
			}
		}
		return row, nil
	}
}

func (c *csvRows) readHeader(row table.InputRow) {
	c.header = true
	for _, x := range row.Cells {
		for len(c.guard) < x.Col {
			c.guard = append(c.guard, false)
		}
		c.guard[x.Col-1] = c.guarded(strings.TrimSpace(x.Text))
	}
}

// record reads one record's fields; at the end of the input it returns
// io.EOF.
func (c *csvRows) record() ([]string, error) {
	if _, err := c.r.Peek(1); err != nil {
		return nil, err
	}
	c.fields, c.size = c.fields[:0], 0
	for {
		c.buf = c.buf[:0]
		line := c.line
		more, err := c.field(len(c.fields) + 1)
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(c.buf) {
			return nil, &record.ImportError{Position: record.Position{File: c.file, Line: line, Col: len(c.fields) + 1}, Code: record.CodeInvalidUTF8,
				Msg: "this field is not UTF-8 text; save the file as CSV UTF-8 (Comma delimited)"}
		}
		c.fields = append(c.fields, string(c.buf))
		if !more {
			return c.fields, nil
		}
	}
}

// field reads one field into c.buf and what ends it: more is true after
// a comma, false at the end of the line or of the input.
func (c *csvRows) field(col int) (more bool, err error) {
	b, err := c.r.ReadByte()
	if err != nil {
		return false, c.readErr(err)
	}
	if b == '"' {
		return c.quoted(col)
	}
	for {
		switch b {
		case ',':
			return true, nil
		case '\n':
			c.line++
			return false, nil
		case '\r':
			return false, c.endLine()
		}
		// A quote inside an unquoted field is kept, as spreadsheets do.
		if err := c.add(b, col); err != nil {
			return false, err
		}
		if b, err = c.r.ReadByte(); err != nil {
			return false, c.readErr(err)
		}
	}
}

// quoted reads a quoted field after its opening quote.
func (c *csvRows) quoted(col int) (bool, error) {
	line := c.line
	for {
		b, err := c.r.ReadByte()
		if err == io.EOF {
			return false, &record.ImportError{Position: record.Position{File: c.file, Line: line, Col: col}, Code: record.CodeSyntax,
				Msg: `the quoted field that starts here has no closing quote; add the " that ends it`}
		}
		if err != nil {
			return false, err
		}
		if b == '"' {
			next, err := c.r.ReadByte()
			switch {
			case err == io.EOF:
				return false, nil
			case err != nil:
				return false, err
			case next == '"':
				b = '"' // a doubled quote is one quote of the text
			case next == ',':
				return true, nil
			case next == '\n':
				c.line++
				return false, nil
			case next == '\r':
				return false, c.endLine()
			default:
				return false, &record.ImportError{Position: record.Position{File: c.file, Line: c.line, Col: col}, Code: record.CodeSyntax,
					Msg: `text follows the closing quote of a field; write a quote inside a quoted field as two quotes ("")`}
			}
		}
		if err := c.countLine(b); err != nil {
			return false, err
		}
		if err := c.add(b, col); err != nil {
			return false, err
		}
	}
}

// countLine counts a line break inside a quoted field: LF, or CR not
// followed by LF, as at the end of a row.
func (c *csvRows) countLine(b byte) error {
	switch b {
	case '\n':
		c.line++
	case '\r':
		next, err := c.r.Peek(1)
		if err != nil && err != io.EOF {
			return err
		}
		if len(next) == 0 || next[0] != '\n' {
			c.line++
		}
	}
	return nil
}

// endLine consumes the LF of a CRLF after a CR that ended a line.
func (c *csvRows) endLine() error {
	c.line++
	b, err := c.r.ReadByte()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return err
	case b != '\n':
		return c.r.UnreadByte()
	}
	return nil
}

// add appends a byte to the field, within the limit on a row's size.
func (c *csvRows) add(b byte, col int) error {
	c.size++
	if c.size > c.limit {
		return &record.ImportError{Position: record.Position{File: c.file, Line: c.line, Col: col}, Code: record.CodeTooLarge,
			Msg: fmt.Sprintf("the row is longer than %s, more than any record needs; is the file really a CSV export?", english.MiB(c.limit))}
	}
	c.buf = append(c.buf, b)
	return nil
}

// readErr turns the end of the input into the end of the field.
func (c *csvRows) readErr(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}
