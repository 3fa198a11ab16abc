package sqlite

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/schema"
)

// TestAnalysisViewAgrees holds the database's analysis view to the rows
// analysis.Joiner makes for analysis.csv, the workbook and Parquet: the
// same rows with the same values, on the fixture, the samples, and
// generated records with a study's own fields of every kind (lists of
// text, numbers and booleans; a name events and statements type
// differently; a date) given in an order where statements come before
// their speakers and sources.
func TestAnalysisViewAgrees(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	var samples []*record.Record
	for _, name := range []string{"actors", "sources", "events", "statements"} {
		samples = append(samples, converttest.ReadSamples(t, filepath.Join(converttest.Samples, name+".yaml"))...)
	}
	t.Run("fixture", func(t *testing.T) {
		checkAnalysisView(t, ds, converttest.DecodeRecords(t, converttest.XLSXFixture))
	})
	t.Run("samples", func(t *testing.T) { checkAnalysisView(t, ds, samples) })
	t.Run("own fields", func(t *testing.T) {
		v := ownFieldsValidator(t)
		for seed := range uint64(4) {
			recs := withOwnFields(converttest.GeneratedRecords(400, seed), seed, true)
			checkAnalysisView(t, &record.Dataset{Validator: v}, recs)
		}
	})
}

// TestAnalysisViewCheckCanFail checks that the comparison above finds a
// difference: a view with one column taken from the wrong place.
func TestAnalysisViewCheckCanFail(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := converttest.DecodeRecords(t, converttest.XLSXFixture)
	got := viewRows(t, open(t, write(t, ds, recs)))
	for key, row := range got {
		row[1] = "someone-else" // record_id
		got[key] = row
		break
	}
	if diffs := compareAnalysis(analysis.NewLayout(ds.Validator), got, joinerRows(t, ds, recs)); len(diffs) == 0 {
		t.Error("a changed record_id went unnoticed")
	}
}

func checkAnalysisView(t *testing.T, ds *record.Dataset, recs []*record.Record) {
	t.Helper()
	db := open(t, write(t, ds, recs))
	want := joinerRows(t, ds, recs)
	if len(want) == 0 {
		t.Fatal("no analysis rows to compare")
	}
	for _, d := range compareAnalysis(analysis.NewLayout(ds.Validator), viewRows(t, db), want) {
		t.Error(d)
	}
}

