package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/internal/readertest"
	annalsjson "github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
)

// The seeds of the fuzz targets are the inputs of the tables, so that every
// `go test` runs the invariants below on them too, and the files of the
// hostile-input corpus.

// addHostileSeeds adds the files of the hostile-input corpus whose names
// end in ext.
func addHostileSeeds(f *testing.F, ext string) {
	files, err := filepath.Glob(filepath.Join(converttest.HostileCorpus, "*"+ext))
	if err != nil || len(files) == 0 {
		f.Fatalf("no %s files in %s (%v)", ext, converttest.HostileCorpus, err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzJSONReader(f *testing.F) {
	for _, tc := range readertest.JSONErrorCases {
		f.Add([]byte(tc.In))
	}
	for _, tc := range readertest.JSONRecordCases {
		f.Add([]byte(tc.In))
	}
	f.Add([]byte(readertest.LocateJSONDoc))
	addHostileSeeds(f, ".json")
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, errs := readertest.ReadAll(t, annalsjson.NewReader(bytes.NewReader(data), "f"))
		checkInvariants(t, data, recs, true)
		checkSameInPieces(t, data, recs, errs, annalsjson.NewReader)
		want, ok := jsonOracle(data)
		if !ok {
			return
		}
		// encoding/json accepts the input: so must we, with equal values,
		// except where we are stricter on purpose.
		for _, err := range errs {
			if !deliberatelyStricter(err) {
				t.Fatalf("encoding/json accepts the input, we report: %v", err)
			}
		}
		if len(errs) == 0 && !reflect.DeepEqual(converttest.Values(recs), want) {
			t.Fatalf("got %#v, encoding/json gives %#v", converttest.Values(recs), want)
		}
	})
}

func FuzzJSONLReader(f *testing.F) {
	for _, tc := range readertest.JSONLErrorCases {
		f.Add([]byte(tc.In))
	}
	for _, tc := range readertest.JSONErrorCases {
		f.Add([]byte(tc.In))
	}
	f.Add([]byte("{\"a\": 1}\r\n\n[1,]\n  \"x\"  \n"))
	addHostileSeeds(f, ".jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, errs := readertest.ReadAll(t, annalsjson.NewLinesReader(bytes.NewReader(data), "f"))
		checkInvariants(t, data, recs, true)
		checkSameInPieces(t, data, recs, errs, annalsjson.NewLinesReader)
		if record.LooksUTF16(data) {
			return
		}
		byLine := map[int]*record.Record{}
		for _, rec := range recs {
			byLine[rec.Line] = rec
		}
		errByLine := map[int]error{}
		for _, err := range errs {
			errByLine[err.(*record.SyntaxError).Line] = err
		}
		for i, line := range bytes.Split(bytes.TrimPrefix(data, record.UTF8BOM), []byte("\n")) {
			line = bytes.TrimSuffix(line, []byte("\r"))
			if len(bytes.Trim(line, " \t\r\n")) == 0 {
				continue
			}
			want, ok := jsonOracle(line)
			if !ok || len(want) != 1 || bytes.HasPrefix(bytes.TrimLeft(line, " \t\r"), []byte("[")) {
				continue // arrays: the oracle splits them as a .json file would
			}
			if err := errByLine[i+1]; err != nil {
				if !deliberatelyStricter(err) {
					t.Fatalf("line %d: encoding/json accepts it, we report: %v", i+1, err)
				}
				continue
			}
			rec := byLine[i+1]
			if rec == nil || !reflect.DeepEqual(rec.Value, want[0]) {
				t.Fatalf("line %d: got %#v, encoding/json gives %#v", i+1, rec, want[0])
			}
		}
	})
}

