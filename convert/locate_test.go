package convert

import (
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
)

type locateCase struct {
	ptr       string
	key       bool
	line, col int
}

var locateJSONCases = []locateCase{
	{"", false, 1, 1},
	{"", true, 1, 1},
	{"/title", false, 2, 12},
	{"/title", true, 2, 3},
	{"/events", false, 3, 13},
	{"/events/0", false, 4, 5},
	{"/events/0", true, 4, 5}, // an array element has no key
	{"/events/0/date", false, 4, 14},
	{"/events/0/date", true, 4, 6},
	{"/events/0/tags/1", false, 4, 42},
	{"/events/1/ré~0s~1x", true, 5, 6},
	{"/events/1/ré~0s~1x/k", false, 5, 22},
	{"/events/1/ré~0s~1x/k", true, 5, 17},
	{"/events/1/n", false, 5, 46},
	{"/events/1/n", true, 5, 41},
	// Missing: the deepest ancestor that exists.
	{"/events/0/missing", false, 4, 5},
	{"/events/0/missing", true, 4, 5},
	{"/events/7", false, 3, 13},
	{"/events/0/tags/9", false, 4, 36},
	{"/events/0/tags/9/x", false, 4, 36},
	{"/title/x", false, 2, 12},
	{"/events/01", false, 3, 13},
	{"/events/-", false, 3, 13},
	{"/nothing/here", false, 1, 1},
	{"title", false, 1, 1}, // not a pointer
}

func TestLocateJSON(t *testing.T) {
	recs, errs := readertest.ReadAll(t, json.NewReader(strings.NewReader(readertest.LocateJSONDoc), "in"))
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
	checkLocate(t, recs[0], locateJSONCases, 0, 0)

	// The same record as the second element of an array, two lines down
	// and indented by two: every position moves.
	indented := strings.ReplaceAll(readertest.LocateJSONDoc, "\n", "\n  ")
	recs, errs = readertest.ReadAll(t, json.NewReader(strings.NewReader("[\n  1,\n  "+indented+"\n]"), "in"))
	if len(errs) != 0 || len(recs) != 2 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
	checkLocate(t, recs[1], locateJSONCases, 2, 2)
}

func TestLocateJSONL(t *testing.T) {
	// On one line (lines of the document joined, indentation kept), after
	// one record and two spaces.
	line := strings.ReplaceAll(readertest.LocateJSONDoc, "\n", "")
	recs, errs := readertest.ReadAll(t, json.NewLinesReader(strings.NewReader("{}\n  "+line+"\n"), "in"))
	if len(errs) != 0 || len(recs) != 2 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
	rec := recs[1]
	for _, tc := range []locateCase{
		{"", false, 2, 3},
		{"/title", false, 2, 15},
		{"/title", true, 2, 6},
		{"/events/1/ré~0s~1x/k", false, 2, 105},
		{"/events/1/ré~0s~1x/k", true, 2, 100},
		{"/events/1/n", false, 2, 129},
		{"/events/1/missing", false, 2, 88},
	} {
		if l, c := rec.Locate(tc.ptr, tc.key); l != tc.line || c != tc.col {
			t.Errorf("Locate(%q, %v) = %d:%d, want %d:%d", tc.ptr, tc.key, l, c, tc.line, tc.col)
		}
	}
}

func TestLocateYAML(t *testing.T) {
	doc := strings.Replace(readertest.LocateYAMLDoc, "title: Annals", "title: &t Annals", 1)
	recs, errs := readertest.ReadAll(t, yaml.NewReader(strings.NewReader(doc), "in"))
	if len(errs) != 0 || len(recs) != 3 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
	checkLocate(t, recs[0], []locateCase{
		{"", false, 1, 1},
		{"/title", false, 1, 8},
		{"/title", true, 1, 1},
		{"/events", false, 3, 3},
		{"/events/0", false, 3, 5},
		{"/events/0/date", false, 3, 11},
		{"/events/0/date", true, 3, 5},
		{"/events/0/tags/1", false, 4, 15},
		{"/events/1/ré~0s~1x", true, 5, 5},
		{"/events/1/ré~0s~1x/k", false, 5, 17},
		{"/events/1/ré~0s~1x/k", true, 5, 14},
		{"/events/1/date", false, 6, 11},
		{"/events/1/n", false, 7, 8},
		{"/events/1/n", true, 7, 5},
		{"/events/1/alias", false, 8, 12}, // where the alias is written
		{"/events/0/missing", false, 3, 5},
		{"/events/0/missing", true, 3, 5},
		{"/events/7", false, 3, 3},
		{"/events/0/tags/9", false, 4, 11},
		{"/title/x", false, 1, 8},
		{"/events/01", false, 3, 3},
		{"title", false, 1, 1},
	}, 0, 0)
	checkLocate(t, recs[1], []locateCase{
		{"", false, 10, 3},
		{"/x/1", false, 11, 10},
		{"/id", true, 10, 3},
	}, 0, 0)
	// Inside an alias, positions are those of the anchored value.
	checkLocate(t, recs[2], []locateCase{
		{"/y", false, 13, 6},
		{"/y/x", false, 13, 6},
	}, 0, 0)
}

// checkLocate checks rec.Locate against cases, whose positions are moved by
// dl lines and, past the first line, dc columns.
func checkLocate(t *testing.T, rec *record.Record, cases []locateCase, dl, dc int) {
	t.Helper()
	for _, tc := range cases {
		wantLine, wantCol := tc.line+dl, tc.col
		if tc.line > 1 {
			wantCol += dc
		} else if dl > 0 {
			wantCol += rec.Col - 1
		}
		if l, c := rec.Locate(tc.ptr, tc.key); l != wantLine || c != wantCol {
			t.Errorf("Locate(%q, %v) = %d:%d, want %d:%d", tc.ptr, tc.key, l, c, wantLine, wantCol)
		}
	}
}
