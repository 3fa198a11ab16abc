package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/output"
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
	case output.IsStdout(opts.output) && opts.to == "csv":
		return &exitError{exitUsage, errors.New("csv writes a directory of files; name it with -o DIR")}
	case (opts.bom || opts.noFormulaGuard) && opts.to != "csv":
		return &exitError{exitUsage, errors.New("--bom and --no-formula-guard apply to --to csv only")}
	case (opts.to == "xlsx" || opts.to == "jsonld") && output.IsDir(opts.output):
		return &exitError{exitUsage, fmt.Errorf("-o %s is a directory, and %s writes one file: name it, as in -o %s", opts.output, opts.to, filepath.Join(opts.output, "annals."+opts.to))}
	}
	if output.IsStdout(opts.output) {
		opts.output = "-" // written to, not opened again
	}
	stream := output.IsStream(opts.output)
	inputs, left, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	if err := output.RefuseOverwritingInput(opts.output, inputs); err != nil {
		return &exitError{exitUsage, err}
	}
	target := &output.Target{Format: opts.to, Path: opts.output, Inputs: inputs,
		CSV: convert.CSVOptions{BOM: opts.bom, NoFormulaGuard: opts.noFormulaGuard}}
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
	var out *output.Output
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
			if out, writeErr = output.Open(nil, target, ds); writeErr != nil {
				return
			}
		}
		writeErr = out.WritePrepared(rec, prepared)
	}
	// Only the workbook lists the conflicts between sources (a sheet).
	c, sum, read, err := checkInputs(inputs, nil, checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: check.Warning, maxFindings: opts.maxFindings,
		keepConflicts: opts.to == "xlsx", each: each, prepare: output.Prepare(target, v), progress: progressTo(cmd)})
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
		if out, err = output.Open(cmd.OutOrStdout(), target, ds); err == nil {
			err = output.WriteAll(out, inputs, read)
		}
	case out == nil: // no records
		if out, err = output.Open(nil, target, ds); err == nil {
			err = out.Commit()
		}
	default:
		err = out.Commit()
	}
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", err)}
	}
	if opts.output != "-" {
		fmt.Fprintf(stderr, "wrote %s (%s, %s)\n", opts.output, opts.to, plural(out.Records(), "record"))
	}
	sayLeftOut(stderr, left)
	return nil
}
