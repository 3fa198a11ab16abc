package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/annals-project/annals/internal/english"
)

// Why Commit refuses to replace a user's file (see Replace), or to write a
// new one (see CreateNew). The file is left as it is.
var (
	ErrReadOnly = errors.New("it is read-only")
	ErrChanged  = errors.New("it changed since it was read")
	ErrExists   = errors.New("a file of that name was made meanwhile")
)

// CreateNew is Create for a file that must not exist: Commit refuses
// (ErrExists), leaving it as it is, one made meanwhile.
func CreateNew(target string) (*File, error) {
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", target, ErrExists)
	}
	f, err := Create(target)
	if err != nil {
		return nil, err
	}
	f.fresh = true
	return f, nil
}

// HardLinksError says that a file has other hard links, which replacing
// it would split (see Replace).
type HardLinksError struct{ Links int }

func (e *HardLinksError) Error() string { return fmt.Sprintf("it has %d hard links", e.Links) }

// OwnerError says that a file's owner and group could not be kept (see
// Replace): annals does not run as a user that may give files away.
type OwnerError struct{ Err error }

func (e *OwnerError) Error() string {
	return fmt.Sprintf("its owner and group cannot be kept: %v", e.Err)
}
func (e *OwnerError) Unwrap() error { return e.Err }

// Replace is Create for a user's file that was read to write a new form
// of it (fmt's canonical form, records brought back into it): read is
// what os.Stat said of it before it was read. A symbolic link is followed,
// so that the link stays a link (the caller has checked where it leads).
// Commit gives the new file the old one's permissions, owner and group,
// and refuses, leaving the file as it is, one that is read-only
// (ErrReadOnly), that has other hard links (*HardLinksError), whose owner
// and group cannot be kept (*OwnerError), or that changed since it was
// read (ErrChanged: an edit saved meanwhile would be lost).
func Replace(path string, read os.FileInfo) (*File, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	if !read.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := Create(target)
	if err != nil {
		return nil, err
	}
	if f.direct { // not the file read: replaced meanwhile by a device
		f.Abort()
		return nil, ErrChanged
	}
	f.read = read
	return f, nil
}

// check is what Commit does before it renames a file made by Replace or
// CreateNew: the checks, and for Replace the old file's permissions,
// owner and group given to the new one.
func (f *File) check() error {
	if f.fresh {
		if _, err := os.Lstat(f.target); !errors.Is(err, fs.ErrNotExist) {
			return ErrExists
		}
		return nil
	}
	if f.read == nil {
		return nil
	}
	read := f.read
	if read.Mode().Perm()&0o200 == 0 {
		return ErrReadOnly
	}
	o, ok := fileOwner(read)
	if ok && o.links > 1 {
		return &HardLinksError{Links: o.links}
	}
	if err := os.Chmod(f.Name(), read.Mode().Perm()); err != nil {
		return err
	}
	if ok && (o.uid != os.Geteuid() || o.gid != os.Getegid()) {
		if err := os.Chown(f.Name(), o.uid, o.gid); err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return &OwnerError{Err: err}
		}
	}
	// Checked last, once the new form is on disk, as late as can be.
	now, err := os.Stat(f.target)
	if err != nil {
		return err
	}
	nowOwner, _ := fileOwner(now)
	if !os.SameFile(now, read) || now.Size() != read.Size() || !now.ModTime().Equal(read.ModTime()) || nowOwner.changed != o.changed {
		return ErrChanged
	}
	return nil
}

// put moves the temporary file to the target. A new file (CreateNew) is
// linked there, which fails rather than replace a file made in the
// meantime, and its temporary name then removed; where the file system
// has no hard links, the check before the rename is all there is.
func (f *File) put() error {
	if f.fresh {
		err := os.Link(f.Name(), f.target)
		if err == nil {
			os.Remove(f.Name())
			return nil
		}
		if errors.Is(err, fs.ErrExist) {
			return ErrExists
		}
	}
	return os.Rename(f.Name(), f.target)
}

// PartialCommitError says that CommitAll renamed some files into place
// and then failed: a rename cannot be taken back.
type PartialCommitError struct {
	Committed []string // the targets replaced, in order
	Left      []string // the targets left as they were
	Err       error
}

func (e *PartialCommitError) Error() string {
	written := "no file was written"
	switch n := len(e.Committed); {
	case n == 1:
		written = "1 file was written before that: " + listed(e.Committed)
	case n > 1:
		written = fmt.Sprintf("%d files were written before that: %s", n, listed(e.Committed))
	}
	return fmt.Sprintf("%v; %s, and %s left as %s (fix what stopped it and run the command again)",
		e.Err, written, english.Count(len(e.Left), "file"), map[bool]string{true: "it was", false: "they were"}[len(e.Left) == 1])
}

func (e *PartialCommitError) Unwrap() error { return e.Err }

func listed(paths []string) string {
	const most = 5
	if len(paths) <= most {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:most], ", "), len(paths)-most)
}

// CommitAll commits files as one output: every file is flushed to disk,
// then every one passes Commit's checks (as late as can be: just before
// the renames), and only then are they renamed, while Stop waits, so that
// an interrupt finds either none or all of them in place. A file that
// fails its checks leaves every target as it was; its error names its
// target. Should a rename itself fail, the files renamed before it stay
// (a *PartialCommitError names them) and the temporary files of the
// others are removed.
func CommitAll(files []*File) error {
	err := func() error {
		for _, f := range files {
			if f.done {
				return errors.New("atomicfile: already committed or aborted")
			}
		}
		for _, f := range files {
			if f.direct {
				continue // written as it went, as a shell's redirection is
			}
			if err := f.Sync(); err != nil {
				return fmt.Errorf("%s: %w", f.target, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("%s: %w", f.target, err)
			}
		}
		for _, f := range files {
			if err := f.check(); err != nil {
				return fmt.Errorf("%s: %w", f.target, err)
			}
		}
		return nil
	}()
	if err != nil {
		for _, f := range files {
			f.Abort()
		}
		return err
	}
	temporaries.Lock()
	defer temporaries.Unlock()
	var committed []string
	for i, f := range files {
		f.done = true
		if f.direct {
			f.Close()
			committed = append(committed, f.target)
			continue
		}
		delete(temporaries.paths, f.Name())
		if rerr := f.put(); rerr != nil {
			os.Remove(f.Name())
			left := []string{f.target}
			for _, g := range files[i+1:] {
				g.done = true
				if !g.direct {
					delete(temporaries.paths, g.Name())
					os.Remove(g.Name())
				}
				left = append(left, g.target)
			}
			var le *os.LinkError
			if errors.As(rerr, &le) {
				rerr = le.Err
			}
			return &PartialCommitError{Committed: committed, Left: left, Err: fmt.Errorf("%s: %w", f.target, rerr)}
		}
		committed = append(committed, f.target)
	}
	return nil
}
