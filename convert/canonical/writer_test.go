package canonical

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/internal/readertest"
	annalsjson "github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/internal/testkit"
	"github.com/annals-project/annals/schema"
)

func canonDataset(t testing.TB) *record.Dataset {
	t.Helper()
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &record.Dataset{Validator: v}
}

func canonReadAll(t *testing.T, rd record.Reader) []any {
	t.Helper()
	recs, errs := readertest.ReadAll(t, rd)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	var out []any
	for _, rec := range recs {
		out = append(out, rec.Value)
	}
	return out
}

// tricky holds values that each format could mangle: text that looks like
// a number, a date or a boolean; quotes, colons, newlines, unicode; exact
// numbers.
const tricky = `{"note":"multi\nline: with \"quotes\" & <tags>","id":"x-1","type":"event","title":"2022","category":"consult",
	"status":"scheduled","date":"2022-01-10","description":"true","mode":"null",
	"location":{"precision":"settlement","name":"Łódź – #1","coordinates":{"longitude":19.4560,"latitude":51.7592}},
	"attestations":[{"source":"s","quote":"=SUM(A1) 'yes' — «Да»","reported_date_text":"0x1F"}]}`

func TestCanonicalRoundTrip(t *testing.T) {
	ds := canonDataset(t)
	var values []any
	for rec := range gen.Records(200, 3, 0) {
		b, _ := json.Marshal(rec)
		values = append(values, testkit.DecodeJSON(t, string(b)))
	}
	values = append(values, testkit.DecodeJSON(t, tricky))
	for _, tc := range []struct {
		name   string
		writer func(io.Writer, *record.Dataset) record.Writer
		reader func(io.Reader, string) record.Reader
	}{
		{"json", NewJSONWriter, annalsjson.NewReader},
		{"jsonl", NewJSONLWriter, annalsjson.NewLinesReader},
		{"yaml", NewYAMLWriter, yaml.NewReader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := tc.writer(&buf, ds)
			for _, v := range values {
				if err := w.Write(&record.Record{Value: v}); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got := canonReadAll(t, tc.reader(bytes.NewReader(buf.Bytes()), "out"))
			if len(got) != len(values) {
				t.Fatalf("read back %d records, wrote %d", len(got), len(values))
			}
			for i := range values {
				if !reflect.DeepEqual(got[i], converttest.CanonicalNumbers(values[i])) {
					t.Fatalf("record %d changed:\n got %#v\nwant %#v", i, got[i], values[i])
				}
			}
		})
	}
}

func TestCanonicalOrder(t *testing.T) {
	ds := canonDataset(t)
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf, ds)
	w.Write(&record.Record{Value: testkit.DecodeJSON(t, tricky)})
	w.Close()
	want := `{"type":"event","id":"x-1","title":"2022","description":"true","category":"consult","mode":"null","status":"scheduled","date":"2022-01-10","location":{"name":"Łódź – #1","coordinates":{"latitude":51.7592,"longitude":19.456},"precision":"settlement"},"attestations":[{"source":"s","quote":"=SUM(A1) 'yes' — «Да»","reported_date_text":"0x1F"}],"note":"multi\nline: with \"quotes\" & <tags>"}` + "\n"
	if buf.String() != want {
		t.Errorf("canonical JSON Lines:\n got %s\nwant %s", buf.String(), want)
	}
	buf.Reset()
	y := NewYAMLWriter(&buf, ds)
	y.Write(&record.Record{Value: testkit.DecodeJSON(t, tricky)})
	y.Close()
	for _, quoted := range []string{`title: "2022"`, `description: "true"`, `mode: "null"`, `date: "2022-01-10"`, `reported_date_text: "0x1F"`} {
		if !strings.Contains(buf.String(), quoted) {
			t.Errorf("YAML lacks %s:\n%s", quoted, buf.String())
		}
	}
}

