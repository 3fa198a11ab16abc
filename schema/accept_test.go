package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/internal/testkit"
)

// verdicts returns what the acceptor and jsonschema say of v as typ.
func verdicts(t testing.TB, v *Validator, typ string, value any) (accepted, valid bool) {
	t.Helper()
	a := v.accept[typ]
	if a == nil {
		t.Fatalf("no acceptor for %s", typ)
	}
	return a.accepts(value), v.schemas[typ].Validate(value) == nil
}

func TestEveryTypeHasAnAcceptor(t *testing.T) {
	v := mustValidator(t)
	for _, typ := range append(slices.Clone(RecordTypes), Manifest) {
		if _, err := v.compileAcceptor(typ, map[string]func(any) bool{"edtf": isEDTF, "uri": isURI, "email": standardFormats["email"]}); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
		if v.accept[typ] == nil {
			t.Errorf("%s: no acceptor", typ)
		}
	}
}

// TestAcceptorAgrees holds the acceptor to jsonschema's verdict on
// generated records (valid and broken) and on every mutation of them that
// curators make: a field removed, added, or given a value of another kind.
func TestAcceptorAgrees(t *testing.T) {
	v := mustValidator(t)
	n := 40 // 60,000 values; 400 pass too, in a minute
	if testing.Short() {
		n = 12
	}
	checked, rejected := 0, 0
	check := func(typ string, value any, what string) {
		t.Helper()
		accepted, valid := verdicts(t, v, typ, value)
		checked++
		if !valid {
			rejected++
		}
		if accepted != valid {
			b, _ := json.Marshal(value)
			t.Errorf("%s: acceptor says %v, jsonschema %v: %s", what, accepted, valid, b)
		}
	}
	i := 0
	for rec := range gen.Records(n, 7, 0.2) {
		value := roundTrip(t, rec)
		typ, _ := value.(map[string]any)["type"].(string)
		if !isType(typ) {
			typ = Event // a broken type: check the rest as an event
		}
		for _, asType := range RecordTypes {
			check(asType, value, fmt.Sprintf("record %d as %s", i, asType))
		}
		eachMutation(value, "", func(m any, what string) {
			check(typ, m, fmt.Sprintf("record %d %s", i, what))
		})
		i++
	}
	if rejected == 0 || rejected == checked {
		t.Fatalf("%d of %d values rejected: the test does not tell the two apart", rejected, checked)
	}
	t.Logf("%d values, %d rejected", checked, rejected)
}

func TestAcceptorAgreesOnManifests(t *testing.T) {
	v := mustValidator(t)
	manifest := decode(t, `{"title": "Security guarantees", "license": "CC-BY-4.0", "version": "1.0.0",
		"curators": [{"name": "A. Curator", "email": "a@example.org", "orcid": "0000-0002-1825-0097"}],
		"archive": "../seeds", "checks": {"duplicate-actor": "warning", "date-conflict": "off"}}`)
	checked := 0
	eachMutation(manifest, "", func(m any, what string) {
		accepted, valid := verdicts(t, v, Manifest, m)
		checked++
		if accepted != valid {
			b, _ := json.Marshal(m)
			t.Errorf("manifest %s: acceptor says %v, jsonschema %v: %s", what, accepted, valid, b)
		}
	})
	if checked < 20 {
		t.Fatalf("only %d mutations", checked)
	}
}

func isType(t string) bool { return slices.Contains(RecordTypes, t) }

// roundTrip turns a generated record into the JSON data model readers
// produce (json.Number, []any, map[string]any).
func roundTrip(t testing.TB, rec any) any {
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return testkit.DecodeJSON(t, string(b))
}

// replacements are the values a mutation puts in place of another: every
// JSON type, blank and overlong text, bad and good dates, slugs and not.
var replacements = []any{
	nil, true, json.Number("0"), json.Number("1.5"), json.Number("-200"), json.Number("1e2"),
	"", " ", "\t\n", "x", "Geneva", "not-a-slug-", "a--b", "UPPER", "2021-12-17", "2022-13-01",
	"2021-02-29", "2022-01-09/2022-01-13", "2022-01-13/2022-01-09", "2022-01-XX", "2022-01-10?",
	"https://example.org/a", "not a uri", "http://", "Q42", "Q0", "en", "en-GB", "english",
	strings.Repeat("x", 101), strings.Repeat("é", 100), "\x00", "a\u200bb",
	"\u00a0", "\u3000", "\ufeff", "\v", "\u2028 \u2003", "\u0085", "\u200b", "\xff",
	[]any{}, []any{"a"}, []any{"a", "a"}, []any{json.Number("1")}, map[string]any{},
	map[string]any{"name": "x"},
}

