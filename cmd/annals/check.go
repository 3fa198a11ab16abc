package main

// What validate, convert and conflicts share: reading the inputs into a
// checker, and listing its findings.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/progress"
	"github.com/annals-project/annals/schema"
)

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
	maxFindings   int  // 0: all
	keepConflicts bool // for Checker.Conflicts
	noDigest      bool // the inputs' SHA-256 is not needed
	// each, when set, gets every record once the checker has added it,
	// with what prepare (if set) returned for it on a worker.
	each func(c *check.Checker, rec *record.Record, prepared any)
	// prepare makes the function a worker runs on each record, for the
	// checker c.
	prepare func(c *check.Checker) func(*record.Record) any
	// progress, when set, is the terminal to draw a progress bar on while
	// the inputs are read (see progressTo).
	progress io.Writer
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
	c.KeepConflicts = opts.keepConflicts
	read := dataset.Options{Validator: v, Import: table.ImportOptions{IgnoreUnknown: opts.ignoreUnknown}}
	first := read // the first reading: the checks, and what the command asks of it
	first.NoDigest = opts.noDigest
	if opts.each != nil {
		first.Each = func(rec *record.Record, prepared any) { opts.each(c, rec, prepared) }
		if opts.prepare != nil {
			first.Prepare = opts.prepare(c)
		}
	}
	if opts.progress != nil {
		counter := &progress.Counter{}
		first.Progress = counter
		stop := progress.Show(opts.progress, counter, progress.Options{
			Total: textBytes(inputs), Color: os.Getenv("NO_COLOR") == "", Delay: progressDelay()})
		defer stop()
	}
	sum, err := dataset.Read(c, inputs, stdin, first)
	read.Validator = c.Validator() // with the manifest's extensions, for a second reading
	return c, sum, read, err
}

// progressTo returns where a command draws its progress bar: standard
// error when it is a terminal, unless --no-progress is given or TERM is
// dumb; nil, for no bar, otherwise.
func progressTo(cmd *cobra.Command) io.Writer {
	if f := cmd.Flag("no-progress"); f != nil && f.Value.String() == "true" {
		return nil
	}
	f, ok := cmd.ErrOrStderr().(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return f
}

// progressDelay is how long a run goes before its progress bar appears:
// half a second, so that quick runs do not flash one. ANNALS_PROGRESS_DELAY
// (a Go duration) changes it, for tests.
func progressDelay() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("ANNALS_PROGRESS_DELAY")); err == nil {
		return d
	}
	return 500 * time.Millisecond
}

// textBytes is the size of the inputs read as text, which the progress
// bar counts, or 0 when one is standard input, whose size is unknown.
func textBytes(inputs []dataset.Input) int64 {
	var n int64
	for _, in := range inputs {
		if in.Import != dataset.NoImport {
			continue
		}
		if in.Path == dataset.Stdin {
			return 0
		}
		if info, err := os.Stat(in.Path); err == nil {
			n += info.Size()
		}
	}
	return n
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

// verdictExit is the exit code of a check that found errors: 1, or 2 when
// the dataset was larger than the checker can hold, so that its findings
// are no verdict (see check.Report.Incomplete).
func verdictExit(rep *check.Report) int {
	if rep.Incomplete {
		return exitUsage
	}
	return exitInvalid
}

// errorsFirst is the error of a command that stops at the errors rep
// found: format, with the count of errors, or, for a dataset larger than
// the checker can hold, that.
func errorsFirst(rep *check.Report, format string) error {
	if rep.Incomplete {
		return errors.New("nothing done: the dataset is larger than annals can check whole (see the beyond-limits finding above)")
	}
	return fmt.Errorf(format, english.Count(rep.Errors, "error"))
}
