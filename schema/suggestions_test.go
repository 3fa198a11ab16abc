package schema

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The mistakes curators make most often get a message that says what to
// write instead.
func TestSuggestions(t *testing.T) {
	v := mustValidator(t)
	base := `"type": "event", "id": "e", "title": "T", "category": "consult", "status": "occurred", "attestations": [{"source": "s"}]`
	for _, c := range []struct {
		typ, record string
		field, code string
		want        string
	}{
		{Event, `{` + base + `, "date": "27/12/2021"}`, "date", CodeBadDate, `"27/12/2021" is not a valid date; did you mean 2021-12-27? Dates are written year-month-day`},
		{Event, `{` + base + `, "date": "12/27/2021"}`, "date", CodeBadDate, "did you mean 2021-12-27?"},
		{Event, `{` + base + `, "date": "05/12/2021"}`, "date", CodeBadDate, "did you mean 2021-12-05 (5 December) or 2021-05-12 (12 May)? Day and month could be either way round"},
		{Event, `{` + base + `, "date": "27.12.2021"}`, "date", CodeBadDate, "did you mean 2021-12-27?"},
		{Event, `{` + base + `, "date": "2021/12/27"}`, "date", CodeBadDate, "did you mean 2021-12-27?"},
		{Event, `{` + base + `, "date": "Dec 27 2021"}`, "date", CodeBadDate, "did you mean 2021-12-27?"},
		{Event, `{` + base + `, "date": "27 December 2021"}`, "date", CodeBadDate, "did you mean 2021-12-27?"},
		{Event, `{` + base + `, "date": "December 2021"}`, "date", CodeBadDate, "did you mean 2021-12?"},
		{Event, `{` + base + `, "date": "soon"}`, "date", CodeBadDate, "write an EDTF date such as 2022-01-10"},
		{Event, `{` + base + `, "location": {"name": "Kyiv", "country": "Ukraine"}}`, "location.country", CodeNotAllowed, "did you mean UKR (Ukraine)?"},
		{Event, `{` + base + `, "location": {"name": "Kyiv", "country": "UA"}}`, "location.country", CodeNotAllowed, "did you mean UKR (Ukraine)?"},
		{Event, `{` + base + `, "location": {"name": "Kyiv", "country": "ukr"}}`, "location.country", CodeNotAllowed, "did you mean UKR (Ukraine)?"},
		{Event, `{` + base + `, "location": {"name": "Kyiv", "country": "UKX"}}`, "location.country", CodeNotAllowed, "use an ISO 3166-1 alpha-3 code"},
		{Event, `{` + base + `, "location": "Brussels"}`, "location", CodeWrongType, `is "Brussels", but must be a group of fields; write it as {name: Brussels}, adding coordinates, country or precision as needed`},
		{Event, `{` + base + `, "location": "Palais des Nations: Geneva"}`, "location", CodeWrongType, `write it as {name: "Palais des Nations: Geneva"}`},
		{Event, `{` + base + `, "participants": ["nato"]}`, "participants[0]", CodeWrongType, `write it as {actor: nato, role: party}`},
		{Event, `{` + base + `, "location": {"name": "Geneva", "coordinates": "46.2, 6.1"}}`, "location.coordinates", CodeWrongType, `write it as {latitude: 46.2044, longitude: 6.1432}`},
		{Event, `{` + base + `, "location": 12}`, "location", CodeWrongType, `write it as {name: Geneva, country: CHE}`},
	} {
		got := v.Validate(c.typ, decode(t, c.record))
		found := false
		for _, x := range got {
			if x.Field() == c.field && x.Code == c.code && strings.Contains(x.Message, c.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %s at %s containing %q; got %v", c.record, c.code, c.field, c.want, got)
		}
	}
}

// Every example in the schemas is valid against the schema it illustrates:
// messages quote them as what to write.
func TestSchemaExamplesAreValid(t *testing.T) {
	v := mustValidator(t)
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.Formats["edtf"] = isEDTF
	c.Formats["uri"] = isURI
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, _ := fs.ReadFile(files, e.Name())
		if err := c.AddResource(BaseURI+e.Name(), bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for url, doc := range v.docs {
		defs, _ := doc.(map[string]any)["$defs"].(map[string]any)
		for name, def := range defs {
			examples, _ := def.(map[string]any)["examples"].([]any)
			for i, ex := range examples {
				n++
				s, err := c.Compile(url + "#/$defs/" + name)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Validate(ex); err != nil {
					t.Errorf("%s#/$defs/%s: example %d is not valid: %v", url, name, i, err)
				}
			}
		}
	}
	if n < 9 {
		t.Errorf("checked %d examples, want the nine of the groups of fields at least", n)
	}
}
