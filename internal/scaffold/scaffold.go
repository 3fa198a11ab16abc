// Package scaffold writes a new annals dataset: a manifest, an example
// record of each type, a README for curators, a GitHub Actions workflow
// and a pre-commit configuration, all of which annals validate accepts as
// they are.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

//go:embed all:files
var files embed.FS

// Options are what the new dataset says of itself.
type Options struct {
	Title   string // the dataset's title
	Curator string // the first curator's name
	BaseIRI string // the IRI the dataset's linked data is minted under; made from the folder's name when empty
	License string // an SPDX identifier; CC-BY-4.0 when empty
	Ref     string // the annals release the workflow and pre-commit use: a tag such as v1.0.0, or main
}

// ExistsError is returned when files the dataset needs are in the folder
// already: Create writes nothing then.
type ExistsError struct {
	Dir   string
	Paths []string // relative to Dir
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already has %s; annals init never overwrites a file: choose an empty or new folder",
		e.Dir, strings.Join(e.Paths, ", "))
}

// Files returns the paths, relative to the dataset's folder, that Create
// writes, in lexical order.
func Files() []string {
	out := []string{"annals.yaml"}
	_ = fs.WalkDir(files, "files", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(path, "files/"))
		}
		return err
	})
	slices.Sort(out)
	return out
}

// Create writes a new dataset into dir, which may exist but must not hold
// any of the files it writes. Either every file is written or none is.
func Create(dir string, opts Options) error {
	if strings.TrimSpace(opts.Title) == "" {
		return errors.New("the dataset needs a title")
	}
	if strings.TrimSpace(opts.Curator) == "" {
		return errors.New("the dataset needs a curator's name")
	}
	if opts.License == "" {
		opts.License = "CC-BY-4.0"
	}
	if opts.BaseIRI == "" {
		opts.BaseIRI = "https://example.org/" + slug(filepath.Base(absOr(dir))) + "/"
	}
	if opts.Ref == "" {
		opts.Ref = "main"
	}
	contents := map[string][]byte{"annals.yaml": manifest(opts)}
	r := strings.NewReplacer("{{title}}", oneLine(opts.Title), "{{ref}}", opts.Ref)
	err := fs.WalkDir(files, "files", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		contents[strings.TrimPrefix(path, "files/")] = []byte(r.Replace(string(b)))
		return nil
	})
	if err != nil {
		return err
	}
	var exist []string
	for _, p := range Files() {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
			exist = append(exist, p)
		}
	}
	if len(exist) > 0 {
		return &ExistsError{Dir: dir, Paths: exist}
	}
	var written []string
	for _, p := range Files() {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := writeNew(path, contents[p]); err != nil {
			for _, w := range slices.Backward(written) {
				os.Remove(w)
			}
			return err
		}
		written = append(written, path)
	}
	return nil
}

// writeNew writes a file that must not exist yet, making its folders.
func writeNew(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// manifest is the dataset's annals.yaml. Strings are written as JSON
// strings, which YAML reads as they are, whatever they hold.
func manifest(o Options) []byte {
	q := strconv.Quote
	return []byte(`# The dataset's manifest: what it is, who curates it, and under which
# licence and version it is published. ` + "`annals schema --type manifest --format markdown`" + `
# lists every field.
title: ` + q(oneLine(o.Title)) + `
description: >-
  Events and statements curated from news coverage: replace this with what
  the dataset covers, from which sources, and how it was curated.
license: ` + q(o.License) + `
curators:
  - name: ` + q(oneLine(o.Curator)) + `
version: "0.1.0"
# The IRI the dataset's records are named under in linked data (annals
# convert --to jsonld): a web address you control, ending in / or #.
base_iri: ` + q(o.BaseIRI) + `
# The study's own fields, beside the canonical ones: a JSON Schema for a
# record type (codebook/statement.schema.json is an example; "Your own
# fields" in annals' README says more). Uncomment the two lines to use it.
# extensions:
#   statement: codebook/statement.schema.json
# codebook/ holds the study's schemas, not records.
exclude:
  - codebook/
`)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a folder's name into a lowercase slug for the base IRI.
func slug(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "dataset"
	}
	return s
}

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
