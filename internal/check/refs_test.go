package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// TestPendingReferencesSwept reads references to records further on, with
// more records between them than a sweep waits for: the one that resolves
// to the right type is forgotten before the end, the one to a record of
// the wrong type is reported when the sweep finds it, and the one to no
// record is reported by Finish, as if there had been no sweep.
func TestPendingReferencesSwept(t *testing.T) {
	var in strings.Builder
	actor := func(id, seenIn string) {
		fmt.Fprintf(&in, `{"type":"actor","id":%q,"name":"Name %s","kind":"person","aliases":[{"name":"Alias %s","kind":"misspelling","seen_in":[%q]}]}`+"\n", id, id, id, seenIn)
	}
	actor("early", "herald")     // resolves
	actor("wrong", "talks")      // an event, not a source
	actor("dangling", "nowhere") // never resolves
	n := 0
	filler := func() { // actors whose names are three edits apart or more
		for range minSweep + 10 {
			fmt.Fprintf(&in, `{"type":"actor","id":"filler-%d","name":"Filler %d %d %d","kind":"person"}`+"\n", n, n, n, n)
			n++
		}
	}
	filler()
	in.WriteString(`{"type":"source","id":"herald","outlet":"Daily Herald","url":"https://example.org/h","published":"2022-01-05","language":"en"}` + "\n")
	in.WriteString(`{"type":"event","id":"talks","title":"Talks","category":"consult","status":"occurred","date":"2022-01-10","attestations":[{"source":"herald"}]}` + "\n")
	filler()

	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	format, err := record.FormatOf("in.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	c := New(v)
	c.File("in.jsonl")
	feed(c, "in.jsonl", convert.NewReader(strings.NewReader(in.String()), "in.jsonl", format))
	if len(c.refs) != 1 || c.refStrs.String(c.refs[0].id) != "nowhere" {
		t.Errorf("%d references pending before Finish, want only the one to \"nowhere\"", len(c.refs))
	}
	rep := c.Finish()
	var got []string
	for _, f := range rep.Findings {
		if f.Code == CodeWrongReference || f.Code == CodeDanglingReference {
			got = append(got, fmt.Sprintf("%s %s %s %s", f.Code, f.RecordID, f.Pointer, f.Position()))
		}
	}
	want := []string{
		CodeWrongReference + " wrong /aliases/0/seen_in/0 in.jsonl:2:",
		CodeDanglingReference + " dangling /aliases/0/seen_in/0 in.jsonl:3:",
	}
	if len(got) != len(want) {
		t.Fatalf("reference findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d: %s, want %s…", i, got[i], want[i])
		}
	}
}
