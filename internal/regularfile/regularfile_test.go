package regularfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

func TestOpenRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	testkit.Fifo(t, fifo) // opened without waiting for a writer, or the test hangs
	for _, name := range []string{fifo, dir, os.DevNull} {
		if _, _, err := Open(name); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Open(%s) = %v, want ErrNotRegular", name, err)
		}
	}
	if _, err := ReadFile(fifo, 10); err == nil || err.Error() != fifo+" is not a regular file" {
		t.Errorf("ReadFile(fifo) = %v", err)
	}
	if _, _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want ErrNotExist", err)
	}
}

func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(path, 10); err != nil || string(b) != "0123456789" {
		t.Errorf("ReadFile at the limit = %q, %v", b, err)
	}
	_, err := ReadFile(path, 9)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 9 || !strings.Contains(err.Error(), "larger than 9 bytes") {
		t.Errorf("ReadFile past the limit = %v", err)
	}
}

// A file that grows after it was opened is caught by what is read, not
// by its size when opened.
func TestReadAllCatchesGrowth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("small"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, info, err := Open(path)
	if err != nil || info.Size() != 5 {
		t.Fatal(info, err)
	}
	defer f.Close()
	if err := os.WriteFile(path, []byte("much larger now"), 0o644); err != nil {
		t.Fatal(err)
	}
	var tl *TooLargeError
	if _, err := ReadAll(f, 10); !errors.As(err, &tl) {
		t.Errorf("ReadAll of a grown file = %v, want *TooLargeError", err)
	}
}
