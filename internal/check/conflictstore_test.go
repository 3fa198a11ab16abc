package check

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// TestConflictStore keeps conflicts as bytes and gets them back as they
// were, empty fields, unicode, workbook positions and long text included.
func TestConflictStore(t *testing.T) {
	want := []record.Conflict{
		{RecordType: "event", RecordID: "talks-geneva", Field: "date", Canonical: "2022-01-10", Values: []record.ConflictValue{
			{Source: "herald", Value: "2022-01-09", Wording: "on Sunday", Pos: record.Position{File: "events.yaml", Line: 14, Col: 9}},
			{Source: "courier", Value: "2022-01-10", Rank: "preferred", Agrees: true, Pos: record.Position{File: "book.xlsx", Sheet: "Event attestations", Cell: "D7", Line: 7, Col: 4}},
		}},
		{RecordType: "statement", RecordID: "s1", Field: "reported_names", Actor: "lavrov", Canonical: "Sergei Lavrov", Values: []record.ConflictValue{
			{Source: "tass", Value: "Сергей Лавров"},
			{Source: "wire", Value: strings.Repeat("Lavrov ", 40000)},
		}},
		{RecordType: "event", RecordID: "no-values", Field: "location.name"},
	}
	var s conflictStore
	for _, c := range want {
		s.add(c)
	}
	got := slices.Collect(s.each)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got back\n%+v\nwant\n%+v", got, want)
	}
	if s.len() != len(want) {
		t.Errorf("len %d, want %d", s.len(), len(want))
	}
	s.sort()
	var order []string
	for c := range s.each {
		order = append(order, c.RecordType+" "+c.RecordID)
	}
	if want := []string{"event no-values", "event talks-geneva", "statement s1"}; !slices.Equal(order, want) {
		t.Errorf("sorted: %q, want %q", order, want)
	}
}
