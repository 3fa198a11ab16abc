package convert

import (
	"bytes"
	encsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/convert/xlsx"
	"github.com/annals-project/annals/internal/testkit"
)

// The round trip: records written by the tabular writers and imported
// come back as they were, for generated datasets, for datasets of edge
// values and for the samples.

func importRoundTripXLSX(t testing.TB, ds *record.Dataset, recs []*record.Record) {
	t.Helper()
	got, errs := importXLSXBytes(t, writeXLSX(t, ds, recs), table.ImportOptions{})
	converttest.CheckSame(t, "xlsx", got, errs, converttest.Values(recs))
}

// importCSVVariant is one way of writing and reading the CSV export.
type importCSVVariant struct {
	opts      csv.Options
	noPackage bool // datapackage.json deleted: the guard is assumed on
}

var importCSVVariants = []importCSVVariant{
	{opts: csv.Options{}},
	{opts: csv.Options{BOM: true}},
	{opts: csv.Options{NoFormulaGuard: true}},
	{opts: csv.Options{BOM: true, NoFormulaGuard: true}},
	{opts: csv.Options{BOM: true}, noPackage: true},
}

func importRoundTripCSV(t testing.TB, ds *record.Dataset, recs []*record.Record, cv importCSVVariant) {
	t.Helper()
	dir := csvExport(t, ds, recs, cv.opts)
	if cv.noPackage {
		if err := os.Remove(filepath.Join(dir, "datapackage.json")); err != nil {
			t.Fatal(err)
		}
	}
	got, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, csv.NewImporter)
	converttest.CheckSame(t, fmt.Sprintf("csv %+v", cv), got, errs, converttest.Values(recs))
}

// TestImportRoundTrip exports 200 datasets and imports them: half from
// gen, of varied sizes, half of edge values. Every one goes through the
// CSV writer (its variants in turn) and through the workbook. Under the
// race detector, where a workbook costs some 500 ms, 24 datasets run and
// one in eight goes through the workbook.
func TestImportRoundTrip(t *testing.T) {
	v := converttest.Validator(t)
	ds := &record.Dataset{Validator: v}
	n := 200
	if testkit.RaceEnabled || testing.Short() {
		n = 24
	}
	for i := range n {
		seed := uint64(i)
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			cv := importCSVVariants[i%len(importCSVVariants)]
			// Every dataset goes through the workbook too, except under the
			// race detector, where a workbook costs ten times as much.
			xlsx := !testkit.RaceEnabled || i%8 == 0
			if i%2 == 1 {
				if xlsx {
					importRoundTripXLSX(t, ds, converttest.EdgeRecords(v, seed))
				}
				importRoundTripCSV(t, ds, converttest.EdgeRecords(v, seed), cv)
				return
			}
			size := 1 + i%23
			if i%40 == 0 {
				size = 300
			}
			recs := converttest.GeneratedRecords(size, seed)
			if xlsx {
				importRoundTripXLSX(t, ds, recs)
			}
			importRoundTripCSV(t, ds, recs, cv)
		})
	}
}

func TestImportRoundTripSamples(t *testing.T) {
	var recs []*record.Record
	for _, name := range []string{"actors", "sources", "events", "statements"} {
		recs = append(recs, converttest.ReadSamples(t, filepath.Join(converttest.Samples, name+".yaml"))...)
	}
	ds := converttest.XLSXDataset(t)
	importRoundTripXLSX(t, ds, recs)
	for _, cv := range importCSVVariants {
		importRoundTripCSV(t, ds, recs, cv)
	}
}

func TestImportRoundTripFixtures(t *testing.T) {
	importRoundTripXLSX(t, converttest.XLSXDataset(t), converttest.DecodeRecords(t, converttest.XLSXFixture))
	importRoundTripCSV(t, converttest.CSVDataset(t), converttest.Records(t, converttest.CSVFixture), importCSVVariants[0])
}

// A record imported from a CSV export that a workbook cannot hold is
// refused at the CSV cell of the offending value, not at the start of the
// record: its position is where the curator edits it.
func TestWriteErrorNamesTheImportedCell(t *testing.T) {
	recs := converttest.Records(t, converttest.CSVFixture)
	long := strings.Repeat("x", xlsx.MaxCellChars+1)
	var target *record.Record
	for _, r := range recs {
		if m := r.Value.(map[string]any); m["type"] == "event" {
			m["description"] = long
			target = r
			break
		}
	}
	if target == nil {
		t.Fatal("the fixture has no event")
	}
	dir := csvExport(t, converttest.CSVDataset(t), recs, csv.Options{})
	imported, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, csv.NewImporter)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	w := xlsx.NewWriter(io.Discard, converttest.CSVDataset(t))
	var re *record.WriteError
	for _, r := range imported {
		if err := w.Write(r); err != nil {
			if !errors.As(err, &re) {
				t.Fatalf("Write = %v, want a *WriteError", err)
			}
			break
		}
	}
	if re == nil {
		t.Fatal("the workbook took a text longer than a cell holds")
	}
	// The description's cell: its column in the header, the record's line.
	rows, err := encsv.NewReader(bytes.NewReader(readFile(t, filepath.Join(dir, "events.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := target.Value.(map[string]any)["id"]
	line, col := 0, slices.Index(rows[0], "description")+1
	for i, row := range rows {
		if row[slices.Index(rows[0], "id")] == want {
			line = i + 1 // one row a line: the fixture's texts have no line breaks
		}
	}
	if re.ID != want || re.Pointer != "/description" || re.File != filepath.Join(dir, "events.csv") || re.Line != line || re.Col != col || col == 0 {
		t.Errorf("WriteError at %s, %s %q %s; want %s:%d:%d, the description of %q", re.Position, re.Type, re.ID, re.Pointer, filepath.Join(dir, "events.csv"), line, col, want)
	}
	if !strings.HasPrefix(re.Error(), re.Position.String()+": ") {
		t.Errorf("message %q does not start with the position", re.Error())
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A CSV export is a folder, whatever its name: one called export.xlsx is
// read as a CSV export, not opened as a workbook.
func TestNewImporterTellsFolderFromWorkbook(t *testing.T) {
	recs := converttest.Records(t, converttest.CSVFixture)
	dir := filepath.Join(t.TempDir(), "export.xlsx")
	if err := os.Rename(csvExport(t, converttest.CSVDataset(t), recs, csv.Options{}), dir); err != nil {
		t.Fatal(err)
	}
	got, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
	converttest.CheckSame(t, "a CSV export named export.xlsx", got, errs, converttest.Values(recs))
	if rec, _, err := CarriedManifest(dir); err != nil || rec == nil {
		t.Errorf("CarriedManifest of the folder = %v, %v; want its manifest", rec, err)
	}
}
