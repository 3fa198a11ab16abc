package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/convert/canonical"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/diff"
)

// exitDiffer is diff's exit code when the datasets differ, as diff(1)'s.
const exitDiffer = 1

var diffFormats = []string{"text", "json", "markdown"}

type diffOptions struct {
	format        string
	agreement     bool
	ignoreUnknown bool
}

func newDiffCmd() *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed between two versions of a dataset, record by record",
		Long: `Diff compares two versions of a dataset (folders, record files, workbooks or
CSV exports, in any mix) record by record, and lists the records added,
removed and changed, each change field by field: inside lists too, where an
attestation is found by its source, a participant or a reported name by its
actor, an alias by its name, so that "attestations[src-tass].reported_date:
2022-01-10 → 2022-01-11" says which source's date changed.

What only the layout changes is no difference: which file a record is in,
the order of records and keys, YAML's style, comments, 1.50 against 1.5. The
order of the items of a list is the curator's (it numbers the attestations
in the exports): a move is a change, "attestations (order)".

Both versions are read and checked as validate reads them; a version with
errors is refused (exit 2), its errors on standard error: fix them first.

--agreement adds, for two coders who coded the same articles, how often each
field agrees: of the records both have where either gives the field, the
share whose values are the same (attestation fields matched by source).

Formats: text (default), json, markdown (for a pull request comment or a
GitHub job summary). Exit codes, as diff's: 0 the same, 1 different, 2 an
error.`,
		Example: `  annals diff old/ samples/
  git worktree add /tmp/base main && annals diff /tmp/base/samples samples --format markdown
  annals diff coder-a.xlsx coder-b.xlsx --agreement`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", "text", "output format: "+strings.Join(diffFormats, ", "))
	completeWith(cmd, "format", diffFormats...)
	f.BoolVar(&opts.agreement, "agreement", false, "also show how often each field agrees (two coders' versions)")
	f.BoolVar(&opts.ignoreUnknown, "ignore-unknown", false, "in a workbook or CSV export, skip sheets, files and columns annals did not write")
	return cmd
}

func runDiff(cmd *cobra.Command, opts *diffOptions, args []string) error {
	if !slices.Contains(diffFormats, opts.format) {
		return &exitError{exitUsage, fmt.Errorf("--format %q is not a format; use %s", opts.format, strings.Join(diffFormats, ", "))}
	}
	var sides [2]*diff.Side
	defer func() {
		for _, s := range sides {
			if s != nil {
				s.Close()
			}
		}
	}()
	for i, path := range args {
		side, err := readSide(cmd, path, opts)
		if err != nil {
			return err
		}
		sides[i] = side
	}
	res, err := diff.Compare(sides[0], sides[1], opts.agreement)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	out := cmd.OutOrStdout()
	switch opts.format {
	case "json":
		err = res.WriteJSON(out)
	case "markdown":
		err = res.WriteMarkdown(out)
	default:
		err = res.WriteText(out)
	}
	if err != nil {
		return &exitError{exitUsage, err}
	}
	if res.Differs() {
		return &exitError{code: exitDiffer}
	}
	return nil
}

// readSide reads one version, checked as validate checks it, and keeps
// each record's canonical JSON (encoded on the workers).
func readSide(cmd *cobra.Command, path string, opts *diffOptions) (*diff.Side, error) {
	if path == "-" {
		return nil, &exitError{exitUsage, fmt.Errorf("diff compares two datasets named by their paths; standard input is not one")}
	}
	inputs, _, err := expandInputs([]string{path}, "")
	if err != nil {
		return nil, err
	}
	side, err := diff.NewSide()
	if err != nil {
		return nil, &exitError{exitUsage, err}
	}
	keep := false
	defer func() {
		if !keep {
			side.Close()
		}
	}()
	counts := map[string]int{}
	c, _, _, err := checkInputs(inputs, nil, checkOptions{
		ignoreUnknown: opts.ignoreUnknown, list: check.Error, noDigest: true, progress: progressTo(cmd),
		prepare: func(c *check.Checker) func(*record.Record) any {
			// Made at the first record, with the manifest's extensions
			// read; one encoder serves every worker.
			encoder := sync.OnceValue(func() *canonical.JSONEncoder { return canonical.NewJSONEncoder(c.Validator(), true) })
			return func(rec *record.Record) any { return encoder().Encode(rec) }
		},
		each: func(c *check.Checker, rec *record.Record, prepared any) {
			e, ok := prepared.(*record.Encoded)
			if !ok {
				return
			}
			defer e.Release()
			if e.Err != nil {
				return // an error the checker reports too
			}
			b := e.Bytes
			obj, _ := rec.Value.(map[string]any)
			typ, _ := obj["type"].(string)
			id, _ := obj["id"].(string)
			counts[typ]++
			if id == "" {
				id = "#" + strconv.Itoa(counts[typ])
			}
			side.Add(diff.Key{Type: typ, ID: id}, b)
		},
	})
	if err != nil {
		return nil, asExit(err, exitUsage)
	}
	rep := c.Finish()
	if rep.Errors > 0 || rep.Incomplete {
		stderr := cmd.ErrOrStderr()
		writeFindings(stderr, stderr, "text", rep)
		p := strings.ReplaceAll(path, "%", "%%")
		return nil, &exitError{exitUsage, errorsFirst(rep, p+" has %s; diff compares datasets that validate: fix them first (annals validate "+p+")")}
	}
	if d := side.Duplicates(); len(d) > 0 {
		return nil, &exitError{exitUsage, fmt.Errorf("%s: %s is the id of more than one record", path, d[0])}
	}
	keep = true
	return side, nil
}
