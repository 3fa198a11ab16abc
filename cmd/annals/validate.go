package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/schema"
)

type validateOptions struct {
	format        string
	inputFormat   string
	ignoreUnknown bool
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

Every problem is printed as FILE:LINE:COL: RECORD: FIELD: MESSAGE, sorted,
followed by a summary on standard error.`,
		Example: `  annals validate samples
  annals validate events.yaml actors.yaml --format github
  cat records.jsonl | annals validate - --input-format jsonl --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: "+strings.Join(check.Formats, ", "))
	cmd.Flags().StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	cmd.Flags().BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	return cmd
}

func runValidate(cmd *cobra.Command, opts *validateOptions, args []string) error {
	if !slices.Contains(check.Formats, opts.format) {
		return &exitError{exitUsage, fmt.Errorf("--format %q is not a format; use %s", opts.format, strings.Join(check.Formats, ", "))}
	}
	inputs, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	v, err := schema.Default()
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	c := check.New(v)
	read := dataset.Options{Validator: v, Import: convert.ImportOptions{IgnoreUnknown: opts.ignoreUnknown}}
	if _, err := dataset.Check(c, inputs, cmd.InOrStdin(), read); err != nil {
		var pe *dataset.PathError
		if errors.As(err, &pe) {
			return &exitError{exitUsage, err}
		}
		return &exitError{exitInvalid, err}
	}
	rep := c.Finish()
	if err := check.WriteFindings(cmd.OutOrStdout(), opts.format, rep.Findings); err != nil {
		return &exitError{exitInvalid, err}
	}
	fmt.Fprintln(cmd.ErrOrStderr(), rep.Summary())
	if rep.Errors > 0 {
		return &exitError{code: exitInvalid}
	}
	return nil
}
