package sqlite

import (
	"bytes"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/testkit"
)

// write writes recs as a database and returns its bytes.
func write(t *testing.T, ds *record.Dataset, recs []*record.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, ds)
	t.Cleanup(func() { w.Close() }) // its temporary files go, should the test stop first
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// open opens a database's bytes through the driver.
func open(t *testing.T, data []byte) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "annals.sqlite")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSQLiteReadsBack writes the fixture and generated records and reads
// the database back: every table with its rows, no foreign key broken, the
// analysis table, the codebook, and a full-text query that finds a quote.
func TestSQLiteReadsBack(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := append(converttest.DecodeRecords(t, converttest.XLSXFixture), converttest.GeneratedRecords(300, 5)...)
	db := open(t, write(t, ds, recs))

	tables := table.Tables(ds.Validator)
	want := make([]int, len(tables))
	attestations := 0
	for _, r := range recs {
		for ti, rows := range table.Flatten(tables, r.Value.(map[string]any)) {
			want[ti] += len(rows)
		}
		attestations += analysis.RowsOf(r)
	}
	count := func(name string) int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM ` + quote(name)).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return n
	}
	for ti, tb := range tables {
		if n := count(tb.Name); n != want[ti] {
			t.Errorf("%s: %d rows, want %d", tb.Name, n, want[ti])
		}
	}
	if n := count(analysis.Name); n != attestations {
		t.Errorf("analysis: %d rows, want %d", n, attestations)
	}

	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tbl, parent string
		var rowid, fk sql.NullInt64
		rows.Scan(&tbl, &rowid, &parent, &fk)
		t.Errorf("a broken foreign key: a row of %s refers to a missing row of %s", tbl, parent)
	}
	rows.Close()
	var fks int
	db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_list('event_attestation_names')`).Scan(&fks)
	if fks < 2 {
		t.Errorf("event_attestation_names declares %d foreign keys", fks)
	}

	var id, field string
	var att int
	if err := db.QueryRow(`SELECT record_id, attestation_index, field FROM search WHERE search MATCH 'timetable'`).Scan(&id, &att, &field); err != nil {
		t.Fatalf("searching for a quote: %v", err)
	}
	if id != "council-reply" || att != 1 || field != "quote" {
		t.Errorf("search found %s, attestation %d, %s", id, att, field)
	}

	var lat float64
	var day, speaker string
	var approx int
	db.QueryRow(`SELECT location_coordinates_latitude, date_earliest, date_approximate FROM events WHERE id = 'ferry-talks'`).Scan(&lat, &day, &approx)
	if lat != 69.6492 || day != "2022-01-01" || approx != 1 {
		t.Errorf("ferry-talks: %v, %s, %d", lat, day, approx)
	}
	db.QueryRow(`SELECT speaker_name FROM analysis WHERE record_id = 'council-reply' AND attestation_index = 2`).Scan(&speaker)
	if speaker != "Harbour Council" {
		t.Errorf("analysis speaker_name = %q", speaker)
	}
	var described int
	db.QueryRow(`SELECT count(*) FROM ` + CodebookTable + ` WHERE "table" = 'analysis' AND description <> ''`).Scan(&described)
	if described != len(analysis.NewLayout(ds.Validator).Table.Columns) {
		t.Errorf("the codebook describes %d columns of the analysis table", described)
	}
}

func TestSQLiteDeterministic(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := append(converttest.DecodeRecords(t, converttest.XLSXFixture), converttest.GeneratedRecords(200, 9)...)
	if a, b := write(t, ds, recs), write(t, ds, recs); !bytes.Equal(a, b) {
		t.Error("two databases of the same records differ")
	}
}

// TestSQLiteRefusesInexactNumbers checks that a number a REAL cannot hold
// exactly is refused, naming the record, rather than rounded; and that
// nothing is written then.
func TestSQLiteRefusesInexactNumbers(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	rec := &record.Record{File: "f.json", Line: 3, Col: 1, Value: testkit.DecodeJSON(t, `{"type": "event", "id": "far-talks", "title": "Talks",
	 "category": "consult", "status": "occurred", "date": "2022-01-10",
	 "location": {"name": "Tromsø", "coordinates": {"latitude": 69.64920000000000000001, "longitude": 18.9553}},
	 "attestations": [{"source": "src-bulletin"}]}`)}
	var b bytes.Buffer
	w := NewWriter(&b, ds)
	err := w.Write(rec)
	var we *record.WriteError
	if !errors.As(err, &we) || we.ID != "far-talks" || !strings.Contains(err.Error(), "location_coordinates_latitude") {
		t.Errorf("Write = %v, want a WriteError naming the record and the column", err)
	}
	if err := w.Close(); err == nil || b.Len() != 0 {
		t.Errorf("Close = %v after a refused record, with %d bytes written", err, b.Len())
	}
}

// TestSQLiteForeignKeysDeclared checks that the check above can fail: a
// statement whose speaker is missing (which validation refuses before any
// writer sees it) breaks a foreign key that foreign_key_check finds.
func TestSQLiteForeignKeysDeclared(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := converttest.DecodeRecords(t, `[{"type": "statement", "id": "lost", "speaker": "nobody", "date": "2022",
	  "summary": "Nobody speaks.", "attestations": [{"source": "nowhere"}]}]`)
	db := open(t, write(t, ds, recs))
	var broken int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil {
		t.Fatal(err)
	}
	if broken < 2 { // the speaker and the attestation's source
		t.Errorf("foreign_key_check finds %d broken keys, want at least 2", broken)
	}
}

