package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/annals-project/annals/internal/atomicfile"
)

// database is one SQLite database being filled: a file that is not the
// output yet (a scratch file, or the output's temporary file), a
// connection of its own in one transaction, and a goroutine that inserts
// the rows it is sent, batchRows to a statement. The Writer keeps two, the
// tables and the search index, which fill at once.
type database struct {
	file    string
	scratch bool // file is ours to remove
	db      *sql.DB
	conn    *sql.Conn
	tx      *sql.Tx
	batches []*batch // by table, in the order addTable made them

	pieces   chan []row
	inserted chan struct{} // closed when the goroutine is done
	failed   atomic.Bool
	err      error // the goroutine's first error: read it after stop
}

// row is one row for the inserting goroutine: the values of a row of the
// table numbered table (in the order of addTable).
type row struct {
	table  int
	values []any
}

// openScratch creates a database in a temporary file of its own, with a
// page cache of cacheKiB, and begins its transaction.
func openScratch(pattern string, cacheKiB int) (*database, error) {
	f, err := atomicfile.Scratch(pattern) // removed by an interrupt too
	if err != nil {
		return nil, fmt.Errorf("sqlite: creating a temporary file for the database: %w", err)
	}
	f.Close()
	return openDatabase(f.Name(), true, cacheKiB)
}

// openDatabase makes the empty file a database, with a page cache of
// cacheKiB, and begins its transaction; scratch says the database may
// remove the file.
func openDatabase(file string, scratch bool, cacheKiB int) (*database, error) {
	d := &database{file: file, scratch: scratch}
	var err error
	// Not the output until Close copies or renames it: no journal, no
	// syncs.
	// Foreign keys are declared, and checked by tests, not enforced while
	// rows of any order arrive. The path goes into a URI: escaped, so
	// that a "#", "?" or "%" in the temporary folder's name is part of
	// the path.
	uri := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(d.file),
		RawQuery: "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=foreign_keys(OFF)"}
	if d.db, err = sql.Open("sqlite", uri.String()); err != nil {
		return d, fmt.Errorf("sqlite: %w", err)
	}
	// One connection, held: ATTACH, the page cache and the transaction
	// belong to it.
	if d.conn, err = d.db.Conn(context.Background()); err != nil {
		return d, fmt.Errorf("sqlite: %w", err)
	}
	// Pages of 16 KiB, not 4: quotes and summaries fill fewer of them,
	// and inserts split fewer (5 to 10% faster at a million records).
	for _, p := range []string{"PRAGMA page_size = 16384", fmt.Sprintf("PRAGMA cache_size = -%d", cacheKiB)} {
		if _, err := d.conn.ExecContext(context.Background(), p); err != nil {
			return d, fmt.Errorf("sqlite: %w", err)
		}
	}
	return d, d.begin()
}

func (d *database) begin() error {
	var err error
	if d.tx, err = d.conn.BeginTx(context.Background(), nil); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// exec runs a statement in the transaction.
func (d *database) exec(q string, args ...any) error {
	_, err := d.tx.Exec(q, args...)
	return err
}

// addTable runs create, which makes a table, and prepares the inserts of
// its rows into the table and columns into names ("search(rowid, text)");
// its rows are then sent as table len(d.batches) before.
func (d *database) addTable(name, create, into string, cols int) error {
	if err := d.exec(create); err != nil {
		return fmt.Errorf("sqlite: creating the table %s: %w", name, err)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	b := &batch{name: name, cols: cols, rows: max(1, min(batchRows, maxValues/max(cols, 1)))}
	var err error
	if b.one, err = d.tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES %s", into, row)); err != nil {
		return fmt.Errorf("sqlite: %s: %w", name, err)
	}
	rows := strings.TrimSuffix(strings.Repeat(row+", ", b.rows), ", ")
	if b.many, err = d.tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES %s", into, rows)); err != nil {
		return fmt.Errorf("sqlite: %s: %w", name, err)
	}
	d.batches = append(d.batches, b)
	return nil
}

// start starts the inserting goroutine.
func (d *database) start() {
	d.pieces, d.inserted = make(chan []row, 256), make(chan struct{})
	go d.insert()
}

// insert inserts the rows it is sent until the channel closes; after an
// error it only drains it.
func (d *database) insert() {
	defer close(d.inserted)
	for piece := range d.pieces {
		if d.err != nil {
			continue
		}
		for _, r := range piece {
			if err := d.batches[r.table].add(r.values...); err != nil {
				d.err = err
				d.failed.Store(true)
				break
			}
		}
	}
}

// send gives the goroutine a piece of rows.
func (d *database) send(piece []row) {
	if len(piece) > 0 {
		d.pieces <- piece
	}
}

// stop waits for the goroutine to insert what it was sent, inserts the
// rows still in the batches, and returns the first error.
func (d *database) stop() error {
	if d.pieces == nil {
		return d.err
	}
	close(d.pieces)
	<-d.inserted
	d.pieces = nil
	if d.err != nil {
		return d.err
	}
	for _, b := range d.batches {
		if err := b.flush(); err != nil {
			d.err = err
			return err
		}
	}
	return nil
}

// commit commits the transaction.
func (d *database) commit() error {
	err := d.tx.Commit()
	d.tx = nil
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// close stops the goroutine, closes the database and returns the first
// error; the file stays until remove.
func (d *database) close() error {
	if d == nil {
		return nil
	}
	err := d.stop()
	if d.tx != nil {
		d.tx.Rollback()
		d.tx = nil
	}
	if d.conn != nil {
		if e := d.conn.Close(); e != nil && err == nil {
			err = fmt.Errorf("sqlite: %w", e)
		}
		d.conn = nil
	}
	if d.db != nil {
		if e := d.db.Close(); e != nil && err == nil {
			err = fmt.Errorf("sqlite: %w", e)
		}
		d.db = nil
	}
	return err
}

// remove removes the file, if it is a scratch file.
func (d *database) remove() {
	if d != nil && d.scratch && d.file != "" {
		atomicfile.RemoveScratch(d.file)
		d.file = ""
	}
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
