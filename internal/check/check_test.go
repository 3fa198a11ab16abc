package check

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

func runCheck(t *testing.T, files map[string]string, order []string) *Report {
	t.Helper()
	return runCheckWith(t, files, order, func(*Checker) {})
}

// runCheckWith is runCheck with a Checker that setup has configured.
func runCheckWith(t *testing.T, files map[string]string, order []string, setup func(*Checker)) *Report {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := New(v)
	setup(c)
	for _, name := range order {
		c.File(name)
		f, err := record.FormatOf(name)
		if err != nil {
			t.Fatal(err)
		}
		feed(c, name, convert.NewReader(strings.NewReader(files[name]), name, f))
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

// MaxFindings lists a prefix of the sorted findings, however often the
// Checker had to drop findings on the way, and counts them all; List
// chooses what is listed, not what is counted.
func TestMaxFindings(t *testing.T) {
	var in strings.Builder
	for i := range 60 {
		// Each record has a bad kind, a dangling reference (decided at
		// Finish) and, every third, a suspect character (a warning);
		// some names are near-duplicates (warnings decided at Finish).
		name := strings.Repeat(string(rune('A'+i%26)), 4) + " " + strings.Repeat(string(rune('a'+i/26)), 5)
		if i%3 == 0 {
			name += "\u200b"
		}
		fmt.Fprintf(&in, `{"type":"actor","id":"a%d","name":"%s","kind":"persn","roles":[{"organization":"nowhere-%d","title":"T"}]}`+"\n", 59-i, name, i)
	}
	files := map[string]string{"a.jsonl": in.String()}
	all := runCheck(t, files, []string{"a.jsonl"})
	total := len(all.Findings)
	if all.Errors != 120 || all.Warnings < 20 || total != all.Errors+all.Warnings || all.Omitted != 0 {
		t.Fatalf("without a limit: %d errors, %d warnings, %d listed, %d omitted", all.Errors, all.Warnings, total, all.Omitted)
	}
	for _, max := range []int{1, 2, 7, 33, 69, 70, total - 1, total, total + 1, 1000} {
		rep := runCheckWith(t, files, []string{"a.jsonl"}, func(c *Checker) { c.MaxFindings = max })
		n := min(max, total)
		if !slices.Equal(rep.Findings, all.Findings[:n]) || rep.Omitted != total-n {
			t.Errorf("MaxFindings %d: %d listed, %d omitted; want the first %d and %d", max, len(rep.Findings), rep.Omitted, n, total-n)
		}
		if rep.Errors != all.Errors || rep.Warnings != all.Warnings {
			t.Errorf("MaxFindings %d: %d errors and %d warnings counted, want %d and %d", max, rep.Errors, rep.Warnings, all.Errors, all.Warnings)
		}
	}
	errorsOnly := runCheckWith(t, files, []string{"a.jsonl"}, func(c *Checker) {
		c.List = func(f Finding) bool { return f.Severity == Error }
		c.MaxFindings = 50
	})
	if errorsOnly.Warnings != all.Warnings || errorsOnly.Omitted != 70 || len(errorsOnly.Findings) != 50 {
		t.Errorf("errors only: %d warnings counted, %d listed, %d omitted; want %d, 50, 70", errorsOnly.Warnings, len(errorsOnly.Findings), errorsOnly.Omitted, all.Warnings)
	}
	for _, f := range errorsOnly.Findings {
		if f.Severity != Error {
			t.Fatalf("errors only lists %v", f)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	f := Finding{File: "a,b:c.yaml", Line: 1, Column: 2, Severity: Warning, Code: "x", Message: "100% sure\nnext line"}
	want := "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=annals x::100%25 sure%0Anext line"
	if got := githubAnnotation(f); got != want {
		t.Errorf("githubAnnotation:\n got %s\nwant %s", got, want)
	}
}

// feed reads every record of rd into c, as dataset.Read does one by one:
// what cannot be read becomes a finding.
func feed(c *Checker, name string, rd record.Reader) {
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			c.ReadError(name, err)
			continue
		}
		c.Record(rec)
	}
}