// joinerRows returns the Joiner's rows as the values a table of SQLite
// would hold them, by record id and attestation number.
func joinerRows(t *testing.T, ds *record.Dataset, recs []*record.Record) map[string][]any {
	t.Helper()
	l := analysis.NewLayout(ds.Validator)
	j := analysis.NewJoiner(l)
	defer j.Close()
	for _, r := range recs {
		if err := j.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	rows := map[string][]any{}
	err := j.Rows(func(cells []table.Cell) error {
		row := make([]any, len(cells))
		for i, c := range cells {
			v, err := value(c, l.Table.Columns[i].Type)
			if err != nil {
				return err
			}
			row[i] = v
		}
		rows[fmt.Sprint(row[1], "#", row[2])] = row
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// viewRows reads every row of the view, by record id and attestation
// number.
func viewRows(t *testing.T, db *sql.DB) map[string][]any {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM analysis`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string][]any{}
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprint(row[1], "#", row[2])
		if _, ok := out[key]; ok {
			t.Errorf("the view has two rows of %s", key)
		}
		out[key] = row
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareAnalysis returns the differences between the view's rows and the
// Joiner's. Values must be equal, but in a study's own fields a number
// may be spelled as SQLite spells it, or be a number where the Joiner
// has its text (see the comment on analysisView).
func compareAnalysis(l *analysis.Layout, got, want map[string][]any) []string {
	var diffs []string
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("the view has %d rows, the Joiner %d", len(got), len(want)))
	}
	v, _ := schema.Default()
	canonical := len(analysis.NewLayout(v).Table.Columns) // the study's own fields come after
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			diffs = append(diffs, "the view has no row "+key)
			continue
		}
		for i := range w {
			if !sameValue(g[i], w[i], i >= canonical) {
				diffs = append(diffs, fmt.Sprintf("%s, %s: the view has %#v, the Joiner %#v", key, l.Table.Columns[i].Name, g[i], w[i]))
			}
		}
	}
	return diffs
}

func sameValue(got, want any, loose bool) bool {
	if reflect.DeepEqual(got, want) {
		return true
	}
	if !loose {
		return false
	}
	if g, ok := number(got); ok {
		w, ok := number(want)
		return ok && g == w
	}
	gs, ok1 := got.(string)
	ws, ok2 := want.(string)
	if !ok1 || !ok2 || !strings.Contains(ws, analysis.Separator) {
		return false
	}
	gi, wi := strings.Split(gs, analysis.Separator), strings.Split(ws, analysis.Separator)
	if len(gi) != len(wi) {
		return false
	}
	for k := range gi {
		if gi[k] != wi[k] {
			g, ok1 := number(gi[k])
			w, ok2 := number(wi[k])
			if !ok1 || !ok2 || g != w {
				return false
			}
		}
	}
	return true
}

// number is v as a float64, if it is a number or a number's text.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

// ownFieldsValidator has a study's fields of every kind on events and
// statements, "grade" of two types and "seen" a date of both.
func ownFieldsValidator(t *testing.T) *schema.Validator {
	t.Helper()
	ev := `{"type": "object", "properties": {
	  "grade": {"title": "Grade", "description": "A whole number.", "type": "integer", "minimum": 1},
	  "weight": {"title": "Weight", "description": "A whole number.", "type": "integer"},
	  "checked": {"title": "Checked", "description": "Yes or no.", "type": "boolean"},
	  "seen": {"title": "Seen", "description": "When.", "type": "string", "format": "edtf"},
	  "tags": {"title": "Tags", "description": "Words.", "type": "array", "items": {"type": "string"}},
	  "levels": {"title": "Levels", "description": "Numbers.", "type": "array", "items": {"type": "number"}},
	  "marks": {"title": "Marks", "description": "Booleans.", "type": "array", "items": {"type": "boolean"}},
	  "flags": {"title": "Flags", "description": "Booleans, by their values alone.", "type": "array", "items": {"enum": [true, false]}},
	  "code": {"title": "Code", "description": "A code, perhaps empty.", "type": "string", "enum": ["", "a", "b"]}}}`
	st := `{"type": "object", "properties": {
	  "grade": {"title": "Grade", "description": "A word.", "type": "string"},
	  "seen": {"title": "Seen", "description": "When.", "type": "string", "format": "edtf"},
	  "counts": {"title": "Counts", "description": "Whole numbers.", "type": "array", "items": {"type": "integer"}},
	  "tone": {"title": "Tone", "description": "How it sounds.", "type": "string", "enum": ["calm", "angry"]}}}`
	v, err := schema.Extend(map[string]schema.Extension{
		schema.Event: {File: "event.schema.json", Data: []byte(ev)}, schema.Statement: {File: "statement.schema.json", Data: []byte(st)}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// withOwnFields gives the events and statements of recs values for the
// fields of ownFieldsValidator (some left out, some lists empty), and
// shuffles them. With largest, the numbers include the largest a float64
// holds, which SQLite before 3.43 does not print exactly (its printf gives
// 1.7976931348623156e+308).
func withOwnFields(recs []*record.Record, seed uint64, largest bool) []*record.Record {
	r := rand.New(rand.NewPCG(seed, 11))
	numbers := []string{"2.0", "1e21", "1.5e-7", "0.1", "-3", "45", "-0.25", "0.30000000000000004", "3.141592653589793",
		"123456789012345.67", "9007199254740992", "5e-324"}
	if largest {
		numbers = append(numbers, "1.7976931348623157e308")
	}
	num := func() json.Number { return json.Number(numbers[r.IntN(len(numbers))]) }
	dates := []string{"2022-01-10", "2021-12~", "2022?", "2021-12-27/2022-01-02", "20XX"}
	list := func(f func() any) []any {
		var out []any
		for range r.IntN(4) {
			out = append(out, f())
		}
		return out
	}
	for _, rec := range recs {
		m := rec.Value.(map[string]any)
		set := func(k string, v any) {
			if r.IntN(5) > 0 {
				m[k] = v
			}
		}
		switch m["type"] {
		case schema.Event:
			set("grade", json.Number(strconv.Itoa(1+r.IntN(9))))
			set("weight", json.Number(strconv.Itoa(r.IntN(200)-100)))
			set("checked", r.IntN(2) == 0)
			set("seen", dates[r.IntN(len(dates))])
			set("tags", list(func() any { return []string{"ferry", "", "; odd", "Tromsø"}[r.IntN(4)] }))
			set("levels", list(func() any { return num() }))
			set("marks", list(func() any { return r.IntN(2) == 0 }))
			set("flags", list(func() any { return r.IntN(2) == 0 }))
			set("code", []string{"", "a", "b"}[r.IntN(3)])
		case schema.Statement:
			set("grade", []string{"high", "=low", "3"}[r.IntN(3)])
			set("seen", dates[r.IntN(len(dates))])
			set("counts", list(func() any { return json.Number(strconv.Itoa(r.IntN(10))) }))
			set("tone", []string{"calm", "angry"}[r.IntN(2)])
		}
	}
	r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return recs
}

// TestAnalysisViewInSystemSQLite reads the view with the sqlite3 program,
// when there is one: the SQLite of the system (3.40 on Debian 12, which
// Python's sqlite3 module and so Datasette use there) evaluates the view
// itself, and must give the Joiner's rows too. Without sqlite3 the test
// says it was skipped.
func TestAnalysisViewInSystemSQLite(t *testing.T) {
	cli, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 program: the view was checked with the driver's SQLite only")
	}
	v := ownFieldsValidator(t)
	ds := &record.Dataset{Validator: v}
	recs := withOwnFields(converttest.GeneratedRecords(300, 7), 7, false)
	path := filepath.Join(t.TempDir(), "annals.sqlite")
	if err := os.WriteFile(path, write(t, ds, recs), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cli, "-json", "-readonly", path, "SELECT * FROM analysis").Output()
	if err != nil {
		t.Fatalf("%s: %v", cli, err)
	}
	l := analysis.NewLayout(v)
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var objs []map[string]any
	if err := dec.Decode(&objs); err != nil {
		t.Fatal(err)
	}
	got := map[string][]any{}
	for _, o := range objs {
		row := make([]any, len(l.Table.Columns))
		for i, c := range l.Table.Columns {
			row[i] = o[c.Name]
			if n, ok := row[i].(json.Number); ok {
				if k, err := n.Int64(); err == nil {
					row[i] = k
				} else {
					row[i], _ = n.Float64()
				}
			}
		}
		got[fmt.Sprint(row[1], "#", row[2])] = row
	}
	for _, d := range compareAnalysis(l, got, joinerRows(t, ds, recs)) {
		t.Error(d)
	}
}
