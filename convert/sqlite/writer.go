// Package sqlite writes a dataset as one SQLite database, for sqlite3, DB
// Browser for SQLite and Datasette: a table per table of the export with
// its primary and foreign keys, the analysis table as a view over them,
// the codebook as a table, and an FTS5 full-text index (search) over the
// quotes, the statements' summaries and the events' titles. The driver is
// modernc.org/sqlite, in pure Go, so annals stays one static binary.
package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// SearchTable is the FTS5 table over quotes, summaries and titles, whose
// texts are the rows of SearchTextTable.
const SearchTable = "search"

// SearchTextTable holds the texts SearchTable indexes, one row each, with
// the record and the field each comes from.
const SearchTextTable = "search_text"

// CodebookTable describes every column of every table.
const CodebookTable = "annals_codebook"

// AboutTable holds what the dataset's manifest says, and the tool that
// wrote the file.
const AboutTable = "annals_about"

// Writer builds the database in a temporary file, and Close copies it to
// the output whole: SQLite needs a file it can seek in, and nothing reaches
// the output before Close. An output file that is itself written under a
// temporary name and renamed into place when done (atomicfile.File) is
// the database's file: no copy at the end, and half the disk.
//
// The search index is built at the same time in a second temporary
// database, on a second connection: tokenizing two or three million texts
// is as much work as inserting every row of the tables, and the two run
// side by side. Its texts go to the first (search_text, an ordinary table
// the index reads them from); Close copies the index in (see copySearch).
type Writer struct {
	out      io.Writer
	inPlace  string // the output's temporary file, when the database is built in it
	ds       *record.Dataset
	tables   []table.Table
	analysis *analysis.Layout
	main     *database // the tables, the view, then everything
	search   *database // the search index alone
	texts    int64     // the search texts so far: the last one's rowid
	err      error     // the first error: every later call returns it
	closed   bool
}

// NewWriter returns a Writer of the records of ds as a SQLite database to
// w. An error in making the database is returned by the first Write or by
// Close.
func NewWriter(w io.Writer, ds *record.Dataset) record.Writer {
	if ds == nil {
		ds = &record.Dataset{}
	}
	x := &Writer{out: w, ds: ds}
	if t, ok := w.(interface{ Temporary() (string, bool) }); ok {
		x.inPlace, _ = t.Temporary()
	}
	v, err := ds.Schema()
	if err != nil {
		x.err = err
		return x
	}
	x.tables = table.Tables(v)
	x.analysis = analysis.NewLayout(v)
	x.err = x.open()
	return x
}

// The search table, and the table of its texts. The index has the
// columns of the texts' table, all but the text unindexed, and reads them
// from it (an FTS5 table with external content): the texts are stored
// once, and Datasette offers a search box on search_text.
const (
	searchTable = `CREATE VIRTUAL TABLE ` + SearchTable + ` USING fts5(record_type UNINDEXED, record_id UNINDEXED, ` +
		`attestation_index UNINDEXED, field UNINDEXED, text, content = '` + SearchTextTable + `', content_rowid = 'search_id', ` +
		`tokenize = 'unicode61 remove_diacritics 2')`
	searchInto      = SearchTable + `(rowid, text)`
	searchTextTable = `CREATE TABLE ` + SearchTextTable + ` (
  "search_id" INTEGER PRIMARY KEY,
  "record_type" TEXT NOT NULL,
  "record_id" TEXT NOT NULL,
  "attestation_index" INTEGER,
  "field" TEXT NOT NULL,
  "text" TEXT NOT NULL
)`
)

// cacheKiB is each database's page cache. The writes are appends and
// inserts into the keys' B-trees; at a million records a cache of 2 MiB
// writes them as fast as one of 32 (53 to 55 s), and takes 80 MB less.
const cacheKiB = 2 << 10

