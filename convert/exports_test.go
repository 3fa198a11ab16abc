package convert

import (
	"bytes"
	"testing"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/convert/xlsx"
	"github.com/annals-project/annals/internal/testkit"
)

// The exports the tests of one format against another write and read.

// writeXLSX writes the records to a workbook and returns its bytes.
func writeXLSX(t testing.TB, ds *record.Dataset, recs []*record.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	testkit.WriteAll(t, xlsx.NewWriter(&b, ds), recs)
	return b.Bytes()
}

// importXLSXBytes writes a workbook to a temporary file and imports it.
func importXLSXBytes(t testing.TB, b []byte, opts table.ImportOptions) ([]*record.Record, []error) {
	t.Helper()
	return converttest.ImportFile(t, converttest.TempFile(t, "annals.xlsx", b), opts, xlsx.NewImporter)
}

// csvExport writes recs into a fresh folder as a CSV export and returns it.
func csvExport(t testing.TB, ds *record.Dataset, recs []*record.Record, opts csv.Options) string {
	t.Helper()
	dir := t.TempDir()
	testkit.WriteAll(t, csv.NewWriter(dir, ds, opts), recs)
	return dir
}
