package main

import (
	"bufio"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/output"
	"github.com/annals-project/annals/internal/report"
	"github.com/annals-project/annals/schema"
)

type reportOptions struct {
	output, inputFormat string
	ignoreUnknown       bool
	maxFindings         int
}

func newReportCmd() *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report [PATH...] -o report.html",
		Short: "Write a dataset as one HTML page: findings, timeline, sources, actors",
		Long: `Report writes the dataset (default: the current folder) as one
self-contained HTML page, which opens offline in any browser and can be
sent as it is:

  summary            the records of each type, and the findings
  findings           every finding of annals validate (notes included),
                     grouped by record
  timeline           the events and statements by date, drawn as SVG
  what sources say   for each event and statement, what every source
                     reported: dates, places, spellings and quotes, with
                     the values that disagree with the record highlighted
  actors             every actor with its aliases and the records it is in

A dataset with errors is reported all the same (the report shows them);
the exit code is then 1, as with validate.`,
		Example: `  annals report samples -o report.html
  annals report . -o review/2022-03.html --max-findings 0`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "the HTML file to write (required)")
	f.StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	completeWith(cmd, "input-format", stdinFormats...)
	f.BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
	return cmd
}

func runReport(cmd *cobra.Command, opts *reportOptions, args []string) error {
	if opts.output == "" || opts.output == "-" {
		return &exitError{exitUsage, errors.New("name the HTML file to write with -o, such as -o report.html")}
	}
	if output.IsStdout(opts.output) {
		return &exitError{exitUsage, errors.New("the report is a page to open in a browser: name the HTML file to write with -o, such as -o report.html")}
	}
	inputs, left, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	if err := output.RefuseOverwritingInput(opts.output, inputs); err != nil {
		return err
	}
	var records []map[string]any
	c, _, _, err := checkInputs(inputs, cmd.InOrStdin(), checkOptions{
		ignoreUnknown: opts.ignoreUnknown, list: check.Info, maxFindings: opts.maxFindings, keepConflicts: true, noDigest: true,
		progress: progressTo(cmd),
		each: func(_ *check.Checker, rec *record.Record, _ any) {
			if m, ok := rec.Value.(map[string]any); ok {
				records = append(records, m)
			}
		}})
	if err != nil {
		if errors.As(err, new(*dataset.PathError)) {
			return asExit(err, exitUsage)
		}
		return asExit(err, exitInvalid)
	}
	manifest := c.ManifestData()
	rep := c.Finish()
	if rep.Incomplete {
		stderr := cmd.ErrOrStderr()
		if err := writeFindings(stderr, stderr, "text", rep); err != nil {
			return &exitError{exitInvalid, err}
		}
		return &exitError{exitUsage, fmt.Errorf("nothing written: the dataset is larger than annals can check whole")}
	}
	ds := &report.Dataset{Manifest: manifest, Records: records, Report: rep, Conflicts: c.Conflicts(),
		Version: version, SchemaVersion: schema.Version, Own: ownFields(c.Validator())}
	f, err := atomicfile.Create(opts.output)
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("writing %s: %w", opts.output, err)}
	}
	w := bufio.NewWriter(f)
	if err := report.Write(w, ds); err != nil {
		f.Abort()
		return &exitError{exitInvalid, fmt.Errorf("writing %s: %w", opts.output, err)}
	}
	if err := w.Flush(); err != nil {
		f.Abort()
		return &exitError{exitInvalid, fmt.Errorf("writing %s: %w", opts.output, err)}
	}
	if err := f.Commit(); err != nil {
		return &exitError{exitInvalid, fmt.Errorf("writing %s: %w", opts.output, err)}
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%s, %s, %s)\n", opts.output, english.Count(rep.Records, "record"), english.Count(rep.Errors, "error"), english.Count(rep.Warnings, "warning"))
	sayLeftOut(cmd.ErrOrStderr(), left)
	if q := rep.Quotes.String(); q != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), q)
	}
	if rep.Errors > 0 {
		return &exitError{exitInvalid, nil}
	}
	return nil
}

// ownFields are the fields the manifest's extensions add, by record type.
func ownFields(v *schema.Validator) map[string][]schema.Field {
	out := map[string][]schema.Field{}
	for _, typ := range schema.RecordTypes {
		if own := v.OwnFields(typ); len(own) > 0 {
			out[typ] = own
		}
	}
	return out
}
