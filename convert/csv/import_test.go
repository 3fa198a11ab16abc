package csv

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
)

// writeFiles writes files (by name) into a new directory and returns it.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestImportCSVTolerance reads CSV files as Excel and people leave them:
// a byte order mark, CRLF, LF or CR line endings, columns reordered with
// stray spaces in their names, blank lines, empty columns, guarded values,
// and a quoted value with CR and CRLF inside.
func TestImportCSVTolerance(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"events.csv": "\ufeff status , ID ,,title,date,date_earliest,location_coordinates_latitude,note\r\n" +
			"\r\n" +
			"occurred  ,ferry-talks,,\"'=Ferry, talks \",2022-01~,2022-01-01, 59.50 ,\"line one\r\nline \"\"two\"\"\rthree\r\"\r\n" +
			",,,\r\n" +
			"scheduled,second,,Second,2022,, ,'-keep\r\n",
		"event_attestations.csv": "event_id,attestation_index,quote,source\n" +
			"ferry-talks,3,third,src-a\n" +
			"ferry-talks, 1 ,'plain,src-a\n" +
			"ferry-talks,2,\"'@second\",src-b", // no line end at the end
		"sources.csv":    "id,outlet\rsrc-a,Harbour Wire\rsrc-b,Le Courrier\r", // classic Mac line ends
		"notes.csv":      "",                                                   // not a table, but empty
		"README.txt":     "not a CSV file: ignored",
		"actors.csv":     "id,name,kind\r\n", // a header and no rows
		"STATEMENTS.CSV": "\ufeffid\r\n",
	})
	recs, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
	want := []any{
		map[string]any{"type": "source", "id": "src-a", "outlet": "Harbour Wire"},
		map[string]any{"type": "source", "id": "src-b", "outlet": "Le Courrier"},
		map[string]any{"type": "event", "id": "ferry-talks", "status": "occurred", "title": "=Ferry, talks ", "date": "2022-01~",
			"location": map[string]any{"coordinates": map[string]any{"latitude": json.Number("59.50")}},
			"note":     "line one\r\nline \"two\"\rthree\r",
			"attestations": []any{
				map[string]any{"source": "src-a", "quote": "'plain"},
				map[string]any{"source": "src-b", "quote": "@second"},
				map[string]any{"source": "src-a", "quote": "third"},
			}},
		map[string]any{"type": "event", "id": "second", "status": "scheduled", "title": "Second", "date": "2022", "note": "-keep"},
	}
	converttest.CheckSame(t, "tolerance", recs, errs, want)
	// Lines count after a value spanning lines (CRLF, CR and CR again),
	// as a row's own line ends do.
	if p := recs[3].Position("/date", false); p.Line != 8 || p.Col != 5 || p.File != filepath.Join(dir, "events.csv") {
		t.Errorf("second event's date at %v, want %s:8:5", p, filepath.Join(dir, "events.csv"))
	}
}

// TestImportCSVGuardFromPackage: datapackage.json says which fields were
// guarded; a field it does not mark keeps its leading '.
func TestImportCSVGuardFromPackage(t *testing.T) {
	recs := converttest.Records(t, converttest.CSVFixture)
	dir := csvExport(t, converttest.CSVDataset(t), recs, Options{NoFormulaGuard: true})
	got, errs := converttest.ImportFile(t, filepath.Join(dir, "datapackage.json"), table.ImportOptions{}, NewImporter)
	converttest.CheckSame(t, "no guard", got, errs, converttest.Values(recs))

	// The same files read as guarded (no datapackage.json) lose the '
	// of a value that starts with one and a trigger.
	dir = writeFiles(t, map[string]string{"actors.csv": "id,name,kind\na,'=x,person\n"})
	got, errs = converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
	converttest.CheckSame(t, "assumed guard", got, errs, []any{map[string]any{"type": "actor", "id": "a", "name": "=x", "kind": "person"}})
	dp := `{"resources": [{"path": "actors.csv", "schema": {"fields": [{"name": "id"}, {"name": "name"}]}}]}`
	dir = writeFiles(t, map[string]string{"actors.csv": "id,name,kind\na,'=x,'=y\n", "datapackage.json": dp})
	got, errs = converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
	converttest.CheckSame(t, "unmarked", got, errs, []any{map[string]any{"type": "actor", "id": "a", "name": "'=x", "kind": "'=y"}})
}

