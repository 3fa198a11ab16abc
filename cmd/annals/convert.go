package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/schema"
)

type convertOptions struct {
	to             string
	output         string
	inputFormat    string
	bom            bool
	noFormulaGuard bool
	ignoreUnknown  bool
	archive        string
	maxFindings    int

	inputs []dataset.Input // what the arguments named, once expanded: no output may be one
}

// outputFormats lists the --to values; csv writes a directory.
var outputFormats = []string{"xlsx", "csv", "jsonld", "json", "jsonl", "yaml"}

func newConvertCmd() *cobra.Command {
	opts := &convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert [PATH...] --to FORMAT -o OUT",
		Short: "Convert records to Excel, CSV, JSON-LD, JSON, JSON Lines or YAML",
		Long: `Convert validates the records first, exactly as validate does: invalid input is
refused with the same findings, and nothing is written. Valid records are
then written in one format:

  xlsx    an Excel workbook: a sheet per record type and per list in it
          (participants, aliases, attestations...), a Conflicts sheet when
          the sources disagree, a Codebook and an About sheet
  csv     a directory of CSV files (RFC 4180, UTF-8), the same tables as the
          sheets, and a datapackage.json (Frictionless Data Package) with
          types, descriptions and keys
  jsonld  one JSON-LD document (schema.org and PROV-O, context embedded)
  json, jsonl, yaml
          the records back in canonical form (fields in schema order): in
          one file, or, when OUT is a directory (it exists, or ends in /),
          one file per record type in it, as samples/ has them: actors.yaml,
          sources.yaml, events.yaml, statements.yaml. A type without records
          gets no file, unless one is there already: it is then emptied, so
          that the directory holds what the input holds.
          A YAML file that is there already is updated rather than rewritten:
          records and values that did not change keep their text, comments
          and folded lines, so that a diff shows only what changed.

The input may also be a workbook or CSV export that annals wrote and a
curator edited: convert annals.xlsx --to yaml brings the edits back as
canonical records, after every check validate runs.

The output is written to a temporary file beside OUT and renamed over it
only when complete: after a failure no partial output exists and an older
OUT is intact. -o - writes to standard output (not for csv).

In CSV, text starting with = + - @ tab or carriage return (or ') gets a
leading ' so that spreadsheets never run it as a formula (the OWASP rule;
annals undoes it when reading CSV back). --no-formula-guard turns this off.`,
		Example: `  annals convert samples --to xlsx -o out/annals.xlsx
  annals convert samples --to csv -o out/csv --bom
  annals convert samples --to jsonld -o out/annals.jsonld
  annals convert events.yaml --to json -o -
  annals convert edited.xlsx --to yaml -o records.yaml
  annals convert edited.xlsx --to yaml -o records/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConvert(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.to, "to", "", "output format: "+strings.Join(outputFormats, ", ")+" (required)")
	f.StringVarP(&opts.output, "output", "o", "", "output file, directory (for csv, or one file per record type), or - for standard output (required)")
	f.StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	f.BoolVar(&opts.bom, "bom", false, "csv: start every file with a UTF-8 byte order mark, for Excel")
	f.BoolVar(&opts.noFormulaGuard, "no-formula-guard", false, "csv: write text starting with = + - @ as it is")
	f.BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "reading a workbook or CSV export: skip sheets, files and columns annals did not write")
	f.StringVar(&opts.archive, "archive", "", "folder of the sources' archived texts, to verify quotes (overrides the manifest's archive)")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
	return cmd
}

func runConvert(cmd *cobra.Command, opts *convertOptions, args []string) error {
	switch {
	case opts.to == "":
		return &exitError{exitUsage, fmt.Errorf("--to is required: one of %s", strings.Join(outputFormats, ", "))}
	case !slices.Contains(outputFormats, opts.to):
		return &exitError{exitUsage, fmt.Errorf("--to %q is not a format; use %s", opts.to, strings.Join(outputFormats, ", "))}
	case opts.output == "":
		return &exitError{exitUsage, errors.New("-o is required: the output file (a directory for csv), or - for standard output")}
	case isStdout(opts.output) && opts.to == "csv":
		return &exitError{exitUsage, errors.New("csv writes a directory of files; name it with -o DIR")}
	case (opts.bom || opts.noFormulaGuard) && opts.to != "csv":
		return &exitError{exitUsage, errors.New("--bom and --no-formula-guard apply to --to csv only")}
	case (opts.to == "xlsx" || opts.to == "jsonld") && isDirOutput(opts.output):
		return &exitError{exitUsage, fmt.Errorf("-o %s is a directory, and %s writes one file: name it, as in -o %s", opts.output, opts.to, filepath.Join(opts.output, "annals."+opts.to))}
	}
	if isStdout(opts.output) {
		opts.output = "-" // written to, not opened again
	}
	stream := isStream(opts.output)
	inputs, left, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	if err := refuseOverwritingInput(opts.output, inputs); err != nil {
		return &exitError{exitUsage, err}
	}
	opts.inputs = inputs
	cleanup, err := dataset.Spool(inputs, cmd.InOrStdin())
	defer cleanup()
	if err != nil {
		return &exitError{exitUsage, err}
	}
	stderr := cmd.ErrOrStderr()
	v, err := schema.Default()
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	ds := &convert.Dataset{Version: version, Validator: v}
	var out *output
	var writeErr error
	// Records are written as they are checked, to temporary files,
	// until the first error: then nothing will be written. Standard
	// output, a pipe or a device cannot be taken back, so it gets the
	// records only once all are checked, in a second reading.
	each := func(c *check.Checker, rec *convert.Record, prepared any) {
		if stream || writeErr != nil || c.Errors() > 0 {
			return
		}
		if out == nil {
			ds.Manifest = c.ManifestData() // the manifest is read first
			if out, writeErr = openOutput(nil, opts, ds); writeErr != nil {
				return
			}
		}
		writeErr = out.WritePrepared(rec, prepared)
	}
	// Only the workbook lists the conflicts between sources (a sheet).
	c, sum, read, err := checkInputs(inputs, nil, checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: check.Warning, maxFindings: opts.maxFindings,
		keepConflicts: opts.to == "xlsx", each: each, prepare: prepareOutput(opts, v), progress: progressTo(cmd)})
	abort := func() {
		if out != nil {
			out.Abort()
		}
	}
	if err != nil {
		abort()
		return asExit(err, exitUsage)
	}
	rep := c.Finish()
	if err := writeFindings(stderr, stderr, "text", rep); err != nil {
		abort()
		return &exitError{exitInvalid, err}
	}
	if rep.Errors > 0 {
		abort()
		fmt.Fprintln(stderr, rep.Summary())
		return &exitError{verdictExit(rep), errorsFirst(rep, "nothing written: fix the %s above first")}
	}
	if writeErr != nil {
		abort()
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", writeErr)}
	}
	ds.Manifest, ds.Inputs, ds.Counts, ds.Conflicts = sum.Manifest, sum.Inputs, rep.Counts, c.ConflictSeq()
	switch {
	case stream:
		if out, err = openOutput(cmd.OutOrStdout(), opts, ds); err == nil {
			err = writeAll(out, inputs, read)
		}
	case out == nil: // no records
		if out, err = openOutput(nil, opts, ds); err == nil {
			err = out.Commit()
		}
	default:
		err = out.Commit()
	}
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", err)}
	}
	if opts.output != "-" {
		fmt.Fprintf(stderr, "wrote %s (%s, %s)\n", opts.output, opts.to, plural(out.n, "record"))
	}
	sayLeftOut(stderr, left)
	return nil
}

// isStdout reports whether -o names standard output: "-", or a name of
// it, which is written to rather than opened again (opening /dev/stdout
// anew writes from the start of a file it is redirected to, even with >>).
func isStdout(path string) bool {
	switch path {
	case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	return false
}

// isStream reports whether -o names an output that cannot be taken back
// once written: standard output, a device or a named pipe. (A symbolic
// link is not one: it is replaced, never followed; see atomicfile.)
func isStream(path string) bool {
	if isStdout(path) {
		return true
	}
	info, err := os.Lstat(path)
	return err == nil && !info.Mode().IsRegular() && !info.IsDir() && info.Mode()&os.ModeSymlink == 0
}

// isDirOutput reports whether -o names a directory: one that exists, or a
// path ending in a separator.
func isDirOutput(output string) bool {
	if output == "-" {
		return false
	}
	if strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(filepath.Separator)) {
		return true
	}
	info, err := os.Stat(output)
	return err == nil && info.IsDir()
}

// output is where convert writes: a writer, and the temporary files it
// fills, renamed into place by Commit and removed by Abort.
type output struct {
	w      convert.Writer
	n      int
	commit func() error
	abort  func()
}

// Write writes one record.
func (o *output) Write(rec *convert.Record) error {
	o.n++
	return o.w.Write(rec)
}

// WritePrepared writes one record with what prepareOutput made of it on
// a worker.
func (o *output) WritePrepared(rec *convert.Record, prepared any) error {
	e, ok := prepared.(*convert.Encoded)
	w, encoded := o.w.(convert.EncodedWriter)
	if !ok || !encoded {
		return o.Write(rec)
	}
	o.n++
	return w.WriteEncoded(rec, e)
}

// prepareOutput returns the part of writing a record in opts.to that the
// workers that check records can do, or nil: encoding it, for the formats
// whose writers take encoded records. Standard output gets the records in
// a second reading, one by one.
func prepareOutput(opts *convertOptions, v *schema.Validator) func(*convert.Record) any {
	var enc convert.Encoder
	switch {
	case opts.output == "-" || opts.to != "csv" && isDirOutput(opts.output):
		return nil
	case opts.to == "csv":
		enc = convert.NewCSVEncoder(v, csvOptions(opts))
	case opts.to == "json" || opts.to == "jsonl":
		enc = convert.NewJSONEncoder(v, opts.to == "jsonl")
	default:
		return nil
	}
	return func(rec *convert.Record) any { return enc.Encode(rec) }
}

// csvOptions are the CSV export's options that the command line sets.
func csvOptions(opts *convertOptions) convert.CSVOptions {
	return convert.CSVOptions{BOM: opts.bom, NoFormulaGuard: opts.noFormulaGuard}
}

// Commit closes the writer and puts the output in place.
func (o *output) Commit() error {
	if err := o.w.Close(); err != nil {
		o.abort()
		return err
	}
	return o.commit()
}

// Abort closes the writer and removes what it wrote.
func (o *output) Abort() {
	o.w.Close()
	o.abort()
}

// openOutput opens the output -o names, in temporary files: a CSV
// directory, one file, or a directory of one file per record type.
// Standard output has nothing to commit.
func openOutput(stdout io.Writer, opts *convertOptions, ds *convert.Dataset) (*output, error) {
	switch {
	case opts.to == "csv":
		dir, err := atomicfile.CreateDir(opts.output, convert.IsCSVExportFile)
		if err != nil {
			return nil, err
		}
		w := convert.NewCSVWriter(dir.Path, ds, csvOptions(opts))
		return &output{w: w, commit: dir.Commit, abort: dir.Abort}, nil
	case opts.output == "-":
		return &output{w: newWriter(opts.to, stdout, ds), commit: func() error { return nil }, abort: func() {}}, nil
	case isDirOutput(opts.output):
		tw := &typeFiles{opts: opts, ds: ds, files: map[string]*typeFile{}}
		return &output{w: tw, commit: tw.commit, abort: tw.abort}, nil
	}
	f, err := atomicfile.Create(opts.output)
	if err != nil {
		return nil, err
	}
	w, err := newFileWriter(opts.to, opts.output, f, ds)
	if err != nil {
		f.Abort()
		return nil, err
	}
	return &output{w: w, commit: f.Commit, abort: f.Abort}, nil
}

func newWriter(format string, w io.Writer, ds *convert.Dataset) convert.Writer {
	switch format {
	case "xlsx":
		return convert.NewXLSXWriter(w, ds)
	case "jsonld":
		return convert.NewJSONLDWriter(w, ds)
	case "json":
		return convert.NewJSONWriter(w, ds)
	case "jsonl":
		return convert.NewJSONLWriter(w, ds)
	}
	return convert.NewYAMLWriter(w, ds)
}

// newFileWriter returns the writer of a file that replaces target. A YAML
// file there already is updated: records that did not change keep their
// text, comments included.
func newFileWriter(format, target string, w io.Writer, ds *convert.Dataset) (convert.Writer, error) {
	if format == "yaml" {
		info, err := os.Stat(target)
		if err == nil && info.Mode().IsRegular() {
			old, err := os.ReadFile(target)
			if err != nil {
				return nil, err
			}
			return convert.NewYAMLUpdater(w, old, target, ds), nil
		}
	}
	return newWriter(format, w, ds), nil
}

// writeAll streams every record of a second reading of the inputs into
// the output and commits it; on error it is aborted.
func writeAll(o *output, inputs []dataset.Input, read dataset.Options) error {
	err := dataset.Records(inputs, read, o.Write)
	if err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}

// typeFiles writes one canonical file per record type into the directory
// opts.output. Each goes to a temporary file first; they are renamed into
// place together once every one is complete.
type typeFiles struct {
	opts   *convertOptions
	ds     *convert.Dataset
	files  map[string]*typeFile
	closed bool
}

type typeFile struct {
	f *atomicfile.File
	w convert.Writer
}

func (t *typeFiles) open(typ string) (*typeFile, error) {
	target := filepath.Join(t.opts.output, typ+"s."+t.opts.to)
	// The folder was checked, but a file in it may be a link to an input.
	if err := refuseOverwritingInput(target, t.opts.inputs); err != nil {
		return nil, err
	}
	f, err := atomicfile.Create(target)
	if err != nil {
		return nil, err
	}
	w, err := newFileWriter(t.opts.to, target, f, t.ds)
	if err != nil {
		f.Abort()
		return nil, err
	}
	tf := &typeFile{f: f, w: w}
	t.files[typ] = tf
	return tf, nil
}

func (t *typeFiles) Write(rec *convert.Record) error {
	typ, _ := rec.Value.(map[string]any)["type"].(string)
	tf := t.files[typ]
	if tf == nil {
		var err error
		if tf, err = t.open(typ); err != nil {
			return err
		}
	}
	return tf.w.Write(rec)
}

// Close empties the files of types without records that are there
// already, so that the directory holds what the input holds, and closes
// every writer.
func (t *typeFiles) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	var err error
	for _, typ := range schema.RecordTypes {
		if _, statErr := os.Stat(filepath.Join(t.opts.output, typ+"s."+t.opts.to)); t.files[typ] == nil && statErr == nil {
			if _, oerr := t.open(typ); oerr != nil && err == nil {
				err = oerr
			}
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(t.files)) {
		if cerr := t.files[typ].w.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (t *typeFiles) commit() error {
	for _, typ := range slices.Sorted(maps.Keys(t.files)) {
		if err := t.files[typ].f.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func (t *typeFiles) abort() {
	for _, tf := range t.files {
		tf.f.Abort()
	}
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

// refuseOverwritingInput stops a conversion whose output is one of its
// inputs (or a directory holding them): nothing the user gave us is ever
// overwritten.
//
// Paths are compared with every symbolic link resolved, and files by
// identity, so that no link (to the input, to its folder) leads around
// the check.
func refuseOverwritingInput(output string, inputs []dataset.Input) error {
	if output == "-" {
		return nil
	}
	out, err := realPath(output)
	if err != nil {
		return err
	}
	outInfo, statErr := os.Stat(output)
	for _, in := range inputs {
		if in.Path == dataset.Stdin {
			continue
		}
		real, err := realPath(in.Path)
		if err != nil {
			return err
		}
		inInfo, err := os.Stat(in.Path)
		same := err == nil && statErr == nil && os.SameFile(inInfo, outInfo)
		if same || real == out || strings.HasPrefix(real, out+string(filepath.Separator)) {
			return fmt.Errorf("-o %s would overwrite the input %s; write the output somewhere else", output, in.Path)
		}
	}
	return nil
}
