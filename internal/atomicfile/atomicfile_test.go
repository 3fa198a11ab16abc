package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func entries(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestFileCommitReplacesAndAbortKeeps(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub", "out.txt")
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("first")
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("target exists before Commit")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // a deferred Abort after Commit does nothing
	if read(t, target) != "first" {
		t.Fatal("commit did not write the target")
	}
	info, _ := os.Stat(target)
	if info.Mode().Perm()&0o044 == 0 {
		t.Errorf("mode %v: expected the usual umask-reduced 0666, not 0600", info.Mode())
	}
	g, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	g.WriteString("second, but it fails half way")
	g.Abort()
	if read(t, target) != "first" {
		t.Fatal("abort changed the older output")
	}
	if got := entries(t, filepath.Join(dir, "sub")); got != "out.txt" {
		t.Errorf("left behind: %s", got)
	}
}

func TestCreateRefusesDirectory(t *testing.T) {
	if _, err := Create(t.TempDir()); err == nil {
		t.Fatal("Create accepted a directory as target")
	}
}

func owned(name string) bool { return strings.HasSuffix(name, ".csv") }

func TestDirCommitReplacesOlderExport(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "csv")
	for i, content := range []string{"old", "new"} {
		d, err := CreateDir(target, owned)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d.Path, "a.csv"), []byte(content), 0o644)
		if i == 0 {
			os.WriteFile(filepath.Join(d.Path, "gone.csv"), []byte("x"), 0o644)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if read(t, filepath.Join(target, "a.csv")) != "new" || entries(t, target) != "a.csv" {
		t.Errorf("target holds %s", entries(t, target))
	}
	if got := entries(t, parent); got != "csv" {
		t.Errorf("left behind in parent: %s", got)
	}
}

func TestDirAbortKeepsOlderExport(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "csv")
	os.Mkdir(target, 0o755)
	os.WriteFile(filepath.Join(target, "a.csv"), []byte("old"), 0o644)
	d, err := CreateDir(target, owned)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Path, "a.csv"), []byte("half"), 0o644)
	d.Abort()
	if read(t, filepath.Join(target, "a.csv")) != "old" || entries(t, parent) != "csv" {
		t.Error("abort did not keep the older export or left files behind")
	}
}

func TestDirRefusesForeignFiles(t *testing.T) {
	target := t.TempDir()
	os.WriteFile(filepath.Join(target, "thesis.docx"), []byte("precious"), 0o644)
	if _, err := CreateDir(target, owned); err == nil || !strings.Contains(err.Error(), "thesis.docx") {
		t.Fatalf("CreateDir over foreign files: %v", err)
	}
	if read(t, filepath.Join(target, "thesis.docx")) != "precious" {
		t.Fatal("foreign file touched")
	}
}

// Stop, as a signal handler calls it, removes what is being written and
// leaves the targets as they were.
func TestStop(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.json")
	if err := os.WriteFile(target, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half of the new")
	d, err := CreateDir(filepath.Join(dir, "csv"), func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.Path, "events.csv"), []byte("id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	done, err := Create(filepath.Join(dir, "done.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := done.Commit(); err != nil {
		t.Fatal(err)
	}

	// Stop, without keeping the lock for good, which would stop the
	// other tests.
	temporaries.Lock()
	n := removeTemporaries()
	temporaries.Unlock()
	if n != 2 {
		t.Errorf("Stop removed %d, want 2", n)
	}
	if got := entries(t, dir); got != "done.json out.json" {
		t.Errorf("left %s, want the targets only", got)
	}
	if got := read(t, target); got != "previous" {
		t.Errorf("target holds %q", got)
	}
	f.Abort() // after Stop, harmless
	d.Abort()
}

// TestCommitIf: an error from the check leaves the target as it was, and
// no temporary file.
func TestCommitIf(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.txt")
	os.WriteFile(target, []byte("before"), 0o644)
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("after")
	refused := errors.New("changed meanwhile")
	if err := f.CommitIf(func() error { return refused }); err != refused {
		t.Fatalf("CommitIf = %v", err)
	}
	if s := read(t, target); s != "before" {
		t.Errorf("the target holds %q", s)
	}
	if e := entries(t, dir); e != "out.txt" {
		t.Errorf("left in the folder: %s", e)
	}
}

// TestSpool checks that a spool is written and read back, and has no
// name in the temporary folder while it is open (where the system allows),
// nor after CloseSpool.
func TestSpool(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f, err := Spool("annals-test-*.rows")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("rows"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); runtime.GOOS != "windows" && len(entries) != 0 {
		t.Errorf("an open spool has a name: %v", entries)
	}
	b := make([]byte, 4)
	if _, err := f.ReadAt(b, 0); err != nil || string(b) != "rows" {
		t.Errorf("read back %q, %v", b, err)
	}
	if err := CloseSpool(f); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("a closed spool left %v", entries)
	}
}
