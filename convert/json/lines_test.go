package json

import (
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
)

func TestJSONLErrors(t *testing.T) {
	for _, tc := range readertest.JSONLErrorCases {
		for _, rd := range readertest.Pieces {
			t.Run(tc.Name+"/"+rd.Name, func(t *testing.T) {
				recs, errs := readertest.ReadAll(t, NewLinesReader(rd.Wrap(strings.NewReader(tc.In)), "in"))
				if len(errs) == 0 {
					t.Fatal("no error")
				}
				readertest.CheckSyntaxError(t, tc, errs[0])
				if len(recs) < tc.Recs {
					t.Fatalf("got %d records, want at least %d", len(recs), tc.Recs)
				}
			})
		}
	}
}

// After a bad line, reading goes on with the next one, and every bad line
// is reported with its own line number.
func TestJSONLResumesAfterBadLine(t *testing.T) {
	in := strings.Join([]string{
		`{"a": 1}`,
		``,
		"  \t\r",
		`[1,]`,
		`{"a": 1, "a": 2}`,
		"\t{\"b\": \"é\"}\r",
		`{"c": 1} x`,
		"\"\xff\"",
		`{"d":`,
		`3`,
	}, "\n")
	for _, rd := range readertest.Pieces {
		t.Run(rd.Name, func(t *testing.T) {
			r := NewLinesReader(rd.Wrap(strings.NewReader(in)), "in")
			type result struct {
				line, col int
				code      string
			}
			var got []result
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					se := err.(*record.SyntaxError)
					got = append(got, result{se.Line, se.Col, se.Code})
					continue
				}
				got = append(got, result{rec.Line, rec.Col, "record"})
			}
			want := []result{
				{1, 1, "record"},
				{4, 3, record.CodeSyntax},
				{5, 10, record.CodeDuplicate},
				{6, 2, "record"},
				{7, 10, record.CodeSyntax},
				{8, 2, record.CodeInvalidUTF8},
				{9, 6, record.CodeSyntax},
				{10, 1, "record"},
			}
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("result %d: got %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestJSONLRecords(t *testing.T) {
	in := "\xef\xbb\xbf{\"a\": 1}\r\n\r\n  [1.10, 12345678901234567890]\n\"ü\"\n{}"
	recs, errs := readertest.ReadAll(t, NewLinesReader(strings.NewReader(in), "in"))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	readertest.CheckRecords(t, recs, []readertest.WantRecord{
		{Line: 1, Col: 1, Value: map[string]any{"a": readertest.N("1")}},
		{Line: 3, Col: 3, Value: []any{readertest.N("1.10"), readertest.N("12345678901234567890")}},
		{Line: 4, Col: 1, Value: "ü"},
		{Line: 5, Col: 1, Value: map[string]any{}},
	})
}

// A line longer than the limit is reported and skipped, without being kept
// in memory, and the next line is read.
func TestJSONLTooLarge(t *testing.T) {
	lim := record.Limits{RecordSize: 1000}
	for _, size := range []int{1001, 5 * defaultBufSize} {
		in := "{\"a\": 1}\n\"" + strings.Repeat("x", size) + "\"\n{\"b\": 2}\n"
		recs, errs := readertest.ReadAll(t, NewLinesReaderLimits(strings.NewReader(in), "in", lim))
		if len(recs) != 2 || recs[1].Line != 3 || len(errs) != 1 {
			t.Fatalf("size %d: got %d records, errors %v", size, len(recs), errs)
		}
		readertest.CheckSyntaxError(t, readertest.ErrCase{Line: 2, Col: 1, Code: record.CodeTooLarge, Msg: "this line is longer than the limit of 1000 bytes"}, errs[0])
	}
}
