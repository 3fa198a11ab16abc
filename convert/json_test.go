package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/annals-project/annals/convert/record"
)

// jsonErrorCases are .json inputs with one error each. Columns count
// characters: "é" is one.
var jsonErrorCases = []errCase{
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

// readers wraps an input in readers that return it in different pieces,
// so that every buffer boundary is exercised.
var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte at a time", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data with EOF", iotest.DataErrReader},
}

func TestJSONErrors(t *testing.T) {
	for _, tc := range jsonErrorCases {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				r := NewJSONReader(rd.wrap(strings.NewReader(tc.in)), "in")
				for n := 0; ; n++ {
					rec, err := r.Read()
					if err == nil {
						if n >= tc.recs {
							t.Fatalf("record %d read (%#v), want an error after %d", n, rec.Value, tc.recs)
						}
						continue
					}
					if n != tc.recs {
						t.Errorf("error after %d records, want %d", n, tc.recs)
					}
					checkSyntaxError(t, tc, err)
					break
				}
				// A .json reader cannot resynchronise after an error.
				for range 2 {
					if rec, err := r.Read(); err != io.EOF || rec != nil {
						t.Fatalf("after the error: Read = %v, %v; want nil, io.EOF", rec, err)
					}
				}
			})
		}
	}
}

type wantRecord struct {
	line, col int
	value     any
}

func n(s string) json.Number { return json.Number(s) }

var jsonRecordCases = []struct {
	name string
	in   string
	want []wantRecord
}{
	{"array of mixed records", `[{"a": 1}, {"b": [1, 2.50, "x"]}, 3, "s", true, null, [], {}]`, []wantRecord{
		{1, 2, map[string]any{"a": n("1")}},
		{1, 12, map[string]any{"b": []any{n("1"), n("2.50"), "x"}}},
		{1, 35, n("3")},
		{1, 38, "s"},
		{1, 43, true},
		{1, 49, nil},
		{1, 55, []any{}},
		{1, 59, map[string]any{}},
	}},
	{"CRLF, tabs and multi-byte characters", "[\r\n\t{\"é\": \"ü\"},\r\n  {\"b\": 1}  ,  \"ü\" ]\r\n", []wantRecord{
		{2, 2, map[string]any{"é": "ü"}},
		{3, 3, map[string]any{"b": n("1")}},
		{3, 16, "ü"},
	}},
	{"one record", "\n  {\"a\": {\"b\": null}}\n", []wantRecord{{2, 3, map[string]any{"a": map[string]any{"b": nil}}}}},
	{"byte order mark", "\xef\xbb\xbf{\"a\":1}", []wantRecord{{1, 1, map[string]any{"a": n("1")}}}},
	{"byte order mark before array", "\xef\xbb\xbf[{\"a\":1}]", []wantRecord{{1, 2, map[string]any{"a": n("1")}}}},
	{"top-level string", `"just text"`, []wantRecord{{1, 1, "just text"}}},
	{"top-level number", ` 42 `, []wantRecord{{1, 2, n("42")}}},
	{"empty array", "[ \n ]", nil},
	{"escapes", `["a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0000"]`, []wantRecord{{1, 2, "a\"b\\c/d\b\f\n\r\té😀\x00"}}},
	{"numbers kept exact", `[1.10, 12345678901234567890, -0, 1e400, 0.000001, -1.5E+10, 0]`, []wantRecord{
		{1, 2, n("1.10")}, {1, 8, n("12345678901234567890")}, {1, 30, n("-0")}, {1, 34, n("1e400")},
		{1, 41, n("0.000001")}, {1, 51, n("-1.5E+10")}, {1, 61, n("0")},
	}},
	{"deep but within the limit", strings.Repeat("[", 256) + strings.Repeat("]", 256), []wantRecord{{1, 2, nest(254)}}},
}

// nest returns n empty arrays nested in each other.
func nest(n int) any {
	var v any = []any{}
	for range n {
		v = []any{v}
	}
	return v
}

func TestJSONRecords(t *testing.T) {
	for _, tc := range jsonRecordCases {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				recs, errs := readAll(t, NewJSONReader(rd.wrap(strings.NewReader(tc.in)), "in"))
				if len(errs) > 0 {
					t.Fatalf("errors: %v", errs)
				}
				checkRecords(t, recs, tc.want)
			})
		}
	}
}

func checkRecords(t *testing.T, recs []*record.Record, want []wantRecord) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d", len(recs), len(want))
	}
	for i, rec := range recs {
		w := want[i]
		if rec.File != "in" || rec.Index != i || rec.Line != w.line || rec.Col != w.col {
			t.Errorf("record %d: got %s #%d at %d:%d, want in #%d at %d:%d", i, rec.File, rec.Index, rec.Line, rec.Col, i, w.line, w.col)
		}
		if !reflect.DeepEqual(rec.Value, w.value) {
			t.Errorf("record %d: got %#v, want %#v", i, rec.Value, w.value)
		}
		if line, col := rec.Locate("", false); line != rec.Line || col != rec.Col {
			t.Errorf("record %d: Locate(\"\") = %d:%d, want %d:%d", i, line, col, rec.Line, rec.Col)
		}
	}
}

