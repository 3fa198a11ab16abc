package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/dataset"
)

func TestIsStdout(t *testing.T) {
	for path, want := range map[string]bool{"-": true, "/dev/stdout": true, "/dev/fd/1": true, "/proc/self/fd/1": true,
		"out.json": false, "/dev/stderr": false, "": false} {
		if got := IsStdout(path); got != want {
			t.Errorf("IsStdout(%q) = %v", path, got)
		}
	}
}

// TestRefuseOverwritingInput checks that no output is an input, however
// it is named: the file itself, a link to it, the folder holding it, or a
// link to that folder.
func TestRefuseOverwritingInput(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(data, "events.json")
	if err := os.WriteFile(in, []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(data, filepath.Join(dir, "dl")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.Symlink(in, filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	inputs := []dataset.Input{{Path: in}}
	for _, out := range []string{in, filepath.Join(dir, "link.json"), data, filepath.Join(dir, "dl"), filepath.Join(dir, "dl", "events.json")} {
		if err := RefuseOverwritingInput(out, inputs); err == nil || !strings.Contains(err.Error(), "would overwrite the input") {
			t.Errorf("-o %s: %v, want a refusal", out, err)
		}
	}
	for _, out := range []string{"-", filepath.Join(dir, "other.json"), filepath.Join(dir, "new", "x.json")} {
		if err := RefuseOverwritingInput(out, inputs); err != nil {
			t.Errorf("-o %s: %v", out, err)
		}
	}
}