func TestImportCSVRefusals(t *testing.T) {
	attestations := "event_id,attestation_index,source\nferry,1,src\n"
	events := "id,title\nferry,Ferry\n"
	for _, tc := range []struct {
		name      string
		files     map[string]string
		code, pos string // pos is relative to the directory
		msg       string
	}{
		{"unknown file", map[string]string{"notes.csv": "\n\nremember the ferry\n"}, record.CodeUnknownTable, "notes.csv:1:1",
			"notes.csv is not a table of an annals export, and it holds data"},
		{"unknown file, a typo", map[string]string{"event.csv": "id\nx\n"}, record.CodeUnknownTable, "event.csv:1:1", "did you mean events.csv?"},
		{"two files for a table", map[string]string{"events.csv": events, "Events.csv": events}, record.CodeUnknownTable, "events.csv:1:1",
			"a second file for the table events.csv; keep one of them"},
		{"unknown column", map[string]string{"events.csv": "id,titel\nx,y\n"}, record.CodeUnknownColumn, "events.csv:1:2",
			`unknown column "titel"; did you mean "title"?`},
		{"semicolons", map[string]string{"events.csv": "id;title;date\nx;y;2022\n"}, record.CodeUnknownColumn, "events.csv:1:1",
			"looks like several columns separated by semicolons"},
		{"missing index", map[string]string{"events.csv": events, "event_attestations.csv": "event_id,source\nferry,src\n"},
			record.CodeMissingColumn, "event_attestations.csv:1:1", `event_attestations.csv has no "attestation_index" column`},
		{"bad index", map[string]string{"events.csv": events, "event_attestations.csv": attestations + "ferry,2nd,src\n"},
			record.CodeBadIndex, "event_attestations.csv:3:2", `attestation_index "2nd" is not a whole number from 1`},
		{"duplicate index", map[string]string{"events.csv": events, "event_attestations.csv": attestations + "\nferry,1,other\n"},
			record.CodeDuplicateIndex, "event_attestations.csv:4:2", `event "ferry" already has attestation 1, on line 2`},
		{"orphan", map[string]string{"events.csv": events, "event_attestations.csv": attestations + "fery,1,src\n"},
			record.CodeOrphanRow, "event_attestations.csv:3:1", `event_id "fery" matches no event: no row of events.csv has that id`},
		{"orphan without a main table", map[string]string{"event_attestations.csv": attestations},
			record.CodeOrphanRow, "event_attestations.csv:2:1", `event_id "ferry" matches no event`},
		{"header row of another table", map[string]string{"events.csv": events + "id,name\nunion,Union\n"}, record.CodeHeaderRow, "events.csv:3:1",
			"this line holds the column headers of actors.csv: rows of that table were pasted here, header and all"},
		{"header row repeated", map[string]string{"events.csv": events + "\nid,title\n"}, record.CodeHeaderRow, "events.csv:4:1",
			"this line repeats the column headers, as when rows are pasted in with their header; delete it"},
		{"value without header", map[string]string{"events.csv": "id,title\nx,y,z\n"}, record.CodeUnknownColumn, "events.csv:2:3",
			"this cell has a value but its column has no header"},
		{"UTF-16", map[string]string{"events.csv": "\xff\xfei\x00d\x00"}, record.CodeInvalidUTF8, "events.csv:1:1", "the file is encoded as UTF-16"},
		{"Windows-1252", map[string]string{"events.csv": "id,title\nx,Zo\xeb\n"}, record.CodeInvalidUTF8, "events.csv:2:2",
			"this field is not UTF-8 text; save the file as CSV UTF-8"},
		{"unclosed quote", map[string]string{"events.csv": "id,title\nx,\"Ferry\ny,z\n"}, record.CodeSyntax, "events.csv:2:2",
			`the quoted field that starts here has no closing quote`},
		{"text after a quote", map[string]string{"events.csv": "id,title\nx,\"Ferry\" talks\n"}, record.CodeSyntax, "events.csv:2:2",
			`text follows the closing quote of a field`},
		{"bad datapackage.json", map[string]string{"events.csv": events, "datapackage.json": "{"}, record.CodeSyntax, "datapackage.json:1:1",
			"cannot be read (unexpected end of JSON input), so it does not say which fields the formula guard applies to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			_, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
			converttest.WantImportError(t, errs, tc.code, filepath.Join(dir, tc.pos), tc.msg)
		})
	}
}

func TestImportCSVTooLarge(t *testing.T) {
	dir := writeFiles(t, map[string]string{"events.csv": "id,title\nx," + strings.Repeat("long ", 30) + "\n"})
	_, errs := converttest.ImportFile(t, dir, table.ImportOptions{Limits: record.Limits{RecordSize: 100}}, NewImporter)
	converttest.WantImportError(t, errs, record.CodeTooLarge, filepath.Join(dir, "events.csv:2:2"), "the row is longer than 100 bytes")
}

func TestImportCSVPath(t *testing.T) {
	dir := writeFiles(t, map[string]string{"events.csv": "id\nx\n"})
	_, errs := converttest.ImportFile(t, filepath.Join(dir, "events.csv"), table.ImportOptions{}, NewImporter)
	converttest.WantImportError(t, errs, record.CodeUnknownTable, filepath.Join(dir, "events.csv:1:1"), "name the directory of the CSV export, or its datapackage.json")
	_, errs = converttest.ImportFile(t, filepath.Join(dir, "missing"), table.ImportOptions{}, NewImporter)
	if len(errs) != 1 || !os.IsNotExist(errs[0]) {
		t.Errorf("a missing directory: got %v", errs)
	}
}

func TestImportCSVIgnoreUnknown(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"notes.csv":  "anything\n",
		"events.csv": "id,titel,title\nx,y,z,stray\n",
	})
	recs, errs := converttest.ImportFile(t, dir, table.ImportOptions{IgnoreUnknown: true}, NewImporter)
	converttest.CheckSame(t, "ignore unknown", recs, errs, []any{map[string]any{"type": "event", "id": "x", "title": "z"}})
}

