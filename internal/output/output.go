// Package output writes the result of a conversion where -o names it:
// standard output, one file, a folder of CSV files, or a folder of files
// of records (each record back into the file there that holds it). Files
// are written to temporary files beside their targets and renamed into
// place together (see atomicfile), so a failed or interrupted conversion
// leaves what was there; no output is ever one of the inputs.
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/canonical"
	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/parquet"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

// IsStdout reports whether -o names standard output: "-", or a name of
// it, which is written to rather than opened again (opening /dev/stdout
// anew writes from the start of a file it is redirected to, even with >>).
func IsStdout(path string) bool {
	switch path {
	case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	return false
}

// IsStream reports whether -o names an output that cannot be taken back
// once written: standard output, a device or a named pipe. (A symbolic
// link is not one: it is replaced, never followed; see atomicfile.)
func IsStream(path string) bool {
	if IsStdout(path) {
		return true
	}
	info, err := os.Lstat(path)
	return err == nil && !info.Mode().IsRegular() && !info.IsDir() && info.Mode()&os.ModeSymlink == 0
}

// IsDir reports whether -o names a directory: one that exists, or a
// path ending in a separator.
func IsDir(output string) bool {
	if output == "-" {
		return false
	}
	if strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(filepath.Separator)) {
		return true
	}
	info, err := os.Stat(output)
	return err == nil && info.IsDir()
}

// Output is where a conversion writes: a writer, and the temporary files
// it fills, renamed into place by Commit and removed by Abort.
type Output struct {
	w       record.Writer
	n       int
	commit  func() error
	abort   func()
	removed func() []Removed // for a folder of files of records
}

// Records is the number of records written.
func (o *Output) Records() int { return o.n }

// Removed is what writing into a folder of files of records removed from
// its files: the records the input did not hold. Known once committed.
func (o *Output) Removed() []Removed {
	if o.removed == nil {
		return nil
	}
	return o.removed()
}

// Target is what -o and the options of a conversion name.
type Target struct {
	Format string // xlsx, csv, parquet, jsonld, json, jsonl or yaml
	Path   string // a file, a folder, or "-" for standard output
	CSV    csv.Options
	Inputs []dataset.Input // what must not be overwritten
}

// Write writes one record.
func (o *Output) Write(rec *record.Record) error {
	o.n++
	return o.w.Write(rec)
}

// WritePrepared writes one record with what Prepare made of it on a
// worker.
func (o *Output) WritePrepared(rec *record.Record, prepared any) error {
	e, ok := prepared.(*record.Encoded)
	w, encoded := o.w.(record.EncodedWriter)
	if !ok || !encoded {
		return o.Write(rec)
	}
	o.n++
	return w.WriteEncoded(rec, e)
}

// Prepare returns the part of writing a record to t that the workers that
// check records can do, or nil: encoding it, for the formats whose
// writers take encoded records. Standard output gets the records in a
// second reading, one by one. The encoder is made at the first record,
// with the validator then in force (the manifest's extensions are read
// before any record).
func Prepare(t *Target, validator func() *schema.Validator) func(*record.Record) any {
	var newEncoder func(v *schema.Validator) record.Encoder
	switch {
	case t.Path == "-" || t.Format != "csv" && IsDir(t.Path) || t.Format == "parquet":
		return nil
	case t.Format == "csv":
		newEncoder = func(v *schema.Validator) record.Encoder { return csv.NewEncoder(v, t.CSV) }
	case t.Format == "json" || t.Format == "jsonl":
		newEncoder = func(v *schema.Validator) record.Encoder { return canonical.NewJSONEncoder(v, t.Format == "jsonl") }
	default:
		return nil
	}
	encoder := sync.OnceValue(func() record.Encoder { return newEncoder(validator()) })
	return func(rec *record.Record) any { return encoder().Encode(rec) }
}

// Commit closes the writer and puts the output in place.
func (o *Output) Commit() error {
	if err := o.w.Close(); err != nil {
		o.abort()
		return err
	}
	return o.commit()
}

