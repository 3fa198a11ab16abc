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

The dataset validates and converts as it is; replace the example records
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
			opts.Ref = releaseRef(annalsVersion())
			if err := scaffold.Create(dir, opts); err != nil {
				var exists *scaffold.ExistsError
				if errors.As(err, &exists) {
					return &exitError{exitUsage, err}
				}
				return &exitError{exitInvalid, fmt.Errorf("writing the dataset into %s: %w", dir, err)}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote a new dataset in %s:\n", dir)
			for _, p := range scaffold.Files() {
				fmt.Fprintf(w, "  %s\n", p)
			}
			fmt.Fprintf(w, "next: replace the example records with your own, and run annals validate %s\n", dir)
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

// releaseRef is the tag of an annals release, for the workflow and
// pre-commit configuration to use the same annals; main for a build that
// is not a release (or a pseudo-version of an untagged commit).
func releaseRef(v string) string {
	if v == "" || v == "dev" || strings.Count(v, "-") >= 2 {
		return "main"
	}
	if !strings.HasPrefix(v, "v") {
		return "v" + v
	}
	return v
}
