// Package parquet writes the tables of a dataset as Apache Parquet files,
// one per table and one for the analysis table, for DuckDB, Polars,
// pandas and pyarrow, R arrow, Spark and BigQuery: typed columns (text,
// whole numbers, numbers, booleans, and days as DATE), Snappy-compressed,
// in row groups.
//
// While the records stream, each table's rows, converted (so that a value
// Parquet cannot hold is refused at its record), wait in a nameless
// temporary file; Close encodes the files from them, two at a time. The
// encoding's buffers (some 20 MB for fifteen files at once) are then never
// held beside what the checks hold at the end of the input, and the two
// cores, which the checks share while the records stream, both encode.
package parquet

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"

	pq "github.com/parquet-go/parquet-go"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// Row groups and pages are kept small enough that the files being encoded
// at once stay within some megabytes; pages of 32 KiB are also the fastest
// and smallest at a million records (16 or 64 KiB pages took more memory,
// for more page statistics or larger column buffers).
const (
	rowsPerGroup = 32 << 10
	pageBuffer   = 32 << 10
	rowBatch     = 256 // rows handed to a file's writer at once
)

// Writer writes one Parquet file per table into a folder.
type Writer struct {
	dir      string
	ds       *record.Dataset
	tables   []table.Table
	files    []*tableFile // by table; fewer only if opening failed
	analysis *analysis.Layout
	joiner   *analysis.Joiner
	err      error // the first error: every later call returns it
	closed   bool
}

// tableFile is one table's open file.
type tableFile struct {
	t     *table.Table
	f     *os.File
	bw    *bufio.Writer
	opts  []pq.WriterOption
	w     *pq.GenericWriter[any] // made by start, at Close
	kinds []kind
	rows  []pq.Row // waiting for the next WriteRows
	n     int      // of rows, so far
	spool rowSpool // the rows Write converted, until Close
}

// kind is a column's Parquet type.
type kind uint8

const (
	kindString kind = iota
	kindInt64
	kindDouble
	kindBoolean
	kindDate
)

// NewWriter returns a Writer of one Parquet file per table of
// [table.Tables], named <table>.parquet, and of analysis.parquet (see
// package analysis), into dir, which must exist and be empty. An error in
// creating the files is returned by the first Write or by Close.
func NewWriter(dir string, ds *record.Dataset) *Writer {
	w := &Writer{dir: dir, ds: ds}
	v, err := ds.Schema()
	if err != nil {
		w.err = err
		return w
	}
	w.tables = table.Tables(v)
	w.analysis = analysis.NewLayout(v)
	w.joiner = analysis.NewJoiner(w.analysis)
	for i := range w.tables {
		f, err := w.create(&w.tables[i])
		if err != nil {
			w.err = err
			break
		}
		w.files = append(w.files, f)
	}
	return w
}

// create creates the file of table t.
func (w *Writer) create(t *table.Table) (*tableFile, error) {
	// O_EXCL: the folder is the caller's fresh one.
	f, err := os.OpenFile(filepath.Join(w.dir, t.Name+".parquet"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	tf := &tableFile{t: t, f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	sch, kinds := tableSchema(t)
	tf.kinds = kinds
	opts := []pq.WriterOption{
		sch,
		pq.Compression(&pq.Snappy),
		pq.MaxRowsPerRowGroup(rowsPerGroup),
		pq.PageBufferSize(pageBuffer),
		pq.KeyValueMetadata("annals.table", t.Name),
		pq.KeyValueMetadata("annals.description", t.Description),
	}
	if w.ds.Version != "" {
		opts = append(opts, pq.CreatedBy("annals", w.ds.Version, ""))
	}
	if t.Derived {
		opts = append(opts, pq.KeyValueMetadata("annals.derived", "true"))
	}
	tf.opts = opts
	return tf, nil
}

// start makes the file's Parquet writer.
func (tf *tableFile) start() { tf.w = pq.NewGenericWriter[any](tf.bw, tf.opts...) }

// tableSchema is the Parquet schema of t, its columns in t's order (a
// struct type made for it: parquet-go keeps a struct's field order), each
// optional, as every cell may be empty.
func tableSchema(t *table.Table) (*pq.Schema, []kind) {
	fields := make([]reflect.StructField, len(t.Columns))
	kinds := make([]kind, len(t.Columns))
	for i, c := range t.Columns {
		typ, tag := reflect.TypeFor[string](), "optional"
		switch c.Type {
		case "integer":
			typ, kinds[i] = reflect.TypeFor[int64](), kindInt64
		case "number":
			typ, kinds[i] = reflect.TypeFor[float64](), kindDouble
		case "boolean":
			typ, kinds[i] = reflect.TypeFor[bool](), kindBoolean
		case "date":
			typ, kinds[i], tag = reflect.TypeFor[int32](), kindDate, "optional,date"
		default:
			kinds[i] = kindString
		}
		fields[i] = reflect.StructField{
			Name: "F" + strconv.Itoa(i), Type: typ,
			Tag: reflect.StructTag(`parquet:"` + c.Name + `,` + tag + `"`),
		}
	}
	return pq.SchemaOf(reflect.New(reflect.StructOf(fields)).Interface()), kinds
}

// Write writes the rows of rec.
func (w *Writer) Write(rec *record.Record) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("parquet: write after close")
	}
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		w.err = record.ErrorAt(rec, "", errors.New("a record must be an object"))
		return w.err
	}
	var err error
	table.EachRow(w.tables, obj, func(ti int, cells *table.RowCells) {
		if err != nil {
			return
		}
		tf := w.files[ti]
		row := make(pq.Row, len(tf.kinds))
		for ci := range tf.kinds {
			if row[ci], err = value(cells.Next(), tf.kinds[ci], ci); err != nil {
				err = record.ErrorAt(rec, "", fmt.Errorf("%s, column %s: %w", tf.t.Name, tf.t.Columns[ci].Name, err))
				return
			}
		}
		if err = tf.spool.write(row); err != nil {
			err = fmt.Errorf("parquet: %s: %w", tf.t.Name, err)
		}
	})
	if err == nil {
		err = w.joiner.Add(rec)
	}
	if err != nil {
		w.err = err
	}
	return err
}

