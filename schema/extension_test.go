package schema

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

const toneExtension = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "tone": {"title": "Tone", "description": "How the statement sounds.", "type": "string", "enum": ["conciliatory", "neutral", "hostile"]},
    "intensity": {"title": "Intensity", "description": "From 1 (mild) to 5 (strong).", "type": "integer", "minimum": 1, "maximum": 5},
    "target": {"title": "Target", "description": "The actor the statement is aimed at.", "type": "string", "x-refers-to": "actor"},
    "topics": {"title": "Topics", "description": "What it is about.", "type": "array", "items": {"type": "string", "minLength": 1}},
    "coded_on": {"title": "Coded on", "description": "When a coder coded it.", "type": "string", "format": "edtf"}
  },
  "required": ["tone"]
}`

func extended(t *testing.T) *Validator {
	t.Helper()
	v, err := Extend(map[string]Extension{Statement: {File: "codebook/statement.schema.json", Data: []byte(toneExtension)}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExtendFields(t *testing.T) {
	v := extended(t)
	base, _ := Default()
	var names []string
	for _, f := range v.Fields(Statement) {
		names = append(names, f.Name)
	}
	var want []string
	for _, f := range base.Fields(Statement) {
		want = append(want, f.Name)
	}
	want = append(want, "tone", "intensity", "target", "topics", "coded_on")
	if !slices.Equal(names, want) {
		t.Errorf("fields %v, want %v", names, want)
	}
	fields := v.Fields(Statement)
	topics := fields[len(fields)-2]
	if topics.Table != "topics" || topics.Item != "value" || topics.Items == nil || topics.Items.Type != "string" {
		t.Errorf("topics: %+v", topics)
	}
	if tone := fields[len(base.Fields(Statement))]; !tone.Required || len(tone.Enum) != 3 || tone.Title != "Tone" {
		t.Errorf("tone: %+v", tone)
	}
	var refs []string
	for _, r := range v.References(Statement) {
		refs = append(refs, r.Path+"→"+r.Target)
	}
	if !slices.Contains(refs, "/target→actor") {
		t.Errorf("references %v lack /target→actor", refs)
	}
	// The other types, and the default validator, are as they were.
	if len(v.Fields(Event)) != len(base.Fields(Event)) || len(base.Fields(Statement)) == len(fields) {
		t.Error("the extension leaked into another type or into the default validator")
	}
}

func TestExtendValidates(t *testing.T) {
	v := extended(t)
	rec := func(extra string) any {
		return testkit.DecodeJSON(t, `{"type": "statement", "id": "s1", "speaker": "a1", "date": "2021-12-23", "summary": "S.",
			"attestations": [{"source": "src"}]`+extra+`}`)
	}
	if vs := v.Validate(Statement, rec(`, "tone": "neutral", "intensity": 3, "target": "a2", "topics": ["nato"], "coded_on": "2026-12"`)); len(vs) > 0 {
		t.Fatalf("a valid record: %v", vs)
	}
	for _, tc := range []struct{ extra, ptr, code string }{
		{`, "tone": "angry"`, "/tone", CodeNotAllowed},
		{`, "tone": "neutral", "intensity": 9`, "/intensity", CodeOutOfRange},
		{`, "tone": "neutral", "intensity": 2.5`, "/intensity", CodeWrongType},
		{`, "tone": "neutral", "coded_on": "yesterday"`, "/coded_on", CodeBadDate},
		{`, "tone": "neutral", "topics": [""]`, "/topics/0", CodeEmpty},
		{``, "", CodeMissingField},
		{`, "tone": "neutral", "mood": "x"`, "", CodeUnknownField},
	} {
		vs := v.Validate(Statement, rec(tc.extra))
		if len(vs) == 0 {
			t.Errorf("%s: valid", tc.extra)
			continue
		}
		if vs[0].Code != tc.code || !strings.HasPrefix(vs[0].Pointer, tc.ptr) {
			t.Errorf("%s: %s at %q (%s), want %s at %q", tc.extra, vs[0].Code, vs[0].Pointer, vs[0].Message, tc.code, tc.ptr)
		}
	}
}

func TestExtendRefuses(t *testing.T) {
	field := func(name, body string) string {
		return `{"type": "object", "properties": {` + `"` + name + `": ` + body + `}}`
	}
	ok := `{"title": "T", "description": "D.", "type": "string"}`
	for _, tc := range []struct{ name, typ, ext, field, msg string }{
		{"shadow", Statement, field("summary", ok), "summary", `shadows the canonical field "summary"`},
		{"unknown keyword", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "minimumm": 1}`), "tone", `the keyword "minimumm" is not supported`},
		{"no title", Statement, field("tone", `{"description": "D.", "type": "string"}`), "tone", "has no title"},
		{"no type", Statement, field("tone", `{"title": "T", "description": "D."}`), "tone", `has no "type"`},
		{"object", Statement, field("tone", `{"title": "T", "description": "D.", "type": "object"}`), "tone", `the type "object" is not supported`},
		{"list of lists", Statement, field("tone", `{"title": "T", "description": "D.", "type": "array", "items": {"type": "array"}}`), "tone", "cannot be lists"},
		{"bad reference", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "x-refers-to": "person"}`), "tone", "x-refers-to must name a record type"},
		{"bad name", Statement, field("Tone Score", ok), "Tone Score", "lower-case letters"},
		{"bad format", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "format": "date"}`), "tone", `the format "date" is not supported`},
		{"top keyword", Statement, `{"type": "object", "additionalProperties": true, "properties": {"tone": ` + ok + `}}`, "", `the keyword "additionalProperties" is not supported`},
		{"not an object", Statement, `[1]`, "", "is not a JSON Schema object"},
		{"not JSON", Statement, `{"type": `, "", "is not JSON"},
		{"no properties", Statement, `{"type": "object"}`, "", `has no "properties"`},
		{"required unknown", Statement, `{"type": "object", "properties": {"tone": ` + ok + `}, "required": ["mood"]}`, "", `"mood" is in required but not in properties`},
		{"not a type", "person", field("tone", ok), "", `"person" is not a record type`},
		{"link table path", Statement, field("topics", `{"title": "T", "description": "D.", "type": "array", "items": {"type": "string"}, "x-table": "../../evil"}`), "topics", `the keyword "x-table" is not supported`},
		{"a canonical link table", Statement, field("attestation_names", `{"title": "T", "description": "D.", "type": "array", "items": {"type": "string"}}`), "attestation_names", "is the name of one of the record type's tables"},
		{"a derived column", Event, field("date_earliest", ok), "date_earliest", `starts like the columns the exports make of the canonical field "date"`},
		{"a key column", Statement, field("event_id", ok), "event_id", "ends like the key columns"},
		{"another type's field", Statement, field("outlet", ok), "outlet", "a name the record model, its linked data or its analysis table already uses"},
		{"a linked-data prefix", Statement, field("xsd", ok), "xsd", "a name the record model, its linked data or its analysis table already uses"},
		{"enum of another type", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "enum": ["a", true]}`), "tone", "the enum value true (true or false) is not of the field's type"},
		{"empty text allowed", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "minLength": 0}`), "tone", "minLength 0"},
		{"too deep", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "examples": `+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`}`), "", "nested more than"},
		{"bad pattern", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "pattern": "("}`), "tone", "is not a regular expression annals reads"},
		{"text bound", Statement, field("level", `{"title": "T", "description": "D.", "type": "integer", "minimum": "1"}`), "level", `minimum must be a number, not "1"`},
		{"negative length", Statement, field("tone", `{"title": "T", "description": "D.", "type": "string", "maxLength": -1}`), "tone", "maxLength must be a whole number"},
		{"required twice", Statement, `{"type": "object", "properties": {"tone": ` + ok + `}, "required": ["tone", "tone"]}`, "", `"tone" is in required twice`},
	} {
		_, err := Extend(map[string]Extension{tc.typ: {File: "codebook/x.schema.json", Data: []byte(tc.ext)}})
		var ee *ExtensionError
		if !errors.As(err, &ee) {
			t.Errorf("%s: %v, want an *ExtensionError", tc.name, err)
			continue
		}
		if !strings.HasPrefix(ee.File, "codebook/x.schema.json") || ee.Field != tc.field || !strings.Contains(ee.Msg, tc.msg) {
			t.Errorf("%s: %q (file %q, field %q), want field %q and %q", tc.name, err, ee.File, ee.Field, tc.field, tc.msg)
		}
	}
}

