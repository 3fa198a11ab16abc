//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCommitAll: files committed together are all put in place, or, when
// one fails its checks (here, changed since it was read), none is; a
// rename that fails part-way says which files were written, and leaves no
// temporary file.
func TestCommitAll(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
		return p
	}
	start := func(paths ...string) []*File {
		var files []*File
		for _, p := range paths {
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Replace(p, info)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("new " + filepath.Base(p))
			files = append(files, f)
		}
		return files
	}
	a, b := write("a.yaml", "old a"), write("b.yaml", "old b")

	files := start(a, b)
	write("b.yaml", "edited meanwhile")
	if err := CommitAll(files); !errors.Is(err, ErrChanged) {
		t.Errorf("b changed meanwhile: %v, want ErrChanged", err)
	}
	if read(t, a) != "old a" || read(t, b) != "edited meanwhile" {
		t.Errorf("after a refused commit: a %q, b %q", read(t, a), read(t, b))
	}

	files = start(a, b)
	if err := CommitAll(files); err != nil {
		t.Fatal(err)
	}
	if read(t, a) != "new a.yaml" || read(t, b) != "new b.yaml" {
		t.Errorf("after the commit: a %q, b %q", read(t, a), read(t, b))
	}
	if info, _ := os.Stat(a); info.Mode().Perm() != 0o640 {
		t.Errorf("a's mode is %v, want 0640", info.Mode().Perm())
	}

	// c's target becomes a folder once c is written: its rename fails,
	// after a's.
	c := filepath.Join(dir, "c.yaml")
	fa, err := Create(a)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := Create(c)
	if err != nil {
		t.Fatal(err)
	}
	fa.WriteString("newer a")
	if err := os.MkdirAll(filepath.Join(c, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	fd, err := Create(filepath.Join(dir, "d.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	err = CommitAll([]*File{fa, fc, fd})
	var partial *PartialCommitError
	if !errors.As(err, &partial) || len(partial.Committed) != 1 || partial.Committed[0] != a || len(partial.Left) != 2 {
		t.Fatalf("a rename failing part-way: %v (%+v)", err, partial)
	}
	if read(t, a) != "newer a" {
		t.Errorf("a, renamed before the failure: %q", read(t, a))
	}
	if got := entries(t, dir); got != "a.yaml b.yaml c.yaml" {
		t.Errorf("the folder holds %s", got)
	}
}

// TestCreateNewRefusesAFileMadeMeanwhile: a new file's name taken while
// it was written (a colleague saved one there) is left as it is.
func TestCreateNewRefusesAFileMadeMeanwhile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "actors.yaml")
	f, err := CreateNew(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ours")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CommitAll([]*File{f}); !errors.Is(err, ErrExists) {
		t.Errorf("a file made meanwhile: %v, want ErrExists", err)
	}
	if read(t, target) != "theirs" {
		t.Errorf("the file made meanwhile holds %q", read(t, target))
	}
	if got := entries(t, dir); got != "actors.yaml" {
		t.Errorf("the folder holds %s", got)
	}
	if _, err := CreateNew(target); !errors.Is(err, ErrExists) {
		t.Errorf("CreateNew over a file: %v, want ErrExists", err)
	}
}
