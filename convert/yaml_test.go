package convert

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// yamlErrorCases are YAML inputs whose first error is as described. yaml.v3
// gives only the line of a syntax error, so Col is 1 for those.
var yamlErrorCases = []errCase{
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
	{"mapping value on first line", "a: b: c\n", 0, 1, 1, record.CodeSyntax, "mapping values are not allowed in this context"},
	{"mapping value on later line", "a: 1\nb: 2\nc: d: e\n", 0, 3, 1, record.CodeSyntax, "mapping values are not allowed in this context"},
	{"unclosed flow sequence", "a: 1\nb: [1, 2\n", 0, 2, 4, record.CodeSyntax, "the list opened with [ here is not closed with ], or its items are not separated by commas"},
	{"unclosed flow mapping on the first line", "- {a: 1, b: 2\n", 0, 1, 3, record.CodeSyntax, "the group opened with { here is not closed with }"},
	{"bad indentation", "a: 1\nb:\n  c: 1\n d: 2\n", 0, 4, 1, record.CodeSyntax, "did not find expected key"},
	{"tab indentation", "a:\n\tb: 1\n", 0, 2, 1, record.CodeSyntax, "a tab is used for indentation: YAML indents with spaces only"},
	{"tab indentation after a plain value", "- a: x\n  b: y\n \tc: z\n", 0, 3, 2, record.CodeSyntax, "a tab is used for indentation"},
	{"character that cannot start a token", "a: @x\n", 0, 1, 1, record.CodeSyntax, "found character that cannot start any token"},
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

func TestYAMLErrors(t *testing.T) {
	for _, tc := range yamlErrorCases {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				recs, errs := readAll(t, NewYAMLReader(rd.wrap(strings.NewReader(tc.in)), "in"))
				if len(errs) == 0 {
					t.Fatalf("no error; records %v", recs)
				}
				checkSyntaxError(t, tc, errs[0])
				if len(recs) != tc.recs {
					t.Errorf("got %d records, want %d", len(recs), tc.recs)
				}
			})
		}
	}
}

