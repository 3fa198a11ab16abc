package xlsx

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
)

// TestXLSXConflictsSheet: the conflicts become a sheet of the workbook, a
// row per source, and reading the workbook back ignores it.
func TestXLSXConflictsSheet(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	ds.Conflicts = slices.Values([]record.Conflict{{
		RecordType: "event", RecordID: "ferry-vote", Field: "date", Canonical: "2022-03-14",
		Values: []record.ConflictValue{
			{Source: "gazette", Value: "2022-03-14", Wording: "on Monday", Rank: "preferred", Agrees: true},
			{Source: "radio", Value: "=2022-03-15", Agrees: false},
		},
	}})
	recs := converttest.DecodeRecords(t, converttest.XLSXFixture)
	b := writeXLSX(t, ds, recs)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(conflictsSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"record_type", "record_id", "field", "actor", "canonical", "source", "reported", "wording", "rank", "agrees"},
		{"event", "ferry-vote", "date", "", "2022-03-14", "gazette", "2022-03-14", "on Monday", "preferred", "TRUE"},
		{"event", "ferry-vote", "date", "", "2022-03-14", "radio", "=2022-03-15", "", "", "FALSE"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Conflicts sheet:\n got %q\nwant %q", rows, want)
	}
	if formula, _ := f.GetCellFormula(conflictsSheet, "G3"); formula != "" {
		t.Errorf("text became a formula: %q", formula)
	}
	got, errs := importXLSXBytes(t, b, table.ImportOptions{})
	converttest.CheckSame(t, "with a Conflicts sheet", got, errs, converttest.Values(recs))
}
