package schema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	annalsyaml "github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/schema"
)

// compileEditor compiles the editor schema v writes for typ as draft-07,
// the draft yaml-language-server implements.
func compileEditor(t *testing.T, v *schema.Validator, typ string) *jsonschema.Schema {
	t.Helper()
	b, err := v.EditorSchema(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"$schema": "http://json-schema.org/draft-07/schema#"`)) || bytes.Contains(b, []byte(`$defs`)) ||
		bytes.Contains(b, []byte(`dependentRequired`)) {
		t.Fatalf("the editor schema is not draft-07 through and through")
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = false // editors check only the formats they know; edtf gets a pattern
	c.LoadURL = func(u string) (io.ReadCloser, error) { return nil, errors.New("no network: " + u) }
	if err := c.AddResource("editor.schema.json", bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("editor.schema.json")
	if err != nil {
		t.Fatalf("the editor schema does not compile as draft-07: %v", err)
	}
	return s
}

func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	if err := d.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// readYAML reads a record file as the editor sees it: a list of records.
func readYAML(t *testing.T, path string) []any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := annalsyaml.NewReader(f, path)
	var out []any
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, jsonValue(t, rec.Value))
	}
}

// The samples are valid for the editor as they are for annals validate.
func TestEditorSchemaAcceptsSamples(t *testing.T) {
	v, _ := schema.Default()
	records := compileEditor(t, v, "")
	manifest := compileEditor(t, v, schema.Manifest)
	files, _ := filepath.Glob("../samples/*.yaml")
	if len(files) < 5 {
		t.Fatalf("found %d sample files", len(files))
	}
	for _, path := range files {
		list := readYAML(t, path)
		s := records
		var doc any = list
		if filepath.Base(path) == "annals.yaml" {
			s, doc = manifest, list[0]
		}
		if err := s.Validate(doc); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	// One record alone, as in a file of one record per document.
	if err := records.Validate(readYAML(t, "../samples/events.yaml")[0]); err != nil {
		t.Errorf("one record: %v", err)
	}
	if err := records.Validate(nil); err != nil {
		t.Errorf("an empty document: %v", err)
	}
}

// The editor flags the mistakes curators make, where annals would.
func TestEditorSchemaRefusesMistakes(t *testing.T) {
	v, _ := schema.Default()
	s := compileEditor(t, v, "")
	event := func(edit func(map[string]any)) any {
		r := readYAML(t, "../samples/events.yaml")[0].(map[string]any)
		edit(r)
		return []any{r}
	}
	for name, doc := range map[string]any{
		"a date as 27/12/2021":  event(func(r map[string]any) { r["date"] = "27/12/2021" }),
		"a date as Dec 27 2021": event(func(r map[string]any) { r["date"] = "Dec 27 2021" }),
		"month 13":              event(func(r map[string]any) { r["date"] = "2021-13-01" }),
		"an unknown field":      event(func(r map[string]any) { r["titel"] = "x" }),
		"a missing title":       event(func(r map[string]any) { delete(r, "title") }),
		"a location as text":    event(func(r map[string]any) { r["location"] = "Geneva" }),
		"a country's name":      event(func(r map[string]any) { r["location"] = map[string]any{"name": "Geneva", "country": "Switzerland"} }),
		"an unknown type":       event(func(r map[string]any) { r["type"] = "evnt" }),
		"no type":               event(func(r map[string]any) { delete(r, "type") }),
		"a statement's field":   event(func(r map[string]any) { r["speaker"] = "russia" }),
		"quote_kind without quote": event(func(r map[string]any) {
			r["attestations"] = []any{map[string]any{"source": "s", "quote_kind": "direct"}}
		}),
		"text at the top": "not records",
	} {
		if err := s.Validate(doc); err == nil {
			t.Errorf("%s: the editor schema accepts it", name)
		}
	}
}

// The editor never marks a record that annals accepts, and marks most of
// those it refuses: generated records, a third of them broken the ways
// curators break records.
func TestEditorSchemaAgreesWithValidate(t *testing.T) {
	v, _ := schema.Default()
	s := compileEditor(t, v, "")
	refused, flagged := 0, 0
	for rec := range gen.Records(3000, 7, 0.3) {
		value := jsonValue(t, rec)
		typ, _ := rec["type"].(string)
		annalsOK := len(v.Validate(typ, value)) == 0
		editorErr := s.Validate([]any{value})
		if annalsOK && editorErr != nil {
			t.Fatalf("annals accepts %s, the editor schema does not: %v", rec["id"], editorErr)
		}
		if !annalsOK {
			refused++
			if editorErr != nil {
				flagged++
			}
		}
	}
	t.Logf("of %d records annals refuses, the editor flags %d", refused, flagged)
	if refused < 100 || flagged*10 < refused*5 {
		t.Errorf("of %d records annals refuses, the editor flags only %d", refused, flagged)
	}
}

// A study's own fields are in the editor schema of its dataset.
func TestEditorSchemaHasOwnFields(t *testing.T) {
	ext := `{"type": "object", "properties": {"tone": {"title": "Tone", "description": "How it sounds.", "type": "string", "enum": ["calm", "hostile"]}}}`
	v, err := schema.Extend(map[string]schema.Extension{schema.Statement: {File: "tone.schema.json", Data: []byte(ext)}})
	if err != nil {
		t.Fatal(err)
	}
	s := compileEditor(t, v, "")
	statement := readYAML(t, "../samples/statements.yaml")[0].(map[string]any)
	statement["tone"] = "calm"
	if err := s.Validate([]any{statement}); err != nil {
		t.Errorf("an own field: %v", err)
	}
	statement["tone"] = "angry"
	if err := s.Validate([]any{statement}); err == nil || !strings.Contains(err.Error(), "tone") {
		t.Errorf("an own field's wrong value: %v", err)
	}
}