// TestSQLiteTempFolderWithURICharacters writes through a temporary folder
// whose name holds the characters a URI gives a meaning ("#", "?", "%"):
// the database is built there, and nowhere else.
func TestSQLiteTempFolderWithURICharacters(t *testing.T) {
	parent := t.TempDir()
	tmp := filepath.Join(parent, "tmp#a?b%41c")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	ds := converttest.XLSXDataset(t)
	db := open(t, write(t, ds, converttest.DecodeRecords(t, converttest.XLSXFixture)))
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM actors`).Scan(&n); err != nil || n != 1 {
		t.Errorf("actors: %d rows (%v)", n, err)
	}
	for _, dir := range []string{parent, tmp} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != filepath.Base(tmp) {
				t.Errorf("%s left in %s", e.Name(), dir)
			}
		}
	}
}

// TestSQLiteDiscard checks that a discarded database (the input had
// errors) writes nothing and leaves no temporary file.
func TestSQLiteDiscard(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var b bytes.Buffer
	w := NewWriter(&b, converttest.XLSXDataset(t))
	for _, r := range converttest.DecodeRecords(t, converttest.XLSXFixture) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.(record.Discarder).Discard()
	if err := w.Close(); !errors.Is(err, record.ErrDiscarded) || b.Len() != 0 {
		t.Errorf("Close after Discard = %v, with %d bytes written", err, b.Len())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d files left in the temporary folder", len(entries))
	}
}

// TestSQLiteSearchIndexIntact checks the search index copied in from the
// database it was built in: SQLite's own integrity check of an FTS5 table
// (its index against its texts) passes, and it holds exactly the titles,
// summaries and quotes the tables hold, each once.
func TestSQLiteSearchIndexIntact(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := append(converttest.DecodeRecords(t, converttest.XLSXFixture), converttest.GeneratedRecords(2000, 3)...)
	path := filepath.Join(t.TempDir(), "annals.sqlite")
	if err := os.WriteFile(path, write(t, ds, recs), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO search(search) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("the search index fails its integrity check: %v", err)
	}
	fromTables := `SELECT 'event', id, NULL, 'title', title FROM events WHERE title IS NOT NULL
	  UNION ALL SELECT 'statement', id, NULL, 'summary', summary FROM statements WHERE summary IS NOT NULL
	  UNION ALL SELECT 'event', event_id, attestation_index, 'quote', quote FROM event_attestations WHERE quote IS NOT NULL
	  UNION ALL SELECT 'statement', statement_id, attestation_index, 'quote', quote FROM statement_attestations WHERE quote IS NOT NULL`
	var n, missing, extra int
	db.QueryRow(`SELECT count(*) FROM search`).Scan(&n)
	db.QueryRow(`SELECT count(*) FROM (SELECT * FROM (` + fromTables + `) EXCEPT SELECT * FROM search)`).Scan(&missing)
	db.QueryRow(`SELECT count(*) FROM (SELECT * FROM search EXCEPT SELECT * FROM (` + fromTables + `))`).Scan(&extra)
	var want int
	db.QueryRow(`SELECT count(*) FROM (` + fromTables + `)`).Scan(&want)
	if n != want || missing != 0 || extra != 0 || want < 2000 {
		t.Errorf("search: %d rows for the tables' %d texts; %d missing, %d not in the tables", n, want, missing, extra)
	}
	var hits int
	db.QueryRow(`SELECT count(*) FROM search WHERE search MATCH 'timetable'`).Scan(&hits)
	if hits != 1 {
		t.Errorf("a word of one quote is found %d times", hits)
	}
}

// TestSQLiteBuiltInPlace writes to an output file that is renamed into
// place when done: the database is built in it, not copied, and is whole
// after Commit; discarded, nothing is left, there or in the temporary
// folder.
func TestSQLiteBuiltInPlace(t *testing.T) {
	tmp, dir := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ds := converttest.XLSXDataset(t)
	recs := converttest.DecodeRecords(t, converttest.XLSXFixture)
	target := filepath.Join(dir, "out.sqlite")
	for _, keep := range []bool{true, false} {
		f, err := atomicfile.Create(target)
		if err != nil {
			t.Fatal(err)
		}
		if name, ok := f.Temporary(); !ok || filepath.Dir(name) != dir {
			t.Fatalf("Temporary = %q, %v", name, ok)
		}
		w := NewWriter(f, ds)
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if !keep {
			w.(record.Discarder).Discard()
			f.Abort()
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a discarded database left %d files", len(entries))
			}
			continue
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		// Nothing went through the file's own descriptor: SQLite wrote
		// the file, and Commit only syncs and renames it.
		if off, _ := f.Seek(0, io.SeekCurrent); off != 0 {
			t.Errorf("the database was copied into the output (%d bytes written)", off)
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, r := range recs {
			want += analysis.RowsOf(r)
		}
		var n int
		if err := open(t, data).QueryRow(`SELECT count(*) FROM analysis`).Scan(&n); err != nil || n != want {
			t.Errorf("analysis: %d rows (%v), want %d", n, err, want)
		}
		os.Remove(target)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d files left in the temporary folder", len(entries))
	}
}

// inPlaceOutput is an output whose temporary file SQLite cannot build the
// database in (here a folder, as a file system without locks would refuse
// it): the writer builds it in a scratch file and copies it out instead.
type inPlaceOutput struct {
	bytes.Buffer
	name string
}

func (o *inPlaceOutput) Temporary() (string, bool) { return o.name, true }

func TestSQLiteInPlaceFallsBack(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out := &inPlaceOutput{name: t.TempDir()}
	ds := converttest.XLSXDataset(t)
	w := NewWriter(out, ds)
	for _, r := range converttest.DecodeRecords(t, converttest.XLSXFixture) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := open(t, out.Bytes()).QueryRow(`SELECT count(*) FROM actors`).Scan(&n); err != nil || n != 1 {
		t.Errorf("actors: %d rows (%v)", n, err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d files left in the temporary folder", len(entries))
	}
}
