package convert

import (
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// jsonlErrorCases are JSON Lines inputs with one error each; tc.recs
// records come before it, and reading goes on after it.
var jsonlErrorCases = []errCase{
	{"trailing comma", "{\"a\": 1}\n[1,]\n", 1, 2, 3, record.CodeSyntax, "trailing comma before ']'"},
	{"comment line", "// header\n{\"a\": 1}\n", 0, 1, 1, record.CodeSyntax, "comments are not allowed in JSON"},
	{"single quotes", "{'a': 1}", 0, 1, 2, record.CodeSyntax, "keys must be in double quotes"},
	{"NaN", "[NaN]", 0, 1, 2, record.CodeSyntax, "'NaN' is not allowed in JSON"},
	{"leading zero", "{\"n\": 01}", 0, 1, 7, record.CodeSyntax, "numbers must not have leading zeros"},
	{"plus sign", "+1", 0, 1, 1, record.CodeSyntax, "numbers must not start with '+'"},
	{"control character in string", "\"a\x02\"", 0, 1, 3, record.CodeSyntax, "control character U+0002 inside a string"},
	{"bad escape", `"\a"`, 0, 1, 2, record.CodeSyntax, "invalid escape: a backslash followed by 'a'"},
	{"lone surrogate", `{"a": "\udfff"}`, 0, 1, 8, record.CodeSyntax, "surrogate pair"},
	{"unclosed object", "\n{\"a\": [1, 2]", 0, 2, 13, record.CodeSyntax, "unexpected end of line: the object opened at line 2, column 1 is never closed"},
	{"unclosed string", "  {\"a\": \"x\r\n", 0, 1, 11, record.CodeSyntax, "unexpected end of line: the string opened at line 1, column 9 is never closed"},
	{"string across lines", "{\"a\": \"x\ny\"}\n", 0, 1, 9, record.CodeSyntax, "the string opened at line 1, column 7 is never closed"},
	{"two values on a line", "{\"a\": 1} {\"b\": 2}", 0, 1, 10, record.CodeSyntax, "unexpected '{' after the value: a line holds exactly one JSON value"},
	{"missing comma", "[1 2]", 0, 1, 4, record.CodeSyntax, "expected ',' or ']' after an array element, found '2'"},
	{"invalid UTF-8 in string", "{\"é\": \"ü\xff\"}", 0, 1, 9, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 after value", "{\"a\": 1}\xff", 0, 1, 9, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 first", "\xff", 0, 1, 1, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"duplicate key", "{\"a\": 1}\n{\"date\": 1, \"x\": 2, \"date\": 3}", 1, 2, 21, record.CodeDuplicate, `duplicate key "date" (first at line 2, column 2)`},
	{"too deep", strings.Repeat("[", 257), 0, 1, 257, record.CodeTooDeep, "too deeply nested"},
	{"UTF-16", "\xff\xfe{\x00}\x00\n\x00", 0, 1, 1, record.CodeInvalidUTF8, "UTF-16"},
	{"error after byte order mark", "\xef\xbb\xbf{x}", 0, 1, 2, record.CodeSyntax, "keys must be in double quotes"},
}

func TestJSONLErrors(t *testing.T) {
	for _, tc := range jsonlErrorCases {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				recs, errs := readAll(t, NewJSONLReader(rd.wrap(strings.NewReader(tc.in)), "in"))
				if len(errs) == 0 {
					t.Fatal("no error")
				}
				checkSyntaxError(t, tc, errs[0])
				if len(recs) < tc.recs {
					t.Fatalf("got %d records, want at least %d", len(recs), tc.recs)
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
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			r := NewJSONLReader(rd.wrap(strings.NewReader(in)), "in")
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
	recs, errs := readAll(t, NewJSONLReader(strings.NewReader(in), "in"))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	checkRecords(t, recs, []wantRecord{
		{1, 1, map[string]any{"a": n("1")}},
		{3, 3, []any{n("1.10"), n("12345678901234567890")}},
		{4, 1, "ü"},
		{5, 1, map[string]any{}},
	})
}

// A line longer than the limit is reported and skipped, without being kept
// in memory, and the next line is read.
func TestJSONLTooLarge(t *testing.T) {
	setLimit(t, &record.MaxRecordSize, 1000)
	for _, size := range []int{1001, 5 * defaultBufSize} {
		in := "{\"a\": 1}\n\"" + strings.Repeat("x", size) + "\"\n{\"b\": 2}\n"
		recs, errs := readAll(t, NewJSONLReader(strings.NewReader(in), "in"))
		if len(recs) != 2 || recs[1].Line != 3 || len(errs) != 1 {
			t.Fatalf("size %d: got %d records, errors %v", size, len(recs), errs)
		}
		checkSyntaxError(t, errCase{line: 2, col: 1, code: record.CodeTooLarge, msg: "this line is longer than the limit of 1000 bytes"}, errs[0])
	}
}
