package schema

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/annals-project/annals/internal/testkit"
)

// TestBundle compiles the bundle alone, with nothing else to load, and
// checks that it accepts a record of each type and rejects what the
// separate schemas reject, formats included.
func TestBundle(t *testing.T) {
	b, err := Bundle()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.Formats["edtf"] = isEDTF
	c.Formats["uri"] = isURI
	c.LoadURL = func(u string) (io.ReadCloser, error) { return nil, fmt.Errorf("the bundle needs %s", u) }
	if err := c.AddResource(BundleID, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(BundleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		record string
		valid  bool
	}{
		{`{"type":"actor","id":"ida-berg","name":"Ida Berg","kind":"person"}`, true},
		{`{"type":"source","id":"herald-1","outlet":"Daily Herald","published":"2022-01-05"}`, true},
		{`{"type":"event","id":"ferry-vote","title":"Ferry vote","category":"consult","status":"occurred","date":"2022-03-14","attestations":[{"source":"herald-1"}]}`, true},
		{`{"type":"statement","id":"s-1","speaker":"ida-berg","date":"2022-03-14","summary":"Ida Berg said the ferry would run.","attestations":[{"source":"herald-1"}]}`, true},
		{`{"type":"actor","id":"ida-berg","name":"Ida Berg","kind":"alliance"}`, false},
		{`{"type":"source","id":"herald-1","published":"March 2022"}`, false},
		{`{"type":"manifest","title":"x"}`, false},
	} {
		v := testkit.DecodeJSON(t, tc.record)
		if err := s.Validate(v); (err == nil) != tc.valid {
			t.Errorf("%s: valid %v, want %v (%v)", tc.record, err == nil, tc.valid, err)
		}
	}
}
