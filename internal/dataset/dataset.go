// Package dataset finds the record files a user names and feeds them,
// record by record, to the checker.
package dataset

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/progress"
	"github.com/annals-project/annals/schema"
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
	Format   record.Format
	Manifest bool   // the dataset manifest (annals.yaml), not records
	Import   Import // an exported workbook or CSV directory to read back
	// Governing marks a manifest read because it governs a path given,
	// found in a folder above it: not a file the user gave (fmt leaves it).
	Governing bool
	spool     string // for standard input read twice: the copy on disk
}

// Import says whether an input is an export of annals to read back.
type Import int

const (
	NoImport   Import = iota
	ImportXLSX        // an .xlsx workbook
	ImportCSV         // a directory with datapackage.json (or the file itself)
)

// Options are what reading needs besides the inputs.
type Options struct {
	Validator *schema.Validator
	Import    table.ImportOptions

	// NoDigest spares Read computing the SHA-256 of every input, which
	// only provenance (Summary.Inputs) needs.
	NoDigest bool

	// Each, when set, is called by Read with every record (not the
	// manifest), in input order, once the checker has added it: for a
	// command that writes the records as it checks them. prepared is what
	// Prepare returned for the record, or nil.
	Each func(rec *record.Record, prepared any)

	// Prepare, when set, is called with every record that Each will get,
	// on the goroutine that examined it. Records read from text are
	// examined on every core, so a command that writes records can do
	// there the part of its work that needs no other record, such as
	// encoding. Calls may run at once and in any order.
	Prepare func(*record.Record) any

	// Progress, when set, counts the records checked and the bytes of text
	// read, for a progress bar.
	Progress *progress.Counter
}

