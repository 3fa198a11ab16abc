package convert

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

// The round trip: records written by the tabular writers and imported
// come back as they were, for generated datasets, for datasets of edge
// values and for the samples.

func importValidator(t testing.TB) *schema.Validator {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// importXLSXBytes writes a workbook to a temporary file and imports it.
func importXLSXBytes(t testing.TB, b []byte, opts ImportOptions) ([]*record.Record, []error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "annals.xlsx")
	if err := os.WriteFile(file, b, 0o666); err != nil {
		t.Fatal(err)
	}
	return importFile(t, file, opts, NewXLSXImporter)
}

type importOpener func(string, *schema.Validator, ImportOptions) (record.Reader, error)

// importFile imports a workbook or a CSV export, returning the records
// and every error, the constructor's included.
func importFile(t testing.TB, file string, opts ImportOptions, open importOpener) ([]*record.Record, []error) {
	t.Helper()
	r, err := open(file, nil, opts)
	if err != nil {
		return nil, []error{err}
	}
	return readertest.ReadAll(t, r)
}

func importedValues(recs []*record.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.Value
	}
	return out
}

// importDiff describes the first difference between two values.
func importDiff(got, want any, ptr string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %#v, want an object", ptr, got)
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			if d := importDiff(g[k], w[k], ptr+"/"+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %#v, want %#v", ptr, got, want)
		}
		for i := range w {
			if d := importDiff(g[i], w[i], ptr+"/"+strconv.Itoa(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("%s: got %#v (%T), want %#v (%T)", ptr, got, got, want, want)
	}
	return ""
}

// importCheckSame fails unless the imported records are want, in order,
// in canonical form: their canonical JSON Lines are the same bytes. A
// workbook's cells hold numbers, not their spelling, so 1.50 comes back as
// 1.5, which is its canonical spelling.
func importCheckSame(t testing.TB, what string, got []*record.Record, errs []error, want []any) {
	t.Helper()
	if len(errs) > 0 {
		t.Fatalf("%s: %d errors, the first: %v", what, len(errs), errs[0])
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d", what, len(got), len(want))
	}
	for i := range want {
		if d := importDiff(canonicalNumbers(got[i].Value), canonicalNumbers(want[i]), ""); d != "" {
			t.Fatalf("%s: record %d: %s", what, i, d)
		}
	}
	if g, w := canonicalJSONLines(t, importedValues(got)), canonicalJSONLines(t, want); g != w {
		t.Fatalf("%s: the canonical records differ:\n got %s\nwant %s", what, g, w)
	}
}

// canonicalJSONLines writes values with the canonical JSON Lines writer.
func canonicalJSONLines(t testing.TB, values []any) string {
	t.Helper()
	var b strings.Builder
	w := NewJSONLWriter(&b, &record.Dataset{Validator: importValidator(t)})
	for _, v := range values {
		if err := w.Write(&record.Record{Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func importRoundTripXLSX(t testing.TB, ds *record.Dataset, recs []*record.Record) {
	t.Helper()
	got, errs := importXLSXBytes(t, writeXLSX(t, ds, recs), ImportOptions{})
	importCheckSame(t, "xlsx", got, errs, importedValues(recs))
}

// importCSVVariant is one way of writing and reading the CSV export.
type importCSVVariant struct {
	opts      CSVOptions
	noPackage bool // datapackage.json deleted: the guard is assumed on
}

var importCSVVariants = []importCSVVariant{
	{opts: CSVOptions{}},
	{opts: CSVOptions{BOM: true}},
	{opts: CSVOptions{NoFormulaGuard: true}},
	{opts: CSVOptions{BOM: true, NoFormulaGuard: true}},
	{opts: CSVOptions{BOM: true}, noPackage: true},
}

func importRoundTripCSV(t testing.TB, ds *record.Dataset, recs []*record.Record, cv importCSVVariant) {
	t.Helper()
	dir := csvExport(t, ds, recs, cv.opts)
	if cv.noPackage {
		if err := os.Remove(filepath.Join(dir, "datapackage.json")); err != nil {
			t.Fatal(err)
		}
	}
	got, errs := importFile(t, dir, ImportOptions{}, NewCSVImporter)
	importCheckSame(t, fmt.Sprintf("csv %+v", cv), got, errs, importedValues(recs))
}

// TestImportRoundTrip exports 200 datasets and imports them: half from
// gen, of varied sizes, half of edge values. Every one goes through the
// CSV writer (its variants in turn) and through the workbook. Under the
// race detector, where a workbook costs some 500 ms, 24 datasets run and
// one in eight goes through the workbook.
func TestImportRoundTrip(t *testing.T) {
	v := importValidator(t)
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
					importRoundTripXLSX(t, ds, importEdgeRecords(v, seed))
				}
				importRoundTripCSV(t, ds, importEdgeRecords(v, seed), cv)
				return
			}
			size := 1 + i%23
			if i%40 == 0 {
				size = 300
			}
			recs := csvGenRecords(size, seed)
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
		recs = append(recs, csvReadSamples(t, "../samples/"+name+".yaml")...)
	}
	ds := testDataset(t)
	importRoundTripXLSX(t, ds, recs)
	for _, cv := range importCSVVariants {
		importRoundTripCSV(t, ds, recs, cv)
	}
}

func TestImportRoundTripFixtures(t *testing.T) {
	importRoundTripXLSX(t, testDataset(t), decodeRecords(t, xlsxFixture))
	importRoundTripCSV(t, csvDataset(t), csvRecords(t, csvFixture), importCSVVariants[0])
}
