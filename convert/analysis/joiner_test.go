package analysis

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

// fixture is a small dataset in our own words: the statement and the event
// come before the actors and the source they name, as they do when files
// are read in alphabetical order.
const fixture = `[
{"type": "statement", "id": "st-warning", "speaker": "ada", "speaker_role": "Mayor", "date": "2031-04-01?",
 "summary": "The mayor warns that the ferry must run.",
 "attestations": [
   {"source": "src-gazette", "quote": "The ferry runs, or the island starves.", "quote_kind": "original", "rank": "preferred"},
   {"source": "src-herald", "quote": "Without the ferry the island goes hungry.", "quote_kind": "translation",
    "reported_date": "2031-04-02", "reported_date_text": "on Tuesday", "credited_to": "Harbour Wire",
    "credited_actor": "wire"}]},
{"type": "event", "id": "ev-meeting", "title": "Harbour board meets", "date": "2031-04~",
 "location": {"name": "Portfield", "country": "GBR"},
 "participants": [{"actor": "ada"}, {"actor": "board"}],
 "attestations": [{"source": "src-gazette", "reported_place": "the old town hall"}]},
{"type": "actor", "id": "ada", "name": "Ada Kessler", "kind": "person"},
{"type": "actor", "id": "board", "name": "Harbour Board", "kind": "organization"},
{"type": "actor", "id": "gazette", "name": "Harbour Gazette", "kind": "organization"},
{"type": "actor", "id": "wire", "name": "Harbour Wire Service", "kind": "organization"},
{"type": "source", "id": "src-gazette", "outlet": "The Harbour Gazette", "headline": "Ferry or famine", "published": "2031-04-02",
 "publisher": "gazette"},
{"type": "source", "id": "src-herald", "outlet": "Island Herald", "published": "2031-04"}
]`

