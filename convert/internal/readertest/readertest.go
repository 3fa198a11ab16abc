package readertest

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/annals-project/annals/convert/record"
)

// ReadAll reads r to the end, returning the records and the errors met on
// the way. It fails the test if r does not reach io.EOF in a bounded number
// of calls.
func ReadAll(t testing.TB, r record.Reader) (recs []*record.Record, errs []error) {
	t.Helper()
	for range 100_000 {
		rec, err := r.Read()
		switch {
		case err == io.EOF:
			return recs, errs
		case err != nil:
			if rec != nil {
				t.Fatalf("Read returned both a record and the error %v", err)
			}
			errs = append(errs, err)
		case rec == nil:
			t.Fatal("Read returned neither a record nor an error")
		default:
			recs = append(recs, rec)
		}
	}
	t.Fatal("reader did not reach io.EOF")
	return nil, nil
}

// ErrCase is an input whose reading stops at, or includes, one error.
type ErrCase struct {
	Name      string
	In        string
	Recs      int // records read before the error
	Line, Col int
	Code      string
	Msg       string // the message, or a distinctive part of it
}

// CheckSyntaxError checks that err is a *SyntaxError as tc describes.
func CheckSyntaxError(t *testing.T, tc ErrCase, err error) {
	t.Helper()
	var se *record.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
	}
	if se.File != "in" || se.Line != tc.Line || se.Col != tc.Col || se.Code != tc.Code {
		t.Errorf("got %s:%d:%d [%s], want in:%d:%d [%s]\n(message: %s)",
			se.File, se.Line, se.Col, se.Code, tc.Line, tc.Col, tc.Code, se.Msg)
	}
	if !strings.Contains(se.Msg, tc.Msg) {
		t.Errorf("message %q does not contain %q", se.Msg, tc.Msg)
	}
	if se.Msg != strings.ToLower(se.Msg[:1])+se.Msg[1:] {
		t.Errorf("message %q does not start in lower case", se.Msg)
	}
}

