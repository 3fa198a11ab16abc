package convert

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/xlsx"
	"github.com/annals-project/annals/internal/testkit"
)

// TestCarriedManifest checks that workbook and CSV exports carry their
// dataset's manifest, and give it back located where it is written; that
// an export without one gives none; and that a datapackage.json that is
// a named pipe is not waited on.
func TestCarriedManifest(t *testing.T) {
	ds := converttest.CSVDataset(t)
	want := converttest.CanonicalNumbers(ds.Manifest)

	book := filepath.Join(t.TempDir(), "edit.xlsx")
	if err := os.WriteFile(book, writeXLSX(t, ds, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, _, err := CarriedManifest(book)
	if err != nil || rec == nil {
		t.Fatalf("workbook: %v, %v", rec, err)
	}
	if !reflect.DeepEqual(converttest.CanonicalNumbers(rec.Value), want) {
		t.Errorf("workbook carries %v, want %v", rec.Value, want)
	}
	if p := rec.Position("", false); p.Sheet != xlsx.AboutSheet || p.Cell == "" {
		t.Errorf("workbook's manifest located at %+v, want a cell of the About sheet", p)
	}

	dir := csvExport(t, ds, nil, csv.Options{})
	for _, path := range []string{dir, filepath.Join(dir, "datapackage.json")} {
		rec, _, err := CarriedManifest(path)
		if err != nil || rec == nil || !reflect.DeepEqual(converttest.CanonicalNumbers(rec.Value), want) {
			t.Errorf("CSV export %s: %v, %v", path, rec, err)
		}
	}

	// Without a manifest, an export carries none.
	bare := &record.Dataset{Validator: ds.Validator}
	book2 := filepath.Join(t.TempDir(), "bare.xlsx")
	if err := os.WriteFile(book2, writeXLSX(t, bare, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if rec, _, err := CarriedManifest(book2); rec != nil || err != nil {
		t.Errorf("workbook without a manifest: %v, %v", rec, err)
	}

	fifo := t.TempDir()
	testkit.Fifo(t, filepath.Join(fifo, "datapackage.json"))
	if _, _, err := CarriedManifest(fifo); err == nil {
		t.Error("a datapackage.json that is a named pipe gave no error")
	}
}