// add queues a row, writing the queue when it is full.
func (tf *tableFile) add(row pq.Row) error {
	tf.rows = append(tf.rows, row)
	if len(tf.rows) < rowBatch {
		return nil
	}
	return tf.flush()
}

func (tf *tableFile) flush() error {
	if len(tf.rows) == 0 {
		return nil
	}
	n, err := tf.w.WriteRows(tf.rows)
	tf.n += n
	clear(tf.rows)
	tf.rows = tf.rows[:0]
	if err != nil {
		return fmt.Errorf("parquet: %s.parquet: %w", tf.t.Name, err)
	}
	return nil
}

// value is the Parquet value of a cell in column ci of the kind k.
func value(c table.Cell, k kind, ci int) (pq.Value, error) {
	if c.Kind == table.CellEmpty {
		return pq.NullValue().Level(0, 0, ci), nil
	}
	var v pq.Value
	switch k {
	case kindString:
		text := c.Text
		switch c.Kind {
		case table.CellNumber:
			text = jsonvalue.CanonicalNumber(c.Text) // as the CSV export writes it
		case table.CellIndex:
			text = strconv.Itoa(c.Int)
		case table.CellBool:
			text = strconv.FormatBool(c.Int == 1)
		case table.CellDay:
			text = table.FormatDay(c.Day)
		}
		v = pq.ByteArrayValue([]byte(text))
	case kindInt64:
		switch c.Kind {
		case table.CellIndex:
			v = pq.Int64Value(int64(c.Int))
		case table.CellNumber:
			i, err := strconv.ParseInt(jsonvalue.CanonicalNumber(c.Text), 10, 64)
			if err != nil {
				return v, fmt.Errorf("%s is not a whole number Parquet's INT64 holds (from %d to %d); export to CSV or JSON, which keep it as written", c.Text, int64(math.MinInt64), int64(math.MaxInt64))
			}
			v = pq.Int64Value(i)
		default:
			return v, fmt.Errorf("%q is not a whole number", c.Text)
		}
	case kindDouble:
		f, ok := exactDouble(c)
		if !ok {
			return v, fmt.Errorf("%s has more digits than Parquet's DOUBLE holds exactly; export to CSV or JSON, which keep it as written", c.Text)
		}
		v = pq.DoubleValue(f)
	case kindBoolean:
		if c.Kind != table.CellBool {
			return v, fmt.Errorf("%q is not true or false", c.Text)
		}
		v = pq.BooleanValue(c.Int == 1)
	case kindDate:
		if c.Kind != table.CellDay {
			return v, fmt.Errorf("%q is not a day", c.Text)
		}
		secs := c.Day.Unix() // a midnight, UTC
		days := secs / 86400
		if secs%86400 < 0 {
			days-- // floor, for the days before 1970
		}
		if days < math.MinInt32 || days > math.MaxInt32 {
			return pq.NullValue().Level(0, 0, ci), nil // beyond DATE; the EDTF text beside it says it
		}
		v = pq.Int32Value(int32(days))
	}
	return v.Level(0, 1, ci), nil
}

