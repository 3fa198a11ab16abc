package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert/canonical"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

type fmtOptions struct {
	check       bool
	list        bool
	inputFormat string
}

func newFmtCmd() *cobra.Command {
	opts := &fmtOptions{}
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite record files in canonical form",
		Long: `Fmt rewrites the named files and directories (default: the current directory)
in canonical form: the keys of every record in the order of the schema, at
every depth (keys the schema does not know after them, sorted), two-space
indentation and one final newline. The manifest (annals.yaml) is ordered by
the manifest schema. Directories are read as validate reads them.

Fmt only reorders: it never changes a value, and it keeps keys the schema
does not know. It does not validate; use annals validate for that. In YAML
files it keeps comments, anchors, the document structure (a list stays a
list, documents separated by --- stay documents), the quoting of values and
the line breaks of folded text (>). JSON stays one record or an array of
records; JSON Lines one record per line.

Before writing, fmt reads its output back and refuses, naming the file, if
the records would not be the same. Files are replaced through a temporary
file beside them, keeping their permissions; files already in canonical
form are not touched. Files with syntax errors are reported as validate
reports them and left as they are. "-" reads standard input (with
--input-format) and writes the canonical form to standard output.

With --check nothing is written: fmt lists the files that are not in
canonical form, one per line, and exits 1 if there are any, for CI and
pre-commit hooks.

Exit codes: 0 done (with --check: every file is canonical), 1 files to
format (--check), syntax errors or a failed write, 2 usage error or input
that cannot be read.`,
		Example: `  annals fmt samples
  annals fmt --check .
  annals fmt -l events.yaml statements.yaml
  annals fmt - --input-format yaml < new.yaml > formatted.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFmt(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.check, "check", false, "write nothing; list the files that are not in canonical form and exit 1 if any")
	f.BoolVarP(&opts.list, "list", "l", false, "list the files that were rewritten")
	f.StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	completeWith(cmd, "input-format", stdinFormats...)
	return cmd
}

// fmtRun is one run of annals fmt over its inputs.
type fmtRun struct {
	cmd       *cobra.Command
	opts      *fmtOptions
	v         *schema.Validator
	formatted int // files rewritten
	code      int // the exit code so far
}

func runFmt(cmd *cobra.Command, opts *fmtOptions, args []string) error {
	inputs, _, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	v, err := schema.Default()
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	// The manifest's extensions say where the study's own fields go: after
	// the canonical ones, in their schema's order. Records piped in (an
	// editor formatting a buffer) are governed by the current folder's.
	v = extendedValidator(cmd.ErrOrStderr(), inputs, v)
	// fmt formats what it is given or walks, not a manifest found above
	// it or carried in an export.
	inputs = slices.DeleteFunc(inputs, func(in dataset.Input) bool { return in.Governing })
	r := &fmtRun{cmd: cmd, opts: opts, v: v}
	for _, in := range inputs {
		r.file(in)
	}
	if r.formatted > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "formatted %s\n", english.Count(r.formatted, "file"))
	}
	if r.code != exitOK {
		return &exitError{code: r.code}
	}
	return nil
}

// file formats one input and records the outcome in r.code.
func (r *fmtRun) file(in dataset.Input) {
	stdout, stderr := r.cmd.OutOrStdout(), r.cmd.ErrOrStderr()
	if in.Import != dataset.NoImport {
		fmt.Fprintf(stderr, "annals: %s: fmt formats record files (.json, .jsonl, .yaml), not workbooks or CSV exports; to get record files from it, run: annals convert %s --to yaml -o FOLDER/\n", in.Name(), in.Name())
		r.fail(exitUsage)
		return
	}
	data, read, err := r.read(in)
	if err != nil {
		fmt.Fprintf(stderr, "annals: %s: %v\n", in.Name(), err)
		r.fail(exitUsage)
		return
	}
	out, err := canonical.Format(bytes.NewReader(data), in.Name(), in.Format,
		canonical.Options{Validator: r.v, Manifest: in.Manifest})
	if err != nil {
		r.report(err)
		return
	}
	changed := !bytes.Equal(out, data)
	switch {
	case r.opts.check:
		if changed {
			fmt.Fprintln(stdout, in.Name())
			r.fail(exitInvalid)
		}
	case in.Path == dataset.Stdin:
		if _, err := stdout.Write(out); err != nil {
			fmt.Fprintf(stderr, "annals: %v\n", err)
			r.fail(exitInvalid)
		}
	case changed:
		if err := replaceFile(in.Path, read, out); err != nil {
			fmt.Fprintf(stderr, "annals: %s: %v; the file is left as it is\n", in.Path, err)
			r.fail(exitInvalid)
			return
		}
		r.formatted++
		if r.opts.list {
			fmt.Fprintln(stdout, in.Name())
		}
	}
}

// maxFmtJSON is the largest JSON or JSON Lines file fmt formats: it
// holds a file whole, and its canonical form, where validate reads one
// record at a time. YAML files are held whole by validate too, and have
// its limit, record.MaxYAMLSize.
const maxFmtJSON = 256 << 20

// read reads a file whole, within fmt's limits, and returns what it was
// when read, for replaceFile: a file that is not a regular file, or is
// larger than the limit, is refused before it is read.
func (r *fmtRun) read(in dataset.Input) ([]byte, os.FileInfo, error) {
	if in.Path == dataset.Stdin {
		data, err := io.ReadAll(r.cmd.InOrStdin())
		return data, nil, err
	}
	f, info, err := regularfile.Open(in.Path)
	if errors.Is(err, regularfile.ErrNotRegular) {
		return nil, nil, errors.New("not a regular file (a device, a pipe): fmt formats record files")
	}
	if err != nil {
		return nil, nil, unwrapPath(err)
	}
	defer f.Close()
	limit := int64(maxFmtJSON)
	if in.Format == record.FormatYAML {
		limit = int64(record.MaxYAMLSize)
	}
	if info.Size() > limit {
		return nil, nil, fmt.Errorf("%d bytes, more than the %d MiB fmt formats; split it into smaller files", info.Size(), limit>>20)
	}
	data, err := regularfile.ReadAll(f, limit)
	var tooLarge *regularfile.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, nil, fmt.Errorf("more than the %d MiB fmt formats (it grew while read); split it into smaller files", limit>>20)
	}
	if err != nil {
		return nil, nil, unwrapPath(err)
	}
	return data, info, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// report prints why a file could not be formatted: its syntax errors as
// validate prints them, or what went wrong.
func (r *fmtRun) report(err error) {
	stderr := r.cmd.ErrOrStderr()
	var se *record.SyntaxError
	if errors.As(err, &se) {
		fmt.Fprintln(stderr, err)
	} else {
		fmt.Fprintf(stderr, "annals: %v\n", err)
	}
	r.fail(exitInvalid)
}

// fail raises the exit code: a usage error wins over invalid data.
func (r *fmtRun) fail(code int) { r.code = max(r.code, code) }

// replaceFile writes data over path atomically, keeping its permissions,
// owner and group. A symbolic link is followed, so that the link stays a
// link. It refuses, leaving the file as it is, a file that is read-only,
// that has other hard links (replacing it would split them), whose owner
// it cannot keep, or that changed since it was read (read is what it was:
// an edit saved meanwhile would be lost). See atomicfile.Replace.
func replaceFile(path string, read os.FileInfo, data []byte) error {
	f, err := atomicfile.Replace(path, read)
	if err != nil {
		return replaceError(err)
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return replaceError(f.Commit())
}

// replaceError says why fmt could not replace a file, and what to do.
func replaceError(err error) error {
	var links *atomicfile.HardLinksError
	var owner *atomicfile.OwnerError
	switch {
	case errors.Is(err, atomicfile.ErrReadOnly):
		return errors.New("it is read-only; make it writable (chmod u+w) to format it")
	case errors.As(err, &links):
		return fmt.Errorf("it has %d hard links, which replacing it would split; format a copy, or remove the other links", links.Links)
	case errors.As(err, &owner):
		return fmt.Errorf("annals cannot keep its owner and group (%v); format it as its owner", owner.Err)
	case errors.Is(err, atomicfile.ErrChanged):
		return errors.New("it changed while fmt was working (an edit saved meanwhile?); run fmt again")
	}
	return err
}

// extendedValidator returns v extended with the extensions of the
// dataset's manifest among inputs, as validate reads them; v itself when
// there are none. An extension that cannot be used is said on stderr: its
// fields are then ordered as fields the schema does not know (sorted,
// after the others).
func extendedValidator(stderr io.Writer, inputs []dataset.Input, v *schema.Validator) *schema.Validator {
	var manifests []dataset.Input
	for _, in := range inputs {
		if in.Manifest && in.Import == dataset.NoImport && in.Path != dataset.Stdin {
			manifests = append(manifests, in)
		}
	}
	if len(manifests) == 0 {
		return v
	}
	c := check.New(v)
	if _, err := dataset.Read(c, manifests, nil, dataset.Options{Validator: v, NoDigest: true}); err != nil {
		return v
	}
	for _, f := range c.Finish().Findings {
		if f.Code == check.CodeBadExtension {
			fmt.Fprintf(stderr, "annals: %s: %s; fmt orders that type's own fields as unknown ones\n", f.Position(), f.Message)
		}
	}
	return c.Validator()
}
