package csv

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/formula"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// CSV export: one RFC 4180 file per table of [table.Tables], all open while the
// records stream in, so that memory does not grow with the dataset, and a
// Frictionless datapackage.json that describes them (see datapackage.go).

// Options are the choices of the CSV export.
type Options struct {
	BOM            bool // write a UTF-8 byte order mark first, for Excel users
	NoFormulaGuard bool // turn off the OWASP formula guard (on by default)
}

// Encoder is the [record.Encoder] of the CSV export: it turns a record into
// its rows, table by table.
type Encoder struct {
	key    csvKey
	limit  int // the longest row it writes
	tables []table.Table
	guard  [][]bool  // by table and column: the formula guard applies
	pool   sync.Pool // of *Encoded that a writer is done with
}

// csvKey is what makes two CSV encoders write alike.
type csvKey struct {
	v     *schema.Validator
	opts  Options
	limit int
}

// NewEncoder returns the encoder of the tables of v, with opts.
func NewEncoder(v *schema.Validator, opts Options) *Encoder {
	return newEncoder(v, opts, record.Limits{})
}

// newEncoder is NewEncoder refusing rows longer than lim.RecordSize.
func newEncoder(v *schema.Validator, opts Options, lim record.Limits) *Encoder {
	n := lim.OrDefault().RecordSize
	e := &Encoder{key: csvKey{v, opts, n}, tables: table.Tables(v), limit: n}
	for _, t := range e.tables {
		g := make([]bool, len(t.Columns))
		for i, c := range t.Columns {
			g[i] = !opts.NoFormulaGuard && c.Type == "string"
		}
		e.guard = append(e.guard, g)
	}
	return e
}

// Encode returns the rows of rec, a run of rows per table (the stream is
// the table's index in [table.Tables]). A record that is not an object has
// none, and writing it fails with a *WriteError.
func (e *Encoder) Encode(rec *record.Record) *record.Encoded {
	r := record.NewEncoded(&e.pool, e.key)
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		r.Err = record.ErrorAt(rec, "", errors.New("a record must be an object"))
		return r
	}
	table.EachRow(e.tables, obj, func(ti int, cells *table.RowCells) {
		guard := e.guard[ti]
		from := len(r.Bytes)
		for i := range guard {
			if i > 0 {
				r.Bytes = append(r.Bytes, ',')
			}
			r.Bytes = appendCSVCell(r.Bytes, cells.Next(), guard[i])
		}
		r.Bytes = append(r.Bytes, '\r', '\n')
		// Quoting doubles quotation marks: a row can be longer than
		// the record it comes from, and longer than import reads.
		if n := len(r.Bytes) - from; n > e.limit && r.Err == nil {
			r.Err = record.TooLargeToReadBack(rec, fmt.Sprintf("a row of %s.csv", e.tables[ti].Name), n, e.limit)
		}
		r.EndRun(ti)
	})
	return r
}

// Writer writes the tables of every record into one file each.
type Writer struct {
	dir      string
	ds       *record.Dataset
	enc      *Encoder
	files    []*csvFile // by table index; fewer only if opening failed
	analysis *analysis.Layout
	joiner   *analysis.Joiner // the analysis table's rows, written by Close
	err      error            // the first error: every later call returns it
	closed   bool
}

// csvFile is one table's open file.
type csvFile struct {
	f *os.File
	w *bufio.Writer
}

// NewWriter returns a Writer of one CSV file per table of [table.Tables],
// named <table>.csv, into dir, which must exist and be empty, and of a
// datapackage.json written by Close. An error in creating the files is
// returned by the first Write or by Close.
func NewWriter(dir string, ds *record.Dataset, opts Options) *Writer {
	w := &Writer{dir: dir, ds: ds, enc: newEncoder(ds.Validator, opts, ds.Limits)}
	w.analysis = analysis.NewLayout(w.enc.key.v)
	w.joiner = analysis.NewJoiner(w.analysis)
	for i := range w.enc.tables {
		f, err := createCSV(dir, &w.enc.tables[i], opts)
		if err != nil {
			w.err = err
			break
		}
		w.files = append(w.files, f)
	}
	return w
}