// searchTexts describes search_text for the codebook. Like the tables of
// an FTS5 table it has no triggers: edited, the index no longer matches it
// until INSERT INTO search(search) VALUES ('rebuild').
var searchTexts = table.Table{Name: SearchTextTable, Columns: []table.Column{
	{Name: "search_id", Type: "integer", Required: true, Title: "Text number",
		Description: "The row's number, which the search table's rowid is: search.rowid = search_text.search_id."},
	{Name: "record_type", Type: "string", Required: true, Enum: []string{schema.Event, schema.Statement}, Title: "Record type",
		Description: "Whether the text is of an event or of a statement."},
	{Name: "record_id", Type: "string", Required: true, Title: "Record id", Description: "The id of the event or statement."},
	{Name: "attestation_index", Type: "integer", Title: "Attestation number",
		Description: "For a quote, the position of its attestation in the record's list, from 1; empty for a title or summary."},
	{Name: "field", Type: "string", Required: true, Enum: []string{"title", "summary", "quote"}, Title: "Field",
		Description: "Which text it is: an event's title, a statement's summary, or an attestation's quote."},
	{Name: "text", Type: "string", Required: true, Title: "Text", Description: "The text, as the record has it."},
}}

// open creates the two databases, the tables, the view and the search
// table, and starts their inserting goroutines.
func (x *Writer) open() error {
	// In place where SQLite can build it: not where its path would read as
	// a URI's host (a Windows share, \\server\share), and not where it
	// cannot lock the file (some network and shared folders), which the
	// first CREATE finds out; then in a scratch file, copied at Close.
	if x.inPlace != "" && !strings.HasPrefix(filepath.ToSlash(x.inPlace), "//") {
		d, err := openDatabase(x.inPlace, false, cacheKiB)
		if err == nil {
			err = x.create(d)
		}
		if err == nil {
			x.main = d
		} else {
			d.close()
			os.Truncate(x.inPlace, 0) // what SQLite wrote of it; the copy overwrites it from the start
		}
	}
	if x.main == nil {
		x.inPlace = ""
		d, err := openScratch("annals-*.sqlite", cacheKiB)
		x.main = d // removed by Close, should create fail
		if err == nil {
			err = x.create(d)
		}
		if err != nil {
			return err
		}
	}
	var err error
	if x.search, err = openScratch("annals-*.search.sqlite", cacheKiB); err != nil {
		return err
	}
	if err := x.search.addTable(SearchTable, searchTable, searchInto, 2); err != nil {
		return err
	}
	x.main.start()
	x.search.start()
	return nil
}

// create creates the tables, the table of the search texts and the
// analysis view in d.
func (x *Writer) create(d *database) error {
	for _, t := range x.tables {
		if err := d.addTable(t.Name, createTable(&t), quote(t.Name), len(t.Columns)); err != nil {
			return err
		}
	}
	if err := d.addTable(SearchTextTable, searchTextTable, SearchTextTable, 6); err != nil {
		return err
	}
	view, err := analysisView(x.analysis, x.tables)
	if err == nil {
		err = d.exec(view)
	}
	if err != nil {
		return fmt.Errorf("sqlite: creating the analysis view: %w", err)
	}
	return nil
}

