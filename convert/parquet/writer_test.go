package parquet

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pq "github.com/parquet-go/parquet-go"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/testkit"
)

// export writes recs into a fresh folder and returns it.
func export(t *testing.T, ds *record.Dataset, recs []*record.Record) string {
	t.Helper()
	dir := t.TempDir()
	w := NewWriter(dir, ds)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readBack opens a file with the Parquet library and returns its rows.
func readBack(t *testing.T, path string) (*pq.File, []pq.Row) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := pq.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	r := pq.NewReader(bytes.NewReader(data))
	defer r.Close()
	var rows []pq.Row
	buf := make([]pq.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rows = append(rows, row.Clone())
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return f, rows
}

// TestParquetTablesReadBack writes the fixture and generated records and
// reads every file back: its columns in the table's order with their
// types, as many rows as the table has, and the cells' values.
func TestParquetTablesReadBack(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := append(converttest.DecodeRecords(t, converttest.XLSXFixture), converttest.GeneratedRecords(300, 5)...)
	dir := export(t, ds, recs)
	tables := table.Tables(ds.Validator)
	want := make([]int, len(tables)) // rows per table
	attestations := 0
	for _, r := range recs {
		for ti, rows := range table.Flatten(tables, r.Value.(map[string]any)) {
			want[ti] += len(rows)
		}
		attestations += analysis.RowsOf(r)
	}
	wantType := map[string]string{"string": "BYTE_ARRAY", "integer": "INT64", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "INT32"}
	for ti, tb := range append(tables, analysis.NewLayout(ds.Validator).Table) {
		f, rows := readBack(t, filepath.Join(dir, tb.Name+".parquet"))
		n := attestations
		if ti < len(tables) {
			n = want[ti]
		}
		if f.NumRows() != int64(n) || len(rows) != n {
			t.Errorf("%s: %d rows (%d read), want %d", tb.Name, f.NumRows(), len(rows), n)
		}
		leaves := f.Schema().Fields()
		if len(leaves) != len(tb.Columns) {
			t.Fatalf("%s: %d columns, want %d", tb.Name, len(leaves), len(tb.Columns))
		}
		for i, c := range tb.Columns {
			l := leaves[i]
			if l.Name() != c.Name || !l.Optional() || l.Type().Kind().String() != wantType[c.Type] {
				t.Errorf("%s: column %d is %s %s (optional %v), want %s %s", tb.Name, i, l.Name(), l.Type().Kind(), l.Optional(), c.Name, wantType[c.Type])
			}
			logical := l.Type().String()
			if c.Type == "date" && logical != "DATE" || c.Type == "string" && logical != "STRING" {
				t.Errorf("%s.%s is of the type %s", tb.Name, c.Name, logical)
			}
		}
		if d, _ := f.Lookup("annals.derived"); (d == "true") != tb.Derived {
			t.Errorf("%s: annals.derived = %q", tb.Name, d)
		}
	}

	// Values, read back from the events table and the analysis table.
	_, events := readBack(t, filepath.Join(dir, "events.parquet"))
	ev := tables[indexOf(tables, "events")]
	cell := func(row pq.Row, tb table.Table, name string) pq.Value { return row[tb.ColumnIndex(name)] }
	if v := cell(events[0], ev, "id"); string(v.ByteArray()) != "ferry-talks" {
		t.Errorf("events[0].id = %v", v)
	}
	if v := cell(events[0], ev, "date_earliest"); v.Int32() != 18993 { // 2022-01-01
		t.Errorf("date_earliest = %v days, want 18993 (2022-01-01)", v.Int32())
	}
	if v := cell(events[0], ev, "date_approximate"); !v.Boolean() {
		t.Errorf("date_approximate = %v", v)
	}
	if v := cell(events[0], ev, "location_coordinates_latitude"); v.Double() != 69.6492 {
		t.Errorf("latitude = %v", v.Double())
	}
	if v := cell(events[0], ev, "description"); !v.IsNull() {
		t.Errorf("an absent description is %v, want null", v)
	}
	an := analysis.NewLayout(ds.Validator).Table
	_, rows := readBack(t, filepath.Join(dir, "analysis.parquet"))
	if v := cell(rows[1], an, "speaker_name"); string(v.ByteArray()) != "Harbour Council" {
		t.Errorf("analysis[1].speaker_name = %v", v)
	}
	if v := cell(rows[1], an, "attestation_index"); v.Int64() != 1 {
		t.Errorf("analysis[1].attestation_index = %v", v)
	}
	if v := cell(rows[0], an, "quote"); string(v.ByteArray()) != "=SUM(A1)" {
		t.Errorf("analysis[0].quote = %v: Parquet keeps text as it is", v)
	}
}

func indexOf(tables []table.Table, name string) int {
	for i, t := range tables {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// TestParquetDeterministic writes the same records twice.
func TestParquetDeterministic(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := append(converttest.DecodeRecords(t, converttest.XLSXFixture), converttest.GeneratedRecords(500, 9)...)
	a, b := export(t, ds, recs), export(t, ds, recs)
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(table.Tables(ds.Validator))+1 {
		t.Errorf("%d files", len(entries))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two exports of the same records (%v)", e.Name(), err)
		}
		if !ExportFiles(ds.Validator)(e.Name()) {
			t.Errorf("ExportFiles says %s is not the export's", e.Name())
		}
	}
}

// TestParquetRefusesInexactNumbers checks that a number a DOUBLE cannot
// hold exactly is refused, naming the record and the column, rather than
// rounded.
func TestParquetRefusesInexactNumbers(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	rec := &record.Record{File: "f.json", Line: 3, Col: 1, Value: testkit.DecodeJSON(t, `{"type": "event", "id": "far-talks", "title": "Talks",
	 "category": "consult", "status": "occurred", "date": "2022-01-10",
	 "location": {"name": "Tromsø", "coordinates": {"latitude": 69.64920000000000000001, "longitude": 18.9553}},
	 "attestations": [{"source": "src-bulletin"}]}`)}
	w := NewWriter(t.TempDir(), ds)
	err := w.Write(rec)
	var we *record.WriteError
	if !errors.As(err, &we) || we.ID != "far-talks" || !strings.Contains(err.Error(), "location_coordinates_latitude") ||
		!strings.Contains(err.Error(), "69.64920000000000000001") {
		t.Errorf("Write = %v, want a WriteError naming the record, the column and the number", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a refused record succeeded")
	}

}