func FuzzYAMLReader(f *testing.F) {
	for _, tc := range readertest.YAMLErrorCases {
		f.Add([]byte(tc.In))
	}
	for _, tc := range readertest.YAMLRecordCases {
		f.Add([]byte(tc.In))
	}
	f.Add([]byte(readertest.LocateYAMLDoc))
	addHostileSeeds(f, ".yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _ := readertest.ReadAll(t, yaml.NewReader(bytes.NewReader(data), "f"))
		checkInvariants(t, data, recs, false)
		for _, rec := range recs {
			// Every value is in the JSON data model, with numbers in JSON
			// syntax: it encodes, and reads back the same.
			b, err := json.Marshal(map[string]any{"v": rec.Value})
			if err != nil {
				t.Fatalf("record %d: %#v does not encode as JSON: %v", rec.Index, rec.Value, err)
			}
			if bytes.Contains(b, []byte(`\ufffd`)) {
				continue // text that was not UTF-8 does not survive encoding/json
			}
			back, errs := readertest.ReadAll(t, annalsjson.NewReader(bytes.NewReader(b), "f"))
			if len(errs) == 1 && errs[0].(*record.SyntaxError).Code == record.CodeTooDeep {
				continue // {"v": ...} is one level deeper
			}
			if len(errs) != 0 || len(back) != 1 || !reflect.DeepEqual(back[0].Value, map[string]any{"v": rec.Value}) {
				t.Fatalf("record %d: %s does not read back: %v", rec.Index, b, errs)
			}
		}
		// With the limits on text lowered, aliases included: no record
		// holds more text (keys and strings) than a record may.
		small := record.Limits{RecordSize: 40, YAMLSize: max(len(data), 80)}
		recs, _ = readertest.ReadAll(t, yaml.NewReaderLimits(bytes.NewReader(data), "f", small))
		for _, rec := range recs {
			if n := textBytes(rec.Value); n > 40 {
				t.Fatalf("record %d holds %d bytes of text, past a limit of 40", rec.Index, n)
			}
		}
	})
}

// textBytes is the length of the keys and strings in v.
func textBytes(v any) int {
	switch v := v.(type) {
	case string:
		return len(v)
	case []any:
		n := 0
		for _, x := range v {
			n += textBytes(x)
		}
		return n
	case map[string]any:
		n := 0
		for k, x := range v {
			n += len(k) + textBytes(x)
		}
		return n
	}
	return 0
}

// checkInvariants checks what holds for any input: indexes count records,
// and Locate on every pointer of a record's value returns a position inside
// the input. For JSON, the position is where a value of the right kind (or
// a key's opening quote) starts.
func checkInvariants(t *testing.T, data []byte, recs []*record.Record, isJSON bool) {
	t.Helper()
	pos := newPositions(data)
	lines, chars := yamlBounds(data)
	for i, rec := range recs {
		if rec.Index != i {
			t.Fatalf("record %d has Index %d", i, rec.Index)
		}
		for _, p := range pointers(rec.Value, "", 500) {
			for _, key := range []bool{false, true} {
				line, col := rec.Locate(p.ptr, key)
				if !isJSON {
					if line < 1 || line > lines || col < 1 || col > chars+1 {
						t.Fatalf("record %d: Locate(%q, %v) = %d:%d is outside the input", i, p.ptr, key, line, col)
					}
					continue
				}
				off, ok := pos.offset(line, col)
				if !ok || off >= len(data) {
					t.Fatalf("record %d: Locate(%q, %v) = %d:%d is outside the input", i, p.ptr, key, line, col)
				}
				want := p.first
				if key && p.member {
					want = '"'
				}
				if data[off] != want && !(want == '0' && (data[off] == '-' || '0' <= data[off] && data[off] <= '9')) {
					t.Fatalf("record %d: Locate(%q, %v) = %d:%d finds %q, want %q", i, p.ptr, key, line, col, data[off], want)
				}
			}
		}
	}
}

// checkSameInPieces checks that reading data one byte at a time, which
// puts a buffer boundary everywhere, gives the same records and errors.
func checkSameInPieces(t *testing.T, data []byte, recs []*record.Record, errs []error, newReader func(io.Reader, string) record.Reader) {
	t.Helper()
	recs2, errs2 := readertest.ReadAll(t, newReader(iotest.OneByteReader(bytes.NewReader(data)), "f"))
	if fmt.Sprint(errs) != fmt.Sprint(errs2) {
		t.Fatalf("errors differ when read one byte at a time:\n%v\n%v", errs, errs2)
	}
	if len(recs) != len(recs2) {
		t.Fatalf("%d records, %d when read one byte at a time", len(recs), len(recs2))
	}
	for i := range recs {
		a, b := recs[i], recs2[i]
		if a.Line != b.Line || a.Col != b.Col || !reflect.DeepEqual(a.Value, b.Value) {
			t.Fatalf("record %d differs when read one byte at a time", i)
		}
	}
}

