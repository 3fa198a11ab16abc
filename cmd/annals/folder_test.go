package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/gen"
)

// TestConvertIntoFolderKeepsFiles spreads generated records over the
// files of a folder as curators might (actors in two files and beside
// their statements, sources and events in a subfolder), exports them, and
// brings them back. Unedited, every file comes back byte for byte. Edited
// (records dropped, changed, added, the order shuffled), each record is in
// the file it was in, in the same order, with its new values; a new record
// is in its type's own file, or in the file that holds most of its type;
// and the folder validates: no record is there twice.
func TestConvertIntoFolderKeepsFiles(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { convertIntoFolder(t, seed) })
	}
}

type placedRecord struct {
	key  string // type and id
	file string // relative to the folder
	rec  map[string]any
}

func convertIntoFolder(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 42))
	work := t.TempDir()
	dir := filepath.Join(work, "records")
	homes := map[string][]string{
		"actor":     {"actors.yaml", "more-actors.yaml", "a/mixed.yaml"},
		"source":    {"a/mixed.yaml", "b/c/deep.yml"}, // no sources.yaml
		"event":     {"events.yaml", "b/c/deep.yml"},
		"statement": {"statements.yaml", "a/mixed.yaml"},
	}
	var placed []*placedRecord
	text := map[string]*bytes.Buffer{}
	for rec := range gen.Records(240, seed, 0) {
		typ, id := rec["type"].(string), rec["id"].(string)
		p := &placedRecord{key: typ + " " + id, file: homes[typ][r.IntN(len(homes[typ]))], rec: rec}
		placed = append(placed, p)
		if text[p.file] == nil {
			text[p.file] = &bytes.Buffer{}
		}
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(text[p.file], "- %s\n", b) // JSON is YAML; fmt makes it canonical
	}
	for file, b := range text {
		path := filepath.Join(dir, file)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	annals(t, "fmt", dir)
	before := folderFiles(t, dir)

	all := filepath.Join(work, "all.jsonl")
	annals(t, "convert", dir, "--to", "jsonl", "-o", all)
	annals(t, "convert", all, "--to", "yaml", "-o", dir)
	if after := folderFiles(t, dir); !maps.Equal(before, after) {
		t.Fatalf("unedited, the folder changed: files %v, were %v", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
	}

	// Edit: drop some statements (nothing refers to them), change some
	// summaries and titles, add actors and sources, shuffle.
	var edited []map[string]any
	gone := map[string]bool{}
	for _, p := range placed {
		switch typ := p.rec["type"]; {
		case typ == "statement" && r.IntN(6) == 0:
			gone[p.key] = true
			continue
		case typ == "statement" && r.IntN(4) == 0:
			p.rec["summary"] = "Edited in the workbook."
		case typ == "event" && r.IntN(4) == 0:
			p.rec["title"] = "An edited title"
		}
		edited = append(edited, p.rec)
	}
	var added []*placedRecord
	for i := range 3 {
		added = append(added, &placedRecord{key: fmt.Sprintf("actor new-actor-%d", i), rec: map[string]any{
			"type": "actor", "id": fmt.Sprintf("new-actor-%d", i), "name": []string{"Zoe Newcomb", "Oskar Lindqvist", "Priya Raman"}[i], "kind": "person"}})
		added = append(added, &placedRecord{key: fmt.Sprintf("source new-source-%d", i), rec: map[string]any{
			"type": "source", "id": fmt.Sprintf("new-source-%d", i), "published": "2022-01-1" + fmt.Sprint(i)}})
	}
	for _, p := range added {
		edited = append(edited, p.rec)
	}
	r.Shuffle(len(edited), func(i, j int) { edited[i], edited[j] = edited[j], edited[i] })
	// New records follow the old ones of their file, in the order given.
	slices.SortFunc(added, func(a, b *placedRecord) int {
		return slices.IndexFunc(edited, func(m map[string]any) bool { return m["id"] == a.rec["id"] }) -
			slices.IndexFunc(edited, func(m map[string]any) bool { return m["id"] == b.rec["id"] })
	})
	var jsonl bytes.Buffer
	for _, rec := range edited {
		b, _ := json.Marshal(rec)
		jsonl.Write(append(b, '\n'))
	}
	editedPath := filepath.Join(work, "edited.jsonl")
	if err := os.WriteFile(editedPath, jsonl.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Where the new records go: the actors to actors.yaml; the sources,
	// with no sources.yaml, to the file that holds most sources (the
	// first so in the order annals reads the folder).
	inputs, err := dataset.Expand([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, p := range placed {
		if p.rec["type"] == "source" {
			count[p.file]++
		}
	}
	sourceHome, most := "", 0
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		if count[rel] > most {
			sourceHome, most = rel, count[rel]
		}
	}
	for _, p := range added {
		p.file = map[string]string{"actor": "actors.yaml", "source": sourceHome}[p.rec["type"].(string)]
	}

	annals(t, "convert", editedPath, "--to", "yaml", "-o", dir)
	want := map[string][]*placedRecord{}
	for _, p := range append(slices.Clone(placed), added...) {
		if !gone[p.key] {
			want[p.file] = append(want[p.file], p)
		}
	}
	if got := slices.Sorted(maps.Keys(folderFiles(t, dir))); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("the folder holds %v, want %v", got, slices.Sorted(maps.Keys(want)))
	}
	for file, recs := range want {
		got := readRecords(t, filepath.Join(dir, file))
		if len(got) != len(recs) {
			t.Errorf("%s holds %d records, want %d", file, len(got), len(recs))
			continue
		}
		for i, p := range recs {
			g, _ := json.Marshal(got[i])
			w, _ := json.Marshal(p.rec)
			if !bytes.Equal(g, w) {
				t.Errorf("%s, record %d:\n got %s\nwant %s", file, i+1, g, w)
			}
		}
	}
	annals(t, "validate", dir)
}

// annals runs the command and fails the test unless it exits 0.
func annals(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("annals %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// folderFiles is every file of the folder, by its path in it.
func folderFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// readRecords is the records of a YAML file, in order. (annals would
// check them first, and a file of the folder alone has references to the
// others.)
func readRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := yaml.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}