// TestAcceptorAgreesWithExtension holds the fast acceptor of an extended
// statement schema to jsonschema's verdict, on every mutation of a
// statement that carries every kind of extension field (when the
// acceptor cannot handle the extension, jsonschema alone decides, and
// there is nothing to hold).
func TestAcceptorAgreesWithExtension(t *testing.T) {
	v := extended(t)
	if v.accept[Statement] == nil {
		t.Skip("the extended statement schema has no acceptor: jsonschema alone validates")
	}
	rec := testkit.DecodeJSON(t, `{"type": "statement", "id": "s1", "speaker": "a1", "date": "2021-12-23", "summary": "S.",
		"attestations": [{"source": "src"}], "tone": "neutral", "intensity": 3, "target": "a2", "topics": ["nato", "ukraine"], "coded_on": "2026-12"}`)
	checked, rejected := 0, 0
	eachMutation(rec, "", func(m any, what string) {
		accepted, valid := verdicts(t, v, Statement, m)
		checked++
		if !valid {
			rejected++
		}
		if accepted != valid {
			t.Errorf("%s: acceptor says %v, jsonschema %v", what, accepted, valid)
		}
	})
	if rejected == 0 || rejected == checked {
		t.Fatalf("%d of %d rejected: the test does not tell the two apart", rejected, checked)
	}
}