type pointer struct {
	ptr    string
	first  byte // the first byte of the value's JSON text ('0' for any number)
	member bool // the last token names an object member
}

// pointers lists the JSON pointers of v and of everything in it, at most
// max of them.
func pointers(v any, ptr string, max int) []pointer {
	var out []pointer
	var walk func(v any, ptr string, member bool)
	walk = func(v any, ptr string, member bool) {
		if len(out) >= max {
			return
		}
		p := pointer{ptr: ptr, member: member}
		switch v := v.(type) {
		case map[string]any:
			p.first = '{'
			out = append(out, p)
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k], ptr+"/"+record.EscapePointerToken(k), true)
			}
		case []any:
			p.first = '['
			out = append(out, p)
			for i, e := range v {
				walk(e, ptr+"/"+strconv.Itoa(i), false)
			}
		case string:
			p.first = '"'
			out = append(out, p)
		case json.Number:
			p.first = '0'
			out = append(out, p)
		case bool:
			p.first = 'f'
			if v {
				p.first = 't'
			}
			out = append(out, p)
		case nil:
			p.first = 'n'
			out = append(out, p)
		}
	}
	walk(v, ptr, false)
	return out
}

// positions maps line:col to offsets in an input, columns counting
// characters and a leading byte order mark not counting. offsets[l-1][c-1]
// is the offset of line l, column c; the end of each line (and of the input)
// is a position too. It is built once per input, so that checking many
// positions stays linear.
type positions struct{ offsets [][]int }

func newPositions(data []byte) positions {
	i := 0
	if bytes.HasPrefix(data, record.UTF8BOM) {
		i = len(record.UTF8BOM)
	}
	line := []int{}
	var p positions
	for i < len(data) {
		line = append(line, i)
		if data[i] == '\n' {
			p.offsets = append(p.offsets, line)
			line = []int{}
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		i += size
	}
	p.offsets = append(p.offsets, append(line, len(data)))
	return p
}

func (p positions) offset(line, col int) (int, bool) {
	if line < 1 || line > len(p.offsets) || col < 1 || col > len(p.offsets[line-1]) {
		return 0, false
	}
	return p.offsets[line-1][col-1], true
}

// yamlBounds returns how many lines data has, counting line breaks as
// yaml.v3 does, and how many characters.
func yamlBounds(data []byte) (lines, chars int) {
	s := string(data)
	lines = 1 + strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\u0085") +
		strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
	return lines, utf8.RuneCount(data)
}

// jsonOracle returns the records that encoding/json finds in a .json file,
// when it accepts the file and the file is valid UTF-8 without duplicate
// keys (which encoding/json does not check).
func jsonOracle(data []byte) ([]any, bool) {
	if !utf8.Valid(data) || !json.Valid(data) || hasDuplicateKeys(data) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	if a, ok := v.([]any); ok {
		return a, true
	}
	return []any{v}, true
}

func hasDuplicateKeys(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	type frame struct {
		keys    map[string]bool // nil for an array
		wantKey bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			k, _ := tok.(string)
			if stack[n-1].keys[k] {
				return true
			}
			stack[n-1].keys[k] = true
			stack[n-1].wantKey = false
			continue
		}
		valueDone()
	}
}

// deliberatelyStricter tells whether err is one that encoding/json does not
// report on purpose: half surrogate pairs (it writes U+FFFD) and nesting
// deeper than MaxDepth (it allows 10000 levels).
func deliberatelyStricter(err error) bool {
	se, ok := err.(*record.SyntaxError)
	return ok && (se.Code == record.CodeTooDeep || strings.Contains(se.Msg, "surrogate pair"))
}