// exactDouble returns the number in c as a float64 when the float64 is
// exactly the number written (1.50 and 1.5 alike).
func exactDouble(c table.Cell) (float64, bool) {
	if c.Kind != table.CellNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(c.Text, 64)
	if err != nil {
		return 0, false
	}
	return f, jsonvalue.SameNumber(c.Text, strconv.FormatFloat(f, 'e', -1, 64))
}

// Discard stops without finishing the files (see record.Discarder).
func (w *Writer) Discard() {
	w.err = cmp.Or(w.err, record.ErrDiscarded)
	w.Close()
}

// encoders is how many files Close encodes at once.
const encoders = 2

// Close encodes every file from its rows and the analysis table from the
// joiner, encoders at a time, and finishes and syncs each. After an error
// the files are only closed: the output is incomplete anyway.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	var analysisFile *tableFile
	if w.err == nil {
		analysisFile, w.err = w.create(&w.analysis.Table)
	}
	if w.err == nil {
		w.files = append(w.files, analysisFile)
		w.err = w.encode(analysisFile)
	}
	for _, tf := range w.files {
		if err := tf.close(w.err == nil); err != nil && w.err == nil {
			w.err = err
		}
	}
	if err := w.joiner.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("parquet: %w", err)
	}
	return w.err
}

// encode writes every file's rows, the largest first (the analysis
// table's, then in the order of their spools' sizes), encoders at a time;
// it returns the first error. Each file is written by one goroutine, in
// the order its rows came, so the bytes do not depend on the scheduling.
func (w *Writer) encode(analysisFile *tableFile) error {
	jobs := make(chan *tableFile, len(w.files))
	jobs <- analysisFile
	rest := slices.Clone(w.files[:len(w.files)-1])
	slices.SortStableFunc(rest, func(a, b *tableFile) int { return cmp.Compare(b.spool.size, a.spool.size) })
	for _, tf := range rest {
		jobs <- tf
	}
	close(jobs)
	errs := make([]error, len(w.files))
	var wg sync.WaitGroup
	for range encoders {
		wg.Go(func() {
			for tf := range jobs {
				tf.start()
				var err error
				if tf == analysisFile {
					err = w.writeAnalysis(tf)
				} else {
					err = tf.replay()
				}
				if err == nil {
					err = tf.flush()
				}
				if err != nil {
					errs[slices.Index(w.files, tf)] = err
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// replay adds the rows the spool kept.
func (tf *tableFile) replay() error {
	return tf.spool.each(len(tf.kinds), func(row pq.Row) error { return tf.add(row) })
}

// writeAnalysis writes analysis.parquet into tf.
func (w *Writer) writeAnalysis(tf *tableFile) error {
	return w.joiner.Rows(func(cells []table.Cell) error {
		row := make(pq.Row, len(tf.kinds))
		for ci, c := range cells {
			v, err := value(c, tf.kinds[ci], ci)
			if err != nil {
				id := cells[w.analysis.Table.ColumnIndex("record_id")].Text
				return fmt.Errorf("parquet: analysis, column %s of %q: %w", w.analysis.Table.Columns[ci].Name, id, err)
			}
			row[ci] = v
		}
		return tf.add(row)
	})
}

// close finishes the file (flushing its rows and writing its footer) and
// syncs it to disk when keep is set: the caller renames the folder into
// place next, and a crash must not leave a committed export with a
// truncated file.
func (tf *tableFile) close(keep bool) error {
	var err error
	tf.spool.close()
	if keep {
		err = tf.flush()
		if err == nil {
			err = tf.w.Close()
		}
		if err == nil {
			err = tf.bw.Flush()
		}
		if err == nil {
			err = tf.f.Sync()
		}
		if err != nil {
			err = fmt.Errorf("parquet: %s.parquet: %w", tf.t.Name, err)
		}
	}
	if cerr := tf.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("parquet: %w", cerr)
	}
	return err
}

// ExportFiles returns whether a file named name is one that the Parquet
// export of records v describes writes (a table's Parquet file or analysis.parquet), with the
// tables of the study's own list fields: an older export may be replaced,
// while a folder holding anything else is not.
func ExportFiles(v *schema.Validator) func(name string) bool {
	return table.ExportFiles(v, ".parquet", analysis.Name+".parquet")
}