// rowsOf runs records through a Joiner and returns its rows, as
// column name to cell text ("" for empty, "true"/"false", numbers as
// written, days as YYYY-MM-DD).
func rowsOf(t *testing.T, l *Layout, records []any) []map[string]string {
	t.Helper()
	j := NewJoiner(l)
	defer j.Close()
	for i, v := range records {
		if err := j.Add(&record.Record{File: "fixture.json", Index: i, Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	var out []map[string]string
	err := j.Rows(func(cells []table.Cell) error {
		if len(cells) != len(l.Table.Columns) {
			t.Fatalf("a row of %d cells for %d columns", len(cells), len(l.Table.Columns))
		}
		row := map[string]string{}
		for i, c := range cells {
			row[l.Table.Columns[i].Name] = cellText(c)
		}
		out = append(out, row)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != j.Len() {
		t.Errorf("Rows gave %d rows, Len says %d", len(out), j.Len())
	}
	return out
}

func cellText(c table.Cell) string {
	switch c.Kind {
	case table.CellString, table.CellNumber:
		return c.Text
	case table.CellIndex:
		return string(rune('0' + c.Int))
	case table.CellBool:
		if c.Int == 1 {
			return "true"
		}
		return "false"
	case table.CellDay:
		return table.FormatDay(c.Day)
	}
	return ""
}

func TestJoinerRows(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(v)
	rows := rowsOf(t, l, testkit.DecodeJSON(t, fixture).([]any))
	if len(rows) != 3 {
		t.Fatalf("%d rows, want one per attestation: 3", len(rows))
	}
	for _, tc := range []struct {
		row         int
		column, val string
	}{
		{0, "record_type", "statement"},
		{0, "record_id", "st-warning"},
		{0, "attestation_index", "1"},
		{0, "summary", "The mayor warns that the ferry must run."},
		{0, "title", ""},
		{0, "speaker", "ada"},
		{0, "speaker_name", "Ada Kessler"},
		{0, "speaker_role", "Mayor"},
		{0, "date", "2031-04-01?"},
		{0, "date_earliest", "2031-04-01"},
		{0, "date_precision", "day"},
		{0, "date_uncertain", "true"},
		{0, "date_approximate", "false"},
		{0, "source", "src-gazette"},
		{0, "outlet", "The Harbour Gazette"},
		{0, "publisher", "gazette"},
		{0, "publisher_name", "Harbour Gazette"},
		{0, "credited_actor", ""},
		{0, "credited_actor_name", ""},
		{0, "headline", "Ferry or famine"},
		{0, "published", "2031-04-02"},
		{0, "published_latest", "2031-04-02"},
		{0, "rank", "preferred"},
		{0, "quote", "The ferry runs, or the island starves."},
		{0, "reported_date", ""},
		{0, "reported_date_earliest", ""},
		{1, "attestation_index", "2"},
		{1, "outlet", "Island Herald"},
		{1, "headline", ""},
		{1, "published_precision", "month"},
		{1, "reported_date", "2031-04-02"},
		{1, "reported_date_text", "on Tuesday"},
		{1, "quote_kind", "translation"},
		{1, "credited_to", "Harbour Wire"},
		{1, "credited_actor", "wire"},
		{1, "credited_actor_name", "Harbour Wire Service"},
		{1, "publisher", ""},
		{1, "publisher_name", ""},
		{2, "record_type", "event"},
		{2, "title", "Harbour board meets"},
		{2, "summary", ""},
		{2, "speaker_name", ""},
		{2, "participants", "ada; board"},
		{2, "participant_names", "Ada Kessler; Harbour Board"},
		{2, "date_approximate", "true"},
		{2, "date_latest", "2031-04-30"},
		{2, "location_name", "Portfield"},
		{2, "location_country", "GBR"},
		{2, "reported_place", "the old town hall"},
	} {
		if got := rows[tc.row][tc.column]; got != tc.val {
			t.Errorf("row %d, %s = %q, want %q", tc.row+1, tc.column, got, tc.val)
		}
	}
}

// TestLayoutHasEveryColumnOnce checks that no two columns share a name,
// and that the derived date columns follow their date.
func TestLayoutHasEveryColumnOnce(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(v)
	seen := map[string]bool{}
	var names []string
	for _, c := range l.Table.Columns {
		if seen[c.Name] {
			t.Errorf("column %q twice", c.Name)
		}
		seen[c.Name] = true
		names = append(names, c.Name)
		if c.Title == "" || c.Description == "" {
			t.Errorf("column %q has no title or description", c.Name)
		}
	}
	all := strings.Join(names, ",")
	if !strings.Contains(all, "reported_date,reported_date_earliest,reported_date_latest,reported_date_precision,reported_date_uncertain,reported_date_approximate,reported_date_text") {
		t.Errorf("columns: %s", all)
	}
}

// TestJoinerOwnFields checks that a study's own fields of statements
// become columns, a list joined into one cell.
func TestJoinerOwnFields(t *testing.T) {
	ext := `{"type": "object", "properties": {
	  "tone": {"title": "Tone", "description": "How it sounds.", "type": "string", "enum": ["calm", "angry"]},
	  "intensity": {"title": "Intensity", "description": "From 1 to 5.", "type": "integer", "minimum": 1, "maximum": 5},
	  "topics": {"title": "Topics", "description": "What it is about.", "type": "array", "items": {"type": "string"}}}}`
	v, err := schema.Extend(map[string]schema.Extension{schema.Statement: {File: "statement.schema.json", Data: []byte(ext)}})
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(v)
	records := testkit.DecodeJSON(t, fixture).([]any)
	st := records[0].(map[string]any)
	st["tone"], st["intensity"], st["topics"] = "angry", json.Number("4"), []any{"ferry", "food"}
	rows := rowsOf(t, l, records)
	if got := rows[0]["tone"] + "|" + rows[0]["intensity"] + "|" + rows[1]["topics"]; got != "angry|4|ferry; food" {
		t.Errorf("own fields = %q", got)
	}
	if rows[2]["tone"] != "" {
		t.Errorf("an event has no tone, got %q", rows[2]["tone"])
	}
	c := l.Table.Columns[l.Table.ColumnIndex("intensity")]
	if c.Type != "integer" || c.Maximum != "5" {
		t.Errorf("intensity column = %+v", c)
	}
}

// TestStudyFieldsCannotTakeAnalysisColumns checks that no extension field
// may be named as a column of the analysis table: the study's fields are
// columns of it too, and one would hide the other.
func TestStudyFieldsCannotTakeAnalysisColumns(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range NewLayout(v).Table.Columns {
		ext := `{"type": "object", "properties": {"` + c.Name + `": {"title": "T", "description": "D.", "type": "string"}}}`
		if _, err := schema.Extend(map[string]schema.Extension{schema.Statement: {File: "s.json", Data: []byte(ext)}}); err == nil {
			t.Errorf("a study's field may be called %q, a column of the analysis table", c.Name)
		}
	}
}

// TestOwnFieldOfTwoTypes checks a name events and statements both use for
// fields of different types: one text column, which holds both.
func TestOwnFieldOfTwoTypes(t *testing.T) {
	ev := `{"type": "object", "properties": {"score": {"title": "Score", "description": "A number.", "type": "integer", "minimum": 1}}}`
	st := `{"type": "object", "properties": {"score": {"title": "Score", "description": "A word.", "type": "string"}}}`
	v, err := schema.Extend(map[string]schema.Extension{
		schema.Event: {File: "event.schema.json", Data: []byte(ev)}, schema.Statement: {File: "statement.schema.json", Data: []byte(st)}})
	if err != nil {
		t.Fatal(err)
	}
	l := NewLayout(v)
	c := l.Table.Columns[l.Table.ColumnIndex("score")]
	if c.Type != "string" || c.Minimum != "" {
		t.Errorf("score column = %+v, want text", c)
	}
	records := testkit.DecodeJSON(t, fixture).([]any)
	records[0].(map[string]any)["score"] = "=high"
	records[1].(map[string]any)["score"] = json.Number("3")
	rows := rowsOf(t, l, records)
	if rows[0]["score"] != "=high" || rows[2]["score"] != "3" {
		t.Errorf("scores %q and %q", rows[0]["score"], rows[2]["score"])
	}
}

// TestJoinerJoinsTheFirstOfAnID checks the joins the first Rows loads from
// its temporary file: an id given twice joins its first record, as
// everywhere else, and a second Rows (the workbook measures its columns,
// then writes them) gives the same rows.
func TestJoinerJoinsTheFirstOfAnID(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	j := NewJoiner(NewLayout(v))
	defer j.Close()
	records := testkit.DecodeJSON(t, `[
	  {"type": "statement", "id": "st", "speaker": "ada", "date": "2031", "summary": "S.", "attestations": [{"source": "src"}]},
	  {"type": "actor", "id": "ada", "name": "Ada One", "kind": "person"},
	  {"type": "actor", "id": "ada", "name": "Ada Two", "kind": "person"},
	  {"type": "source", "id": "src", "outlet": "First Outlet", "published": "2031"},
	  {"type": "source", "id": "src", "outlet": "Second Outlet", "published": "2031"}]`).([]any)
	for i, r := range records {
		if err := j.Add(&record.Record{File: "f.json", Index: i, Value: r}); err != nil {
			t.Fatal(err)
		}
	}
	l := NewLayout(v)
	for pass := range 2 {
		var got []string
		err := j.Rows(func(cells []table.Cell) error {
			got = append(got, cells[l.Table.ColumnIndex("speaker_name")].Text+"|"+cells[l.Table.ColumnIndex("outlet")].Text)
			return nil
		})
		if err != nil || len(got) != 1 || got[0] != "Ada One|First Outlet" {
			t.Errorf("pass %d: %q, %v", pass+1, got, err)
		}
	}
}
