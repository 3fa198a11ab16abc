package convert

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
)

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		want record.Format
	}{
		{"a.json", record.FormatJSON},
		{"dir.v2/A.JSON", record.FormatJSON},
		{"a.jsonl", record.FormatJSONL},
		{"a.NDJSON", record.FormatJSONL},
		{"a.yaml", record.FormatYAML},
		{"a.Yml", record.FormatYAML},
	} {
		if got, err := record.FormatOf(tc.path); err != nil || got != tc.want {
			t.Errorf("FormatOf(%q) = %v, %v; want %v", tc.path, got, err, tc.want)
		}
	}
	for _, path := range []string{"a.txt", "json", "-", "a.json.gz", ""} {
		_, err := record.FormatOf(path)
		var ufe *record.UnknownFormatError
		if !errors.As(err, &ufe) || ufe.Path != path {
			t.Errorf("FormatOf(%q): got %v, want an *UnknownFormatError", path, err)
			continue
		}
		for _, ext := range []string{".json", ".jsonl", ".ndjson", ".yaml", ".yml"} {
			if !strings.Contains(err.Error(), ext) {
				t.Errorf("message %q does not list %s", err, ext)
			}
		}
	}
}

func TestParseFormat(t *testing.T) {
	for name, want := range map[string]record.Format{
		"json": record.FormatJSON, "jsonl": record.FormatJSONL, "ndjson": record.FormatJSONL,
		"yaml": record.FormatYAML, "yml": record.FormatYAML, "YAML": record.FormatYAML,
	} {
		if got, err := record.ParseFormat(name); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := record.ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "json, jsonl, ndjson, yaml and yml") {
		t.Errorf("ParseFormat(xml): %v", err)
	}
}

func TestFormatString(t *testing.T) {
	for f, want := range map[record.Format]string{record.FormatJSON: "json", record.FormatJSONL: "jsonl", record.FormatYAML: "yaml", 0: "Format(0)"} {
		if got := f.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(f), got, want)
		}
	}
}

func TestNewReaderFormats(t *testing.T) {
	inputs := map[record.Format]string{
		record.FormatJSON:  `[{"a": 1}]`,
		record.FormatJSONL: `{"a": 1}`,
		record.FormatYAML:  `- a: 1`,
	}
	for f, in := range inputs {
		recs, errs := readertest.ReadAll(t, NewReader(strings.NewReader(in), "in", f))
		if len(errs) != 0 || len(recs) != 1 || recs[0].Value.(map[string]any)["a"] != readertest.N("1") {
			t.Errorf("%v: records %v, errors %v", f, recs, errs)
		}
	}
	r := NewReader(strings.NewReader("{}"), "in", record.Format(0))
	if _, err := r.Read(); err == nil || err == io.EOF {
		t.Errorf("unknown format: got %v, want an error", err)
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("unknown format, second Read: got %v, want io.EOF", err)
	}
}

func TestRecordLocateWithoutLocator(t *testing.T) {
	rec := &record.Record{Line: 3, Col: 4}
	if l, c := rec.Locate("/a", true); l != 3 || c != 4 {
		t.Errorf("got %d:%d", l, c)
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