// Name is how findings and provenance name the input.
func (in Input) Name() string {
	if in.Path == Stdin {
		return StdinName
	}
	return in.Path
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
// other extensions (README.md), what .gitignore files and the manifest's
// exclude: leave out, and other tools' files (see ignore.go); a file named
// explicitly must have a record extension. "-" is standard input, read as
// stdinFormat.
//
// The manifest that governs each path is read too: the nearest annals.yaml
// in its folder or above, up to the top of its git repository, as git
// finds its repository and ruff its settings.
func Expand(paths []string, stdinFormat string) ([]Input, error) {
	inputs, _, err := ExpandAll(paths, stdinFormat)
	return inputs, err
}

// ExpandAll is Expand, and also returns what the walks of folders left
// out, and why, for the summary to say.
func ExpandAll(paths []string, stdinFormat string) ([]Input, []LeftOut, error) {
	var out []Input
	var left []LeftOut
	seen := map[string]bool{}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, err
	}
	// governing adds m, the manifest that governs the path p.
	governing := func(p, m string) {
		shown := m
		if !filepath.IsAbs(p) {
			if rel, err := filepath.Rel(cwd, m); err == nil {
				shown = rel
			}
		}
		if key := pathKey(shown); !seen[key] {
			seen[key] = true
			out = append(out, Input{Path: shown, Format: formatOfManifest(m), Manifest: true, Governing: true})
		}
	}
	// The files named themselves, by their real paths: a link in a folder
	// that leads to one is read by that name, not refused.
	named := map[string]bool{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			if real, err := absoluteRealPath(p); err == nil {
				named[real] = true
			}
		}
	}
	add := func(in Input) {
		if key := pathKey(in.Path); !seen[key] {
			seen[key] = true
			out = append(out, in)
		}
	}
	stdinManifest := "" // governs the records piped in; added last, unless named or walked
	for _, p := range paths {
		if p == Stdin {
			if stdinFormat == "" {
				return nil, nil, &PathError{Path: p, Err: errors.New("reading standard input needs --input-format json, jsonl or yaml")}
			}
			f, err := record.ParseFormat(stdinFormat)
			if err != nil {
				return nil, nil, err
			}
			add(Input{Path: Stdin, Format: f})
			// Records piped in (an editor checking a buffer) are the
			// current folder's: its manifest's extensions and checks:
			// govern them.
			if stdinManifest, err = findManifest(cwd); err != nil {
				return nil, nil, err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, &PathError{Path: p, Err: describeOSError(err)}
		}
		// A named pipe is read when named (mkfifo new.jsonl); a device
		// is not a file of records, and /dev/zero would never end.
		if err := notAFile(info, os.ModeDevice|os.ModeSocket); err != nil {
			return nil, nil, &PathError{Path: p, Err: err}
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, &PathError{Path: p, Err: err}
		}
		m, err := findManifest(dirOf(abs, info.IsDir()))
		if err != nil {
			return nil, nil, err
		}
		if m != "" && !isManifest(p) && !(info.IsDir() && within(m, abs)) {
			// Not one the walk of p finds itself, in its place.
			governing(p, m)
		}
		if in, ok := importInput(p, info); ok {
			add(in)
			continue
		}
		if !info.IsDir() {
			if m != "" && isExtensionSchema(m, abs) {
				// A study's schema, named by a hook that passes every
				// changed .json file: it is not records.
				left = append(left, LeftOut{Path: p, Why: "an extension schema of " + filepath.Base(m)})
				continue
			}
			f, err := record.FormatOf(p)
			if err != nil {
				return nil, nil, &PathError{Path: p, Err: err}
			}
			add(Input{Path: p, Format: f, Manifest: isManifest(p)})
			continue
		}
		realDir, err := absoluteRealPath(p)
		if err != nil {
			return nil, nil, &PathError{Path: p, Err: describeOSError(err)}
		}
		// Only the governing manifest's exclude: applies: a manifest
		// further down is a second one, which the checker reports and
		// does not apply.
		ig := &ignorer{root: split(abs)}
		if err := ig.readGitignores(abs); err != nil {
			return nil, nil, &PathError{Path: p, Err: err}
		}
		if m != "" {
			exclude, schemas := manifestExclude(m)
			ig.exclude(m, exclude)
			ig.extensionSchemas(m, schemas)
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
			if path != p && !isManifest(path) {
				rel, _ := filepath.Rel(p, path)
				at := filepath.Join(abs, rel)
				if why := ig.ignored(at, d.IsDir()); why != "" {
					if d.IsDir() {
						left = append(left, LeftOut{Path: path + string(filepath.Separator), Why: why})
						return filepath.SkipDir
					}
					if _, err := record.FormatOf(path); err == nil {
						left = append(left, LeftOut{Path: path, Why: why})
					}
					return nil
				}
				if d.IsDir() {
					ig.readGitignore(at) // it applies beneath it
				}
			}
			if d.IsDir() {
				// An export inside the tree (out/csv) holds the same
				// records again: only read it when named.
				if _, err := os.Stat(filepath.Join(path, DataPackage)); err == nil {
					return filepath.SkipDir
				}
				return nil
			}
			f, err := record.FormatOf(path)
			if err != nil || filepath.Base(path) == DataPackage {
				return nil
			}
			if !d.Type().IsRegular() {
				// A link to something other than a file (a device, a
				// pipe that may never be written to) would read forever.
				info, err := os.Stat(path)
				if err != nil {
					return &PathError{Path: path, Err: describeOSError(err)}
				}
				if err := notAFile(info, os.ModeDevice|os.ModeSocket|os.ModeNamedPipe); err != nil {
					return &PathError{Path: path, Err: err}
				}
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// A link out of the folder: a stranger's dataset (a pull
				// request) could link a record file to a file of secrets,
				// and the findings quote the values they find wrong.
				real, err := absoluteRealPath(path)
				if err != nil {
					return &PathError{Path: path, Err: describeOSError(err)}
				}
				if !strings.HasPrefix(real, realDir+string(filepath.Separator)) {
					if named[real] {
						return nil // read by the name given
					}
					return &PathError{Path: path, Err: fmt.Errorf("is a symbolic link out of %s; annals reads only the files inside a folder it is given: to read the file it leads to, name that file too", p)}
				}
			}
			if isManifest(path) && path != m {
				// A second manifest further down: its extension schemas
				// (beneath it, walked after it) are not records either.
				_, schemas := manifestExclude(path)
				ig.extensionSchemas(path, schemas)
			}
			add(Input{Path: path, Format: f, Manifest: isManifest(path)})
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	if stdinManifest != "" {
		governing(".", stdinManifest)
	}
	// An export named with no manifest to govern it is governed by the
	// one it carries (see convert.CarriedManifest).
	// Only when exports are all there is to read: the manifest of one
	// export does not govern other files.
	if !slices.ContainsFunc(out, func(in Input) bool { return in.Manifest }) &&
		!slices.ContainsFunc(out, func(in Input) bool { return in.Import == NoImport }) && len(out) > 0 {
		out = append(out, Input{Path: out[0].Path, Import: out[0].Import, Manifest: true, Governing: true})
	}
	return out, left, nil
}

// absoluteRealPath is p with every symbolic link resolved, absolute: a
// relative path's links resolve to relative paths ("." to "."), which
// cannot be compared with absolute ones.
func absoluteRealPath(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(real)
}

// pathKey is how ExpandAll tells paths apart: absolute and cleaned, so
// that ./annals.yaml, annals.yaml and its absolute path are one file.
func pathKey(p string) string {
	if p == Stdin {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// notAFile reports a file of one of the kinds in mode, which annals does
// not read records from.
func notAFile(info fs.FileInfo, mode fs.FileMode) error {
	switch m := info.Mode() & mode; {
	case m&os.ModeDevice != 0:
		return errors.New("is a device, not a file of records")
	case m&os.ModeSocket != 0:
		return errors.New("is a socket, not a file of records")
	case m&os.ModeNamedPipe != 0:
		return errors.New("is a named pipe, not a file of records; name it on the command line to read it")
	}
	return nil
}

// DataPackage is the descriptor that marks a directory as a CSV export.
const DataPackage = "datapackage.json"

// importInput recognises an export named on the command line: a workbook,
// a CSV export directory, or its datapackage.json.
func importInput(p string, info os.FileInfo) (Input, bool) {
	switch {
	case !info.IsDir() && strings.EqualFold(filepath.Ext(p), ".xlsx"):
		return Input{Path: p, Import: ImportXLSX}, true
	case !info.IsDir() && filepath.Base(p) == DataPackage:
		return Input{Path: p, Import: ImportCSV}, true
	case info.IsDir():
		if _, err := os.Stat(filepath.Join(p, DataPackage)); err == nil {
			return Input{Path: p, Import: ImportCSV}, true
		}
	}
	return Input{}, false
}

// depth is how many folders deep path is, for ordering manifests.
func depth(path string) int {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0
	}
	return strings.Count(abs, string(filepath.Separator))
}

// dirOf is abs if it is a folder, else the folder it is in.
func dirOf(abs string, isDir bool) string {
	if isDir {
		return abs
	}
	return filepath.Dir(abs)
}

// within reports whether the file at path is in the folder dir or below.
func within(path, dir string) bool {
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// formatOfManifest is the format of a manifest's file name.
func formatOfManifest(path string) record.Format {
	f, _ := record.FormatOf(path) // annals.yaml, .yml or .json: always known
	return f
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

// Summary is what Read learns about the inputs besides findings.
type Summary struct {
	Inputs   []record.InputFile // every input in order, with its SHA-256 and record count
	Manifest map[string]any     // the manifest's value, when an input is one
}

// Read reads every input, record by record, into the checker c. stdin is
// read for the input "-". It returns an error only when an input cannot be
// opened or read; what is wrong inside the input becomes findings.
//
// The manifest is read first, whatever its place among the inputs: it
// says how to check the records (the archive folder, the severity of
// codes). Its findings come first too. Every other input, text or export,
// goes through the pipeline (see checkParallel).
func Read(c *check.Checker, inputs []Input, stdin io.Reader, opts Options) (*Summary, error) {
	sum := &Summary{Inputs: make([]record.InputFile, len(inputs))}
	order := make([]int, 0, len(inputs))
	for i, in := range inputs {
		if in.Manifest {
			order = append(order, i)
		}
	}
	// The dataset's manifest is the one nearest the top: a walk finds
	// a/annals.yaml before annals.yaml, which is the dataset's.
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(depth(inputs[a].Path), depth(inputs[b].Path)) })
	for i, in := range inputs {
		if !in.Manifest {
			order = append(order, i)
		}
	}
	for _, i := range order {
		in := inputs[i]
		if in.Manifest && in.Import != NoImport {
			carried(c, in, sum)
			continue
		}
		c.File(in.Name())
		var h hash.Hash = discardHash{}
		if !opts.NoDigest {
			h = sha256.New()
		}
		n := 0
		var err error
		if in.Manifest {
			err = readManifest(c, in, stdin, h, opts, sum)
		} else {
			o := opts
			o.Validator = c.Validator() // an export's columns include the manifest's extensions
			n, err = checkParallel(c, in.Name(), hooks{opts.Prepare, opts.Each, opts.Progress}, sourceOf(in, stdin, h, o))
		}
		if err != nil {
			return nil, err
		}
		sum.Inputs[i] = record.InputFile{Path: in.Name(), Records: n}
		if !opts.NoDigest {
			sum.Inputs[i].SHA256 = hex.EncodeToString(h.Sum(nil))
		}
	}
	// A carried manifest is in an input, not one.
	sum.Inputs = slices.DeleteFunc(sum.Inputs, func(f record.InputFile) bool { return f.Path == "" })
	return sum, nil
}

// readManifest reads a manifest file into c.
func readManifest(c *check.Checker, in Input, stdin io.Reader, h io.Writer, opts Options, sum *Summary) error {
	return each(in, stdin, h, opts, func(rec *record.Record, err error) error {
		if err != nil {
			c.ManifestError(in.Name(), err)
			return nil
		}
		c.Manifest(rec)
		if m, ok := rec.Value.(map[string]any); ok && sum.Manifest == nil {
			sum.Manifest = m
		}
		return nil
	})
}

// carried reads the manifest an export carries, if it carries one. It is
// no input file of its own: the export is one.
func carried(c *check.Checker, in Input, sum *Summary) {
	rec, exts, err := convert.CarriedManifest(in.Path)
	if rec == nil && err == nil {
		return
	}
	c.File(in.Name())
	if err != nil {
		c.ManifestError(in.Name(), err)
		return
	}
	c.CarriedManifest(rec, exts)
	if m, ok := rec.Value.(map[string]any); ok && sum.Manifest == nil {
		sum.Manifest = m
	}
}

// discardHash is the hash of NoDigest: it takes the bytes and keeps nothing.
type discardHash struct{}

func (discardHash) Write(p []byte) (int, error) { return len(p), nil }
func (discardHash) Sum(b []byte) []byte         { return b }
func (discardHash) Reset()                      {}
func (discardHash) Size() int                   { return 0 }
func (discardHash) BlockSize() int              { return 1 }

// Records calls fn for every record of the inputs (not the manifest), in
// order, for a second pass over input that Read found valid. Standard
// input must have been spooled with Spool.
func Records(inputs []Input, opts Options, fn func(*record.Record) error) error {
	for _, in := range inputs {
		if in.Manifest {
			continue
		}
		err := each(in, nil, io.Discard, opts, func(rec *record.Record, err error) error {
			if err != nil {
				return err
			}
			return fn(rec)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Spool copies standard input to a temporary file, so that it can be read
// twice (to validate, then to convert). The returned function removes it.
func Spool(inputs []Input, stdin io.Reader) (cleanup func(), err error) {
	cleanup = func() {}
	for i, in := range inputs {
		if in.Path != Stdin {
			continue
		}
		f, err := os.CreateTemp("", "annals-stdin-*")
		if err != nil {
			return cleanup, err
		}
		cleanup = func() { os.Remove(f.Name()) }
		if _, err := io.Copy(f, stdin); err != nil {
			f.Close()
			return cleanup, &PathError{Path: StdinName, Err: err}
		}
		if err := f.Close(); err != nil {
			return cleanup, err
		}
		inputs[i].spool = f.Name()
	}
	return cleanup, nil
}

// sourceOf is what checkParallel reads an input from: the lines of JSON
// Lines, for the workers to decode, or the records of the other formats.
// What an importer had to change to read a value (a note, such as a
// date-time cell read as its day) travels with the records, in order, as a
// read error of its own: the checker reports it as a warning.
func sourceOf(in Input, stdin io.Reader, h io.Writer, opts Options) source {
	if in.Import != NoImport {
		return source{each: func(fn func(*record.Record, json.Line, error) error) error {
			opts.Import.Note = func(ie *record.ImportError) { fn(nil, json.Line{}, ie) }
			return each(in, stdin, h, opts, func(rec *record.Record, err error) error { return fn(rec, json.Line{}, err) })
		}}
	}
	if in.Format != record.FormatJSONL {
		return source{each: func(fn func(*record.Record, json.Line, error) error) error {
			return each(in, stdin, h, opts, func(rec *record.Record, err error) error { return fn(rec, json.Line{}, err) })
		}}
	}
	return source{
		lines: in.Name(),
		each: func(fn func(*record.Record, json.Line, error) error) error {
			return readText(in, stdin, h, opts.Progress, func(r io.Reader) error {
				split := json.NewLineSplitter(r, in.Name())
				for {
					line, err := split.Next()
					if err == io.EOF {
						return nil
					}
					if err := unreadable(in, err); err != nil {
						return err
					}
					if err := fn(nil, line, err); err != nil {
						return err
					}
				}
			})
		},
	}
}

// each reads one input, passing every record or read error to fn and every
// byte read to h. It stops at fn's first error.
func each(in Input, stdin io.Reader, h io.Writer, opts Options, fn func(*record.Record, error) error) error {
	if in.Import != NoImport {
		return eachImported(in, h, opts, fn)
	}
	return readText(in, stdin, h, opts.Progress, func(r io.Reader) error {
		rd := convert.NewReader(r, in.Name(), in.Format)
		for {
			rec, err := rd.Read()
			if err == io.EOF {
				return nil
			}
			if err := unreadable(in, err); err != nil {
				return err
			}
			if err := fn(rec, err); err != nil {
				return err
			}
		}
	})
}

// unreadable returns the error that ends the reading of in, for a read
// error that is not about the text itself (a *record.SyntaxError, which
// is reported and read past), or nil.
func unreadable(in Input, err error) error {
	var se *record.SyntaxError
	if err == nil || errors.As(err, &se) {
		return nil
	}
	return &PathError{Path: in.Name(), Err: describeOSError(err)}
}

// readText opens an input of text and passes read a reader of its bytes,
// which also go to h. A reader may stop early (after a syntax error); the
// hash covers the whole input all the same.
func readText(in Input, stdin io.Reader, h io.Writer, p *progress.Counter, read func(io.Reader) error) error {
	var r io.Reader = stdin
	if path := in.Path; path != Stdin || in.spool != "" {
		if in.spool != "" {
			path = in.spool
		}
		f, err := os.Open(path)
		if err != nil {
			return &PathError{Path: in.Name(), Err: describeOSError(err)}
		}
		defer f.Close()
		r = f
	}
	if p != nil {
		r = p.Reader(r)
	}
	tee := io.TeeReader(r, h)
	if err := read(tee); err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return &PathError{Path: in.Name(), Err: describeOSError(err)}
	}
	return nil
}

// eachImported reads an exported workbook or CSV directory back into
// records. Problems with the export itself (not a workbook, an unknown
// sheet, a row that belongs nowhere) go to fn as errors, one by one.
func eachImported(in Input, h io.Writer, opts Options, fn func(*record.Record, error) error) error {
	if err := hashFiles(in, h); err != nil {
		return err
	}
	rd, err := convert.NewImporter(in.Path, opts.Validator, opts.Import)
	if err != nil {
		return importProblem(in, err, fn)
	}
	if c, ok := rd.(io.Closer); ok {
		defer c.Close() // the workbook stays open if fn stops early
	}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if perr := importProblem(in, err, fn); perr != nil {
				return perr
			}
			continue
		}
		if err := fn(rec, nil); err != nil {
			return err
		}
	}
}

// importProblem hands a *record.ImportError to fn as a finding;
// anything else means the input could not be read at all.
func importProblem(in Input, err error, fn func(*record.Record, error) error) error {
	var ie *record.ImportError
	if !errors.As(err, &ie) {
		return &PathError{Path: in.Path, Err: describeOSError(err)}
	}
	return fn(nil, ie)
}

// hashFiles feeds h the bytes of an export: the workbook, or the files of
// a CSV directory in name order.
func hashFiles(in Input, h io.Writer) error {
	paths := []string{in.Path}
	if in.Import == ImportCSV {
		dir := in.Path
		if filepath.Base(dir) == DataPackage {
			dir = filepath.Dir(dir)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return &PathError{Path: in.Path, Err: describeOSError(err)}
		}
		paths = paths[:0]
		for _, e := range entries {
			if !e.IsDir() {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return &PathError{Path: p, Err: describeOSError(err)}
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return &PathError{Path: p, Err: describeOSError(err)}
		}
	}
	return nil
}
