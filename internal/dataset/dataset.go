// Package dataset finds the record files a user names and feeds them,
// record by record, to the checker.
package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/internal/check"
)

// Stdin is the path that stands for standard input; StdinName is how
// findings name it.
const (
	Stdin     = "-"
	StdinName = "<stdin>"
)

// Input is one file to read.
type Input struct {
	Path     string
	Format   convert.Format
	Manifest bool // the dataset manifest (annals.yaml), not records
}

// ManifestNames are the file names a dataset manifest may have.
var ManifestNames = []string{"annals.yaml", "annals.yml", "annals.json"}

// PathError reports a path that cannot be used as input: one that does not
// exist, cannot be read, or has an extension annals does not read.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *PathError) Unwrap() error { return e.Err }

// Expand turns the paths a user gave into the files to read, in a stable
// order: the paths in the order given; inside a directory, every file with
// a record extension, recursively, in lexical order. Hidden files and
// directories (.git) are skipped, and so are files in a directory with
// other extensions (README.md); a file named explicitly must have a record
// extension. "-" is standard input, read as stdinFormat.
func Expand(paths []string, stdinFormat string) ([]Input, error) {
	var out []Input
	seen := map[string]bool{}
	add := func(in Input) {
		if !seen[in.Path] {
			seen[in.Path] = true
			out = append(out, in)
		}
	}
	for _, p := range paths {
		if p == Stdin {
			if stdinFormat == "" {
				return nil, &PathError{Path: p, Err: errors.New("reading standard input needs --input-format json, jsonl or yaml")}
			}
			f, err := convert.ParseFormat(stdinFormat)
			if err != nil {
				return nil, err
			}
			add(Input{Path: Stdin, Format: f})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, &PathError{Path: p, Err: describeOSError(err)}
		}
		if !info.IsDir() {
			f, err := convert.FormatOf(p)
			if err != nil {
				return nil, &PathError{Path: p, Err: err}
			}
			add(Input{Path: p, Format: f, Manifest: isManifest(p)})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return &PathError{Path: path, Err: describeOSError(err)}
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if f, err := convert.FormatOf(path); err == nil {
				add(Input{Path: path, Format: f, Manifest: isManifest(path)})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func isManifest(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	for _, n := range ManifestNames {
		if base == n {
			return true
		}
	}
	return false
}

func describeOSError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or directory")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Check reads every input, record by record, into c. stdin is read for the
// input "-". It returns an error only when an input cannot be opened or
// read; what is wrong inside the input becomes findings.
func Check(c *check.Checker, inputs []Input, stdin io.Reader) error {
	for _, in := range inputs {
		if err := checkOne(c, in, stdin); err != nil {
			return err
		}
	}
	return nil
}

func checkOne(c *check.Checker, in Input, stdin io.Reader) error {
	name := in.Path
	if name == Stdin {
		name = StdinName
	}
	c.File(name)
	var r io.Reader = stdin
	if in.Path != Stdin {
		f, err := os.Open(in.Path)
		if err != nil {
			return &PathError{Path: in.Path, Err: describeOSError(err)}
		}
		defer f.Close()
		r = f
	}
	rd := convert.NewReader(r, name, in.Format)
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		var se *convert.SyntaxError
		switch {
		case errors.As(err, &se):
			c.ReadError(name, err)
			continue
		case err != nil:
			return &PathError{Path: name, Err: describeOSError(err)}
		}
		if in.Manifest {
			c.Manifest(rec)
		} else {
			c.Record(rec)
		}
	}
}