func TestJSONTooLarge(t *testing.T) {
	setLimit(t, &record.MaxRecordSize, 100)
	big := `"` + strings.Repeat("x", 200) + `"`
	cases := []errCase{
		{"element", `[1, {"a": ` + big + `}, 2]`, 1, 1, 5, record.CodeTooLarge, "this record is larger than the limit of 100 bytes"},
		{"scalar element", `[` + strings.Repeat("1", 200) + `]`, 0, 1, 2, record.CodeTooLarge, "larger than the limit"},
		{"one record", "\n " + big, 0, 2, 2, record.CodeTooLarge, "larger than the limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := readAll(t, NewJSONReader(strings.NewReader(tc.in), "in"))
			if len(recs) != tc.recs || len(errs) != 1 {
				t.Fatalf("got %d records and errors %v", len(recs), errs)
			}
			checkSyntaxError(t, tc, errs[0])
		})
	}
	// Just within the limit.
	exact := `["` + strings.Repeat("x", 98) + `"]`
	if recs, errs := readAll(t, NewJSONReader(strings.NewReader(exact), "in")); len(recs) != 1 || len(errs) != 0 {
		t.Fatalf("a record of exactly the limit: %d records, errors %v", len(recs), errs)
	}
}

// A record larger than the buffer makes it grow, and is read whole.
func TestJSONRecordLargerThanBuffer(t *testing.T) {
	s := strings.Repeat("é", 3*defaultBufSize)
	in := `[1, {"s": "` + s + `", "n": 2}, 3]`
	recs, errs := readAll(t, NewJSONReader(iotest.HalfReader(strings.NewReader(in)), "in"))
	if len(errs) != 0 || len(recs) != 3 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
	if got := recs[1].Value.(map[string]any)["s"]; got != s {
		t.Errorf("long string changed")
	}
	if line, col := recs[1].Locate("/n", false); line != 1 || col != 11+len([]rune(s))+9 {
		t.Errorf("Locate(/n) = %d:%d", line, col)
	}
	if recs[2].Col != 11+len([]rune(s))+13 {
		t.Errorf("third record at column %d", recs[2].Col)
	}
}

var errDisk = errors.New("disk on fire")

// A read error is returned (wrapped, with the file name) instead of being
// mistaken for the end of the input.
func TestJSONReadError(t *testing.T) {
	for _, f := range []record.Format{record.FormatJSON, record.FormatJSONL, record.FormatYAML} {
		t.Run(f.String(), func(t *testing.T) {
			in := io.MultiReader(strings.NewReader("[{\"a\": 1}, {\"b\""), iotest.ErrReader(errDisk))
			r := NewReader(in, "in", f)
			var err error
			for range 10 {
				if _, err = r.Read(); err != nil {
					break
				}
			}
			if !errors.Is(err, errDisk) || !strings.HasPrefix(err.Error(), "in: ") {
				t.Fatalf("got %v, want the read error", err)
			}
			if _, err := r.Read(); err != io.EOF {
				t.Fatalf("after a read error: %v, want io.EOF", err)
			}
		})
	}
}

// arrayGenerator produces a .json array of n records lazily, as an
// io.Reader, remembering where each element ends.
type arrayGenerator struct {
	n, next int
	pending []byte
	served  int64   // bytes returned by Read so far
	ends    []int64 // offset just after each element
	size    int64   // bytes generated so far
	done    bool
}

const generatorPad = 1000

func (g *arrayGenerator) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.done {
			return 0, io.EOF
		}
		g.generate()
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	g.served += int64(n)
	return n, nil
}

func (g *arrayGenerator) generate() {
	var b bytes.Buffer
	switch {
	case g.next == 0:
		b.WriteString("[\n")
	case g.next < g.n:
		b.WriteString(",\n")
	}
	if g.next == g.n {
		b.WriteString("\n]\n")
		g.done = true
	} else {
		fmt.Fprintf(&b, `{"i": %d, "pad": "%s"}`, g.next, strings.Repeat("é", generatorPad/2))
		g.ends = append(g.ends, g.size+int64(b.Len()))
		g.next++
	}
	g.size += int64(b.Len())
	g.pending = b.Bytes()
}

// A large .json array is read element by element: when a record is
// returned, the reader has read at most a buffer beyond it.
func TestJSONStreamsLargeArray(t *testing.T) {
	count := 100 << 20 / generatorPad // about 100 MB
	if testing.Short() || raceEnabled {
		count /= 10
	}
	g := &arrayGenerator{n: count}
	r := NewJSONReader(g, "big.json")
	const slack = 2 * defaultBufSize
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			if i != count {
				t.Fatalf("got %d records, want %d", i, count)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if g.served > g.ends[i]+slack {
			t.Fatalf("record %d: %d bytes read, but the record ends at byte %d", i, g.served, g.ends[i])
		}
		if rec.Index != i || rec.Line != i+2 || rec.Col != 1 {
			t.Fatalf("record %d: #%d at %d:%d", i, rec.Index, rec.Line, rec.Col)
		}
		if got := rec.Value.(map[string]any)["i"]; got != json.Number(fmt.Sprint(i)) {
			t.Fatalf("record %d: i = %v", i, got)
		}
		if i%10_000 == 0 {
			if line, col := rec.Locate("/pad", false); line != i+2 || col != 16+len(fmt.Sprint(i)) {
				t.Fatalf("record %d: Locate(/pad) = %d:%d", i, line, col)
			}
		}
	}
}
