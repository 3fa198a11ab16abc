package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/dataset"
)

// Exit codes, as jv and most validators use them.
const (
	exitOK      = 0 // valid
	exitInvalid = 1 // the data has errors, or writing output failed
	exitUsage   = 2 // bad flags or arguments, or input that cannot be read
)

// version is set by the linker for releases (-X main.version=…).
var version = "dev"

// exitError carries an exit code through cobra. A nil err means the
// command has already told the user what went wrong.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// asExit gives err the exit code, unless it carries one already.
func asExit(err error, code int) error {
	if errors.As(err, new(*exitError)) {
		return err
	}
	return &exitError{code, err}
}

// Main runs the command line with the process's arguments and streams and
// returns the exit code.
func Main() int {
	defer discardOutputOnSignal()()
	defer startProfiles()()
	boundHeap()
	return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// discardOutputOnSignal makes an interrupt (Ctrl-C), a SIGTERM or a SIGHUP
// (the terminal closed) remove the output being written, leaving any
// earlier output as it was, and end the process with the shell's code for
// the signal. It returns the function that stops it.
func discardOutputOnSignal() (stop func()) {
	signals := make(chan os.Signal, 1)
	// A signal the process was started with ignored stays ignored: nohup
	// ignores SIGHUP, a shell's background job SIGINT.
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(sig) {
			signal.Notify(signals, sig)
		}
	}
	go func() {
		sig, ok := <-signals
		if !ok {
			return
		}
		if atomicfile.Stop() > 0 {
			fmt.Fprintf(os.Stderr, "annals: %v: stopped; the output being written was discarded, and earlier output kept\n", sig)
		} else {
			fmt.Fprintf(os.Stderr, "annals: %v: stopped\n", sig)
		}
		switch sig {
		case syscall.SIGTERM:
			os.Exit(128 + 15)
		case syscall.SIGHUP:
			os.Exit(128 + 1)
		}
		os.Exit(128 + 2)
	}()
	return func() {
		signal.Stop(signals)
		close(signals)
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "annals: %v\n", ee.err)
		}
		return ee.code
	}
	// Everything else comes from cobra's own parsing: a usage error.
	fmt.Fprintf(stderr, "annals: %v\nRun 'annals --help' for usage.\n", err)
	return exitUsage
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "annals",
		Short: "Validate and convert hand-curated records of events and statements",
		Long: `annals checks hand-curated records of events and statements (with the actors
and sources they refer to) against the annals record schema, and converts them.

Exit codes: 0 valid, 1 invalid data, 2 usage error, unreadable input, or a
dataset larger than the checker can hold.`,
		Example: `  annals init my-dataset        # start a dataset, with a CI workflow
  annals validate my-dataset    # check it: every problem, with how to fix it
  annals convert my-dataset --to xlsx -o my-dataset.xlsx
  annals report my-dataset -o report.html   # one HTML page to review
  annals schema --format markdown > codebook.md`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate(versionText())
	root.PersistentFlags().Bool("no-progress", false, "never show a progress bar (one is shown on a terminal during long runs)")
	root.AddCommand(newValidateCmd(), newConvertCmd(), newFmtCmd(), newConflictsCmd(), newExplainCmd(), newSchemaCmd(), newVersionCmd(), newInitCmd(), newReportCmd(), newDiffCmd(), newDocsCmd())
	return root
}

// expandInputs turns a command's arguments (default: the current
// directory) into the files to read, or a usage error; and what the walks
// of folders left out, for sayLeftOut.
func expandInputs(args []string, inputFormat string) ([]dataset.Input, []dataset.LeftOut, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	inputs, left, err := dataset.ExpandAll(args, inputFormat)
	if err != nil {
		return nil, nil, &exitError{exitUsage, err}
	}
	// The manifest found above a folder is no record file: a folder with
	// none to read is a mistake (a typo, a folder .gitignore hides).
	records := slices.ContainsFunc(inputs, func(in dataset.Input) bool { return !in.Manifest })
	namedManifest := slices.ContainsFunc(args, func(a string) bool { return slices.Contains(dataset.ManifestNames, strings.ToLower(filepath.Base(a))) })
	// A study's extension schema named by itself (a hook passes every
	// changed .json file) is checked through the manifest that names it.
	namedSchemas := !slices.ContainsFunc(args, func(a string) bool {
		return !slices.ContainsFunc(left, func(l dataset.LeftOut) bool {
			return l.Path == a && strings.HasPrefix(l.Why, "an extension schema of ")
		})
	})
	if !records && !namedManifest && !namedSchemas {
		msg := fmt.Sprintf("no record files (.json, .jsonl, .ndjson, .yaml, .yml) in %s", strings.Join(args, ", "))
		if len(left) > 0 {
			msg += fmt.Sprintf("; %d files or folders were left out (%s: %s)", len(left), left[0].Path, left[0].Why)
		}
		return nil, nil, &exitError{exitUsage, errors.New(msg)}
	}
	return inputs, left, nil
}

// leftOutShown is how many of the files left out a summary names.
const leftOutShown = 5

// sayLeftOut says, after a summary, which files and folders with records'
// extensions the walks of folders left out, and why: what is not read is
// not checked.
func sayLeftOut(w io.Writer, left []dataset.LeftOut) {
	if len(left) > 0 {
		fmt.Fprintln(w, leftOutLine(left))
	}
}

// leftOutLine is what sayLeftOut says.
func leftOutLine(left []dataset.LeftOut) string {
	var parts []string
	for _, l := range left[:min(len(left), leftOutShown)] {
		parts = append(parts, fmt.Sprintf("%s (%s)", l.Path, l.Why))
	}
	if n := len(left) - leftOutShown; n > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", n))
	}
	return fmt.Sprintf("left out, as not records: %s; name a file to read it", strings.Join(parts, ", "))
}

// stdinFormats are the values of --input-format.
var stdinFormats = []string{"json", "jsonl", "yaml"}

// completeWith offers values as the shell's completions of cmd's flag
// name (annals completion bash|zsh|fish|powershell installs them).
func completeWith(cmd *cobra.Command, name string, values ...string) {
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err) // a flag defined just before, registered once: a mistake in this file
	}
}
