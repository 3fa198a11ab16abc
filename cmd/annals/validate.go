package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
)

type validateOptions struct {
	format        string
	inputFormat   string
	ignoreUnknown bool
	archive       string
	strict        bool
	info          bool
	maxFindings   int
}

func newValidateCmd() *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check records against the schema and each other",
		Long: `Validate checks every record in the named files and directories (default: the
current directory) against the annals schema, then checks the dataset as a
whole: unique ids, references that resolve to a record of the right type,
dates that make sense together.

Directories are read recursively, in lexical order, taking every .json,
.jsonl, .ndjson, .yaml and .yml file; annals.yaml is the dataset manifest.
Use - to read standard input, with --input-format.

An Excel workbook (.xlsx) or a CSV directory (or its datapackage.json)
that annals exported, and a curator edited, is read back when named: its
findings point at the sheet and cell (annals.xlsx: Events!D7) or the CSV
line and column. Directories found while walking a tree are not read back
(an out/ folder holds the same records again).

Then it checks the records against their sources: every quote must be in
the archived text of the article it cites (when the manifest names an
archive folder, or --archive does); a spelling a source reports for an
actor must be its name or a listed alias; two actors must not be the same
person under two spellings. Where the sources disagree with each other or
with the record (dates, places, spellings), a note says so: --info shows
the notes, and annals conflicts lists them in full.

Every problem is printed as FILE:LINE:COL: RECORD: FIELD: MESSAGE [CODE],
sorted, followed by a summary on standard error, and by how many quotes
were verified against the archived texts (and why the others were not).
annals explain CODE says what a code means and how to fix it, and the
manifest's checks can change the severity of the dataset-level ones, or
turn them off.

Exit codes: 0 no errors (with --strict: no errors, no warnings, and every
quote verified), 1 errors (or, with --strict, warnings or quotes not
verified), 2 usage error, unreadable input, or a dataset larger than the
checker can hold.`,
		Example: `  annals validate samples
  annals validate events.yaml actors.yaml --format github
  annals validate samples --archive path/to/articles --strict
  cat records.jsonl | annals validate - --input-format jsonl --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: "+strings.Join(check.Formats, ", "))
	cmd.Flags().StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	completeWith(cmd, "format", check.Formats...)
	completeWith(cmd, "input-format", stdinFormats...)
	cmd.Flags().BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	cmd.Flags().StringVar(&opts.archive, "archive", "", "folder of the sources' archived texts, to verify quotes (overrides the manifest's archive)")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "fail (exit 1) on warnings too, and when a quote could not be verified")
	cmd.Flags().BoolVar(&opts.info, "info", false, "show notes (findings of severity info, such as sources that disagree)")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
	return cmd
}

func runValidate(cmd *cobra.Command, opts *validateOptions, args []string) error {
	if !slices.Contains(check.Formats, opts.format) {
		return &exitError{exitUsage, fmt.Errorf("--format %q is not a format; use %s", opts.format, strings.Join(check.Formats, ", "))}
	}
	inputs, left, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	list := check.Info
	if !opts.info {
		list = check.Warning
	}
	c, _, _, err := checkInputs(inputs, cmd.InOrStdin(), checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: list, maxFindings: opts.maxFindings, noDigest: true, progress: progressTo(cmd)})
	if err != nil {
		if errors.As(err, new(*dataset.PathError)) {
			return asExit(err, exitUsage)
		}
		return asExit(err, exitInvalid)
	}
	rep := c.Finish()
	if err := writeFindings(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts.format, rep); err != nil {
		return &exitError{exitInvalid, err}
	}
	fmt.Fprintln(cmd.ErrOrStderr(), rep.Summary())
	sayLeftOut(cmd.ErrOrStderr(), left)
	if opts.format == "github" && len(left) > 0 {
		// Reviewers of a pull request see annotations, not the log.
		fmt.Fprintf(cmd.OutOrStdout(), "::notice title=annals left out::%s\n", leftOutLine(left))
	}
	if err := writeQuoteCoverage(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts.format, rep.Quotes); err != nil {
		return &exitError{exitInvalid, err}
	}
	if rep.Incomplete {
		return &exitError{code: exitUsage}
	}
	if rep.Errors > 0 || opts.strict && rep.Warnings > 0 {
		return &exitError{code: exitInvalid}
	}
	if opts.strict && rep.Quotes.Unverified() > 0 {
		return &exitError{exitInvalid, fmt.Errorf("--strict: %s not verified", english.Count(rep.Quotes.Unverified(), "quote"))}
	}
	return nil
}

// writeQuoteCoverage says how many quotes were verified, after the
// summary: a line on standard error, and for GitHub an annotation too, a
// warning when some were not.
func writeQuoteCoverage(w, stderr io.Writer, format string, q check.QuoteCoverage) error {
	line := q.String()
	if line == "" {
		return nil
	}
	if _, err := fmt.Fprintln(stderr, line); err != nil {
		return err
	}
	if format != "github" {
		return nil
	}
	level := "notice"
	if q.Unverified() > 0 {
		level = "warning"
	}
	_, err := fmt.Fprintf(w, "::%s title=annals quotes::%s\n", level, line)
	return err
}