// JSONErrorCases are .json inputs with one error each. Columns count
// characters: "é" is one.
var JSONErrorCases = []ErrCase{
	{"web page", "\n <!DOCTYPE html>\n<html>", 0, 2, 2, record.CodeSyntax, "this is a web page (HTML), not JSON"},

	// Trailing commas.
	{"trailing comma in top-level array", `[1,]`, 1, 1, 3, record.CodeSyntax, "trailing comma before ']'"},
	{"trailing comma in object", `[{"a": 1,}]`, 0, 1, 9, record.CodeSyntax, "trailing comma before '}'"},
	{"trailing comma in nested array", "[\n  {\"a\": [1, 2,\n  ]}\n]", 0, 2, 14, record.CodeSyntax, "trailing comma before ']'"},

	// Comments.
	{"line comment", "{\n  // note\n  \"a\": 1\n}", 0, 2, 3, record.CodeSyntax, "comments are not allowed in JSON"},
	{"block comment between elements", `[1, /* x */ 2]`, 1, 1, 5, record.CodeSyntax, "comments are not allowed in JSON"},
	{"hash comment", "[\n# x\n]", 0, 2, 1, record.CodeSyntax, "comments are not allowed in JSON"},

	// Quotes and words.
	{"single-quoted value", `{"a": 'x'}`, 0, 1, 7, record.CodeSyntax, "strings must be in double quotes"},
	{"single-quoted key", `{'a': 1}`, 0, 1, 2, record.CodeSyntax, "keys must be in double quotes"},
	{"unquoted key", `{a: 1}`, 0, 1, 2, record.CodeSyntax, "keys must be in double quotes (\"), found 'a'"},
	{"bare word", `[hello]`, 0, 1, 2, record.CodeSyntax, `unexpected word "hello": text must be in double quotes`},
	{"capitalised literal", `[True]`, 0, 1, 2, record.CodeSyntax, "'True' is not a JSON value: write true, false and null in lower case"},
	{"truncated literal", `[tru]`, 0, 1, 2, record.CodeSyntax, `unexpected word "tru"`},
	{"literal followed by garbage", `[truex]`, 1, 1, 6, record.CodeSyntax, "expected ',' or ']' after an array element, found 'x'"},
	{"curly quotes", "[“x”]", 0, 1, 2, record.CodeSyntax, "found a curly quote (“)"},

	// Numbers.
	{"NaN", `{"a": NaN}`, 0, 1, 7, record.CodeSyntax, "'NaN' is not allowed in JSON"},
	{"Infinity", `[Infinity]`, 0, 1, 2, record.CodeSyntax, "'Infinity' is not allowed in JSON"},
	{"-Infinity", `[1, -Infinity]`, 1, 1, 5, record.CodeSyntax, "'-Infinity' is not allowed in JSON"},
	{"leading zero", `[007]`, 0, 1, 2, record.CodeSyntax, "numbers must not have leading zeros"},
	{"leading zero after minus", `{"n": -012}`, 0, 1, 8, record.CodeSyntax, "numbers must not have leading zeros"},
	{"plus sign", `[+1]`, 0, 1, 2, record.CodeSyntax, "numbers must not start with '+'"},
	{"no digit before point", `[.5]`, 0, 1, 2, record.CodeSyntax, "numbers must start with a digit"},
	{"no digit after point", `[1.]`, 0, 1, 4, record.CodeSyntax, "expected a digit after the decimal point, found ']'"},
	{"no digit in exponent", `[1e]`, 0, 1, 4, record.CodeSyntax, "expected a digit in the exponent, found ']'"},
	{"lone minus", `[-]`, 0, 1, 3, record.CodeSyntax, "expected a digit after '-', found ']'"},

	// Strings.
	{"tab in string", "[\"a\tb\"]", 0, 1, 4, record.CodeSyntax, "tab character inside a string: write it as \\t"},
	{"line break in string", "{\"a\": \"x\ny\"}", 0, 1, 9, record.CodeSyntax, "line break inside a string"},
	{"control character in string", "[\"\x01\"]", 0, 1, 3, record.CodeSyntax, "control character U+0001 inside a string"},
	{"bad escape", `["\q"]`, 0, 1, 3, record.CodeSyntax, "invalid escape: a backslash followed by 'q'"},
	{"short unicode escape", `["\u12G4"]`, 0, 1, 3, record.CodeSyntax, "\\u must be followed by four hexadecimal digits"},
	{"lone high surrogate", `["\ud800"]`, 0, 1, 3, record.CodeSyntax, "invalid escape \\ud800: half of a UTF-16 surrogate pair"},
	{"lone low surrogate", `["ab\udc00"]`, 0, 1, 5, record.CodeSyntax, "invalid escape \\udc00: half of a UTF-16 surrogate pair"},
	{"high surrogate then non-surrogate", `["\ud800\u0041"]`, 0, 1, 3, record.CodeSyntax, "surrogate pair"},

	// Truncated input.
	{"empty file", "", 0, 1, 1, record.CodeSyntax, "unexpected end of file: the file is empty"},
	{"blank file", "\n\n", 0, 3, 1, record.CodeSyntax, "the file is empty"},
	{"unclosed top-level array", `[{"a": 1}`, 1, 1, 10, record.CodeSyntax, "unexpected end of file: the array opened at line 1, column 1 is never closed"},
	{"unclosed top-level array after comma", "[1,\n", 1, 2, 1, record.CodeSyntax, "unexpected end of file: the array opened at line 1, column 1 is never closed"},
	{"unclosed nested array", "{\"a\": [1,\n  2", 0, 2, 4, record.CodeSyntax, "unexpected end of file: the array opened at line 1, column 7 is never closed"},
	{"unclosed object", "[\n  {\"a\": 1,\n", 0, 3, 1, record.CodeSyntax, "unexpected end of file: the object opened at line 2, column 3 is never closed"},
	{"unclosed object after key", `{"a"`, 0, 1, 5, record.CodeSyntax, "the object opened at line 1, column 1 is never closed"},
	{"unclosed string", `[{"a": "xyz`, 0, 1, 12, record.CodeSyntax, "unexpected end of file: the string opened at line 1, column 8 is never closed"},
	{"unclosed string after é", `["é`, 0, 1, 4, record.CodeSyntax, "the string opened at line 1, column 2 is never closed"},

	// Structure.
	{"garbage after record", `{"a": 1} {"b": 2}`, 1, 1, 10, record.CodeSyntax, "unexpected '{' after the record: a .json file holds one record, or an array of records"},
	{"garbage after array", "[1]\nx", 1, 2, 1, record.CodeSyntax, "unexpected 'x' after the end of the top-level array"},
	{"second closing bracket", `[1]]`, 1, 1, 4, record.CodeSyntax, "unexpected ']' after the end of the top-level array"},
	{"missing comma between elements", `[1 2]`, 1, 1, 4, record.CodeSyntax, "expected ',' or ']' after an array element, found '2'"},
	{"missing comma between records", "[\n  {\"a\": 1}\n  {\"b\": 2}\n]", 1, 3, 3, record.CodeSyntax, "expected ',' or ']' after an array element, found '{'"},
	{"missing comma in nested array", `{"a": [1 2]}`, 0, 1, 10, record.CodeSyntax, "expected ',' or ']' after an array element, found '2'"},
	{"missing comma in object", `{"a": 1 "b": 2}`, 0, 1, 9, record.CodeSyntax, `expected ',' or '}' after an object member, found '"'`},
	{"missing colon", `{"a" 1}`, 0, 1, 6, record.CodeSyntax, `expected ':' after the key "a", found '1'`},
	{"mismatched bracket", `[{"a": [1}]`, 0, 1, 10, record.CodeSyntax, "expected ',' or ']' after an array element, found '}'"},
	{"missing value", `{"a": }`, 0, 1, 7, record.CodeSyntax, "expected a value, found '}'"},
	{"control character between values", "[1,\x01]", 1, 1, 4, record.CodeSyntax, "expected a value, found control character U+0001"},

	// Invalid UTF-8.
	{"invalid UTF-8 in string after multi-byte characters", "[\"é\", \"ü\xff\"]", 1, 1, 9, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 outside strings", "{\"a\": 1,\n \xfe\"b\": 2}", 0, 2, 2, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xfe"},
	{"invalid UTF-8 between elements", "[1,\xc3]", 1, 1, 4, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xc3"},
	{"invalid UTF-8 after the array", "[1] \xff", 1, 1, 5, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 in key", "{\"k\xff\": 1}", 0, 1, 4, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 after backslash", "[\"\\\xff\"]", 0, 1, 4, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"overlong encoding", "[\"\xc0\xaf\"]", 0, 1, 3, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xc0"},
	{"encoded surrogate", "[\"\xed\xa0\x80\"]", 0, 1, 3, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xed"},
	{"truncated character at end of file", "[\"\xe2\x82", 0, 1, 3, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xe2"},

	// Duplicate keys.
	{"duplicate key", "{\n  \"date\": \"2020\",\n  \"title\": \"x\",\n  \"date\": \"2021\"\n}", 0, 4, 3, record.CodeDuplicate, `duplicate key "date" (first at line 2, column 3)`},
	{"duplicate key written with an escape", `{"a": 1, "\u0061": 2}`, 0, 1, 10, record.CodeDuplicate, `duplicate key "a" (first at line 1, column 2)`},
	{"duplicate key in nested object", `[{"x": {"k": 1, "k": 2}}]`, 0, 1, 17, record.CodeDuplicate, `duplicate key "k" (first at line 1, column 9)`},
	{"duplicate non-ASCII key", `{"é": 1, "é": 2}`, 0, 1, 10, record.CodeDuplicate, `duplicate key "é" (first at line 1, column 2)`},

	// Limits and encodings.
	{"too deep array", strings.Repeat("[", 300), 0, 1, 257, record.CodeTooDeep, "too deeply nested: more than 256 levels"},
	{"too deep object", strings.Repeat(`{"a":`, 300), 0, 1, 1281, record.CodeTooDeep, "too deeply nested"},
	{"UTF-16 big-endian", "\xfe\xff\x00[\x00]", 0, 1, 1, record.CodeInvalidUTF8, "the file is encoded as UTF-16; save it as UTF-8"},
	{"UTF-16 little-endian", "\xff\xfe[\x00]\x00", 0, 1, 1, record.CodeInvalidUTF8, "UTF-16"},
	{"UTF-16 without byte order mark", "[\x00]\x00", 0, 1, 1, record.CodeInvalidUTF8, "UTF-16"},
	{"error after UTF-8 byte order mark", "\xef\xbb\xbf[x]", 0, 1, 2, record.CodeSyntax, `unexpected word "x"`},
}

// Pieces wraps an input in readers that return it in different pieces,
// so that every buffer boundary is exercised.
var Pieces = []struct {
	Name string
	Wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte at a time", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data with EOF", iotest.DataErrReader},
}

type WantRecord struct {
	Line, Col int
	Value     any
}

func N(s string) json.Number { return json.Number(s) }

var JSONRecordCases = []struct {
	Name string
	In   string
	Want []WantRecord
}{
	{"array of mixed records", `[{"a": 1}, {"b": [1, 2.50, "x"]}, 3, "s", true, null, [], {}]`, []WantRecord{
		{1, 2, map[string]any{"a": N("1")}},
		{1, 12, map[string]any{"b": []any{N("1"), N("2.50"), "x"}}},
		{1, 35, N("3")},
		{1, 38, "s"},
		{1, 43, true},
		{1, 49, nil},
		{1, 55, []any{}},
		{1, 59, map[string]any{}},
	}},
	{"CRLF, tabs and multi-byte characters", "[\r\n\t{\"é\": \"ü\"},\r\n  {\"b\": 1}  ,  \"ü\" ]\r\n", []WantRecord{
		{2, 2, map[string]any{"é": "ü"}},
		{3, 3, map[string]any{"b": N("1")}},
		{3, 16, "ü"},
	}},
	{"one record", "\n  {\"a\": {\"b\": null}}\n", []WantRecord{{2, 3, map[string]any{"a": map[string]any{"b": nil}}}}},
	{"byte order mark", "\xef\xbb\xbf{\"a\":1}", []WantRecord{{1, 1, map[string]any{"a": N("1")}}}},
	{"byte order mark before array", "\xef\xbb\xbf[{\"a\":1}]", []WantRecord{{1, 2, map[string]any{"a": N("1")}}}},
	{"top-level string", `"just text"`, []WantRecord{{1, 1, "just text"}}},
	{"top-level number", ` 42 `, []WantRecord{{1, 2, N("42")}}},
	{"empty array", "[ \n ]", nil},
	{"escapes", `["a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0000"]`, []WantRecord{{1, 2, "a\"b\\c/d\b\f\n\r\té😀\x00"}}},
	{"numbers kept exact", `[1.10, 12345678901234567890, -0, 1e400, 0.000001, -1.5E+10, 0]`, []WantRecord{
		{1, 2, N("1.10")}, {1, 8, N("12345678901234567890")}, {1, 30, N("-0")}, {1, 34, N("1e400")},
		{1, 41, N("0.000001")}, {1, 51, N("-1.5E+10")}, {1, 61, N("0")},
	}},
	{"deep but within the limit", strings.Repeat("[", 256) + strings.Repeat("]", 256), []WantRecord{{1, 2, nest(254)}}},
}

// nest returns n empty arrays nested in each other.
func nest(n int) any {
	var v any = []any{}
	for range n {
		v = []any{v}
	}
	return v
}

func CheckRecords(t *testing.T, recs []*record.Record, want []WantRecord) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d", len(recs), len(want))
	}
	for i, rec := range recs {
		w := want[i]
		if rec.File != "in" || rec.Index != i || rec.Line != w.Line || rec.Col != w.Col {
			t.Errorf("record %d: got %s #%d at %d:%d, want in #%d at %d:%d", i, rec.File, rec.Index, rec.Line, rec.Col, i, w.Line, w.Col)
		}
		if !reflect.DeepEqual(rec.Value, w.Value) {
			t.Errorf("record %d: got %#v, want %#v", i, rec.Value, w.Value)
		}
		if line, col := rec.Locate("", false); line != rec.Line || col != rec.Col {
			t.Errorf("record %d: Locate(\"\") = %d:%d, want %d:%d", i, line, col, rec.Line, rec.Col)
		}
	}
}

// JSONLErrorCases are JSON Lines inputs with one error each; tc.recs
// records come before it, and reading goes on after it.
var JSONLErrorCases = []ErrCase{
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

// YAMLErrorCases are YAML inputs whose first error is as described. yaml.v3
// gives only the line of a syntax error, so Col is 1 for those.
var YAMLErrorCases = []ErrCase{
	// Duplicate keys.
	{"duplicate key", "title: x\ndate: 1\ndate: 2\n", 0, 3, 1, record.CodeDuplicate, `duplicate key "date" (first at line 2, column 1)`},
	{"duplicate key in sequence item", "- a: 1\n  b: 2\n  a: 3\n", 0, 3, 3, record.CodeDuplicate, `duplicate key "a" (first at line 1, column 3)`},
	{"duplicate key in flow mapping", "x: {é: 1, é: 2}\n", 0, 1, 11, record.CodeDuplicate, `duplicate key "é" (first at line 1, column 5)`},
	{"duplicate key quoted and plain", "a: 1\n\"a\": 2\n", 0, 2, 1, record.CodeDuplicate, `duplicate key "a" (first at line 1, column 1)`},
	{"duplicate key as number and string", "1: a\n'1': b\n", 0, 2, 1, record.CodeDuplicate, `duplicate key "1"`},

	// Encoding.
	{"invalid UTF-8", "a: é\xff\n", 0, 1, 5, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xff"},
	{"invalid UTF-8 after byte order mark", "\xef\xbb\xbfa: 1\nb: 2\nc: \xc3(\n", 0, 3, 4, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xc3"},
	{"invalid UTF-8 in a comment", "a: 1 # \xfe\n", 0, 1, 8, record.CodeInvalidUTF8, "invalid UTF-8 byte 0xfe"},
	{"control character", "a: \x07\n", 0, 1, 4, record.CodeSyntax, "control character U+0007 is not allowed in YAML"},
	{"UTF-16", "\xff\xfea\x00:\x00 \x001\x00", 0, 1, 1, record.CodeInvalidUTF8, "the file is encoded as UTF-16; save it as UTF-8"},

	// Syntax errors, reported by yaml.v3.
	{"mapping value on first line", "a: b: c\n", 0, 1, 5, record.CodeSyntax, `the value of a: has ": " in it, which YAML reads as the start of another field: put the value in quotes: a: "b: c"`},
	{"mapping value on later line", "a: 1\nb: 2\nc: d: e\n", 0, 3, 5, record.CodeSyntax, `the value of c: has ": " in it`},
	{"unclosed flow sequence", "a: 1\nb: [1, 2\n", 0, 2, 4, record.CodeSyntax, "the list opened with [ here is not closed with ], or its items are not separated by commas"},
	{"unclosed flow mapping on the first line", "- {a: 1, b: 2\n", 0, 1, 3, record.CodeSyntax, "the group opened with { here is not closed with }"},
	{"bad indentation", "a: 1\nb:\n  c: 1\n d: 2\n", 0, 4, 2, record.CodeSyntax, "d: is indented by 1 space, which matches neither b: (0 spaces) nor the fields under it"},
	{"tab indentation", "a:\n\tb: 1\n", 0, 2, 1, record.CodeSyntax, "a tab is used for indentation: YAML indents with spaces only"},
	{"tab indentation after a plain value", "- a: x\n  b: y\n \tc: z\n", 0, 3, 2, record.CodeSyntax, "a tab is used for indentation"},
	{"character that cannot start a token", "a: @x\n", 0, 1, 4, record.CodeSyntax, `the value of a: starts with @, which YAML does not allow at the start of a value: put the value in quotes: a: "@x"`},
	{"unclosed quote", "a: 1\nb: 'x\n", 0, 2, 4, record.CodeSyntax, "the text quoted with ' here is never closed: add the closing ' (and write a ' inside the text as '')"},
	{"unclosed quote on the first line", "- {a: 'It''s, b: 1}\n", 0, 1, 7, record.CodeSyntax, "the text quoted with ' here is never closed"},
	{"unclosed quote after an apostrophe", "- {a: O'Brien, b: \"hi}\n", 0, 1, 19, record.CodeSyntax, `the text quoted with " here is never closed: add the closing " (and write a " inside the text as \")`},
	{"error in a later document", "a: 1\n---\nb: 2\n---\nc: [\n", 2, 6, 1, record.CodeSyntax, "did not find expected node content"},
	{"undefined alias", "a: 1\n---\nb: [1, *x]\n", 1, 3, 8, record.CodeSyntax, "alias *x refers to no anchor &x defined before it in this document"},

	// Content that JSON cannot hold.
	{"merge key", "base: &b {x: 1}\nuse:\n  <<: *b\n", 0, 3, 3, record.CodeSyntax, "merge keys (<<) are not supported"},
	{"sequence as key", "? [a, b]\n: 1\n", 0, 1, 3, record.CodeSyntax, "mapping keys must be text, found a sequence"},
	{"mapping as key", "? {a: 1}\n: 1\n", 0, 1, 3, record.CodeSyntax, "mapping keys must be text, found a mapping"},
	{"infinity", "a: 1\nb: .inf\n", 0, 2, 4, record.CodeSyntax, ".inf cannot be represented in JSON"},
	{"negative infinity", "- -.Inf\n", 0, 1, 3, record.CodeSyntax, "-.Inf cannot be represented in JSON"},
	{"not a number", "[.NaN]", 0, 1, 2, record.CodeSyntax, ".NaN cannot be represented in JSON"},
	{"binary", "a: !!binary aGk=\n", 0, 1, 4, record.CodeSyntax, "unsupported tag !!binary"},
	{"local tag", "a: !thing x\n", 0, 1, 4, record.CodeSyntax, "unsupported tag !thing"},
	{"tagged mapping", "a: !!set {x}\n", 0, 1, 4, record.CodeSyntax, "unsupported tag !!set"},
	{"integer tag on text", "a: !!int x\n", 0, 1, 4, record.CodeSyntax, `"x" is not an integer`},
	{"float tag on text", "a: !!float x\n", 0, 1, 4, record.CodeSyntax, `"x" is not a number`},
	{"bool tag on text", "a: !!bool yes\n", 0, 1, 4, record.CodeSyntax, `"yes" is not true or false`},

	// Limits.
	{"too deep", strings.Repeat("[", 300) + strings.Repeat("]", 300), 0, 1, 257, record.CodeTooDeep, "too deeply nested: more than 256 levels"},
	{"deeper than the parser goes", "a: " + strings.Repeat("[", 10001), 0, 1, 1, record.CodeTooDeep, "too deeply nested: more than 256 levels of lists and mappings"},
	{"alias inside its own anchor", "a: &a [*a]\n", 0, 1, 4, record.CodeTooDeep, "too deeply nested"},
}

var YAMLRecordCases = []struct {
	Name string
	In   string
	Want []WantRecord
}{
	{"sequences and documents mixed", "- a: 1\n  d: 2022-01-10\n- b: yes\n---\n---\nc: on\n---\n# only a comment\n---\n[]\n---\n- x: 1\n", []WantRecord{
		{1, 3, map[string]any{"a": N("1"), "d": "2022-01-10"}},
		{3, 3, map[string]any{"b": "yes"}},
		{6, 1, map[string]any{"c": "on"}},
		{12, 3, map[string]any{"x": N("1")}},
	}},
	{"scalars", "a: [.5, +1, 1e3, 1., -0.0, 12345678901234567890123, 1.10, +.5E-3, 0, -0, 0.5]\n" +
		"b: [~, null, '', true, True, false, 'true', \"1\", yes, no, on, off, y, n]\n" +
		"c: [2022-01-10, 2022-01-10T10:00:00Z, 2022-1-2, 2022-01-10 10:00:00, '2022-01-10']\n" +
		"d: [!!str 12, !!float 1, !!int \"7\", !!timestamp x, !!null '', !!bool 'true']\n" +
		"e: |\n  two\n  lines\n", []WantRecord{
		{1, 1, map[string]any{
			"a": []any{N("0.5"), N("1"), N("1e3"), N("1"), N("-0.0"), N("12345678901234567890123"),
				N("1.10"), N("0.5E-3"), N("0"), N("0"), N("0.5")},
			"b": []any{nil, nil, "", true, true, false, "true", "1", "yes", "no", "on", "off", "y", "n"},
			"c": []any{"2022-01-10", "2022-01-10T10:00:00Z", "2022-1-2", "2022-01-10 10:00:00", "2022-01-10"},
			"d": []any{"12", N("1"), N("7"), "x", nil, true},
			"e": "two\nlines\n",
		}},
	}},
	{"keys are their text", "1: a\n2022-01-10: b\ntrue: c\n1.50: d\nnull: e\n", []WantRecord{
		{1, 1, map[string]any{"1": "a", "2022-01-10": "b", "true": "c", "1.50": "d", "null": "e"}},
	}},
	{"top-level scalar", "hello\n", []WantRecord{{1, 1, "hello"}}},
	{"top-level null", "--- ~\n", []WantRecord{{1, 5, nil}}},
	{"aliases expanded", "base: &b {k: [1, 2]}\nuse: *b\n", []WantRecord{
		{1, 1, map[string]any{"base": map[string]any{"k": []any{N("1"), N("2")}}, "use": map[string]any{"k": []any{N("1"), N("2")}}}},
	}},
	{"byte order mark and CRLF", "\xef\xbb\xbf- a: 1\r\n- b: 2\r\n", []WantRecord{
		{1, 3, map[string]any{"a": N("1")}},
		{2, 3, map[string]any{"b": N("2")}},
	}},
	{"empty input", "", nil},
	{"deep but within the limit", strings.Repeat("[", 256) + strings.Repeat("]", 256), []WantRecord{{1, 2, nest(254)}}},
}

// The same record in three formats, with a multi-byte character before a
// value on the same line ("ré~s/x" and "ünï").
const LocateJSONDoc = `{
  "title": "Annals",
  "events": [
    {"date": "2022-01-10", "tags": ["a", "b"]},
    {"ré~s/x": {"k": 1}, "date": "ünï", "n": null}
  ]
}`

const LocateYAMLDoc = `title: Annals
events:
  - date: 2022-01-10
    tags: [a, b]
  - ré~s/x: {k: 1}
    date: ünï
    n: null
    alias: *t
---
- id: é1
  x: [1, &t2 2]
- id: 2
  y: *t2
`
