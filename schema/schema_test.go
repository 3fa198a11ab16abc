package schema

import (
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

func mustValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("embedded schemas do not compile: %v", err)
	}
	return v
}

func decode(t *testing.T, s string) any {
	t.Helper()
	return testkit.DecodeJSON(t, s)
}

func TestEmbeddedSchemasCompile(t *testing.T) {
	v := mustValidator(t)
	for _, typ := range append(RecordTypes, Manifest) {
		if v.schemas[typ] == nil {
			t.Errorf("no compiled schema for %q", typ)
		}
		if len(v.Properties(typ)) == 0 {
			t.Errorf("no properties listed for %q", typ)
		}
	}
	if got := strings.Join(v.Properties(Actor)[:4], ","); got != "type,id,name,kind" {
		t.Errorf("actor property order = %s, want the schema file's order", got)
	}
}

func TestReferences(t *testing.T) {
	v := mustValidator(t)
	var got []string
	for _, r := range v.References(Statement) {
		got = append(got, r.Path+"->"+r.Target)
	}
	want := []string{
		"/speaker->actor", "/setting/event->event", "/about/*->event",
		"/attestations/*/source->source", "/attestations/*/credited_actor->actor", "/attestations/*/reported_names/*/actor->actor",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("statement references:\n got %v\nwant %v", got, want)
	}
}

// Every property carries a title and a description: they are the codebook.
func TestEveryPropertyDocumented(t *testing.T) {
	v := mustValidator(t)
	for _, typ := range append(append([]string{}, RecordTypes...), Manifest) {
		v.walkProperties(typ, func(path, loc string, node map[string]any) {
			if strings.HasSuffix(path, "/*") {
				return // array items are described by their array
			}
			for _, k := range []string{"title", "description"} {
				if s, _ := node[k].(string); strings.TrimSpace(s) == "" {
					t.Errorf("%s %s (%s) has no %s", typ, path, strings.TrimPrefix(loc, BaseURI), k)
				}
			}
		})
	}
}

// Every array names its link table and items, which exports rely on.
func TestArraysNameTheirTables(t *testing.T) {
	v := mustValidator(t)
	for _, typ := range append(append([]string{}, RecordTypes...), Manifest) {
		Walk(v.Fields(typ), func(f *Field) {
			if f.Type == "array" && (f.Table == "" || f.Item == "") {
				t.Errorf("%s %s: array without x-table and x-item", typ, f.Path)
			}
			if f.Type == "" && f.Const == "" && f.Enum == nil && f.Fields == nil {
				t.Errorf("%s %s: no type", typ, f.Path)
			}
		})
	}
	fs := v.Fields(Event)
	var got []string
	Walk(fs, func(f *Field) { got = append(got, f.Path+":"+f.Type+f.Format) })
	want := "/type: /id:string /title:string"
	if strings.Join(got[:3], " ") != want {
		t.Errorf("event fields start %v, want %s", got[:3], want)
	}
}
