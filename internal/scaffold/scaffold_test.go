package scaffold

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/schema"
)

// TestManifestQuoting: a title or name with quotes, colons, a hash or a
// line break comes back from the manifest as given (on one line).
func TestManifestQuoting(t *testing.T) {
	dir := t.TempDir()
	title := "Coverage: \"the ferry\" #1\nand more"
	curator := "Ida O'Berg: \\ curator"
	if err := Create(dir, Options{Title: title, Curator: curator, BaseIRI: "https://example.org/x/"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "annals.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Title    string
		Curators []struct{ Name string }
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Title != "Coverage: \"the ferry\" #1 and more" || len(m.Curators) != 1 || m.Curators[0].Name != curator {
		t.Errorf("title %q, curators %+v", m.Title, m.Curators)
	}
}

// TestCreateNeedsTitleAndCurator writes nothing without them.
func TestCreateNeedsTitleAndCurator(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []Options{{Curator: "C"}, {Title: "T", Curator: " "}} {
		if err := Create(dir, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries written", len(entries))
	}
	var exists *ExistsError
	if err := Create(dir, Options{Title: "T", Curator: "C"}); err != nil {
		t.Fatal(err)
	}
	if err := Create(dir, Options{Title: "T", Curator: "C"}); !errors.As(err, &exists) || len(exists.Paths) != len(Files()) {
		t.Errorf("second Create: %v", err)
	}
}

// The example extension init writes is one annals takes: uncommenting the
// manifest's lines gives a dataset with the study's own fields.
func TestExampleExtensionCompiles(t *testing.T) {
	data, err := fs.ReadFile(files, "files/codebook/statement.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := schema.Extend(map[string]schema.Extension{schema.Statement: {File: "codebook/statement.schema.json", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(v.Fields(schema.Statement)); n < 4 {
		t.Errorf("%d statement fields", n)
	}
	if !strings.Contains(string(manifest(Options{Title: "T", Curator: "C"})), "#   statement: codebook/statement.schema.json\n") {
		t.Error("the manifest does not hold the commented-out extensions lines")
	}
}

// tree lists every path under dir, with "/" after folders.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A bad option is refused, naming the flag, before anything is written.
func TestCreateChecksTheManifestFirst(t *testing.T) {
	for _, c := range []struct {
		opts   Options
		option string
	}{
		{Options{Title: "T", Curator: "C", BaseIRI: "not an iri"}, "--base-iri"},
		{Options{Title: "T", Curator: "C", BaseIRI: "https://example.org/x"}, "--base-iri"},
		{Options{Title: "T", Curator: "C", License: " "}, "--license"},
	} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "new")
		err := Create(dir, c.opts)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option || oe.Message == "" {
			t.Errorf("%+v: %v, want an error about %s", c.opts, err, c.option)
		}
		if got := tree(t, parent); len(got) != 1 {
			t.Errorf("%+v: wrote %q", c.opts, got)
		}
	}
}

// A failure halfway leaves the folder as it was: no file and no folder
// that Create made, and not the dataset's folder either when Create made
// it.
func TestCreateCleansUpOnFailure(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "ds")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// .vscode is a file, so .vscode/settings.json cannot be written, after
	// .annals/ and .github/ have been.
	if err := os.WriteFile(filepath.Join(dir, ".vscode"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, parent)
	if err := Create(dir, Options{Title: "T", Curator: "C"}); err == nil {
		t.Fatal("no error")
	}
	if after := tree(t, parent); !slices.Equal(before, after) {
		t.Errorf("left %q, want %q", after, before)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".vscode")); string(b) != "mine" {
		t.Errorf(".vscode holds %q", b)
	}

	// A failure at the last file, in a folder Create makes with the one
	// above it: the folders it made go too, the dataset's with them.
	dir = filepath.Join(parent, "new", "ds")
	last := Files()[len(Files())-1]
	if err := create(dir, Options{Title: "T", Curator: "C"}, &writer{failAt: last}); err == nil {
		t.Fatal("no error")
	}
	if after := tree(t, parent); !slices.Equal(before, after) {
		t.Errorf("left %q, want %q", after, before)
	}
}

// A folder on the way that is a symbolic link is refused: annals init
// writes only inside the dataset's folder.
func TestCreateRefusesSymlinkedFolders(t *testing.T) {
	parent := t.TempDir()
	elsewhere := filepath.Join(parent, "elsewhere")
	dir := filepath.Join(parent, "ds")
	for _, d := range []string{elsewhere, dir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "records")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	before := tree(t, parent)
	err := Create(dir, Options{Title: "T", Curator: "C"})
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("err = %v", err)
	}
	if after := tree(t, parent); !slices.Equal(before, after) {
		t.Errorf("left %q, want %q", after, before)
	}
}

// The dataset has editor schemas for its records and manifest, and
// settings that map its files to them.
func TestCreateWritesEditorSettings(t *testing.T) {
	dir := t.TempDir()
	if err := Create(dir, Options{Title: "T", Curator: "C", Pin: Pin{Module: "v1.2.0", Rev: "v1.2.0"}}); err != nil {
		t.Fatal(err)
	}
	v, _ := schema.Default()
	for path, typ := range map[string]string{".annals/records.schema.json": "", ".annals/manifest.schema.json": schema.Manifest} {
		want, _ := v.EditorSchema(typ)
		if got, err := os.ReadFile(filepath.Join(dir, path)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, or not the editor schema", path, err)
		}
	}
	var settings struct {
		Schemas map[string][]string `json:"yaml.schemas"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, ".vscode", "settings.json"))
	if err := json.Unmarshal(b, &settings); err != nil {
		t.Fatal(err)
	}
	for path := range settings.Schemas {
		if _, err := os.Stat(filepath.Join(dir, path)); err != nil {
			t.Errorf("settings.json maps files to %s: %v", path, err)
		}
	}
	if !slices.Contains(settings.Schemas["./.annals/manifest.schema.json"], "annals.yaml") ||
		!slices.Contains(settings.Schemas["./.annals/records.schema.json"], "!annals.yaml") {
		t.Errorf("settings.json: %s", b)
	}
	for _, f := range []string{".github/workflows/annals.yml", ".pre-commit-config.yaml"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if !strings.Contains(string(b), "v1.2.0") || strings.Contains(string(b), "main") || strings.Contains(string(b), "{{") {
			t.Errorf("%s does not pin v1.2.0:\n%s", f, b)
		}
	}
}

// The dataset's folder and the missing ones above it are made.
func TestCreateMakesParents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "ds")
	if err := Create(dir, Options{Title: "T", Curator: "C"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "annals.yaml")); err != nil {
		t.Error(err)
	}
}
