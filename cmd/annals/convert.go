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
	case opts.output == "-" && opts.to == "csv":
		return &exitError{exitUsage, errors.New("csv writes a directory of files; name it with -o DIR")}
	case (opts.bom || opts.noFormulaGuard) && opts.to != "csv":
		return &exitError{exitUsage, errors.New("--bom and --no-formula-guard apply to --to csv only")}
	case (opts.to == "xlsx" || opts.to == "jsonld") && isDirOutput(opts.output):
		return &exitError{exitUsage, fmt.Errorf("-o %s is a directory, and %s writes one file: name it, as in -o %s", opts.output, opts.to, filepath.Join(opts.output, "annals."+opts.to))}
	}
	inputs, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	if err := refuseOverwritingInput(opts.output, inputs); err != nil {
		return &exitError{exitUsage, err}
	}
	cleanup, err := dataset.Spool(inputs, cmd.InOrStdin())
	defer cleanup()
	if err != nil {
		return &exitError{exitUsage, err}
	}
	c, sum, read, err := checkInputs(inputs, nil, checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: check.Warning, maxFindings: opts.maxFindings, keepConflicts: true})
	if err != nil {
		return asExit(err, exitUsage)
	}
	rep := c.Finish()
	stderr := cmd.ErrOrStderr()
	if err := writeFindings(stderr, stderr, "text", rep); err != nil {
		return &exitError{exitInvalid, err}
	}
	if rep.Errors > 0 {
		fmt.Fprintln(stderr, rep.Summary())
		return &exitError{exitInvalid, fmt.Errorf("nothing written: fix the %s above first", plural(rep.Errors, "error"))}
	}
	ds := &convert.Dataset{Validator: read.Validator, Manifest: sum.Manifest, Inputs: sum.Inputs, Counts: rep.Counts, Version: version, Conflicts: c.Conflicts()}
	n, err := writeOutput(cmd.OutOrStdout(), opts, ds, inputs, read)
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", err)}
	}
	if opts.output != "-" {
		fmt.Fprintf(stderr, "wrote %s (%s, %s)\n", opts.output, opts.to, plural(n, "record"))
	}
	return nil
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

// writeOutput writes every record to the output, atomically, and returns
// how many it wrote.
func writeOutput(stdout io.Writer, opts *convertOptions, ds *convert.Dataset, inputs []dataset.Input, read dataset.Options) (int, error) {
	if opts.to == "csv" {
		dir, err := atomicfile.CreateDir(opts.output, convert.IsCSVExportFile)
		if err != nil {
			return 0, err
		}
		defer dir.Abort()
		w := convert.NewCSVWriter(dir.Path, ds, convert.CSVOptions{BOM: opts.bom, NoFormulaGuard: opts.noFormulaGuard})
		n, err := writeAll(w, inputs, read)
		if err != nil {
			return 0, err
		}
		return n, dir.Commit()
	}
	if opts.output == "-" {
		return writeAll(newWriter(opts.to, stdout, ds), inputs, read)
	}
	if isDirOutput(opts.output) {
		return writeTypeFiles(opts, ds, inputs, read)
	}
	f, err := atomicfile.Create(opts.output)
	if err != nil {
		return 0, err
	}
	defer f.Abort()
	w, err := newFileWriter(opts.to, opts.output, f, ds)
	if err != nil {
		return 0, err
	}
	n, err := writeAll(w, inputs, read)
	if err != nil {
		return 0, err
	}
	return n, f.Commit()
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

// writeAll streams every record into w and closes it; on error the writer
// is still closed, to release what it holds.
func writeAll(w convert.Writer, inputs []dataset.Input, read dataset.Options) (int, error) {
	n := 0
	err := dataset.Records(inputs, read, func(rec *convert.Record) error {
		n++
		return w.Write(rec)
	})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// writeTypeFiles writes one canonical file per record type into the
// directory opts.output. Each goes to a temporary file first; they are
// renamed into place together once every one is complete.
func writeTypeFiles(opts *convertOptions, ds *convert.Dataset, inputs []dataset.Input, read dataset.Options) (n int, err error) {
	type typeFile struct {
		f *atomicfile.File
		w convert.Writer
	}
	files := map[string]*typeFile{}
	defer func() {
		for _, tf := range files {
			tf.f.Abort()
		}
	}()
	open := func(typ string) (*typeFile, error) {
		target := filepath.Join(opts.output, typ+"s."+opts.to)
		f, err := atomicfile.Create(target)
		if err != nil {
			return nil, err
		}
		w, err := newFileWriter(opts.to, target, f, ds)
		if err != nil {
			f.Abort()
			return nil, err
		}
		tf := &typeFile{f: f, w: w}
		files[typ] = tf
		return tf, nil
	}
	err = dataset.Records(inputs, read, func(rec *convert.Record) error {
		typ, _ := rec.Value.(map[string]any)["type"].(string)
		tf := files[typ]
		if tf == nil {
			var err error
			if tf, err = open(typ); err != nil {
				return err
			}
		}
		n++
		return tf.w.Write(rec)
	})
	for _, typ := range schema.RecordTypes {
		if _, statErr := os.Stat(filepath.Join(opts.output, typ+"s."+opts.to)); err == nil && files[typ] == nil && statErr == nil {
			_, err = open(typ) // emptied: the input has no record of this type
		}
	}
	types := slices.Sorted(maps.Keys(files))
	for _, typ := range types {
		if cerr := files[typ].w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return 0, err
	}
	for _, typ := range types {
		if err := files[typ].f.Commit(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// refuseOverwritingInput stops a conversion whose output is one of its
// inputs (or a directory holding them): nothing the user gave us is ever
// overwritten.
func refuseOverwritingInput(output string, inputs []dataset.Input) error {
	if output == "-" {
		return nil
	}
	out, err := filepath.Abs(output)
	if err != nil {
		return err
	}
	outInfo, statErr := os.Stat(output)
	for _, in := range inputs {
		if in.Path == dataset.Stdin {
			continue
		}
		abs, err := filepath.Abs(in.Path)
		if err != nil {
			return err
		}
		inInfo, err := os.Stat(in.Path)
		same := err == nil && statErr == nil && os.SameFile(inInfo, outInfo)
		if same || abs == out || strings.HasPrefix(abs, out+string(filepath.Separator)) {
			return fmt.Errorf("-o %s would overwrite the input %s; write the output somewhere else", output, in.Path)
		}
	}
	return nil
}