// TestImportCSVPositions: values are located at their line and field,
// in the file of their table.
func TestImportCSVPositions(t *testing.T) {
	dir := csvExport(t, converttest.CSVDataset(t), converttest.Records(t, converttest.CSVFixture), Options{BOM: true})
	events := filepath.Join(dir, "events.csv")
	data, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(events, []byte(strings.Replace(string(data), "2031-03-30", "2031-13-30", 1)), 0o666); err != nil {
		t.Fatal(err)
	}
	recs, errs := converttest.ImportFile(t, dir, table.ImportOptions{}, NewImporter)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	trial := recs[3] // after the first event, whose description spans lines 2 and 3
	if got := trial.Value.(map[string]any)["date"]; got != "2031-13-30" {
		t.Fatalf("date %v, want the text as typed", got)
	}
	for _, tc := range []struct {
		rec       *record.Record
		ptr       string
		file      string
		line, col int
	}{
		{trial, "/date", "events.csv", 4, 7},
		{trial, "", "events.csv", 4, 1},
		{trial, "/attestations/0/quote", "event_attestations.csv", 3, 5},
		{trial, "/attestations/0", "event_attestations.csv", 3, 1},
		{recs[4], "/attestations/0/reported_names/0/spelling", "statement_attestation_names.csv", 2, 5},
		{recs[4], "/about/0", "statement_about.csv", 2, 3},
		{recs[0], "/aliases/0/seen_in/0", "actor_alias_sources.csv", 2, 4},
	} {
		want := record.Position{File: filepath.Join(dir, tc.file), Line: tc.line, Col: tc.col}
		if got := tc.rec.Position(tc.ptr, false); got != want {
			t.Errorf("Position(%q) = %v, want %v", tc.ptr, got, want)
		}
	}
	if want := fmt.Sprintf("%s:4:1", events); fmt.Sprintf("%s:%d:%d", trial.File, trial.Line, trial.Col) != want || trial.Index != 1 {
		t.Errorf("record at %s:%d:%d #%d, want %s #1", trial.File, trial.Line, trial.Col, trial.Index, want)
	}
}

// FuzzCSVImport feeds arbitrary bytes as the files of events and their
// attestations: the importer must not panic, must end, and must report
// only *ImportError values positioned in those files.
func FuzzCSVImport(f *testing.F) {
	dir := csvExport(f, converttest.CSVDataset(f), converttest.Records(f, converttest.CSVFixture), Options{BOM: true})
	events, _ := os.ReadFile(filepath.Join(dir, "events.csv"))
	attestations, _ := os.ReadFile(filepath.Join(dir, "event_attestations.csv"))
	f.Add(events, attestations)
	f.Add([]byte("id,title\r\nx,\"a\r\nb\"\r\n"), []byte("event_id,attestation_index,source\nx,1,s\nx,1,t\ny,z,s\n,,\n"))
	f.Add([]byte("\ufeffid,\"unclosed\n"), []byte("\xff\xfe"))
	f.Add([]byte("id,title\rx,\"q\"\"\r\"\r"), []byte("event_id,attestation_index,quote\nx,2,'=1\nx,1,\"a\"b\n"))
	f.Add([]byte("id;title\n\x00,\x80\n"), []byte("attestation_index\n1\n"))
	// The CSV exports of the hostile-input corpus.
	dirs, _ := filepath.Glob(filepath.Join(converttest.HostileCorpus, "csv-*"))
	if len(dirs) == 0 {
		f.Fatalf("no CSV exports in %s", converttest.HostileCorpus)
	}
	for _, d := range dirs {
		events, err := os.ReadFile(filepath.Join(d, "events.csv"))
		if err != nil {
			f.Fatal(err)
		}
		attestations, err := os.ReadFile(filepath.Join(d, "event_attestations.csv"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(events, attestations)
	}
	f.Fuzz(func(t *testing.T, events, attestations []byte) {
		dir := writeFiles(t, map[string]string{"events.csv": string(events), "event_attestations.csv": string(attestations)})
		for _, opts := range []table.ImportOptions{{}, {IgnoreUnknown: true}} {
			recs, errs := converttest.ImportFile(t, dir, opts, NewImporter)
			for _, err := range errs {
				ie, ok := err.(*record.ImportError)
				if !ok {
					t.Fatalf("%v (%T) is not an *ImportError", err, err)
				}
				if base := filepath.Base(ie.Position.File); base != "events.csv" && base != "event_attestations.csv" || ie.Msg == "" {
					t.Fatalf("error %v is not about one of the files", ie)
				}
			}
			for _, rec := range recs {
				obj, ok := rec.Value.(map[string]any)
				if !ok || obj["type"] != "event" {
					t.Fatalf("record %#v is not an event", rec.Value)
				}
				converttest.EachLeaf(obj, "", func(ptr string, _ any) {
					if p := rec.Position(ptr, false); p.Line < 1 || p.Col < 1 {
						t.Fatalf("Position(%q) = %v", ptr, p)
					}
				})
			}
		}
	})
}