// After a syntax error the reader stops; after an error in one record's
// content it goes on with the next record.
func TestYAMLAfterErrors(t *testing.T) {
	r := NewYAMLReader(strings.NewReader("- a: 1\n  a: 2\n- b: .inf\n- c: 1\n---\nd: [\n---\ne: 1\n"), "in")
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

var yamlRecordCases = []struct {
	name string
	in   string
	want []wantRecord
}{
	{"sequences and documents mixed", "- a: 1\n  d: 2022-01-10\n- b: yes\n---\n---\nc: on\n---\n# only a comment\n---\n[]\n---\n- x: 1\n", []wantRecord{
		{1, 3, map[string]any{"a": n("1"), "d": "2022-01-10"}},
		{3, 3, map[string]any{"b": "yes"}},
		{6, 1, map[string]any{"c": "on"}},
		{12, 3, map[string]any{"x": n("1")}},
	}},
	{"scalars", "a: [.5, +1, 1e3, 1., -0.0, 12345678901234567890123, 1.10, +.5E-3, 0, -0, 0.5]\n" +
		"b: [~, null, '', true, True, false, 'true', \"1\", yes, no, on, off, y, n]\n" +
		"c: [2022-01-10, 2022-01-10T10:00:00Z, 2022-1-2, 2022-01-10 10:00:00, '2022-01-10']\n" +
		"d: [!!str 12, !!float 1, !!int \"7\", !!timestamp x, !!null '', !!bool 'true']\n" +
		"e: |\n  two\n  lines\n", []wantRecord{
		{1, 1, map[string]any{
			"a": []any{n("0.5"), n("1"), n("1e3"), n("1"), n("-0.0"), n("12345678901234567890123"),
				n("1.10"), n("0.5E-3"), n("0"), n("0"), n("0.5")},
			"b": []any{nil, nil, "", true, true, false, "true", "1", "yes", "no", "on", "off", "y", "n"},
			"c": []any{"2022-01-10", "2022-01-10T10:00:00Z", "2022-1-2", "2022-01-10 10:00:00", "2022-01-10"},
			"d": []any{"12", n("1"), n("7"), "x", nil, true},
			"e": "two\nlines\n",
		}},
	}},
	{"keys are their text", "1: a\n2022-01-10: b\ntrue: c\n1.50: d\nnull: e\n", []wantRecord{
		{1, 1, map[string]any{"1": "a", "2022-01-10": "b", "true": "c", "1.50": "d", "null": "e"}},
	}},
	{"top-level scalar", "hello\n", []wantRecord{{1, 1, "hello"}}},
	{"top-level null", "--- ~\n", []wantRecord{{1, 5, nil}}},
	{"aliases expanded", "base: &b {k: [1, 2]}\nuse: *b\n", []wantRecord{
		{1, 1, map[string]any{"base": map[string]any{"k": []any{n("1"), n("2")}}, "use": map[string]any{"k": []any{n("1"), n("2")}}}},
	}},
	{"byte order mark and CRLF", "\xef\xbb\xbf- a: 1\r\n- b: 2\r\n", []wantRecord{
		{1, 3, map[string]any{"a": n("1")}},
		{2, 3, map[string]any{"b": n("2")}},
	}},
	{"empty input", "", nil},
	{"deep but within the limit", strings.Repeat("[", 256) + strings.Repeat("]", 256), []wantRecord{{1, 2, nest(254)}}},
}

func TestYAMLRecords(t *testing.T) {
	for _, tc := range yamlRecordCases {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := readAll(t, NewYAMLReader(strings.NewReader(tc.in), "in"))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			checkRecords(t, recs, tc.want)
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
		_, errs := readAll(t, NewYAMLReader(strings.NewReader(in), "in"))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "in:2:13: the number "+tc.in+" "+tc.why) ||
			!strings.Contains(errs[0].Error(), "write it as a plain decimal number, or in quotes if it is text") {
			t.Errorf("%s: %v", tc.in, errs)
		}
		quoted := "- {latitude: \"" + tc.in + "\"}\n"
		recs, errs := readAll(t, NewYAMLReader(strings.NewReader(quoted), "in"))
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
	recs, errs := readAll(t, NewYAMLReader(strings.NewReader(b.String()), "in"))
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
	recs, errs := readAll(t, NewYAMLReader(strings.NewReader(b.String()), "in"))
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
	setLimit(t, &record.MaxRecordSize, 1<<30)
	setLimit(t, &record.MaxYAMLSize, 1<<20)
	small := strings.Repeat("x", 100<<10)
	in := "- &t " + small + "\n" + strings.Repeat("- *t\n", 11)
	_, errs = readAll(t, NewYAMLReader(strings.NewReader(in), "in"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "the aliases (*name) of this document expand to more than 1 MiB of text") {
		t.Fatalf("got errors %v", errs)
	}
	// Keys count too: "*t : 1" is the long text again, as a key.
	in = "- {note: &t " + small + "}\n" + strings.Repeat("- {*t : 1}\n", 11)
	_, errs = readAll(t, NewYAMLReader(strings.NewReader(in), "in"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "the aliases (*name) of this document expand to more than 1 MiB of text") {
		t.Fatalf("aliases as keys: got errors %v", errs)
	}
}

// A long document without aliases is not limited by MaxYAMLNodes.
func TestYAMLManyValues(t *testing.T) {
	setLimit(t, &record.MaxYAMLNodes, 10)
	in := strings.Repeat("- {a: 1, b: [1, 2, 3]}\n", 20) + "- &x {a: 1}\n- *x\n"
	recs, errs := readAll(t, NewYAMLReader(strings.NewReader(in), "in"))
	if len(errs) != 0 || len(recs) != 22 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
}

func TestYAMLTooLarge(t *testing.T) {
	setLimit(t, &record.MaxYAMLSize, 10)
	_, errs := readAll(t, NewYAMLReader(strings.NewReader("a: 12345678901"), "in"))
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	checkSyntaxError(t, errCase{line: 1, col: 1, code: record.CodeTooLarge, msg: "larger than the limit of 10 bytes"}, errs[0])
}
