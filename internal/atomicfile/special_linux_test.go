package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

// TestSpecialTargets: a named pipe and a device are written directly, not
// renamed over (as root, a rename once turned /dev/null into a file); a
// symbolic link to a file stays a link, and the file it leads to is
// replaced.
func TestSpecialTargets(t *testing.T) {
	dir := t.TempDir()
	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(dir, "pipe")
		r := testkit.FifoReader(t, fifo)
		f, err := Create(fifo)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("through the pipe")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(r); string(b) != "through the pipe" {
			t.Errorf("the reader got %q", b)
		}
		if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the pipe is now %v (%v)", info.Mode(), err)
		}
		if e := entries(t, dir); e != "pipe" {
			t.Errorf("left in the folder: %s", e)
		}
	})
	t.Run("device", func(t *testing.T) {
		null := filepath.Join(dir, "null")
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3 /* makedev(1, 3): /dev/null */); err != nil {
			t.Skipf("cannot make a device node here (not root, or no CAP_MKNOD): %v", err)
		}
		defer os.Remove(null)
		f, err := Create(null)
		if err != nil {
			t.Skipf("cannot open a device node here (a nodev mount?): %v", err)
		}
		f.WriteString("discarded")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		info, err := os.Lstat(null)
		if err != nil || info.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("the device is now %v (%v)", info.Mode(), err)
		}
		// Abort leaves it too.
		f, err = Create(null)
		if err != nil {
			t.Fatal(err)
		}
		f.Abort()
		if info, err := os.Lstat(null); err != nil || info.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("after Abort, the device is %v (%v)", info.Mode(), err)
		}
	})
	t.Run("symlink", func(t *testing.T) {
		// A link is replaced, never followed: a link someone else put
		// where the output goes cannot make annals write elsewhere.
		real := filepath.Join(dir, "real.txt")
		link := filepath.Join(dir, "link.txt")
		os.WriteFile(real, []byte("old"), 0o600)
		if err := os.Symlink("real.txt", link); err != nil {
			t.Skip(err)
		}
		f, err := Create(link)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(link); err != nil || !info.Mode().IsRegular() {
			t.Errorf("the link is now %v (%v)", info.Mode(), err)
		}
		if s := read(t, real); s != "old" {
			t.Errorf("the file the link led to holds %q", s)
		}
		if s := read(t, link); s != "new" {
			t.Errorf("the output holds %q", s)
		}
	})
}
