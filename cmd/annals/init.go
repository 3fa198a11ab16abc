package main

import (
	"errors"
	"fmt"
	"os/user"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/internal/scaffold"
)

func newInitCmd() *cobra.Command {
	opts := scaffold.Options{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a new dataset: manifest, example records, CI workflow",
		Long: `Init writes a new dataset into DIR (default: the current folder), which
may exist but must not hold any of the files it writes: annals init never
overwrites a file. It writes:

  annals.yaml                     the manifest: title, licence, curators
  records/*.yaml                  one example record of each type, with comments
  README.md                       how to curate, check and export the dataset
  .github/workflows/annals.yml    GitHub Actions: annals validate on every push
  .pre-commit-config.yaml         pre-commit: annals validate and annals fmt
  .annals/*.schema.json           the schemas, for editors (annals schema --editor)
  .vscode/settings.json           VS Code: the record files and annals.yaml mapped to them

The workflow and pre-commit install this annals: its release tag, or the
commit it was built from. The manifest is checked before anything is
written, and if writing fails halfway, init removes what it wrote. The
dataset validates and converts as it is; replace the example records
with your own.`,
		Example: `  annals init ferry-dataset --title "Nordvik ferry coverage" --curator "Ida Berg"
  cd ferry-dataset && annals validate`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if strings.TrimSpace(opts.Title) == "" && cmd.Flags().Changed("title") {
				return &exitError{exitUsage, errors.New("--title is empty; give the dataset a title, or leave the flag out to use the folder's name")}
			}
			if opts.Title == "" {
				opts.Title = datasetTitle(dir)
			}
			if opts.Curator == "" {
				opts.Curator = userName()
			}
			rev, modified := buildCommit()
			var warning string
			opts.Pin, warning = pinFor(annalsVersion(), rev, modified)
			if err := scaffold.Create(dir, opts); err != nil {
				var exists *scaffold.ExistsError
				var option *scaffold.OptionError
				if errors.As(err, &exists) || errors.As(err, &option) {
					return &exitError{exitUsage, err}
				}
				return &exitError{exitInvalid, fmt.Errorf("writing the dataset into %s: %w", dir, err)}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote a new dataset in %s:\n", dir)
			for _, p := range scaffold.Files() {
				fmt.Fprintf(w, "  %s\n", p)
			}
			if opts.Pin.Pinned() {
				fmt.Fprintf(w, "the workflow and pre-commit install this annals: %s\n", opts.Pin.Module)
			}
			fmt.Fprintf(w, "next: replace the example records with your own, and run annals validate %s\n", dir)
			if warning != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "annals init: "+warning)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Title, "title", "", "the dataset's title (default: made from the folder's name)")
	cmd.Flags().StringVar(&opts.Curator, "curator", "", "the first curator's name (default: your user's name)")
	cmd.Flags().StringVar(&opts.BaseIRI, "base-iri", "", "the IRI the records are named under in linked data (default: https://example.org/FOLDER/)")
	cmd.Flags().StringVar(&opts.License, "license", "CC-BY-4.0", "the dataset's licence, as an SPDX identifier")
	return cmd
}

// datasetTitle makes a title from a folder's name: "ferry-dataset" gives
// "Ferry dataset".
func datasetTitle(dir string) string {
	name := filepath.Base(dir)
	if a, err := filepath.Abs(dir); err == nil {
		name = filepath.Base(a)
	}
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }), " ")
	if name == "" || name == "/" || name == "." {
		return "New annals dataset"
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// userName is the name of the user running annals, for the manifest's
// first curator.
func userName() string {
	if u, err := user.Current(); err == nil {
		if n := strings.TrimSpace(strings.Split(u.Name, ",")[0]); n != "" {
			return n
		}
		if u.Username != "" {
			return u.Username
		}
	}
	return "Curator"
}

// pinFor names the annals that the workflow and pre-commit should install:
// this one. A release build gives its tag; a build of a commit (by go
// install, or from a clone, where the go command stamps a pseudo-version)
// gives the pseudo-version for go install and the commit for git, in full
// when it is known. A build with uncommitted changes (+dirty) pins the
// commit it started from, with a warning; without any version it gives the
// main branch, and a warning that says so.
func pinFor(version, commit string, modified bool) (scaffold.Pin, string) {
	if v, ok := strings.CutSuffix(version, "+dirty"); ok {
		version, modified = v, true
	}
	var p scaffold.Pin
	switch {
	case version != "" && version != "dev" && !isPseudoVersion(version):
		if !strings.HasPrefix(version, "v") {
			version = "v" + version
		}
		return scaffold.Pin{Module: version, Rev: version}, ""
	case isPseudoVersion(version):
		hash := version[strings.LastIndex(version, "-")+1:]
		p = scaffold.Pin{Module: version, Rev: hash}
		if strings.HasPrefix(commit, hash) {
			p.Rev = commit
		}
	case commit != "":
		p = scaffold.Pin{Module: commit, Rev: commit}
	default:
		return scaffold.Pin{Module: "main", Rev: "main"}, "this annals does not know its version (it was built without version control information), so the workflow and pre-commit install annals from the main branch: replace main with a release tag in .github/workflows/annals.yml and .pre-commit-config.yaml"
	}
	if modified {
		return p, fmt.Sprintf("this annals was built from commit %.12s with uncommitted changes; the workflow and pre-commit install commit %.12s itself, which may check differently", p.Rev, p.Rev)
	}
	return p, ""
}

// isPseudoVersion reports whether v is a Go pseudo-version, such as
// v0.0.0-20261205120000-abcdef123456, which names a commit.
func isPseudoVersion(v string) bool {
	i := strings.LastIndex(v, "-")
	if i < 0 || strings.Count(v, "-") < 2 || len(v)-i-1 != 12 {
		return false
	}
	for _, c := range v[i+1:] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
