package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/english"
)

type conflictsOptions struct {
	format        string
	inputFormat   string
	ignoreUnknown bool
	maxFindings   int
}

func newConflictsCmd() *cobra.Command {
	opts := &conflictsOptions{}
	cmd := &cobra.Command{
		Use:   "conflicts [PATH...]",
		Short: "List what the sources disagree on",
		Long: `Conflicts lists, for every event and statement, the values its sources
report that do not fit each other or the record's own value:

  date           the reported dates (reported_date): no one day fits them all
                 and the record's date ("2022-01" fits "2022-01-10")
  location.name  the reported places (reported_place), beyond case, accents
                 and punctuation ("Geneva" fits "Geneva, Switzerland")
  reported_names the spellings of one actor (reported_names) that are not its
                 name or an alias of it, or a part of one (a surname alone
                 fits); an alias of kind misspelling is listed, since the
                 source got the name wrong

Each conflict names every source, its value, its own wording of a date, its
rank, and where the value is written. Disagreement is data, not an error:
the list is for choosing the canonical values knowingly.

Formats: text (default), json (JSON Lines, a conflict per line), csv (a row
per source, RFC 4180, UTF-8). The input is checked as validate checks it;
its errors go to standard error and make the exit code 1, but the conflicts
found are listed all the same.`,
		Example: `  annals conflicts samples
  annals conflicts samples --format csv > conflicts.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConflicts(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", "text", "output format: "+strings.Join(check.ConflictFormats, ", "))
	f.StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	completeWith(cmd, "format", check.ConflictFormats...)
	completeWith(cmd, "input-format", stdinFormats...)
	f.BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
	return cmd
}

func runConflicts(cmd *cobra.Command, opts *conflictsOptions, args []string) error {
	if !slices.Contains(check.ConflictFormats, opts.format) {
		return &exitError{exitUsage, fmt.Errorf("--format %q is not a format; use %s", opts.format, strings.Join(check.ConflictFormats, ", "))}
	}
	inputs, _, err := expandInputs(args, opts.inputFormat)
	if err != nil {
		return err
	}
	c, _, _, err := checkInputs(inputs, cmd.InOrStdin(), checkOptions{
		ignoreUnknown: opts.ignoreUnknown, list: check.Error, maxFindings: opts.maxFindings, keepConflicts: true, noDigest: true, progress: progressTo(cmd)})
	if err != nil {
		return asExit(err, exitUsage)
	}
	rep := c.Finish()
	conflicts := c.Conflicts()
	if err := check.WriteConflicts(cmd.OutOrStdout(), opts.format, conflicts); err != nil {
		return &exitError{exitInvalid, err}
	}
	stderr := cmd.ErrOrStderr()
	if err := writeFindings(stderr, stderr, "text", rep); err != nil {
		return &exitError{exitInvalid, err}
	}
	fmt.Fprintf(stderr, "%s in %s\n", english.Count(len(conflicts), "conflict"), english.Count(rep.Records, "record"))
	if rep.Errors > 0 {
		return &exitError{verdictExit(rep), errorsFirst(rep, "the input has %s; annals validate shows them all")}
	}
	return nil
}
