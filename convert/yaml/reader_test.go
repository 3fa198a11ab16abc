package yaml

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
)

func TestYAMLErrors(t *testing.T) {
	for _, tc := range readertest.YAMLErrorCases {
		for _, rd := range readertest.Pieces {
			t.Run(tc.Name+"/"+rd.Name, func(t *testing.T) {
				recs, errs := readertest.ReadAll(t, NewReader(rd.Wrap(strings.NewReader(tc.In)), "in"))
				if len(errs) == 0 {
					t.Fatalf("no error; records %v", recs)
				}
				readertest.CheckSyntaxError(t, tc, errs[0])
				if len(recs) != tc.Recs {
					t.Errorf("got %d records, want %d", len(recs), tc.Recs)
				}
			})
		}
	}
}

// After a syntax error the reader stops; after an error in one record's
// content it goes on with the next record.
func TestYAMLAfterErrors(t *testing.T) {
	r := NewReader(strings.NewReader("- a: 1\n  a: 2\n- b: .inf\n- c: 1\n---\nd: [\n---\ne: 1\n"), "in")
	var got []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			se := err.(*record.SyntaxError)
			got = append(got, fmt.Sprintf("%d:%d %s", se.Line, se.Col, se.Code))
			continue
		}
		got = append(got, fmt.Sprintf("%d:%d #%d", rec.Line, rec.Col, rec.Index))
	}
	want := "[2:3 duplicate-key 3:6 syntax-error 4:3 #0 7:1 syntax-error]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func TestYAMLRecords(t *testing.T) {
	for _, tc := range readertest.YAMLRecordCases {
		t.Run(tc.Name, func(t *testing.T) {
			recs, errs := readertest.ReadAll(t, NewReader(strings.NewReader(tc.In), "in"))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			readertest.CheckRecords(t, recs, tc.Want)
		})
	}
}

// Numbers that YAML 1.1 and YAML 1.2 read differently (or that JSON
// cannot hold as written) are errors that say how to write them: a
// latitude written 045 once validated as 37. Quoted, they are text.
func TestYAMLAmbiguousNumbers(t *testing.T) {
	for _, tc := range []struct{ in, why string }{
		{"045", "starts with 0, which YAML 1.1 reads as an octal number (017 is 15) and YAML 1.2 as a decimal one (17)"},
		{"-017", "starts with 0"},
		{"08", "starts with 0"},
		{"1_000", `has "_" separators`},
		{"-1_0.5_0", `has "_" separators`},
		{"0x1F", "is written in base 16, 8 or 2"},
		{"0o17", "is written in base 16, 8 or 2"},
		{"0b101", "is written in base 16, 8 or 2"},
	} {
		in := "- type: event\n  latitude: " + tc.in + "\n"
		_, errs := readertest.ReadAll(t, NewReader(strings.NewReader(in), "in"))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "in:2:13: the number "+tc.in+" "+tc.why) ||
			!strings.Contains(errs[0].Error(), "write it as a plain decimal number, or in quotes if it is text") {
			t.Errorf("%s: %v", tc.in, errs)
		}
		quoted := "- {latitude: \"" + tc.in + "\"}\n"
		recs, errs := readertest.ReadAll(t, NewReader(strings.NewReader(quoted), "in"))
		if len(errs) != 0 || len(recs) != 1 || recs[0].Value.(map[string]any)["latitude"] != tc.in {
			t.Errorf("%s quoted: %v %v", tc.in, recs, errs)
		}
	}
}

// "Billion laughs": a few lines of aliases that expand to 10^5 values and
// more are stopped by MaxYAMLNodes.
func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.Repeat(fmt.Sprintf("*%c, ", c-1), 9)+fmt.Sprintf("*%c", c-1))
	}
	b.WriteString("---\nok: 1\n")
	recs, errs := readertest.ReadAll(t, NewReader(strings.NewReader(b.String()), "in"))
	if len(errs) != 1 || errs[0].(*record.SyntaxError).Code != record.CodeTooLarge {
		t.Fatalf("got errors %v, want one too-large", errs)
	}
	if !strings.Contains(errs[0].Error(), "the aliases (*name) of this document expand to more than 100000 values") {
		t.Errorf("message: %v", errs[0])
	}
	// The next document is read.
	if len(recs) != 1 || recs[0].Line != 11 {
		t.Errorf("got records %v, want the one of the next document", recs)
	}
}

// Aliases of a long text: few values, much text. A 5 MiB description
// quoted through 100 aliases once converted to a 500 MB record, larger
// than annals reads back; the text aliases expand to is bounded by
// MaxYAMLSize, and a record's text by MaxRecordSize.
func TestYAMLAliasText(t *testing.T) {
	big := strings.Repeat("a long description ", 5<<20/19)
	var b strings.Builder
	fmt.Fprintf(&b, "- type: event\n  id: e1\n  description: &big %s\n  attestations:\n", big)
	for range 100 {
		b.WriteString("    - {source: s1, quote: *big}\n")
	}
	b.WriteString("- type: actor\n  id: next\n")
	recs, errs := readertest.ReadAll(t, NewReader(strings.NewReader(b.String()), "in"))
	if len(errs) != 1 || errs[0].(*record.SyntaxError).Code != record.CodeTooLarge {
		t.Fatalf("got errors %v, want one too-large", errs)
	}
	if !strings.Contains(errs[0].Error(), "this record holds more than 16 MiB of text (aliases expanded), more than a record may") {
		t.Errorf("message: %v", errs[0])
	}
	if len(recs) != 0 {
		t.Errorf("got %d records: the document's budget is spent", len(recs))
	}

	// Over the document's budget before any one record's.
	lim := record.Limits{RecordSize: 1 << 30, YAMLSize: 1 << 20}
	small := strings.Repeat("x", 100<<10)
	in := "- &t " + small + "\n" + strings.Repeat("- *t\n", 11)
	_, errs = readertest.ReadAll(t, NewReaderLimits(strings.NewReader(in), "in", lim))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "the aliases (*name) of this document expand to more than 1 MiB of text") {
		t.Fatalf("got errors %v", errs)
	}
	// Keys count too: "*t : 1" is the long text again, as a key.
	in = "- {note: &t " + small + "}\n" + strings.Repeat("- {*t : 1}\n", 11)
	_, errs = readertest.ReadAll(t, NewReaderLimits(strings.NewReader(in), "in", lim))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "the aliases (*name) of this document expand to more than 1 MiB of text") {
		t.Fatalf("aliases as keys: got errors %v", errs)
	}
}

// A long document without aliases is not limited by MaxYAMLNodes.
func TestYAMLManyValues(t *testing.T) {
	lim := record.Limits{YAMLNodes: 10}
	in := strings.Repeat("- {a: 1, b: [1, 2, 3]}\n", 20) + "- &x {a: 1}\n- *x\n"
	recs, errs := readertest.ReadAll(t, NewReaderLimits(strings.NewReader(in), "in", lim))
	if len(errs) != 0 || len(recs) != 22 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
}

func TestYAMLTooLarge(t *testing.T) {
	lim := record.Limits{YAMLSize: 10}
	_, errs := readertest.ReadAll(t, NewReaderLimits(strings.NewReader("a: 12345678901"), "in", lim))
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	readertest.CheckSyntaxError(t, readertest.ErrCase{Line: 1, Col: 1, Code: record.CodeTooLarge, Msg: "larger than the limit of 10 bytes"}, errs[0])
}
