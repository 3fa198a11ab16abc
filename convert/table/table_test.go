package table

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

func TestTablesLayout(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range Tables(v) {
		got = append(got, tb.String())
		if len(tb.Sheet) > 31 {
			t.Errorf("sheet name %q is longer than Excel's 31 characters", tb.Sheet)
		}
	}
	for _, want := range []string{
		"actors(id, name, kind, country, wikidata, description, note) key id fks 0",
		"actor_alias_sources(actor_id, alias_index, source_index, source) key actor_id,alias_index,source_index fks 2",
		"actor_roles(actor_id, role_index, title, organization, from, from_earliest, from_latest, from_precision, from_uncertain, from_approximate, to, to_earliest, to_latest, to_precision, to_uncertain, to_approximate) key actor_id,role_index fks 2",
		"statement_about(statement_id, event_index, event) key statement_id,event_index fks 2",
		"event_attestation_names(event_id, attestation_index, name_index, actor, spelling) key event_id,attestation_index,name_index fks 2",
	} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("no table %s in\n%s", want, strings.Join(got, "\n"))
		}
	}
	names := map[string]bool{}
	for _, tb := range Tables(v) {
		names[tb.Name] = true
	}
	for _, tb := range Tables(v) {
		for _, fk := range tb.ForeignKeys {
			if !names[fk.Table] {
				t.Errorf("%s: foreign key to unknown table %s", tb.Name, fk.Table)
			}
		}
	}
}

func TestFlatten(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	tables := Tables(v)
	rec := testkit.DecodeJSON(t, `{"type":"event","id":"talks","title":"Talks","category":"consult","status":"scheduled",
		"date":"2022-01~","location":{"name":"Geneva","coordinates":{"latitude":46.2,"longitude":6.15}},
		"attestations":[{"source":"a"},{"source":"b","reported_names":[{"actor":"x","spelling":"X"},{"actor":"y","spelling":"Y"}]}]}`).(map[string]any)
	rows := Flatten(tables, rec)
	byName := map[string][]Row{}
	for i, r := range rows {
		byName[tables[i].Name] = r
	}
	ev := byName["events"]
	if len(ev) != 1 {
		t.Fatalf("events rows: %v", ev)
	}
	tb := tables[indexOf(tables, "events")]
	cell := func(name string) any { return ev[0][tb.ColumnIndex(name)] }
	if cell("date") != "2022-01~" || cell("date_precision") != "month" || cell("date_approximate") != true || cell("date_uncertain") != false ||
		cell("location_coordinates_latitude") != json.Number("46.2") {
		t.Errorf("event row = %v", ev[0])
	}
	if e, l := cell("date_earliest").(time.Time), cell("date_latest").(time.Time); FormatDay(e) != "2022-01-01" || FormatDay(l) != "2022-01-31" {
		t.Errorf("earliest, latest = %v, %v", e, l)
	}
	if cell("description") != nil {
		t.Errorf("missing description should be empty, got %v", cell("description"))
	}
	names := byName["event_attestation_names"]
	if len(names) != 2 || names[1][0] != "talks" || names[1][1] != 2 || names[1][2] != 2 || names[1][4] != "Y" {
		t.Errorf("event_attestation_names rows = %v", names)
	}
	if len(byName["event_attestations"]) != 2 || len(byName["statement_attestations"]) != 0 {
		t.Errorf("attestation rows = %v", byName)
	}
}

func indexOf(tables []Table, name string) int {
	for i, t := range tables {
		if t.Name == name {
			return i
		}
	}
	return -1
}

func TestImportValue(t *testing.T) {
	num := &Column{Type: "number"}
	str := &Column{Type: "string"}
	boolean := &Column{Type: "boolean"}
	for _, tc := range []struct {
		col  *Column
		trim bool
		c    InputCell
		want any
	}{
		{num, true, InputCell{Text: " 1.50 "}, json.Number("1.50")},
		{num, true, InputCell{Text: "-0.0"}, json.Number("-0.0")},
		{num, true, InputCell{Text: "1,5"}, "1,5"},
		{num, true, InputCell{Text: "01"}, "01"},
		{num, true, InputCell{Kind: InputNumber, Text: "59.5", Num: "59.5"}, json.Number("59.5")},
		{num, true, InputCell{Kind: InputBool, Text: "TRUE", Num: "1"}, "TRUE"},
		{str, false, InputCell{Kind: InputNumber, Text: "2022", Num: "2022"}, "2022"},
		{str, false, InputCell{Text: "  padded  "}, "  padded  "},
		{str, true, InputCell{Text: "  "}, nil},
		{str, true, InputCell{Kind: InputDate, Text: "2022-01-10", Num: "44571"}, "2022-01-10"},
		{boolean, true, InputCell{Text: "True "}, true},
		{boolean, true, InputCell{Text: "FALSE"}, false},
		{boolean, true, InputCell{Kind: InputBool, Text: "TRUE", Num: "1"}, true},
		{boolean, true, InputCell{Text: "yes"}, "yes"},
	} {
		if got := importValue(tc.col, tc.trim, tc.c); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("importValue(%s, %+v) = %#v, want %#v", tc.col.Type, tc.c, got, tc.want)
		}
	}
}
