package dataset

// Tests for bugs an independent review found in the folder walks and in the search for
// the governing manifest. Each fails on the code as reviewed.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/schema"
)

// datasetRepo makes a git repository (a .git folder is what gitRoot looks
// for) with a dataset folder ds holding records/a.yaml, and returns ds.
func datasetRepo(t *testing.T) (repo, ds string) {
	t.Helper()
	repo = t.TempDir()
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	ds = filepath.Join(repo, "ds")
	write(t, filepath.Join(ds, "records", "a.yaml"), "[]")
	return repo, ds
}

// A manifest found above a named folder (or file) is read without the
// guard a walk applies: a walk refuses a link out of the folder, since a
// stranger's dataset could link a record file to a file of secrets and the
// findings quote the values they find wrong. Found upward, annals.yaml ->
// ../../secret.yaml is read, and validate prints the secret's values
// ("version: \"hunter2\" is not a valid version"); annals fmt even rewrites
// the file it leads to. Expected: the same refusal as in a walk.
func TestUpwardManifestLinkOut(t *testing.T) {
	repo, ds := datasetRepo(t)
	outside := filepath.Join(filepath.Dir(repo), filepath.Base(repo)+"-secret.yaml")
	write(t, outside, "version: hunter2\n")
	t.Cleanup(func() { os.Remove(outside) })
	if err := os.Symlink(outside, filepath.Join(ds, "annals.yaml")); err != nil {
		t.Fatal(err)
	}
	// The walk of ds refuses it...
	if _, _, err := ExpandAll([]string{ds}, ""); err == nil || !strings.Contains(err.Error(), "symbolic link out of") {
		t.Errorf("walk of ds: err = %v, want a link out of the folder refused", err)
	}
	// ...but naming a subfolder or a file reads it.
	for _, p := range []string{filepath.Join(ds, "records"), filepath.Join(ds, "records", "a.yaml")} {
		inputs, _, err := ExpandAll([]string{p}, "")
		if err == nil {
			t.Errorf("ExpandAll(%s) read the manifest that links out of the dataset: %v", p, relPaths(t, repo, inputs))
		}
	}
}

// The manifest that governs a walked folder is left out when .gitignore
// (or its own exclude:) matches it; the summary then names it "left out,
// as not records", and the dataset is checked without its archive folder
// and checks (while its exclude: still applies). Expected: the governing
// manifest is read, as the folder's .git is not a record either.
func TestGitignoredManifest(t *testing.T) {
	repo, ds := datasetRepo(t)
	write(t, filepath.Join(ds, "annals.yaml"), "title: t\nexclude: [annals.yaml]\n")
	write(t, filepath.Join(repo, ".gitignore"), "annals.y*ml\n")
	inputs, left, err := ExpandAll([]string{ds}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(inputs, func(in Input) bool { return in.Manifest }) {
		t.Errorf("the governing manifest is not read: inputs %v, left out %v", relPaths(t, repo, inputs), left)
	}
}

// Naming a folder that .gitignore ignores reads nothing in it: go-git's
// matcher matches a pattern without a slash against every part of the
// path, the named folder's too, so `annals validate build/records` (with
// "build" in .gitignore) leaves out every file and passes. ripgrep, which
// the design cites, reads inside a folder it is given. Expected: a folder
// named on the command line is read, as a named file is.
func TestNamedIgnoredFolder(t *testing.T) {
	repo, ds := datasetRepo(t)
	write(t, filepath.Join(repo, ".gitignore"), "records\n")
	inputs, left, err := ExpandAll([]string{filepath.Join(ds, "records")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(inputs, func(in Input) bool { return filepath.Base(in.Path) == "a.yaml" }) {
		t.Errorf("named folder not read: inputs %v, left out %v", relPaths(t, repo, inputs), left)
	}
}

// A character class [!...] negates in .gitignore (git's wildmatch), but
// go-git hands it to filepath.Match, where "!" is a literal: with
// "draft-[!0-9]*.yaml", git ignores draft-a.yaml and tracks draft-1.yaml;
// the walk does the opposite, leaves out a record file git tracks and says
// ".gitignore" of it. (Checked with git check-ignore.)
func TestGitignoreBangClass(t *testing.T) {
	repo, ds := datasetRepo(t)
	write(t, filepath.Join(ds, ".gitignore"), "draft-[!0-9]*.yaml\n")
	write(t, filepath.Join(ds, "draft-1.yaml"), "[]")
	write(t, filepath.Join(ds, "draft-a.yaml"), "[]")
	inputs, left, err := ExpandAll([]string{ds}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := relPaths(t, repo, inputs)
	if !slices.Contains(got, "ds/draft-1.yaml") || slices.Contains(got, "ds/draft-a.yaml") {
		t.Errorf("inputs %v, left out %v; git reads draft-1.yaml and ignores draft-a.yaml", got, left)
	}
}

// Walking the dataset's top with a second manifest in a folder whose name
// sorts before "annals.yaml" (a/, actors/, any capital or digit) makes
// that one the first manifest: the checker takes the first for the
// dataset's manifest (base IRI of the JSON-LD ids, the manifest exports
// carry, the archive folder), and every manifest's checks: for the whole
// dataset. Expected: the top's manifest comes first (the one that governs
// the folder named).
func TestNestedManifestOrder(t *testing.T) {
	repo, ds := datasetRepo(t)
	write(t, filepath.Join(ds, "annals.yaml"), "title: top\n")
	write(t, filepath.Join(ds, "a", "annals.yaml"), "title: nested\n")
	inputs, _, err := ExpandAll([]string{ds}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Check reads the manifests first, the one nearest the top first.
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Read(check.New(v), inputs, nil, Options{Validator: v, NoDigest: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Manifest["title"] != "top" {
		t.Errorf("the dataset's manifest is %v, want the top's; inputs %v", sum.Manifest, relPaths(t, repo, inputs))
	}
}

// Records piped in are governed by the current folder's manifest; named or
// walked too, in any order and spelling, it is one input and not a
// governing one (fmt formats it; validate does not call it a second
// manifest).
func TestStdinManifestNamedToo(t *testing.T) {
	_, ds := datasetRepo(t)
	write(t, filepath.Join(ds, "annals.yaml"), "title: T\n")
	t.Chdir(ds)
	for _, args := range [][]string{{Stdin}, {Stdin, "annals.yaml"}, {"annals.yaml", Stdin}, {Stdin, "./annals.yaml"}, {Stdin, "."}, {Stdin, ds}} {
		inputs, err := Expand(args, "json")
		if err != nil {
			t.Fatal(err)
		}
		var manifests []Input
		for _, in := range inputs {
			if in.Manifest {
				manifests = append(manifests, in)
			}
		}
		named := len(args) > 1
		if len(manifests) != 1 || manifests[0].Governing == named {
			t.Errorf("Expand(%q): manifests %+v, want one, governing %v", args, manifests, !named)
		}
	}
}
