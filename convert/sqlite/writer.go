// Package sqlite writes a dataset as one SQLite database, for sqlite3, DB
// Browser for SQLite and Datasette: a table per table of the export with
// its primary and foreign keys, the analysis table, the codebook as a
// table, and an FTS5 full-text index (search) over the quotes, the
// statements' summaries and the events' titles. The driver is
// modernc.org/sqlite, in pure Go, so annals stays one static binary.
package sqlite

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/jsonvalue"
)

// SearchTable is the FTS5 table over quotes, summaries and titles.
const SearchTable = "search"

// CodebookTable describes every column of every table.
const CodebookTable = "annals_codebook"

// AboutTable holds what the dataset's manifest says, and the tool that
// wrote the file.
const AboutTable = "annals_about"

// Writer builds the database in a temporary file, and Close copies it to
// the output whole: SQLite needs a file it can seek in, and nothing reaches
// the output before Close.
type Writer struct {
	out      io.Writer
	ds       *record.Dataset
	tables   []table.Table
	analysis *analysis.Layout
	joiner   *analysis.Joiner
	file     string // the temporary database
	db       *sql.DB
	tx       *sql.Tx
	inserts  []*batch // by table, then the analysis table
	err      error    // the first error: every later call returns it
	closed   bool

	// The inserts run on a goroutine of their own, beside the checks: a
	// record's rows go to it in one piece. Its first error is in
	// insertErr, which Write looks at (failed) and Close returns.
	pieces    chan []row
	inserted  chan struct{} // closed when the goroutine is done
	failed    atomic.Bool
	insertErr error
}

// row is one row for the inserting goroutine: the values of a row of the
// table numbered table (the analysis table is numbered after the others).
type row struct {
	table  int
	values []any
}

// NewWriter returns a Writer of the records of ds as a SQLite database to
// w. An error in making the database is returned by the first Write or by
// Close.
func NewWriter(w io.Writer, ds *record.Dataset) record.Writer {
	if ds == nil {
		ds = &record.Dataset{}
	}
	x := &Writer{out: w, ds: ds}
	v, err := ds.Schema()
	if err != nil {
		x.err = err
		return x
	}
	x.tables = table.Tables(v)
	x.analysis = analysis.NewLayout(v)
	x.joiner = analysis.NewJoiner(x.analysis)
	x.err = x.open()
	return x
}

