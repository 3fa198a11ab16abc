package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
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

Every problem is printed as FILE:LINE:COL: RECORD: FIELD: MESSAGE, sorted,
followed by a summary on standard error. Each has a code; annals explain
CODE says what it means and how to fix it, and the manifest's checks can
change the severity of the dataset-level ones, or turn them off.

Exit codes: 0 no errors (with --strict: no errors and no warnings), 1
errors (or, with --strict, warnings), 2 usage error or unreadable input.`,
		Example: `  annals validate samples
  annals validate events.yaml actors.yaml --format github
  annals validate samples --archive ../shared/seeds --strict
  cat records.jsonl | annals validate - --input-format jsonl --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: "+strings.Join(check.Formats, ", "))
	cmd.Flags().StringVar(&opts.inputFormat, "input-format", "", "format of standard input (-): json, jsonl or yaml")
	cmd.Flags().BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	cmd.Flags().StringVar(&opts.archive, "archive", "", "folder of the sources' archived texts, to verify quotes (overrides the manifest's archive)")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "fail (exit 1) on warnings too")
	cmd.Flags().BoolVar(&opts.info, "info", false, "show notes (findings of severity info, such as sources that disagree)")
	addMaxFindingsFlag(cmd, &opts.maxFindings)
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
	list := check.Info
	if !opts.info {
		list = check.Warning
	}
	c, _, _, err := checkInputs(inputs, cmd.InOrStdin(), checkOptions{
		archive: opts.archive, ignoreUnknown: opts.ignoreUnknown, list: list, maxFindings: opts.maxFindings})
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
	if rep.Errors > 0 || opts.strict && rep.Warnings > 0 {
		return &exitError{code: exitInvalid}
	}
	return nil
}

// defaultMaxFindings is how many findings a command lists unless told
// otherwise: more than anyone reads, few enough that a broken file does
// not flood the terminal or the CI log.
const defaultMaxFindings = 1000

func addMaxFindingsFlag(cmd *cobra.Command, max *int) {
	*max = defaultMaxFindings
	cmd.Flags().Var((*countValue)(max), "max-findings", "list at most this many findings (0: all); the rest are counted")
}

// countValue is a flag that takes a whole number from 0.
type countValue int

func (c *countValue) String() string { return strconv.Itoa(int(*c)) }
func (c *countValue) Type() string   { return "int" }

func (c *countValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a whole number from 0")
	}
	*c = countValue(n)
	return nil
}

// writeFindings lists the report's findings on w in format, then says how
// many more were found but not listed: on w as the last line in the text
// and github formats, on stderr in json (whose every line is a finding).
func writeFindings(w, stderr io.Writer, format string, rep *check.Report) error {
	if err := check.WriteFindings(w, format, rep.Findings); err != nil {
		return err
	}
	if rep.Omitted == 0 {
		return nil
	}
	more := fmt.Sprintf("%d more findings not shown; --max-findings 0 lists them all", rep.Omitted)
	if rep.Omitted == 1 {
		more = "1 more finding not shown; --max-findings 0 lists it"
	}
	var err error
	switch format {
	case "github":
		_, err = fmt.Fprintf(w, "::warning title=annals::%s\n", more)
	case "json":
		_, err = fmt.Fprintln(stderr, more)
	default:
		_, err = fmt.Fprintln(w, more)
	}
	return err
}

// checkOptions say how checkInputs reads and what its Checker lists.
type checkOptions struct {
	archive       string // --archive
	ignoreUnknown bool   // --ignore-unknown
	list          check.Severity
	maxFindings   int // 0: all
}

// checkInputs reads the inputs into a new Checker, pointed at the archive
// folder when one is given and listing findings of opts.list severity and
// above, and returns it with what reading learned and the options to read
// the records again. An error from reading the inputs is returned as it
// is, for the command to give it an exit code.
func checkInputs(inputs []dataset.Input, stdin io.Reader, opts checkOptions) (*check.Checker, *dataset.Summary, dataset.Options, error) {
	v, err := schema.Default()
	if err != nil {
		return nil, nil, dataset.Options{}, &exitError{exitInvalid, err}
	}
	c := check.New(v)
	if err := setArchive(c, opts.archive); err != nil {
		return nil, nil, dataset.Options{}, err
	}
	c.List = func(f check.Finding) bool { return f.Severity <= opts.list }
	c.MaxFindings = opts.maxFindings
	read := dataset.Options{Validator: v, Import: convert.ImportOptions{IgnoreUnknown: opts.ignoreUnknown}}
	sum, err := dataset.Check(c, inputs, stdin, read)
	return c, sum, read, err
}

// setArchive points the checker at --archive, which must be a folder.
func setArchive(c *check.Checker, dir string) error {
	if dir == "" {
		return nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return &exitError{exitUsage, fmt.Errorf("--archive %s: not a folder; name the folder that holds the sources' archived texts", dir)}
	}
	c.Archive = dir
	return nil
}
