package convert

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CSV export: one RFC 4180 file per table of [Tables], all open while the
// records stream in, so that memory does not grow with the dataset, and a
// Frictionless datapackage.json that describes them (see datapackage.go).

// CSVOptions are the choices of the CSV export.
type CSVOptions struct {
	BOM            bool // write a UTF-8 byte order mark first, for Excel users
	NoFormulaGuard bool // turn off the OWASP formula guard (on by default)
}

// formulaTriggers are the first characters that make a spreadsheet read a
// cell as a formula, as OWASP lists them ("CSV Injection"): = + - @, tab
// (U+0009) and carriage return (U+000D).
const formulaTriggers = "=+-@\t\r"

// GuardFormula returns s as the CSV export writes it in a text column. It
// applies the OWASP rule against CSV injection: a value that starts with
// = + - @, tab (U+0009) or carriage return (U+000D) gets a leading ', so
// that a spreadsheet shows the text instead of running it as a formula. A
// value that already starts with ' gets one more as well: otherwise a
// curated "'=1" and a guarded "=1" would be written alike, and
// [UnguardFormula] could not tell which to restore.
func GuardFormula(s string) string {
	if needsFormulaGuard(s) {
		return "'" + s
	}
	return s
}

// UnguardFormula undoes [GuardFormula]: it removes one leading ' when what
// follows starts with a character that GuardFormula guards (= + - @ tab
// CR or '). UnguardFormula(GuardFormula(s)) == s for every s. Apply it only
// to fields that the export guarded: datapackage.json marks them.
func UnguardFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsFormulaGuard(s[1:]) {
		return s[1:]
	}
	return s
}

// needsFormulaGuard reports whether GuardFormula prefixes s. Every trigger
// is one byte, so the first byte decides even for UTF-8 text.
func needsFormulaGuard(s string) bool {
	return s != "" && (s[0] == '\'' || strings.IndexByte(formulaTriggers, s[0]) >= 0)
}

// csvWriter writes the tables of every record into one file each.
type csvWriter struct {
	dir    string
	ds     *Dataset
	opts   CSVOptions
	tables []Table
	files  []*csvFile // by table index; fewer only if opening failed
	err    error      // the first error: every later call returns it
	closed bool
}

// csvFile is one table's open file.
type csvFile struct {
	f     *os.File
	w     *bufio.Writer
	guard []bool // by column: the formula guard applies
	line  []byte // reused for every row, so rows cost no allocation
}

// NewCSVWriter returns a Writer of one CSV file per table of [Tables],
// named <table>.csv, into dir, which must exist and be empty, and of a
// datapackage.json written by Close. An error in creating the files is
// returned by the first Write or by Close.
func NewCSVWriter(dir string, ds *Dataset, opts CSVOptions) Writer {
	w := &csvWriter{dir: dir, ds: ds, opts: opts, tables: Tables(ds.Validator)}
	for i := range w.tables {
		f, err := createCSV(dir, &w.tables[i], opts)
		if err != nil {
			w.err = err
			break
		}
		w.files = append(w.files, f)
	}
	return w
}

// createCSV creates the file of table t and writes its header.
func createCSV(dir string, t *Table, opts CSVOptions) (*csvFile, error) {
	// O_EXCL: the directory is the caller's fresh one, so a file already
	// there means a mistake that must not be written over.
	f, err := os.OpenFile(filepath.Join(dir, t.Name+".csv"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	cf := &csvFile{f: f, w: bufio.NewWriterSize(f, 64<<10), guard: make([]bool, len(t.Columns))}
	if opts.BOM {
		cf.line = append(cf.line, "\ufeff"...)
	}
	for i, c := range t.Columns {
		cf.guard[i] = !opts.NoFormulaGuard && c.Type == "string"
		if i > 0 {
			cf.line = append(cf.line, ',')
		}
		cf.line = appendCSVField(cf.line, c.Name, false)
	}
	cf.line = append(cf.line, '\r', '\n')
	// A bufio.Writer keeps its first error and returns it from Flush.
	cf.w.Write(cf.line)
	return cf, nil
}

func (w *csvWriter) Write(rec *Record) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("csv: write after close")
	}
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		w.err = recordError(rec, "", errors.New("a record must be an object"))
		return w.err
	}
	rows := Flatten(w.tables, obj)
	for ti, f := range w.files {
		for _, row := range rows[ti] {
			if err := f.writeRow(row); err != nil {
				w.err = w.rowError(rec, ti, err)
				return w.err
			}
		}
	}
	return nil
}

// rowError wraps an error of writing a row of table ti: a value that has
// no CSV form is the record's fault (Flatten never makes one), anything
// else the file's.
func (w *csvWriter) rowError(rec *Record, ti int, err error) error {
	var ve *csvValueError
	if errors.As(err, &ve) {
		t := &w.tables[ti]
		return recordError(rec, "", fmt.Errorf("column %s of table %s: %w", t.Columns[ve.col].Name, t.Name, err))
	}
	return fmt.Errorf("csv: %w", err)
}

// Close flushes and closes every file and writes datapackage.json. After
// an error the files are only closed: the output is incomplete anyway.
func (w *csvWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	for _, f := range w.files {
		if err := f.close(w.err == nil); err != nil && w.err == nil {
			w.err = fmt.Errorf("csv: %w", err)
		}
	}
	if w.err == nil {
		w.err = w.writePackage()
	}
	return w.err
}

// close closes the file, first flushing it and syncing it to disk when
// keep is set: the caller renames the directory into place next, and a
// crash must not leave a committed export with empty files.
func (f *csvFile) close(keep bool) error {
	var err error
	if keep {
		err = f.w.Flush()
		if err == nil {
			err = f.f.Sync()
		}
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// csvValueError reports a row value of a type that Row does not allow.
type csvValueError struct {
	col int
	v   any
}

func (e *csvValueError) Error() string {
	return fmt.Sprintf("unexpected value of type %T", e.v)
}

// writeRow writes one row, CRLF-terminated.
func (f *csvFile) writeRow(row Row) error {
	b := f.line[:0]
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendCSVCell(b, v, f.guard[i]); !ok {
			return &csvValueError{col: i, v: v}
		}
	}
	b = append(b, '\r', '\n')
	f.line = b
	_, err := f.w.Write(b)
	return err
}

// appendCSVCell appends the CSV form of a Row value; ok is false for a
// type that Row does not allow. Only text can start a formula, so only
// strings and numbers that a string-typed column holds are guarded.
func appendCSVCell(b []byte, v any, guard bool) (_ []byte, ok bool) {
	switch x := v.(type) {
	case nil:
		return b, true
	case string:
		return appendCSVField(b, x, guard), true
	case json.Number:
		return appendCSVField(b, canonicalNumber(string(x)), guard), true
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case bool:
		return strconv.AppendBool(b, x), true
	case time.Time:
		return x.AppendFormat(b, time.DateOnly), true // as FormatDay writes it
	}
	return b, false
}

// appendCSVField appends s as one RFC 4180 field: quoted only when it
// holds a comma, a double quote, CR or LF, with quotes doubled. Leading and
// trailing spaces need no quotes in RFC 4180 and are kept as they are.
// With guard, the apostrophe of GuardFormula goes inside the quotes, where
// a reader sees it as part of the value.
func appendCSVField(b []byte, s string, guard bool) []byte {
	quote := strings.ContainsAny(s, ",\"\r\n")
	if quote {
		b = append(b, '"')
	}
	if guard && needsFormulaGuard(s) {
		b = append(b, '\'')
	}
	if !quote {
		return append(b, s...)
	}
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}
