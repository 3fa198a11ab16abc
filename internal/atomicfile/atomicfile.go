// Package atomicfile writes output files and directories so that a failed
// or killed run leaves no partial output and an older output intact: data
// goes to a temporary name beside the target and is renamed over it only
// when complete.
//
// A process killed outright (SIGKILL, a power cut) leaves its temporary
// file behind, hidden (.NAME.tmp-…) beside the target. One that can still
// run code on its way out, on an interrupt, calls [RemoveTemporaries].
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// temporaries holds the temporary files and directories not yet committed
// or aborted.
var temporaries sync.Map // path → struct{}

// RemoveTemporaries removes every temporary file and directory that this
// process created and has not committed or aborted, and returns how many;
// the targets stay as they were. It is for a signal handler, just before
// the process exits.
func RemoveTemporaries() int {
	n := 0
	temporaries.Range(func(path, _ any) bool {
		os.RemoveAll(path.(string))
		temporaries.Delete(path)
		n++
		return true
	})
	return n
}

// File is an output file being written. Call Commit when it is complete,
// and Abort (safe after Commit, and deferrable) otherwise.
type File struct {
	*os.File
	target string
	done   bool
}

// Create starts writing target, creating its parent directories. The file
// is created with mode 0644 (less the umask), as os.Create would.
func Create(target string) (*File, error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if info, err := os.Stat(target); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a directory", target)
	}
	var f *os.File
	err := tempName(dir, base, func(name string) (err error) {
		// 0666 less the umask, like os.Create (os.CreateTemp would use 0600).
		f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		return err
	})
	if err != nil {
		return nil, err
	}
	temporaries.Store(f.Name(), struct{}{})
	return &File{File: f, target: target}, nil
}

// Commit flushes the file to disk and renames it over the target.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	defer temporaries.Delete(f.Name())
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), f.target); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// Abort discards the file; the target is left as it was. It does nothing
// after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
	temporaries.Delete(f.Name())
}

// tempName calls create with fresh hidden names beside base in dir until
// one does not exist yet.
func tempName(dir, base string, create func(name string) error) error {
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		name := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(b[:]))
		err := create(name)
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return fmt.Errorf("cannot create a temporary file beside %s", filepath.Join(dir, base))
}

// Dir is an output directory being written.
type Dir struct {
	Path   string // the temporary directory to write into
	target string
	done   bool
}

// CreateDir starts writing the directory target. An existing target is
// replaced on Commit only if every entry in it is one that owned reports as
// a file annals writes (so a previous export is replaced, but a directory
// of the user's own files is never touched).
func CreateDir(target string, owned func(name string) bool) (*Dir, error) {
	if entries, err := os.ReadDir(target); err == nil {
		for _, e := range entries {
			if e.IsDir() || !owned(e.Name()) {
				return nil, fmt.Errorf("%s already holds %s, which annals did not write; choose a new or empty directory", target, e.Name())
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	parent, base := filepath.Split(filepath.Clean(target))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	var tmp string
	err := tempName(parent, base, func(name string) error {
		tmp = name
		return os.Mkdir(name, 0o777)
	})
	if err != nil {
		return nil, err
	}
	temporaries.Store(tmp, struct{}{})
	return &Dir{Path: tmp, target: target}, nil
}

// Commit moves the finished directory into place. An older export there
// is swapped with it in one step where the system can (Linux), so that the
// target always holds one export or the other, and then removed.
// Elsewhere the older export is moved aside first and removed afterwards,
// and moved back if the final rename fails.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	d.done = true
	defer temporaries.Delete(d.Path)
	if exchange(d.Path, d.target) == nil {
		// d.Path now holds the older export.
		return os.RemoveAll(d.Path)
	}
	old := ""
	if _, err := os.Stat(d.target); err == nil {
		old = d.Path + ".old"
		if err := os.Rename(d.target, old); err != nil {
			os.RemoveAll(d.Path)
			return err
		}
	}
	if err := os.Rename(d.Path, d.target); err != nil {
		if old != "" {
			os.Rename(old, d.target)
		}
		os.RemoveAll(d.Path)
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the temporary directory; the target is left as it was.
func (d *Dir) Abort() {
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.Path)
	temporaries.Delete(d.Path)
}
