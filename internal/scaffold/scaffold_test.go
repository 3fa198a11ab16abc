package scaffold

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
