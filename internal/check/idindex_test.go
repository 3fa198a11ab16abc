package check

import (
	"fmt"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// TestStart turns positions into starts and back: those that fit in a
// start's 8 bytes and those kept in the Checker's places.
func TestStart(t *testing.T) {
	c := New(nil)
	for i := range maxFile + 1 { // every file number a start can hold
		c.startAt(record.Position{File: fmt.Sprintf("file-%d.yaml", i), Line: 1, Col: 1})
	}
	if len(c.places) != 0 {
		t.Fatalf("%d positions kept in places, want none", len(c.places))
	}
	positions := []record.Position{
		{File: "file-0.yaml", Line: 1, Col: 1},
		{File: "file-1.yaml", Line: 1<<32 - 1, Col: 1<<colBits - 1},
		{File: "file-2.yaml", Line: 1, Col: 1 << colBits},
		{File: "file-3.yaml", Line: 1 << 32, Col: 3},
		{File: fmt.Sprintf("file-%d.yaml", maxFile), Line: 7, Col: 2},
		{File: fmt.Sprintf("file-%d.yaml", maxFile+1), Line: 7, Col: 2},
		{File: "book.xlsx", Sheet: "events", Cell: "B7", Line: 7},
	}
	for _, p := range positions {
		if got := c.position(c.startAt(p)); got != p {
			t.Errorf("%+v came back as %+v", p, got)
		}
	}
	if len(c.places) != 4 { // the last four
		t.Errorf("%d positions kept in places, want 4", len(c.places))
	}
}