// The same name in two types' extensions must be the same kind of field:
// linked data has one term per name.
func TestExtendRefusesTwoKindsOfOneName(t *testing.T) {
	_, err := Extend(map[string]Extension{
		Event:     {File: "e.json", Data: []byte(`{"type": "object", "properties": {"weight": {"title": "W", "description": "D.", "type": "number"}}}`)},
		Statement: {File: "s.json", Data: []byte(`{"type": "object", "properties": {"weight": {"title": "W", "description": "D.", "type": "string", "x-refers-to": "actor"}}}`)},
	})
	var ee *ExtensionError
	if !errors.As(err, &ee) || ee.File != "s.json" || ee.Field != "weight" || !strings.Contains(ee.Msg, "of another kind (number, here reference)") {
		t.Errorf("got %v", err)
	}
}

// TestExtendRefusesADateColumnName checks that no study field takes the
// name of a column derived from another's date, in the same record type or
// in the other one the analysis table puts beside it.
func TestExtendRefusesADateColumnName(t *testing.T) {
	date := `{"title": "Seen", "description": "D.", "type": "string", "format": "edtf"}`
	text := `{"title": "T", "description": "D.", "type": "string"}`
	for _, exts := range []map[string]Extension{
		{Event: {File: "e.json", Data: []byte(`{"type": "object", "properties": {"seen": ` + date + `, "seen_latest": ` + text + `}}`)}},
		{Event: {File: "e.json", Data: []byte(`{"type": "object", "properties": {"seen": ` + date + `}}`)},
			Statement: {File: "s.json", Data: []byte(`{"type": "object", "properties": {"seen_latest": ` + text + `}}`)}},
		{Event: {File: "e.json", Data: []byte(`{"type": "object", "properties": {"seen_latest": ` + text + `}}`)},
			Statement: {File: "s.json", Data: []byte(`{"type": "object", "properties": {"seen": ` + date + `}}`)}},
	} {
		_, err := Extend(exts)
		var ee *ExtensionError
		if !errors.As(err, &ee) || ee.Field != "seen_latest" || !strings.Contains(ee.Msg, `derive from the study's date field "seen"`) {
			t.Errorf("got %v", err)
		}
	}
	// A list of dates has its derived columns in its own table.
	list := `{"title": "Seen", "description": "D.", "type": "array", "items": {"type": "string", "format": "edtf"}}`
	if _, err := Extend(map[string]Extension{Event: {File: "e.json", Data: []byte(`{"type": "object", "properties": {"seen": ` + list + `, "seen_latest": ` + text + `}}`)}}); err != nil {
		t.Errorf("a list of dates: %v", err)
	}
}

// An enumeration of numbers is listed in the message, as one of text is.
func TestExtendEnumOfNumbersMessage(t *testing.T) {
	v, err := Extend(map[string]Extension{Event: {File: "e.json", Data: []byte(`{"type": "object", "properties": {"level": {"title": "Level", "description": "D.", "type": "integer", "enum": [1, 2, 3]}}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	rec := testkit.DecodeJSON(t, `{"type": "event", "id": "e1", "title": "T.", "category": "consult", "status": "occurred", "date": "2022-01-10", "attestations": [{"source": "s"}], "level": 4}`)
	vs := v.Validate(Event, rec)
	if len(vs) != 1 || vs[0].Code != CodeNotAllowed || !strings.HasSuffix(vs[0].Message, "use one of: 1, 2, 3") {
		t.Errorf("got %v", vs)
	}
}
