package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
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

// outputFormats lists the --to values; csv and parquet write a directory.
var outputFormats = []string{"xlsx", "csv", "parquet", "sqlite", "jsonld", "json", "jsonl", "yaml"}

func newConvertCmd() *cobra.Command {
	opts := &convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert [PATH...] --to FORMAT -o OUT",
		Short: "Convert records to Excel, CSV, Parquet, SQLite, JSON-LD, JSON, JSON Lines or YAML",
		Long: `Convert validates the records first, exactly as validate does: invalid input is
refused with the same findings, and nothing is written. Valid records are
then written in one format:

  xlsx    an Excel workbook: a sheet per record type and per list in it
          (participants, aliases, attestations...), a Conflicts sheet when
          the sources disagree, a Codebook and an About sheet
  csv     a directory of CSV files (RFC 4180, UTF-8), the same tables as the
          sheets, and a datapackage.json (Frictionless Data Package) with
          types, descriptions and keys
  parquet a directory of Apache Parquet files, one per table, with typed
          columns (text, whole numbers, numbers, booleans, DATE), for
          DuckDB, Polars, pandas, R arrow, Spark and BigQuery
  sqlite  one SQLite database: a table per table with its keys, the
          analysis table, the codebook, and search, a full-text index
          (FTS5) over quotes, summaries and titles; for sqlite3, DB Browser
          for SQLite and Datasette

Every tabular export (xlsx, csv, parquet, sqlite) also has the analysis table: one
row per attestation of every event and statement, with the speaker's and
participants' names and the source's outlet, headline and date joined in.
  jsonld  one JSON-LD document (schema.org and PROV-O, context embedded)
  json, jsonl, yaml
          the records back in canonical form (fields in schema order): in
          one file, or, when OUT is a directory (it exists, or ends in /),
          into its files: each record into the file there that holds it, a
          new one into its type's file, as samples/ has them (actors.yaml,
          sources.yaml, events.yaml, statements.yaml). Every file of records
          of the directory is written, so that it holds what the input
          holds: a file whose records are all gone is emptied, and annals
          says what it removed. Files without records are left as they are.
          A YAML file that is there already is updated rather than rewritten:
          records and values that did not change keep their text, comments
          and folded lines, so that a diff shows only what changed.

The input may also be a workbook or CSV export that annals wrote and a
curator edited: convert annals.xlsx --to yaml brings the edits back as
canonical records, after every check validate runs.

The output is written to a temporary file beside OUT and renamed over it
only when complete: after a failure no partial output exists and an older
OUT is intact. -o - writes to standard output (not for csv or parquet).

In CSV, text starting with = + - @ tab or carriage return (or ') gets a
leading ' so that spreadsheets never run it as a formula (the OWASP rule;
annals undoes it when reading CSV back). --no-formula-guard turns this off.`,
		Example: `  annals convert samples --to xlsx -o out/annals.xlsx
  annals convert samples --to csv -o out/csv --bom
  annals convert samples --to parquet -o out/parquet
  annals convert samples --to sqlite -o out/annals.sqlite
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
	f.StringVarP(&opts.output, "output", "o", "", "output file, directory (for csv and parquet, or the folder of records to bring them back into), or - for standard output (required)")
	f.StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	completeWith(cmd, "to", outputFormats...)
	completeWith(cmd, "input-format", stdinFormats...)
	f.BoolVar(&opts.bom, "bom", false, "csv: start every file with a UTF-8 byte order mark, for Excel")
	f.BoolVar(&opts.noFormulaGuard, "no-formula-guard", false, "csv: write text starting with = + - @ as it is")
	f.BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "reading a workbook or CSV export: skip sheets, files and columns annals did not write")
	f.StringVar(&opts.archive, "archive", "", "folder of the sources' archived texts, to verify quotes (overrides the manifest's archive)")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
	return cmd
}

func runConvert(cmd *cobra.Command, opts *convertOptions, args []string) error {
	if err := checkConvertOptions(opts); err != nil {
		return &exitError{exitUsage, err}
	}
	inputs, left, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	// Records brought back into a folder are checked file by file, as
	// they are written: a workbook kept in the dataset's folder, left out
	// of its records (exports/ under exclude:), may come back into it.
	intoFolder := output.IsDir(opts.output) && slices.Contains([]string{"yaml", "json", "jsonl"}, opts.to)
	if err := output.RefuseOverwritingInput(opts.output, inputs); err != nil && !intoFolder {
		return &exitError{exitUsage, err}
	}
	cleanup, err := dataset.Spool(inputs, cmd.InOrStdin())
	defer cleanup()
	if err != nil {
		return &exitError{exitUsage, err}
	}
	v, err := schema.Default()
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	target := &output.Target{Format: opts.to, Path: opts.output, Inputs: inputs,
		CSV: csv.Options{BOM: opts.bom, NoFormulaGuard: opts.noFormulaGuard}}
	ds := &record.Dataset{Version: version, Validator: v}
	conv := output.NewConversion(target, ds)
	each := func(c *check.Checker, rec *record.Record, prepared any) {
		conv.Add(c.Errors(), c.ManifestData(), c.Validator(), rec, prepared)
	}
	c, sum, read, err := checkInputs(inputs, nil, checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: check.Warning, maxFindings: opts.maxFindings,
		keepConflicts: opts.to == "xlsx", // only the workbook lists the conflicts (a sheet)
		each:          each, prepare: func(c *check.Checker) func(*record.Record) any { return output.Prepare(target, c.Validator) },
		progress: progressTo(cmd)})
	if err != nil {
		conv.Abort()
		return asExit(err, exitUsage)
	}
	rep, stderr := c.Finish(), cmd.ErrOrStderr()
	if err := convertVerdict(stderr, rep, conv.Err()); err != nil {
		conv.Abort()
		return err
	}
	ds.Manifest, ds.Inputs, ds.Counts, ds.Conflicts, ds.Validator = sum.Manifest, sum.Inputs, rep.Counts, c.ConflictSeq(), c.Validator()
	if err := conv.Finish(cmd.OutOrStdout(), inputs, read); err != nil {
		var partial *atomicfile.PartialCommitError
		if errors.As(err, &partial) {
			return &exitError{exitInvalid, fmt.Errorf("-o %s: %w", opts.output, err)}
		}
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", err)}
	}
	if opts.output != "-" {
		fmt.Fprintf(stderr, "wrote %s (%s, %s)\n", opts.output, opts.to, english.Count(conv.Records(), "record"))
	}
	if removed := output.RemovedText(conv.Removed()); removed != "" {
		fmt.Fprintln(stderr, removed)
	}
	sayLeftOut(stderr, left)
	return nil
}

// convertVerdict writes the findings, and says whether the output may be
// put in place: not when the input has errors or writing failed.
func convertVerdict(stderr io.Writer, rep *check.Report, writeErr error) error {
	if err := writeFindings(stderr, stderr, "text", rep); err != nil {
		return &exitError{exitInvalid, err}
	}
	if rep.Errors > 0 {
		fmt.Fprintln(stderr, rep.Summary())
		return &exitError{verdictExit(rep), errorsFirst(rep, "nothing written: fix the %s above first")}
	}
	if writeErr != nil {
		return &exitError{exitInvalid, fmt.Errorf("nothing written: %w", writeErr)}
	}
	return nil
}

// checkConvertOptions refuses options that do not go together, and
// writes standard output's other names as "-": it is written to, not
// opened again.
func checkConvertOptions(opts *convertOptions) error {
	switch {
	case opts.to == "":
		return fmt.Errorf("--to is required: one of %s", strings.Join(outputFormats, ", "))
	case !slices.Contains(outputFormats, opts.to):
		return fmt.Errorf("--to %q is not a format; use %s", opts.to, strings.Join(outputFormats, ", "))
	case opts.output == "":
		return errors.New("-o is required: the output file (a directory for csv), or - for standard output")
	case output.IsStdout(opts.output) && (opts.to == "csv" || opts.to == "parquet"):
		return fmt.Errorf("%s writes a directory of files; name it with -o DIR", opts.to)
	case (opts.bom || opts.noFormulaGuard) && opts.to != "csv":
		return errors.New("--bom and --no-formula-guard apply to --to csv only")
	case (opts.to == "xlsx" || opts.to == "jsonld" || opts.to == "sqlite") && output.IsDir(opts.output):
		return fmt.Errorf("-o %s is a directory, and %s writes one file: name it, as in -o %s", opts.output, opts.to, filepath.Join(opts.output, "annals."+opts.to))
	}
	if output.IsStdout(opts.output) {
		opts.output = "-"
	}
	return nil
}
