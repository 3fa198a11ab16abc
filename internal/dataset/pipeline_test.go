package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

// TestPipelineMatchesOneByOne checks a generated dataset with broken
// records, lines that are not JSON, records without ids and references to
// records that come later, on four workers, and holds the report to what
// checking one record at a time gives.
func TestPipelineMatchesOneByOne(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var buf bytes.Buffer
	i := 0
	for rec := range gen.Records(3000, 11, 0.1) {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
		if i++; i%500 == 0 {
			buf.WriteString("{\"type\": \"event\", broken\n")
			// Cut short by the end of the line: only the first is
			// explained. And a record without an id, which findings name
			// by its number in the file.
			buf.WriteString(`{"type":"event","id":"cut-short",` + "\n")
			buf.WriteString(`{"type":"event","title":"No id.","category":"consult","date":"2022-01-10"}` + "\n")
		}
	}
	// A statement about an event that comes after it.
	buf.WriteString(`{"type":"statement","id":"early","speaker":"actor-1","text":"A.","about":["event-late"],"attestations":[{"source":"source-400"}]}` + "\n")
	buf.WriteString(`{"type":"event","id":"event-late","title":"T.","category":"consult","date":"2022-01-10","attestations":[{"source":"source-400"}]}` + "\n")
	path := filepath.Join(t.TempDir(), "records.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Path: path, Format: record.FormatJSONL}

	// Each gets every record in order, with what Prepare made of that
	// record on a worker.
	parallel := check.New(v)
	type prepared struct{ rec *record.Record }
	seen := 0
	opts := Options{Validator: v,
		Prepare: func(rec *record.Record) any { return prepared{rec} },
		Each: func(rec *record.Record, p any) {
			if p != (prepared{rec}) {
				t.Fatalf("record %d came with what was prepared for another: %v", rec.Index, p)
			}
			if rec.Index < seen {
				t.Fatalf("record %d came after record %d", rec.Index, seen)
			}
			seen = rec.Index
		}}
	if _, err := Read(parallel, []Input{in}, nil, opts); err != nil {
		t.Fatal(err)
	}
	got := parallel.Finish()

	want, _, err := oneByOne(v, in)
	if err != nil {
		t.Fatal(err)
	}
	if want.Errors < 100 || want.Records < 3000 {
		t.Fatalf("the dataset is too clean to tell: %d errors in %d records", want.Errors, want.Records)
	}
	sameReport(t, in.Name(), got, want)
}

// oneByOne is the pipeline's plain twin: it reads in one record at a time
// into a checker, read errors and the importers' notes as they come, and
// returns the report and the number of notes.
func oneByOne(v *schema.Validator, in Input) (*check.Report, int, error) {
	serial := check.New(v)
	serial.File(in.Name())
	opts := Options{Validator: v}
	notes := 0
	opts.Import.Note = func(ie *record.ImportError) { serial.ReadError(in.Name(), ie); notes++ }
	err := each(in, nil, new(bytes.Buffer), opts, func(rec *record.Record, err error) error {
		if err != nil {
			serial.ReadError(in.Name(), err)
		} else {
			serial.Record(rec)
		}
		return nil
	})
	return serial.Finish(), notes, err
}

// sameReport fails the test unless the pipeline's report is the twin's,
// showing the first finding that differs.
func sameReport(t *testing.T, what string, got, want *check.Report) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("%s: the pipeline's report differs: %d errors, %d warnings, %d findings; one by one: %d, %d, %d",
		what, got.Errors, got.Warnings, len(got.Findings), want.Errors, want.Warnings, len(want.Findings))
	for i := range min(len(got.Findings), len(want.Findings)) {
		if got.Findings[i] != want.Findings[i] {
			t.Errorf("first difference, finding %d:\n got %+v\nwant %+v", i, got.Findings[i], want.Findings[i])
			return
		}
	}
}

// TestPipelineMatchesOneByOneForExports holds the pipeline to reading an
// export one record at a time, for every hostile workbook and CSV export:
// the same findings, the importers' notes (warnings found while reading a
// value) included, in the same order.
func TestPipelineMatchesOneByOneForExports(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join("..", "..", "testdata", "hostile")
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, e := range entries {
		in := Input{Path: filepath.Join(corpus, e.Name())}
		switch {
		case strings.HasSuffix(e.Name(), ".xlsx"):
			in.Import = ImportXLSX
		case e.IsDir() && strings.HasPrefix(e.Name(), "csv-"):
			in.Import = ImportCSV
		default:
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			parallel := check.New(v)
			_, readErr := Read(parallel, []Input{in}, nil, Options{Validator: v, NoDigest: true})
			got := parallel.Finish()

			want, n, err := oneByOne(v, in)
			notes += n
			if fmt.Sprint(err) != fmt.Sprint(readErr) {
				t.Fatalf("the pipeline ends with %v, one by one with %v", readErr, err)
			}
			sameReport(t, in.Name(), got, want)
		})
	}
	if notes == 0 {
		t.Error("no export in the corpus gave a note: the test shows nothing of their order")
	}
}

// TestPipelineMatchesOneByOneForLargeExports is the same for exports of
// many batches, read on four workers: a workbook in which a curator typed
// dates as dates in rows spread over the batches (each a note, a warning
// that must come in its place), and a CSV export.
func TestPipelineMatchesOneByOneForLargeExports(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds := &record.Dataset{Validator: v}
	var recs []*record.Record
	for m := range gen.Records(2000, 3, 0.05) {
		recs = append(recs, &record.Record{File: "gen.json", Index: len(recs), Value: m})
	}
	dir := t.TempDir()
	book := filepath.Join(dir, "export.xlsx")
	var b bytes.Buffer
	w, err := convert.NewWriter("xlsx", &b, ds)
	if err != nil {
		t.Fatal(err)
	}
	testkit.WriteAll(t, w, recs)
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	header, err := f.GetRows("Events")
	if err != nil || len(header) < 400 {
		t.Fatalf("the Events sheet has %d rows (%v): too few to span batches", len(header), err)
	}
	dateCol := slices.Index(header[0], "date") + 1
	style, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm: a date-time
	if err != nil || dateCol == 0 {
		t.Fatal("no date column", err)
	}
	for _, row := range []int{5, 70, 140, 200, 333} {
		cell, _ := excelize.CoordinatesToCellName(dateCol, row)
		if err := f.SetCellValue("Events", cell, 44571.5); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Events", cell, cell, style); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	csvDir := filepath.Join(dir, "csv")
	if err := os.Mkdir(csvDir, 0o755); err != nil {
		t.Fatal(err)
	}
	testkit.WriteAll(t, csv.NewWriter(csvDir, ds, csv.Options{}), recs)

	for _, in := range []Input{{Path: book, Import: ImportXLSX}, {Path: csvDir, Import: ImportCSV}} {
		parallel := check.New(v)
		if _, err := Read(parallel, []Input{in}, nil, Options{Validator: v, NoDigest: true}); err != nil {
			t.Fatal(err)
		}
		got := parallel.Finish()

		want, notes, err := oneByOne(v, in)
		if err != nil {
			t.Fatal(err)
		}
		if in.Import == ImportXLSX && notes != 5 {
			t.Errorf("%s: %d notes, want the 5 date-time cells", in.Name(), notes)
		}
		if want.Records < 1500 || want.Errors == 0 {
			t.Errorf("%s: %d records, %d errors: the export does not show enough", in.Name(), want.Records, want.Errors)
		}
		sameReport(t, in.Name(), got, want)
	}
}