// createCSV creates the file of table t and writes its header.
func createCSV(dir string, t *table.Table, opts Options) (*csvFile, error) {
	// O_EXCL: the directory is the caller's fresh one, so a file already
	// there means a mistake that must not be written over.
	f, err := os.OpenFile(filepath.Join(dir, t.Name+".csv"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	cf := &csvFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	var line []byte
	if opts.BOM {
		line = append(line, "\ufeff"...)
	}
	for i, c := range t.Columns {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, c.Name, false)
	}
	line = append(line, '\r', '\n')
	// A bufio.Writer keeps its first error and returns it from Flush.
	cf.w.Write(line)
	return cf, nil
}

// Write writes the rows of rec.
func (w *Writer) Write(rec *record.Record) error {
	if w.err != nil || w.closed {
		return w.WriteEncoded(rec, nil)
	}
	return w.WriteEncoded(rec, w.enc.Encode(rec))
}

// WriteEncoded writes the rows of rec that an encoder made ahead, as Write
// would (see [record.EncodedWriter]).
func (w *Writer) WriteEncoded(rec *record.Record, e *record.Encoded) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("csv: write after close")
	}
	if e.Key != w.enc.key {
		e = w.enc.Encode(rec)
	}
	if e.Err != nil {
		w.err = e.Err
		return w.err
	}
	if err := w.joiner.Add(rec); err != nil {
		w.err = fmt.Errorf("csv: %w", err)
		return w.err
	}
	// A bufio.Writer keeps its first error; Close reports it.
	e.Each(func(table int, rows []byte) { w.files[table].w.Write(rows) })
	e.Release()
	return nil
}

// Discard stops without finishing the files (see record.Discarder).
func (w *Writer) Discard() {
	w.err = cmp.Or(w.err, record.ErrDiscarded)
	w.Close()
}

// Close flushes and closes every file and writes datapackage.json. After
// an error the files are only closed: the output is incomplete anyway.
func (w *Writer) Close() error {
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
		w.err = w.writeAnalysis()
	}
	if err := w.joiner.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("csv: %w", err)
	}
	if w.err == nil {
		w.err = w.writePackage()
	}
	return w.err
}

// writeAnalysis writes analysis.csv, the flat table of every attestation
// (see package analysis), with the guard on its text columns.
func (w *Writer) writeAnalysis() error {
	t := &w.analysis.Table
	f, err := createCSV(w.dir, t, w.enc.key.opts)
	if err != nil {
		return err
	}
	guard := make([]bool, len(t.Columns))
	for i, c := range t.Columns {
		guard[i] = !w.enc.key.opts.NoFormulaGuard && c.Type == "string"
	}
	var line []byte
	err = w.joiner.Rows(func(cells []table.Cell) error {
		line = line[:0]
		for i, c := range cells {
			if i > 0 {
				line = append(line, ',')
			}
			line = appendCSVCell(line, c, guard[i])
		}
		line = append(line, '\r', '\n')
		_, err := f.w.Write(line)
		return err
	})
	if cerr := f.close(err == nil); err == nil && cerr != nil {
		err = fmt.Errorf("csv: %w", cerr)
	}
	return err
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

// appendCSVCell appends the CSV form of a cell. Only text can start a
// formula, so only strings and numbers that a string-typed column holds
// are guarded.
func appendCSVCell(b []byte, c table.Cell, guard bool) []byte {
	switch c.Kind {
	case table.CellString:
		return appendCSVField(b, c.Text, guard)
	case table.CellNumber:
		return appendCSVField(b, jsonvalue.CanonicalNumber(c.Text), guard)
	case table.CellIndex:
		return strconv.AppendInt(b, int64(c.Int), 10)
	case table.CellBool:
		return strconv.AppendBool(b, c.Int == 1)
	case table.CellDay:
		if y := c.Day.Year(); y < 0 || y > 9999 {
			// A date column holds ISO 8601 days, YYYY-MM-DD. The years
			// EDTF has beyond them stay in the EDTF column, and a cell
			// starting with - would be read as a formula by Excel.
			return b
		}
		return appendDay(b, c.Day)
	}
	return b
}

// appendDay appends a day of the years 0000 to 9999 as FormatDay writes
// it.
func appendDay(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendCSVField appends s as one RFC 4180 field: quoted only when it
// holds a comma, a double quote, CR or LF, with quotes doubled. Leading and
// trailing spaces need no quotes in RFC 4180 and are kept as they are.
// With guard, the apostrophe of GuardFormula goes inside the quotes, where
// a reader sees it as part of the value.
func appendCSVField(b []byte, s string, guard bool) []byte {
	quote := needsQuotes(s)
	if quote {
		b = append(b, '"')
	}
	if guard && formula.NeedsGuard(s) {
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

// needsQuotes reports whether s holds a comma, a double quote, CR or LF:
// the characters RFC 4180 quotes a field for. It looks at eight bytes at a
// time for those and for any other control character; from the first
// byte flagged on, it decides byte by byte.
func needsQuotes(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8] // read as one little-endian word: the compiler makes it one load
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		q, c := w^('"'*ones), w^(','*ones)
		if ((q-ones)&^q|(c-ones)&^c|(w-0x20*ones)&^w)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// ExportFiles returns whether a file named name is one that the CSV
// export of records v describes writes (a table's CSV file, analysis.csv or datapackage.json), with the
// tables of the study's own list fields: an older export may be replaced,
// while a folder holding anything else is not.
func ExportFiles(v *schema.Validator) func(name string) bool {
	return table.ExportFiles(v, ".csv", "datapackage.json", analysis.Name+".csv")
}