// createTable is the statement that creates the table t, with its keys.
func createTable(t *table.Table) string {
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
	return b.String()
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
	if x.main.failed.Load() || x.search.failed.Load() {
		x.err = cmp.Or(x.main.stop(), x.search.stop())
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
	if err != nil {
		x.err = err
		return err
	}
	var texts []row
	x.searchTexts(obj, func(rowid int64, values []any) {
		piece = append(piece, row{len(x.tables), values})
		texts = append(texts, row{0, []any{rowid, values[5]}})
	})
	x.main.send(piece)
	x.search.send(texts)
	return nil
}

// searchTexts calls fn with the rowid and the row of search_text of each
// text of a record the search table indexes: an event's title, a
// statement's summary, and the quotes of either's attestations.
func (x *Writer) searchTexts(obj map[string]any, fn func(rowid int64, values []any)) {
	typ, _ := obj["type"].(string)
	id, _ := obj["id"].(string)
	add := func(index any, field string, text any) {
		if s, ok := text.(string); ok {
			x.texts++
			fn(x.texts, []any{x.texts, typ, id, index, field, s})
		}
	}
	switch typ {
	case schema.Event:
		add(nil, "title", obj["title"])
	case schema.Statement:
		add(nil, "summary", obj["summary"])
	default:
		return
	}
	atts, _ := obj["attestations"].([]any)
	for i, a := range atts {
		if att, ok := a.(map[string]any); ok {
			add(int64(i+1), "quote", att["quote"])
		}
	}
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
		if typ == "string" {
			// A column of text that holds a boolean (a study's field whose
			// allowed values are true and false, or text, with no type):
			// as the CSV export writes it, not as 1 or 0 in text.
			return strconv.FormatBool(c.Int == 1), nil
		}
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

// Close copies the search index in, writes the codebook and the about
// table, commits, and copies the database to the output; then removes the
// temporary files. After an error it only removes them.
func (x *Writer) Close() error {
	if x.closed {
		return x.err
	}
	x.closed = true
	if x.err == nil {
		x.err = x.finish()
	}
	x.err = cmp.Or(x.err, x.search.close(), x.main.close())
	if x.err == nil && x.inPlace == "" {
		x.err = x.copyOut()
	}
	x.search.remove()
	x.main.remove()
	return x.err
}

func (x *Writer) finish() error {
	if err := cmp.Or(x.main.stop(), x.search.stop()); err != nil {
		return err
	}
	if err := x.search.commit(); err != nil {
		return err
	}
	if err := x.search.close(); err != nil {
		return err
	}
	if err := x.main.commit(); err != nil { // ATTACH wants no transaction
		return err
	}
	if err := x.copySearch(); err != nil {
		return err
	}
	if err := x.main.begin(); err != nil {
		return err
	}
	if err := x.writeCodebook(append(x.tables, x.analysis.Table, searchTexts)); err != nil {
		return err
	}
	if err := x.writeAbout(); err != nil {
		return err
	}
	return x.main.commit()
}

// copySearch copies the search index built in the second database into
// the first. An FTS5 table with external content keeps its index in four
// ordinary tables (search_data, search_idx, search_docsize,
// search_config); the search table is created empty here, as it was
// there, and each of these is replaced by the other's rows, which SQLite
// copies as they are. The FTS5 module wrote nothing to the table
// here and has nothing pending, so nothing it holds in memory is out of
// date; TestSQLiteSearchIndexIntact has SQLite check the index against its
// texts.
func (x *Writer) copySearch() error {
	c := x.main.conn
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, `ATTACH DATABASE ? AS built`, x.search.file); err != nil {
		return fmt.Errorf("sqlite: opening the search index: %w", err)
	}
	err := x.main.begin()
	if err == nil {
		err = x.main.exec(searchTable)
	}
	for _, part := range []string{"data", "idx", "docsize", "config"} {
		if err != nil {
			break
		}
		shadow := quote(SearchTable + "_" + part)
		if err = x.main.exec(`DELETE FROM main.` + shadow); err == nil {
			err = x.main.exec(`INSERT INTO main.` + shadow + ` SELECT * FROM built.` + shadow)
		}
	}
	if err == nil {
		err = x.main.commit()
	}
	if _, e := c.ExecContext(ctx, `DETACH DATABASE built`); e != nil && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("sqlite: copying the search index: %w", err)
	}
	return nil
}

// writeCodebook describes every column, as the workbook's Codebook does.
func (x *Writer) writeCodebook(tables []table.Table) error {
	if _, err := x.main.tx.Exec(`CREATE TABLE ` + CodebookTable + ` ("table" TEXT NOT NULL, "column" TEXT NOT NULL, "type" TEXT NOT NULL,
  "required" INTEGER NOT NULL, "allowed_values" TEXT, "refers_to" TEXT, "title" TEXT, "description" TEXT,
  PRIMARY KEY ("table", "column"))`); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	stmt, err := x.main.tx.Prepare(`INSERT INTO ` + CodebookTable + ` VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
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
	if _, err := x.main.tx.Exec(`CREATE TABLE ` + AboutTable + ` ("key" TEXT PRIMARY KEY, "value" TEXT)`); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	rows := [][2]string{{"generator", strings.TrimSpace("annals " + x.ds.Version)}}
	for _, k := range []string{"title", "description", "version", "license", "base_iri"} {
		if s, ok := x.ds.Manifest[k].(string); ok {
			rows = append(rows, [2]string{k, s})
		}
	}
	for _, r := range rows {
		if _, err := x.main.tx.Exec(`INSERT INTO `+AboutTable+` VALUES (?, ?)`, r[0], r[1]); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	return nil
}

// copyOut copies the finished database to the output.
func (x *Writer) copyOut() error {
	f, err := os.Open(x.main.file)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(x.out, f); err != nil {
		return fmt.Errorf("sqlite: writing the database: %w", err)
	}
	return nil
}
