// Package scaffold writes a new annals dataset: a manifest, an example
// record of each type, a README for curators, a GitHub Actions workflow
// and a pre-commit configuration, all of which annals validate accepts as
// they are.
package scaffold

import (
	"bytes"
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

	annalsyaml "github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/schema"
)

//go:embed all:files
var files embed.FS

// Options are what the new dataset says of itself.
type Options struct {
	Title   string // the dataset's title
	Curator string // the first curator's name
	BaseIRI string // the IRI the dataset's linked data is minted under; made from the folder's name when empty
	License string // an SPDX identifier; CC-BY-4.0 when empty
	Pin     Pin    // the annals the workflow and pre-commit install
}

// Pin names one annals for the workflow and pre-commit to install, so
// that CI checks with the rules the curator checks with.
type Pin struct {
	Module string // what go install takes after @: a release tag (v1.2.0), a pseudo-version or a commit
	Rev    string // what git takes: the release tag or the commit
}

// Pinned reports whether p names one annals, not a branch.
func (p Pin) Pinned() bool { return p.Module != "" && p.Rev != "" && p.Rev != "main" }

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

// OptionError is an option that would give a dataset annals refuses:
// Create writes nothing then.
type OptionError struct {
	Option  string // the annals init flag, such as --base-iri
	Message string // what is wrong with its value and what to write
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Message }

// Editor schemas and settings, which Create writes from the schemas of
// this annals.
const (
	recordsSchema  = ".annals/records.schema.json"
	manifestSchema = ".annals/manifest.schema.json"
)

// Files returns the paths, relative to the dataset's folder, that Create
// writes, in lexical order.
func Files() []string {
	out := []string{"annals.yaml", recordsSchema, manifestSchema}
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
// any of the files it writes. The manifest is checked against the schema
// first. Either every file is written or none is: on failure, Create
// removes the files and the folders it made, dir too when it made it.
func Create(dir string, opts Options) error { return create(dir, opts, &writer{}) }

func create(dir string, opts Options, w *writer) error {
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
	if opts.Pin.Module == "" || opts.Pin.Rev == "" {
		opts.Pin = Pin{Module: "main", Rev: "main"}
	}
	contents, err := render(opts)
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
	for _, p := range Files() {
		if err := w.writeNew(dir, p, contents[p]); err != nil {
			w.undo()
			return err
		}
	}
	return nil
}

// render returns the contents of every file, by path, once the manifest
// has passed the schema.
func render(opts Options) (map[string][]byte, error) {
	v, err := schema.Default()
	if err != nil {
		return nil, err
	}
	m := manifest(opts)
	if err := checkManifest(v, m); err != nil {
		return nil, err
	}
	contents := map[string][]byte{"annals.yaml": m}
	for path, typ := range map[string]string{recordsSchema: "", manifestSchema: schema.Manifest} {
		if contents[path], err = v.EditorSchema(typ); err != nil {
			return nil, err
		}
	}
	r := strings.NewReplacer("{{title}}", oneLine(opts.Title), "{{rev}}", opts.Pin.Rev, "{{module}}", opts.Pin.Module,
		"{{pin-note}}", pinNote(opts.Pin))
	err = fs.WalkDir(files, "files", func(path string, d fs.DirEntry, err error) error {
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
	return contents, err
}

// pinNote is the workflow's comment on the annals it installs.
func pinNote(p Pin) string {
	if !p.Pinned() {
		return "the main branch, as the annals that wrote this workflow did not know its own version: replace main with a release tag"
	}
	return "the annals that wrote this workflow (annals init), so that CI checks with the same rules; change it to move to another release"
}

// flags names the annals init flag behind each manifest field.
var flags = map[string]string{"/title": "--title", "/license": "--license", "/base_iri": "--base-iri", "/curators/0/name": "--curator"}

// checkManifest validates the manifest Create would write, so that a bad
// option is refused before anything is written.
func checkManifest(v *schema.Validator, m []byte) error {
	rec, err := annalsyaml.NewReader(bytes.NewReader(m), "annals.yaml").Read()
	if err != nil {
		return fmt.Errorf("the manifest annals init would write does not read back: %w", err)
	}
	violations := v.Validate(schema.Manifest, rec.Value)
	if len(violations) == 0 {
		return nil
	}
	x := violations[0] // the first, in the order of the manifest's fields
	option := flags[x.Pointer]
	if option == "" {
		option = "annals.yaml " + x.Field()
	}
	return &OptionError{Option: option, Message: x.Message}
}

// writer writes the dataset's files and remembers what it made, to take
// it all away again if a later file fails.
type writer struct {
	files  []string // made, in order
	dirs   []string // made, parents first
	failAt string   // for tests: the file whose writing fails
}

// writeNew writes the file rel (slash-separated) under dir, which must not
// exist yet, making its folders. A folder on the way that is a symbolic
// link or not a folder is refused: annals init writes only inside dir.
func (w *writer) writeNew(dir, rel string, b []byte) error {
	path := dir
	parts := strings.Split(rel, "/")
	for i, part := range append([]string{""}, parts[:len(parts)-1]...) {
		if i > 0 {
			path = filepath.Join(path, part)
		}
		fi, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := w.makeDir(path); err != nil {
				return err
			}
		case err != nil:
			return err
		case i > 0 && !fi.IsDir():
			return fmt.Errorf("%s is not a folder: annals init writes only into real folders inside %s", path, dir)
		case !fi.IsDir() && fi.Mode()&fs.ModeSymlink == 0:
			return fmt.Errorf("%s is not a folder", path)
		}
	}
	path = filepath.Join(dir, filepath.FromSlash(rel))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.files = append(w.files, path)
	if rel == w.failAt {
		f.Close()
		return fmt.Errorf("%s: failing as the test asked", path)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// makeDir makes the folder dir and those above it that are missing, and
// remembers each, outermost first.
func (w *writer) makeDir(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range slices.Backward(missing) {
		if err := os.Mkdir(d, 0o755); err != nil {
			return err
		}
		w.dirs = append(w.dirs, d)
	}
	return nil
}

// undo removes what w made, files first, then folders, deepest first.
func (w *writer) undo() {
	for _, f := range slices.Backward(w.files) {
		os.Remove(f)
	}
	for _, d := range slices.Backward(w.dirs) {
		os.Remove(d)
	}
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