// Abort closes the writer and removes what it wrote.
func (o *Output) Abort() {
	if d, ok := o.w.(record.Discarder); ok {
		d.Discard() // no need to finish what is thrown away
	} else {
		o.w.Close()
	}
	o.abort()
}

// Open opens the output t names, in temporary files: a CSV directory,
// one file, or a folder of files of records (see folderWriter). Standard
// output (stdout) has nothing to commit.
func Open(stdout io.Writer, t *Target, ds *record.Dataset) (*Output, error) {
	switch {
	case t.Format == "csv":
		dir, err := atomicfile.CreateDir(t.Path, csv.ExportFiles(ds.Validator))
		if err != nil {
			return nil, err
		}
		w := csv.NewWriter(dir.Path, ds, t.CSV)
		return &Output{w: w, commit: dir.Commit, abort: dir.Abort}, nil
	case t.Format == "parquet":
		dir, err := atomicfile.CreateDir(t.Path, parquet.ExportFiles(ds.Validator))
		if err != nil {
			return nil, err
		}
		w := parquet.NewWriter(dir.Path, ds)
		return &Output{w: w, commit: dir.Commit, abort: dir.Abort}, nil
	case t.Path == "-":
		w, err := convert.NewWriter(t.Format, stdout, ds)
		if err != nil {
			return nil, err
		}
		return &Output{w: w, commit: func() error { return nil }, abort: func() {}}, nil
	case IsDir(t.Path):
		fw, err := newFolderWriter(t, ds)
		if err != nil {
			return nil, err
		}
		return &Output{w: fw, commit: fw.commit, abort: fw.abort, removed: func() []Removed { return fw.removed }}, nil
	}
	f, err := atomicfile.Create(t.Path)
	if err != nil {
		return nil, err
	}
	w, err := newFileWriter(t.Format, t.Path, f, ds)
	if err != nil {
		f.Abort()
		return nil, err
	}
	return &Output{w: w, commit: f.Commit, abort: f.Abort}, nil
}

// newFileWriter returns the writer of a file that replaces target. A YAML
// file there already is updated: records that did not change keep their
// text, comments included. Anything there that is not a regular file (a
// device, a pipe put there meanwhile) is not read: it is replaced.
func newFileWriter(format, target string, w io.Writer, ds *record.Dataset) (record.Writer, error) {
	if format != "yaml" {
		return convert.NewWriter(format, w, ds)
	}
	f, _, err := regularfile.Open(target)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, regularfile.ErrNotRegular):
		return convert.NewWriter(format, w, ds)
	case err != nil:
		return nil, err
	}
	defer f.Close()
	// The updater writes a new file when the old one is larger than annals
	// reads; a byte past the limit tells it so.
	old, err := io.ReadAll(io.LimitReader(f, record.MaxYAMLSize+1))
	if err != nil {
		return nil, err
	}
	return canonical.NewYAMLUpdater(w, old, target, ds), nil
}

// WriteAll streams every record of a second reading of the inputs into
// the output and commits it; on error it is aborted.
func WriteAll(o *Output, inputs []dataset.Input, read dataset.Options) error {
	err := dataset.Records(inputs, read, o.Write)
	if err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}

// realPath returns p absolute, with every symbolic link in it resolved;
// for a path that does not exist yet, its longest existing ancestor's.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// RefuseOverwritingInput stops a conversion whose output is one of its
// inputs (or a directory holding them): nothing the user gave us is ever
// overwritten.
//
// Paths are compared with every symbolic link resolved, and files by
// identity, so that no link (to the input, to its folder) leads around
// the check.
func RefuseOverwritingInput(output string, inputs []dataset.Input) error {
	g, err := newInputGuard(inputs)
	if err != nil {
		return err
	}
	return g.refuse(output)
}

// OverwriteError is RefuseOverwritingInput's refusal.
type OverwriteError struct {
	Output string // as -o names it
	Input  string
	Holds  bool // the output is a folder that holds the input, which it would not overwrite
}

func (e *OverwriteError) Error() string {
	if e.Holds {
		return fmt.Sprintf("-o %s holds the input %s, which would be read with what is written there; write the output somewhere else, or move the input out of that folder", e.Output, e.Input)
	}
	return fmt.Sprintf("-o %s would overwrite the input %s; write the output somewhere else", e.Output, e.Input)
}