// open creates the temporary database, its tables, and the statements
// that fill them, in one transaction.
func (x *Writer) open() error {
	f, err := atomicfile.Scratch("annals-*.sqlite") // removed by an interrupt too
	if err != nil {
		return fmt.Errorf("sqlite: creating a temporary file for the database: %w", err)
	}
	x.file = f.Name()
	f.Close()
	// The database is a scratch file until Close copies it: no journal,
	// no syncs. Foreign keys are declared, and checked by tests, not
	// enforced while rows of any order arrive.
	// The path goes into a URI: escaped, so that a "#", "?" or "%" in the
	// temporary folder's name is part of the path.
	uri := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(x.file),
		RawQuery: "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=foreign_keys(OFF)"}
	x.db, err = sql.Open("sqlite", uri.String())
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	x.db.SetMaxOpenConns(1)
	if _, err := x.db.Exec(`PRAGMA cache_size = -16384`); err != nil { // 16 MiB of pages
		return fmt.Errorf("sqlite: %w", err)
	}
	if x.tx, err = x.db.Begin(); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, t := range append(slices.Clone(x.tables), x.analysis.Table) {
		stmt, err := x.createTable(&t)
		if err != nil {
			return err
		}
		x.inserts = append(x.inserts, stmt)
	}
	if _, err := x.tx.Exec(`CREATE VIRTUAL TABLE ` + SearchTable + ` USING fts5(record_type UNINDEXED, record_id UNINDEXED, ` +
		`attestation_index UNINDEXED, field UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		return fmt.Errorf("sqlite: creating the search table: %w", err)
	}
	x.pieces, x.inserted = make(chan []row, 256), make(chan struct{})
	go x.insert()
	return nil
}

// insert inserts the rows it is sent until the channel closes; after an
// error it only drains it.
func (x *Writer) insert() {
	defer close(x.inserted)
	for piece := range x.pieces {
		if x.insertErr != nil {
			continue
		}
		for _, r := range piece {
			if err := x.inserts[r.table].add(r.values...); err != nil {
				x.insertErr = err
				x.failed.Store(true)
				break
			}
		}
	}
}

// stopInserting waits for the goroutine to insert what it was sent, and
// returns its error.
func (x *Writer) stopInserting() error {
	if x.pieces == nil {
		return nil
	}
	close(x.pieces)
	<-x.inserted
	x.pieces = nil
	return x.insertErr
}

// createTable creates the table t, with its keys, and returns what
// inserts its rows.
func (x *Writer) createTable(t *table.Table) (*batch, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quote(t.Name))
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  %s %s", quote(c.Name), columnType(c.Type))
		if c.Required {
			b.WriteString(" NOT NULL")
		}
	}
	if len(t.PrimaryKey) > 0 {
		fmt.Fprintf(&b, ",\n  PRIMARY KEY (%s)", quoteAll(t.PrimaryKey))
	}
	for _, fk := range t.ForeignKeys {
		fmt.Fprintf(&b, ",\n  FOREIGN KEY (%s) REFERENCES %s (%s)", quoteAll(fk.Fields), quote(fk.Table), quoteAll(fk.RefFields))
	}
	b.WriteString("\n)")
	if _, err := x.tx.Exec(b.String()); err != nil {
		return nil, fmt.Errorf("sqlite: creating the table %s: %w", t.Name, err)
	}
	return x.newBatch(t.Name, len(t.Columns))
}

// batchRows is how many rows one INSERT writes, at most: a call through
// database/sql costs more than a row. SQLite takes up to 32,766 values in
// a statement, which 64 rows of a table of more than 511 columns (a study
// with hundreds of its own fields) would pass; a table has at most 2,000
// columns, which SQLite refuses to go past, saying so.
const (
	batchRows = 64
	maxValues = 32766
)

// batch inserts the rows of one table, batchRows at a time.
type batch struct {
	name      string
	one, many *sql.Stmt // of one row, of batchRows rows
	args      []any     // the waiting rows' values, end to end
	cols      int
	rows      int // per INSERT of many
}

func (x *Writer) newBatch(name string, cols int) (*batch, error) {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	b := &batch{name: name, cols: cols, rows: max(1, min(batchRows, maxValues/max(cols, 1)))}
	var err error
	if b.one, err = x.tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES %s", quote(name), row)); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", name, err)
	}
	rows := strings.TrimSuffix(strings.Repeat(row+", ", b.rows), ", ")
	if b.many, err = x.tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES %s", quote(name), rows)); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", name, err)
	}
	return b, nil
}

// add queues one row's values, inserting the queue when it is full.
func (b *batch) add(row ...any) error {
	b.args = append(b.args, row...)
	if len(b.args) < b.rows*b.cols {
		return nil
	}
	_, err := b.many.Exec(b.args...)
	clear(b.args)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", b.name, err)
	}
	return nil
}

// flush inserts the rows left in the queue.
func (b *batch) flush() error {
	for i := 0; i < len(b.args); i += b.cols {
		if _, err := b.one.Exec(b.args[i : i+b.cols]...); err != nil {
			return fmt.Errorf("sqlite: %s: %w", b.name, err)
		}
	}
	clear(b.args)
	b.args = b.args[:0]
	return nil
}

// columnType is the SQLite type of a Table Schema type: days are ISO 8601
// text, as SQLite's date functions read them, and booleans 0 or 1.
func columnType(typ string) string {
	switch typ {
	case "integer", "boolean":
		return "INTEGER"
	case "number":
		return "REAL"
	}
	return "TEXT"
}

// quote quotes an identifier.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// Write inserts the rows of rec, and its quotes, summary and title into
// the search table.
func (x *Writer) Write(rec *record.Record) error {
	if x.err != nil {
		return x.err
	}
	if x.closed {
		return errors.New("sqlite: write after close")
	}
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		x.err = record.ErrorAt(rec, "", errors.New("a record must be an object"))
		return x.err
	}
	if x.failed.Load() {
		x.err = x.stopInserting()
		return x.err
	}
	var piece []row
	var err error
	table.EachRow(x.tables, obj, func(ti int, cells *table.RowCells) {
		if err != nil {
			return
		}
		t := &x.tables[ti]
		values := make([]any, len(t.Columns))
		for ci := range values {
			if values[ci], err = value(cells.Next(), t.Columns[ci].Type); err != nil {
				err = record.ErrorAt(rec, "", fmt.Errorf("%s, column %s: %w", t.Name, t.Columns[ci].Name, err))
				return
			}
		}
		piece = append(piece, row{ti, values})
	})
	if err == nil {
		err = x.joiner.Add(rec)
	}
	if err != nil {
		x.err = err
		return err
	}
	x.pieces <- piece
	return nil
}

// value is the SQLite value of a cell in a column of the Table Schema type
// typ.
func value(c table.Cell, typ string) (any, error) {
	switch c.Kind {
	case table.CellEmpty:
		return nil, nil
	case table.CellString:
		return c.Text, nil
	case table.CellIndex:
		return int64(c.Int), nil
	case table.CellBool:
		return int64(c.Int), nil
	case table.CellDay:
		return table.FormatDay(c.Day), nil
	case table.CellNumber:
		switch typ {
		case "integer":
			i, err := strconv.ParseInt(jsonvalue.CanonicalNumber(c.Text), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s is not a whole number SQLite's INTEGER holds; export to CSV or JSON, which keep it as written", c.Text)
			}
			return i, nil
		case "number":
			f, err := strconv.ParseFloat(c.Text, 64)
			if err != nil || !jsonvalue.SameNumber(c.Text, strconv.FormatFloat(f, 'e', -1, 64)) {
				return nil, fmt.Errorf("%s has more digits than SQLite's REAL holds exactly; export to CSV or JSON, which keep it as written", c.Text)
			}
			return f, nil
		}
		return jsonvalue.CanonicalNumber(c.Text), nil // as the CSV export writes it
	}
	return nil, fmt.Errorf("a cell of kind %d", c.Kind)
}

// Discard stops without finishing the database (see record.Discarder).
func (x *Writer) Discard() {
	x.err = cmp.Or(x.err, record.ErrDiscarded)
	x.Close()
}

// Close writes the analysis table, the codebook and the about table,
// commits, and copies the database to the output; then removes the
// temporary file. After an error it only removes it.
func (x *Writer) Close() error {
	if x.closed {
		return x.err
	}
	x.closed = true
	if x.err == nil {
		x.err = x.finish()
	}
	if err := x.stopInserting(); err != nil && x.err == nil {
		x.err = err
	}
	if x.tx != nil && x.err != nil {
		x.tx.Rollback()
	}
	if x.db != nil {
		if err := x.db.Close(); err != nil && x.err == nil {
			x.err = fmt.Errorf("sqlite: %w", err)
		}
	}
	if x.err == nil {
		x.err = x.copyOut()
	}
	if x.joiner != nil {
		x.joiner.Close()
	}
	if x.file != "" {
		atomicfile.RemoveScratch(x.file)
	}
	return x.err
}

func (x *Writer) finish() error {
	// The analysis table's rows are made here and inserted on the
	// inserting goroutine, as the records' rows were.
	t := &x.analysis.Table
	ti := len(x.tables)
	var piece []row
	err := x.joiner.Rows(func(cells []table.Cell) error {
		values := make([]any, len(t.Columns))
		for ci, c := range cells {
			v, err := value(c, t.Columns[ci].Type)
			if err != nil {
				return fmt.Errorf("sqlite: analysis, column %s of %q: %w", t.Columns[ci].Name, cells[t.ColumnIndex("record_id")].Text, err)
			}
			values[ci] = v
		}
		if piece = append(piece, row{ti, values}); len(piece) == batchRows {
			x.pieces <- piece
			piece = nil
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.pieces <- piece
	if err := x.stopInserting(); err != nil {
		return err
	}
	for _, b := range x.inserts {
		if err := b.flush(); err != nil {
			return err
		}
	}
	if err := x.fillSearch(); err != nil {
		return err
	}
	if err := x.writeCodebook(append(x.tables, x.analysis.Table)); err != nil {
		return err
	}
	if err := x.writeAbout(); err != nil {
		return err
	}
	if err := x.tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	x.tx = nil
	return nil
}

// fillSearch indexes the events' titles, the statements' summaries and the
// attestations' quotes, in one statement once the tables are full: FTS5
// then builds its index in large pieces, where rows added among the other
// inserts made it write and merge small ones at every statement.
func (x *Writer) fillSearch() error {
	q := `INSERT INTO ` + SearchTable + ` (record_type, record_id, attestation_index, field, text)
  SELECT 'event', id, NULL, 'title', title FROM events WHERE title IS NOT NULL
  UNION ALL SELECT 'statement', id, NULL, 'summary', summary FROM statements WHERE summary IS NOT NULL
  UNION ALL SELECT 'event', event_id, attestation_index, 'quote', quote FROM event_attestations WHERE quote IS NOT NULL
  UNION ALL SELECT 'statement', statement_id, attestation_index, 'quote', quote FROM statement_attestations WHERE quote IS NOT NULL`
	if _, err := x.tx.Exec(q); err != nil {
		return fmt.Errorf("sqlite: filling the search table: %w", err)
	}
	return nil
}

// writeCodebook describes every column, as the workbook's Codebook does.
func (x *Writer) writeCodebook(tables []table.Table) error {
	if _, err := x.tx.Exec(`CREATE TABLE ` + CodebookTable + ` ("table" TEXT NOT NULL, "column" TEXT NOT NULL, "type" TEXT NOT NULL,
  "required" INTEGER NOT NULL, "allowed_values" TEXT, "refers_to" TEXT, "title" TEXT, "description" TEXT,
  PRIMARY KEY ("table", "column"))`); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	stmt, err := x.tx.Prepare(`INSERT INTO ` + CodebookTable + ` VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, t := range tables {
		for _, c := range t.Columns {
			var allowed, refers any
			if len(c.Enum) > 0 {
				allowed = strings.Join(c.Enum, ", ")
			}
			if c.RefersTo != "" {
				refers = c.RefersTo + "s"
			}
			required := 0
			if c.Required {
				required = 1
			}
			if _, err := stmt.Exec(t.Name, c.Name, columnType(c.Type), required, allowed, refers, c.Title, c.Description); err != nil {
				return fmt.Errorf("sqlite: %w", err)
			}
		}
	}
	return nil
}

// writeAbout keeps the manifest's fields and the writer's version.
func (x *Writer) writeAbout() error {
	if _, err := x.tx.Exec(`CREATE TABLE ` + AboutTable + ` ("key" TEXT PRIMARY KEY, "value" TEXT)`); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	rows := [][2]string{{"generator", strings.TrimSpace("annals " + x.ds.Version)}}
	for _, k := range []string{"title", "description", "version", "license", "base_iri"} {
		if s, ok := x.ds.Manifest[k].(string); ok {
			rows = append(rows, [2]string{k, s})
		}
	}
	for _, r := range rows {
		if _, err := x.tx.Exec(`INSERT INTO `+AboutTable+` VALUES (?, ?)`, r[0], r[1]); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	return nil
}

// copyOut copies the finished database to the output.
func (x *Writer) copyOut() error {
	f, err := os.Open(x.file)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(x.out, f); err != nil {
		return fmt.Errorf("sqlite: writing the database: %w", err)
	}
	return nil
}
