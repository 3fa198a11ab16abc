package check

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/schema"
)

func runCheck(t *testing.T, files map[string]string, order []string) *Report {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := New(v)
	for _, name := range order {
		c.File(name)
		f, err := convert.FormatOf(name)
		if err != nil {
			t.Fatal(err)
		}
		rd := convert.NewReader(strings.NewReader(files[name]), name, f)
		for {
			rec, err := rd.Read()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				c.ReadError(name, err)
				continue
			}
			c.Record(rec)
		}
	}
	return c.Finish()
}

var mixed = map[string]string{
	"b.jsonl": `{"type":"statement","id":"s1","speaker":"x","date":"2022-01-01","summary":"S.","attestations":[{"source":"src"}]}
{"type":"actor","id":"dup","name":"D","kind":"person"}`,
	"a.yaml": `- {type: source, id: src, published: 2021-12-01}
- {type: actor, id: dup, name: D, kind: persn}
- {type: event, id: e, title: E, category: consult, status: occurred, date: 2022-01-10, attestations: [{source: s1}]}`,
}

// The same input gives the same bytes, in every output format, however
// often it is checked.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats {
		var first []byte
		for i := range 5 {
			rep := runCheck(t, mixed, []string{"a.yaml", "b.jsonl"})
			var buf bytes.Buffer
			if err := WriteFindings(&buf, format, rep.Findings); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = buf.Bytes()
				continue
			}
			if !bytes.Equal(first, buf.Bytes()) {
				t.Fatalf("%s output differs between runs:\n%s\n---\n%s", format, first, buf.Bytes())
			}
		}
	}
}

// Findings sort by the order the files were given, then by position.
func TestFindingsSorted(t *testing.T) {
	rep := runCheck(t, mixed, []string{"a.yaml", "b.jsonl"})
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Code)
	}
	want := "not-allowed wrong-reference dangling-reference date-after-sources duplicate-id"
	if strings.Join(got, " ") != want {
		t.Errorf("codes in order:\n got %s\nwant %s\n%v", strings.Join(got, " "), want, rep.Findings)
	}
	if rep.Errors != 5 || rep.Warnings != 0 {
		t.Errorf("Errors, Warnings = %d, %d", rep.Errors, rep.Warnings)
	}
	if s := rep.Summary(); s != "checked 5 records in 2 files (2 actors, 1 source, 1 event, 1 statement): 5 errors, 0 warnings" {
		t.Errorf("Summary() = %q", s)
	}
}

func TestGitHubEscaping(t *testing.T) {
	f := Finding{File: "a,b:c.yaml", Line: 1, Column: 2, Severity: Warning, Code: "x", Message: "100% sure\nnext line"}
	want := "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=annals x::100%25 sure%0Anext line"
	if got := githubAnnotation(f); got != want {
		t.Errorf("githubAnnotation:\n got %s\nwant %s", got, want)
	}
}