// inputGuard is RefuseOverwritingInput with the inputs resolved once, for
// a writer that checks many files.
type inputGuard struct {
	inputs []dataset.Input
	reals  []string
	infos  []os.FileInfo // nil where the input cannot be read
}

func newInputGuard(inputs []dataset.Input) (*inputGuard, error) {
	g := &inputGuard{}
	for _, in := range inputs {
		if in.Path == dataset.Stdin {
			continue
		}
		real, err := realPath(in.Path)
		if err != nil {
			return nil, err
		}
		info, _ := os.Stat(in.Path)
		g.inputs, g.reals, g.infos = append(g.inputs, in), append(g.reals, real), append(g.infos, info)
	}
	return g, nil
}

func (g *inputGuard) refuse(output string) error {
	if output == "-" {
		return nil
	}
	out, err := realPath(output)
	if err != nil {
		return err
	}
	outInfo, statErr := os.Stat(output)
	for i, in := range g.inputs {
		real, inInfo := g.reals[i], g.infos[i]
		same := inInfo != nil && statErr == nil && os.SameFile(inInfo, outInfo)
		if same || real == out || strings.HasPrefix(real, out+string(filepath.Separator)) {
			// A workbook kept in the folder is not written, but it would
			// be read with the records written beside it.
			holds := !same && real != out && in.Import != dataset.NoImport
			return &OverwriteError{Output: output, Input: in.Path, Holds: holds}
		}
	}
	return nil
}

// Conversion writes the records of a conversion as they are checked, to
// temporary files, until the first error: then nothing will be written.
// Standard output, a pipe or a device cannot be taken back, so it gets
// the records only once all are checked, in a second reading (Finish).
type Conversion struct {
	t      *Target
	ds     *record.Dataset
	stream bool
	out    *Output
	err    error // the first error writing
}

// NewConversion starts a conversion to t of the dataset ds, whose
// manifest, inputs, counts and conflicts Finish needs set.
func NewConversion(t *Target, ds *record.Dataset) *Conversion {
	return &Conversion{t: t, ds: ds, stream: IsStream(t.Path)}
}

// Add writes a checked record, with what Prepare made of it, unless the
// output is a stream, writing failed, or errors (the checker's so far)
// is not 0. manifest is the dataset's manifest and v the validator the
// records are checked against (with the manifest's extensions), both
// settled before any record.
func (c *Conversion) Add(errors int, manifest map[string]any, v *schema.Validator, rec *record.Record, prepared any) {
	if c.stream || c.err != nil || errors > 0 {
		return
	}
	if c.out == nil {
		c.ds.Manifest, c.ds.Validator = manifest, v
		if c.out, c.err = Open(nil, c.t, c.ds); c.err != nil {
			return
		}
	}
	c.err = c.out.WritePrepared(rec, prepared)
}

// Err is the first error writing, or nil.
func (c *Conversion) Err() error { return c.err }

// Abort removes what was written.
func (c *Conversion) Abort() {
	if c.out != nil {
		c.out.Abort()
	}
}

// Finish puts the output in place: for a stream (stdout, or a pipe or
// device), every record of a second reading of the inputs; with no
// records, an output with none.
func (c *Conversion) Finish(stdout io.Writer, inputs []dataset.Input, read dataset.Options) error {
	var err error
	switch {
	case c.stream:
		if c.out, err = Open(stdout, c.t, c.ds); err == nil {
			err = WriteAll(c.out, inputs, read)
		}
	case c.out == nil: // no records
		if c.out, err = Open(nil, c.t, c.ds); err == nil {
			err = c.out.Commit()
		}
	default:
		err = c.out.Commit()
	}
	return err
}

// Removed is what the conversion removed from the files of a folder (see
// Output.Removed).
func (c *Conversion) Removed() []Removed {
	if c.out == nil {
		return nil
	}
	return c.out.Removed()
}

// Records is the number of records written.
func (c *Conversion) Records() int {
	if c.out == nil {
		return 0
	}
	return c.out.Records()
}
