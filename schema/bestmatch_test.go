package schema

import (
	"testing"
	"testing/fstest"
)

// A schema with alternatives: a place is either a name or coordinates. The
// researcher should hear about the alternative they evidently meant, not
// every branch.
const altSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "where": {
      "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "additionalProperties": false, "required": ["lat", "lon"],
         "properties": {"lat": {"type": "number", "maximum": 90}, "lon": {"type": "number"}}}
      ]
    },
    "when": {
      "anyOf": [
        {"type": "string", "format": "edtf"},
        {"type": "array", "items": {"type": "string", "format": "edtf"}}
      ]
    }
  }
}`

func TestBestMatch(t *testing.T) {
	v, err := compile(fstest.MapFS{"alt.schema.json": {Data: []byte(altSchema)}}, []string{"alt"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		value, ptr, code string
	}{
		// Clearly meant coordinates: only the coordinate problem is reported.
		{`{"where": {"lat": 95, "lon": 6}}`, "/where/lat", CodeOutOfRange},
		{`{"where": {"lat": 46}}`, "/where/lon", CodeMissingField},
		// Clearly meant a name: only the blank name.
		{`{"where": ""}`, "/where", CodeEmpty},
		// A list of dates with one bad date.
		{`{"when": ["2022-01-10", "2022-13-01"]}`, "/when/1", CodeBadDate},
		// A single bad date.
		{`{"when": "2022-13-01"}`, "/when", CodeBadDate},
	} {
		vs := v.Validate("alt", decode(t, tc.value))
		if len(vs) != 1 || vs[0].Pointer != tc.ptr || vs[0].Code != tc.code {
			t.Errorf("%s: want exactly %s at %s, got %+v", tc.value, tc.code, tc.ptr, vs)
		}
	}
}
