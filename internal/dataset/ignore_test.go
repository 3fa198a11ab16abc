package dataset

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

// relPaths returns the inputs' paths relative to dir, manifests marked.
func relPaths(t *testing.T, dir string, inputs []Input) []string {
	t.Helper()
	var out []string
	for _, in := range inputs {
		rel, err := filepath.Rel(dir, in.Path)
		if err != nil {
			t.Fatal(err)
		}
		if in.Manifest {
			rel += " (manifest)"
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExpandLeavesOut checks what a walk leaves out, as git would: the
// .gitignore files from the top of the repository down (a deeper one, and
// a later line, win; "!" takes a file back), the governing manifest's
// exclude: (not a deeper manifest's), other tools' files; and that it says
// what it left out.
func TestExpandLeavesOut(t *testing.T) {
	repo := t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, ".gitignore"), "# made again from the records\nout/\n*.tmp.yaml\n")
	ds := filepath.Join(repo, "ds")
	write(t, filepath.Join(ds, "annals.yaml"), "title: t\nexclude:\n  - drafts/\n  - \"*.bak.json\"\n")
	for _, f := range []string{"a.yaml", "b.tmp.yaml", "c.bak.json", "environment.yml", "out/x.json", "drafts/d.yaml",
		"keep/k.tmp.yaml", "keep/k.yaml", "node_modules/m.json", "sub/s.yaml", "sub/t.yaml"} {
		write(t, filepath.Join(ds, f), "[]")
	}
	write(t, filepath.Join(ds, "keep", ".gitignore"), "!k.tmp.yaml\n")
	write(t, filepath.Join(ds, "sub", "annals.yaml"), "title: s\nexclude: [t.yaml]\n")

	inputs, left, err := ExpandAll([]string{ds}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := relPaths(t, ds, inputs)
	// sub/annals.yaml is a second manifest: the checker reports it, and
	// its exclude: is not applied.
	want := []string{"a.yaml", "annals.yaml (manifest)", "keep/k.tmp.yaml", "keep/k.yaml", "sub/annals.yaml (manifest)", "sub/s.yaml", "sub/t.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	var said []string
	for _, l := range left {
		rel, _ := filepath.Rel(ds, strings.TrimSuffix(l.Path, string(filepath.Separator)))
		said = append(said, filepath.ToSlash(rel)+": "+l.Why)
	}
	wantSaid := []string{"b.tmp.yaml: .gitignore", "c.bak.json: exclude: in annals.yaml", "drafts: exclude: in annals.yaml",
		"environment.yml: another tool's file", "node_modules: another tool's folder", "out: .gitignore"}
	if !slices.Equal(said, wantSaid) {
		t.Errorf("left out %q, want %q", said, wantSaid)
	}

	// A file named is read whatever the patterns say, with its manifest.
	inputs, _, err = ExpandAll([]string{filepath.Join(ds, "b.tmp.yaml")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, ds, inputs); !slices.Equal(got, []string{"annals.yaml (manifest)", "b.tmp.yaml"}) {
		t.Errorf("named file: read %q", got)
	}
}

// TestFindManifestStopsAtRepository checks that the search for the
// governing manifest stops at the top of the git repository: a manifest
// above it governs another project, or none.
func TestFindManifestStopsAtRepository(t *testing.T) {
	outer := t.TempDir()
	write(t, filepath.Join(outer, "annals.yaml"), "title: outer\n")
	repo := filepath.Join(outer, "repo")
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, "records", "a.yaml"), "[]")
	if m, _ := findManifest(filepath.Join(repo, "records")); m != "" {
		t.Errorf("found %s above the repository", m)
	}
	write(t, filepath.Join(repo, "annals.yaml"), "title: repo\n")
	if m, _ := findManifest(filepath.Join(repo, "records")); m != filepath.Join(repo, "annals.yaml") {
		t.Errorf("found %q, want the repository's", m)
	}
}

// TestExpandHostileIgnores: a .gitignore that is a named pipe is not
// waited on, one far over the size read is read in part, and a folder
// named annals.yaml is no manifest.
func TestExpandHostileIgnores(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "[]")
	testkit.Fifo(t, filepath.Join(dir, ".gitignore"))
	if err := os.MkdirAll(filepath.Join(dir, "sub", "annals.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "sub", ".gitignore"), strings.Repeat("#", 2*maxGitignore)+"\na.yaml\n")
	write(t, filepath.Join(dir, "sub", "a.yaml"), "[]")
	inputs, _, err := ExpandAll([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, inputs); !slices.Equal(got, []string{"a.yaml", "sub/a.yaml"}) {
		t.Errorf("read %q", got)
	}
}