// eachMutation calls fn with copies of v changed in one place each: every member
// removed, an unknown member added, every value replaced by each of the
// replacements, every list item duplicated.
func eachMutation(v any, path string, fn func(any, string)) {
	var walk func(cur any, set func(any) any, path string)
	walk = func(cur any, set func(any) any, path string) {
		for _, r := range replacements {
			fn(set(r), fmt.Sprintf("%s = %v", path, r))
		}
		switch x := cur.(type) {
		case map[string]any:
			fn(set(withMember(x, "unknown_field", "x")), path+" + unknown_field")
			for _, k := range sortedKeys(x) {
				fn(set(withoutMember(x, k)), path+" - "+k)
				walk(x[k], func(nv any) any { return set(withMember(x, k, nv)) }, path+"/"+k)
			}
		case []any:
			if len(x) > 0 {
				fn(set(append(slices.Clone(x), x[0])), path+" + duplicate item")
			}
			for i := range x {
				walk(x[i], func(nv any) any {
					c := slices.Clone(x)
					c[i] = nv
					return set(c)
				}, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	walk(v, func(nv any) any { return nv }, path)
}

func withMember(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for key, x := range m {
		c[key] = x
	}
	c[k] = v
	return c
}

func withoutMember(m map[string]any, k string) map[string]any {
	c := withMember(m, k, nil)
	delete(c, k)
	return c
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FuzzAcceptorAgrees holds the acceptor to jsonschema's verdict on any JSON
// value, as every record type.
func FuzzAcceptorAgrees(f *testing.F) {
	for rec := range gen.Records(40, 3, 0.3) {
		b, _ := json.Marshal(rec)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"actor","id":"a","name":"A","kind":"person","roles":[{"title":"x","from":"2022","to":"2021"}]}`))
	f.Add([]byte(`{"type":"event","location":{"coordinates":{"latitude":90.0000000000000000001,"longitude":-180}}}`))
	v := mustValidator(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var value any
		if d.Decode(&value) != nil {
			return
		}
		for _, typ := range append(slices.Clone(RecordTypes), Manifest) {
			if accepted, valid := verdicts(t, v, typ, value); accepted != valid {
				t.Errorf("as %s: acceptor says %v, jsonschema %v", typ, accepted, valid)
			}
		}
	})
}

// TestReferenceEach holds Reference.Each to EachAt: the same values, at the
// same pointers.
func TestReferenceEach(t *testing.T) {
	v := mustValidator(t)
	seen := 0
	for rec := range gen.Records(60, 5, 0) {
		value := roundTrip(t, rec)
		typ, _ := value.(map[string]any)["type"].(string)
		for _, ref := range v.References(typ) {
			var want, got []string
			EachAt(value, ref.Path, func(ptr string, _ []int, x any) { want = append(want, fmt.Sprint(ptr, "=", x)) })
			ref.Each(value, func(x any, at Cursor) { got = append(got, fmt.Sprint(ref.Pointer(at), "=", x)) })
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: Each gives %v, EachAt %v", typ, ref.Path, got, want)
			}
			seen += len(got)
		}
	}
	if seen < 100 {
		t.Fatalf("only %d references seen", seen)
	}
}

// TestBlankText: text made only of spaces of any kind, as JSON Schema's
// ECMAScript \s knows them, is blank; the acceptor matches the schema's
// pattern by hand.
func TestBlankText(t *testing.T) {
	v := mustValidator(t)
	defs := v.docs[BaseURI+"defs.schema.json"].(map[string]any)["$defs"].(map[string]any)
	if p := defs["text"].(map[string]any)["pattern"]; p != textPattern {
		t.Fatalf("the text pattern is %q; the acceptor matches %q by hand", p, textPattern)
	}
	for _, name := range []string{" ", "\u00a0", "\u3000", "\ufeff", "\u2028\u2003\t"} {
		rec := map[string]any{"type": "actor", "id": "a", "name": name, "kind": "person"}
		got := v.Validate(Actor, rec)
		if len(got) != 1 || got[0].Code != CodeEmpty || got[0].Pointer != "/name" {
			t.Errorf("name %q: %+v, want one %s at /name", name, got, CodeEmpty)
		}
	}
	for _, name := range []string{"A", "\u00a0A", "\u0085", "\u200b"} {
		rec := map[string]any{"type": "actor", "id": "a", "name": name, "kind": "person"}
		if got := v.Validate(Actor, rec); len(got) != 0 {
			t.Errorf("name %q: %+v, want none", name, got)
		}
	}
}

// BenchmarkAcceptor measures the acceptor alone on generated valid records.
func BenchmarkAcceptor(b *testing.B) {
	v := mustValidator(b)
	var values []any
	var types []string
	for r := range gen.Records(2000, 1, 0) {
		data, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		values = append(values, testkit.DecodeJSON(b, string(data)))
		types = append(types, r["type"].(string))
	}
	b.ResetTimer()
	for range b.N {
		for i, x := range values {
			if !v.accept[types[i]].accepts(x) {
				b.Fatalf("record %d is not accepted", i)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(values))/b.Elapsed().Seconds(), "records/s")
}