func TestCanonicalEmpty(t *testing.T) {
	ds := canonDataset(t)
	for name, w := range map[string]func(io.Writer, *record.Dataset) record.Writer{"json": NewJSONWriter, "yaml": NewYAMLWriter, "jsonl": NewJSONLWriter} {
		var buf bytes.Buffer
		x := w(&buf, ds)
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"json": "[]\n", "yaml": "[]\n", "jsonl": ""}[name]; buf.String() != want {
			t.Errorf("%s of no records = %q, want %q", name, buf.String(), want)
		}
	}
}

// TestJSONWriteEncoded holds records encoded ahead to what Write writes,
// for JSON and JSON Lines, including records from the other kind's
// encoder, which the writer must encode again.
func TestJSONWriteEncoded(t *testing.T) {
	ds := canonDataset(t)
	var recs []*record.Record
	for m := range gen.Records(40, 5, 0) {
		recs = append(recs, &record.Record{File: "gen.json", Value: m})
	}
	recs = append(recs, &record.Record{File: "tricky.json", Value: testkit.DecodeJSON(t, tricky)})
	for _, lines := range []bool{false, true} {
		open := map[bool]func(io.Writer, *record.Dataset) record.Writer{false: NewJSONWriter, true: NewJSONLWriter}[lines]
		var want bytes.Buffer
		w := open(&want, ds)
		for _, rec := range recs {
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, by := range []bool{false, true} {
			enc := NewJSONEncoder(ds.Validator, by)
			var got bytes.Buffer
			w := open(&got, ds).(record.EncodedWriter)
			for _, rec := range recs {
				if err := w.WriteEncoded(rec, enc.Encode(rec)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("lines %v, encoded with lines %v: the output differs from Write's", lines, by)
			}
		}
	}
}

// TestOutputWithinWhatAnnalsReads checks that no writer makes a record, or
// a YAML file, that annals could not read back: quoting can double a text
// (a quotation mark is \" in JSON and "" in CSV), and YAML aliases can
// repeat one. Such a record is refused, at its longest text, with the code
// too-large.
func TestOutputWithinWhatAnnalsReads(t *testing.T) {
	ds := canonDataset(t)
	ds.Limits = record.Limits{RecordSize: 4096, YAMLSize: 16384}
	quotes := testkit.DecodeJSON(t, `{"type":"actor","id":"a1","kind":"person","name":"A One","note":"`+strings.Repeat(`\"`, 3000)+`"}`)
	for _, tc := range []struct {
		name  string
		write func(rec *record.Record) error
	}{
		{"json", func(rec *record.Record) error { return NewJSONWriter(io.Discard, ds).Write(rec) }},
		{"jsonl", func(rec *record.Record) error { return NewJSONLWriter(io.Discard, ds).Write(rec) }},
		{"csv", func(rec *record.Record) error {
			w := csv.NewWriter(t.TempDir(), ds, csv.Options{})
			defer w.Close()
			return w.Write(rec)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write(&record.Record{Value: quotes, File: "in.yaml"})
			var re *record.WriteError
			if !errors.As(err, &re) || re.Pointer != "/note" || !strings.Contains(err.Error(), "annals reads back") || !strings.Contains(err.Error(), record.CodeTooLarge) {
				t.Fatalf("writing 3,000 quotation marks: %v, want a *WriteError at /note, too-large", err)
			}
			// The same record without quotation marks is written.
			plain := testkit.DecodeJSON(t, `{"type":"actor","id":"a1","kind":"person","name":"A One","note":"`+strings.Repeat("x", 3000)+`"}`)
			if err := tc.write(&record.Record{Value: plain}); err != nil {
				t.Fatal(err)
			}
		})
	}

	// YAML: each record is small, but the file grows past what annals
	// reads as one YAML file.
	w := NewYAMLWriter(io.Discard, ds)
	var err error
	n := 0
	for ; n < 100 && err == nil; n++ {
		err = w.Write(&record.Record{Value: testkit.DecodeJSON(t, `{"type":"actor","id":"a1","kind":"person","name":"A One","note":"`+strings.Repeat("x", 1000)+`"}`)})
	}
	if err == nil || !strings.Contains(err.Error(), "would pass 16384 bytes") || n < 10 {
		t.Fatalf("100 records of 1 KB as YAML, limit 16 KB: %v after %d records", err, n)
	}
}
