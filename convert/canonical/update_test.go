package canonical

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/jsonvalue"
)

// update writes recs with NewYAMLUpdater over old.
func update(t testing.TB, old string, recs []*record.Record) string {
	t.Helper()
	var b bytes.Buffer
	w := NewYAMLUpdater(&b, []byte(old), "old.yaml", &record.Dataset{Validator: converttest.Validator(t)})
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// yamlRecords reads the records of a YAML text.
func yamlRecords(t testing.TB, s string) []*record.Record {
	t.Helper()
	recs, errs := readertest.ReadAll(t, yaml.NewReader(strings.NewReader(s), "new.yaml"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return recs
}

func TestYAMLUpdater(t *testing.T) {
	const old = `# Actors of the fixture.
- type: actor
  id: a # the first
  name: Ann Example
  kind: person
  note: >-
    A long note, folded by hand
    over two lines.
- type: actor
  id: b
  # Spelled two ways.
  name: Bo Example # as in most sources
  kind: person
  aliases:
    - name: Bo Ex # rare
    - name: B. Example
- type: actor
  id: gone
  name: Deleted in the spreadsheet
  kind: person
`
	// As the spreadsheet gives them back: b's name and second alias
	// changed, a field added to a, gone deleted, c new.
	const now = `
- {type: actor, id: a, name: Ann Example, kind: person, country: FRA, note: "A long note, folded by hand over two lines."}
- {type: actor, id: b, name: Bo Exampel, kind: person, aliases: [{name: Bo Ex}, {name: B. Exampel}]}
- {type: actor, id: c, name: Cy New, kind: organization}
`
	want := `# Actors of the fixture.
- type: actor
  id: a # the first
  name: Ann Example
  kind: person
  country: FRA
  note: >-
    A long note, folded by hand
    over two lines.
- type: actor
  id: b
  # Spelled two ways.
  name: Bo Exampel # as in most sources
  kind: person
  aliases:
    - name: Bo Ex # rare
    - name: B. Exampel
- type: actor
  id: c
  name: Cy New
  kind: organization
`
	if got := update(t, old, yamlRecords(t, now)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestYAMLUpdaterSamples: the samples written over themselves come back
// byte for byte, comments and folded text included.
func TestYAMLUpdaterSamples(t *testing.T) {
	for _, name := range []string{"actors", "sources", "events", "statements"} {
		path := filepath.Join(converttest.Samples, name+".yaml")
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := update(t, string(old), converttest.ReadSamples(t, path)); got != string(old) {
			t.Errorf("%s changed:\n%s", path, got)
		}
	}
}

// TestYAMLUpdaterFallback: what the updater cannot merge into, it replaces
// with what NewYAMLWriter writes (a file of comments alone keeps them: see
// TestYAMLUpdaterIntoEmptyFiles).
func TestYAMLUpdaterFallback(t *testing.T) {
	recs := yamlRecords(t, "- {type: actor, id: a, name: A, kind: person}\n")
	var plain bytes.Buffer
	w := NewYAMLWriter(&plain, &record.Dataset{Validator: converttest.Validator(t)})
	w.Write(recs[0])
	w.Close()
	for _, old := range []string{
		"",
		"- &x {type: actor, id: a, name: A, kind: person}\n- *x\n",
		"- {type: actor}\n---\n- {type: actor}\n",
		"- [unclosed\n",
		"\xff\xfe",
	} {
		if got := update(t, old, recs); got != plain.String() {
			t.Errorf("over %q:\n got %q\nwant %q", old, got, plain.String())
		}
	}
	if got := update(t, "- {type: actor, id: a}\n", nil); got != "[]\n" {
		t.Errorf("no records: got %q", got)
	}
}

// TestYAMLUpdaterGenerated: over its own canonical YAML a dataset comes
// back byte for byte, and over another dataset's (the first half of its
// records edited, the order reversed, the last one gone and two new ones
// first) it comes back as the new records: the old ones in the file's
// order, then the new ones in the order written.
func TestYAMLUpdaterGenerated(t *testing.T) {
	ds := &record.Dataset{Validator: converttest.Validator(t)}
	for seed := range uint64(20) {
		recs := converttest.GeneratedRecords(1+int(seed)*3, seed)
		var b bytes.Buffer
		w := NewYAMLWriter(&b, ds)
		for _, r := range recs {
			w.Write(r)
		}
		w.Close()
		if got := update(t, b.String(), recs); got != b.String() {
			t.Fatalf("seed %d: changed over itself", seed)
		}
		edited := make([]*record.Record, len(recs))
		for i, r := range recs {
			v := r.Value.(map[string]any)
			if i < len(recs)/2 {
				v = maps.Clone(v)
				v["note"] = fmt.Sprintf("edited %d", i)
				delete(v, "description")
			}
			edited[len(recs)-1-i] = &record.Record{Value: v}
		}
		var want []*record.Record // the file's order
		for i := range edited {
			want = append(want, edited[len(edited)-1-i])
		}
		written := edited[1:] // the last record of the file is gone
		want = want[:len(want)-1]
		for _, id := range []string{"new-b", "new-a"} {
			r := &record.Record{Value: map[string]any{"type": "actor", "id": id, "name": id, "kind": "person"}}
			written = append([]*record.Record{r}, written...)
		}
		want = append(want, written[0], written[1])
		got := yamlRecords(t, update(t, b.String(), written))
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d records, want %d", seed, len(got), len(want))
		}
		for i := range want {
			if !jsonvalue.Equal(got[i].Value, want[i].Value) {
				t.Fatalf("seed %d: record %d: got %#v, want %#v", seed, i, got[i].Value, want[i].Value)
			}
		}
	}
}

// A file of several documents keeps them, with their comments: records in
// their documents, a document whose records are gone left out, new records
// at the end of the last list; a document of one record stays one. The
// comment at the top of the file stays when the first record goes.
func TestYAMLUpdaterDocuments(t *testing.T) {
	old := `# The people of the story.
- type: actor
  id: a
  name: A
  kind: person
- type: actor
  id: b
  name: B # keep me
  kind: person
---
# The one council.
type: actor
id: c
name: C
kind: organization
---
# Gone soon.
- type: actor
  id: d
  name: D
  kind: person
`
	actor := func(id, name string) *record.Record {
		return &record.Record{Value: map[string]any{"type": "actor", "id": id, "name": name, "kind": "person"}}
	}
	c := &record.Record{Value: map[string]any{"type": "actor", "id": "c", "name": "C2", "kind": "organization"}}
	got := update(t, old, []*record.Record{actor("e", "E"), c, actor("b", "B")})
	want := `# The people of the story.
- type: actor
  id: b
  name: B # keep me
  kind: person
- type: actor
  id: e
  name: E
  kind: person
---
# The one council.
type: actor
id: c
name: C2
kind: organization
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// The comment at the top of the file is the file's, not its first
// record's: it stays when that record goes.
func TestYAMLUpdaterKeepsTheFileComment(t *testing.T) {
	old := "# The people of the story.\n- type: actor\n  id: a\n  name: A\n  kind: person\n- type: actor\n  id: b\n  name: B\n  kind: person\n"
	b := &record.Record{Value: map[string]any{"type": "actor", "id": "b", "name": "B", "kind": "person"}}
	got := update(t, old, []*record.Record{b})
	if want := "# The people of the story.\n- type: actor\n  id: b\n  name: B\n  kind: person\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestYAMLUpdaterIntoEmptyFiles: records brought into a file of no records
// (an empty list, as annals leaves an emptied file; comments alone) keep
// its comments above them, as a list of blocks. An empty list once made
// the updater panic.
func TestYAMLUpdaterIntoEmptyFiles(t *testing.T) {
	recs := yamlRecords(t, "- {type: actor, id: ann, name: Ann Example, kind: person}\n")
	const records = "- type: actor\n  id: ann\n  name: Ann Example\n  kind: person\n"
	for _, tc := range []struct{ old, want string }{
		{"[]\n", records},
		{"# Actors go here.\n[]\n", "# Actors go here.\n" + records},
		{"# Actors go here.\n# Keep them sorted.\n", "# Actors go here.\n# Keep them sorted.\n" + records},
		{"\ufeff# Actors go here.\n---\n", "# Actors go here.\n" + records},
		{"", records},
	} {
		if got := update(t, tc.old, recs); got != tc.want {
			t.Errorf("into %q:\n%s\nwant\n%s", tc.old, got, tc.want)
		}
	}
}
