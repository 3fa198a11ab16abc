// Package atomicfile writes output files and directories so that a failed
// or killed run leaves no partial output and an older output intact: data
// goes to a temporary name beside the target and is renamed over it only
// when complete.
//
// A process killed outright (SIGKILL, a power cut) leaves its temporary
// file behind, hidden (.NAME.tmp-…) beside the target. One that can still
// run code on its way out, on an interrupt, calls [Stop].
//
// A target that is not a regular file (a device such as /dev/null, a
// named pipe) is written directly, as a shell's redirection would:
// renaming over it would replace the device with a file. A symbolic link
// is not followed by Create: it is replaced by the file, so that a link
// someone else put where the output goes cannot make annals (run as root,
// say) write anywhere else. Replace, for a user's own file that annals
// read and checked, follows it. (The commands write to standard output when -o
// names /dev/stdout, rather than open it.)
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// temporaries are the temporary files and directories not yet committed
// or aborted. Its lock is held while one is created or renamed into place,
// so that Stop sees each either before or after.
var temporaries = struct {
	sync.Mutex
	paths map[string]bool
}{paths: map[string]bool{}}

// Stop removes every temporary file and directory that this process
// created and has not committed or aborted, and returns how many; the
// targets stay as they were. Creating and committing then wait forever.
// It is for a signal handler, just before the process exits.
func Stop() int {
	temporaries.Lock() // for good
	return removeTemporaries()
}

// removeTemporaries is Stop, with the lock held by the caller. A
// directory may still be written into, by path, while it is removed: it is
// renamed first, so that no new file can appear in it.
func removeTemporaries() int {
	n := len(temporaries.paths)
	for path := range temporaries.paths {
		gone := path + ".removed"
		if os.Rename(path, gone) != nil {
			gone = path
		}
		os.RemoveAll(gone)
		delete(temporaries.paths, path)
	}
	return n
}

// track calls create, which makes a temporary file or directory and
// returns its path, and records the path.
func track(create func() (string, error)) error {
	temporaries.Lock()
	defer temporaries.Unlock()
	path, err := create()
	if err == nil {
		temporaries.paths[path] = true
	}
	return err
}

// untrack forgets path, once done calls it.
func untrack(path string, done func() error) error {
	temporaries.Lock()
	defer temporaries.Unlock()
	delete(temporaries.paths, path)
	return done()
}

// File is an output file being written. Call Commit when it is complete,
// and Abort (safe after Commit, and deferrable) otherwise.
type File struct {
	*os.File
	target string
	direct bool // the target itself, not a temporary file
	done   bool
	read   os.FileInfo // for Replace: the file replaced, as it was read
	fresh  bool        // for CreateNew: the target must not exist
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
	if info, err := os.Lstat(target); err == nil {
		switch {
		case info.IsDir():
			return nil, fmt.Errorf("%s is a directory", target)
		case info.Mode()&os.ModeSymlink != 0:
			if info, err := os.Stat(target); err == nil && info.IsDir() {
				return nil, fmt.Errorf("%s is a directory", target)
			}
			// Replaced below, not followed.
		case !info.Mode().IsRegular():
			// O_NOFOLLOW: the device checked above, not a link put there
			// since.
			f, err := os.OpenFile(target, os.O_WRONLY|noFollow, 0)
			if err != nil {
				return nil, err
			}
			return &File{File: f, target: target, direct: true}, nil
		}
	}
	var f *os.File
	err := track(func() (string, error) {
		err := tempName(dir, base, func(name string) (err error) {
			// 0666 less the umask, like os.Create (os.CreateTemp would use 0600).
			f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
			return err
		})
		if err != nil {
			return "", err
		}
		return f.Name(), nil
	})
	if err != nil {
		return nil, err
	}
	return &File{File: f, target: target}, nil
}

// Temporary returns the name of the temporary file, for a writer that
// must write it by name (SQLite writes its database so); ok is false when
// the target itself is written (a device). Whatever writes it must be done
// before Commit, which flushes the file to disk and renames it.
func (f *File) Temporary() (name string, ok bool) {
	if f.direct || f.done {
		return "", false
	}
	return f.Name(), true
}

// Commit flushes the file to disk and renames it over the target (or,
// written directly, closes it).
func (f *File) Commit() error { return f.CommitIf(nil) }

// CommitIf is Commit, but first calls ok, if not nil, once the data is on
// disk and just before the rename: an error from it leaves the target as
// it is (fmt checks there that the file it read did not change meanwhile).
func (f *File) CommitIf(ok func() error) error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	if f.direct {
		return f.Close()
	}
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.check()
	}
	if err == nil && ok != nil {
		err = ok()
	}
	return untrack(f.Name(), func() error {
		if err == nil {
			err = f.put()
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	})
}

// Abort discards the file; the target is left as it was (what was written
// directly is written). It does nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	if !f.direct {
		untrack(f.Name(), func() error { return os.Remove(f.Name()) })
	}
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
	err := track(func() (string, error) {
		return tmp, tempName(parent, base, func(name string) error {
			tmp = name
			return os.Mkdir(name, 0o777)
		})
	})
	if err != nil {
		return nil, err
	}
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
	exchanged := false
	err := untrack(d.Path, func() error {
		if exchange(d.Path, d.target) == nil {
			exchanged = true
			return nil
		}
		return d.renameInPlace()
	})
	if exchanged {
		// d.Path now holds the older export.
		return os.RemoveAll(d.Path)
	}
	return err
}

// renameInPlace moves the finished directory into place in two steps,
// moving an older export aside first and removing it afterwards.
func (d *Dir) renameInPlace() error {
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
	untrack(d.Path, func() error { return os.RemoveAll(d.Path) })
}

// Scratch creates a private temporary file (os.CreateTemp in the system's
// temporary folder, mode 0600) for a writer that needs one by name, such
// as a database it builds before copying it out: Stop removes it too,
// should the process be interrupted. Remove it with RemoveScratch.
func Scratch(pattern string) (*os.File, error) {
	var f *os.File
	err := track(func() (string, error) {
		var err error
		if f, err = os.CreateTemp("", pattern); err != nil {
			return "", err
		}
		return f.Name(), nil
	})
	return f, err
}

// Spool creates a temporary file for data this process writes and then
// reads back itself (rows that wait for the end of the input): where an
// open file can lose its name (everywhere but Windows), it loses it at
// once, so that a killed process leaves nothing behind. Close it with
// CloseSpool.
func Spool(pattern string) (*os.File, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" {
		os.Remove(f.Name())
	}
	return f, nil
}

// CloseSpool closes a file Spool made, and removes it where it kept its
// name.
func CloseSpool(f *os.File) error {
	err := f.Close()
	if runtime.GOOS == "windows" {
		os.Remove(f.Name())
	}
	return err
}

// RemoveScratch removes a file Scratch made.
func RemoveScratch(name string) error {
	return untrack(name, func() error { return os.Remove(name) })
}
