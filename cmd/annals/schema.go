package main

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/schema"
)

type schemaOptions struct {
	typ, format string
	editor      bool
}

func newSchemaCmd() *cobra.Command {
	opts := &schemaOptions{}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the record schema, or a codebook of its fields",
		Long: `Schema prints the JSON Schema that annals checks records against, as
embedded in this annals: with --type, the schema of one record type, as
written; without, one file that holds them all and accepts any record
(for other JSON Schema tools and editors).

With --format markdown it prints a codebook instead: each record type
and its fields, with their types, the values they allow and what they
mean. docs/codebook.md in the annals repository is this output. Given a
dataset (its folder or its annals.yaml), the codebook also has the
study's own fields that the manifest's extensions declare, and --type
prints that record type's schema with them merged in.

With --editor it prints one JSON Schema (draft-07) for YAML editors that
use yaml-language-server (VS Code's YAML extension by Red Hat, Neovim,
Helix, Zed, JetBrains with the LSP): of record files, or of annals.yaml
with --type manifest. Curators then get field names and allowed values
completed, each field's description on hover, and mistakes marked as
they type. annals init writes both into a new dataset's .annals folder,
with .vscode/settings.json mapping the files to them; write them again
after changing the manifest's extensions. annals validate stays the
judge: it also checks days of the month, references and quotes.`,
		Example: `  annals schema --type event > event.schema.json
  annals schema > annals.schema.json
  annals schema --format markdown > codebook.md
  annals schema --type statement --format markdown
  annals schema --format markdown my-dataset > my-dataset/CODEBOOK.md
  annals schema --editor my-dataset > my-dataset/.annals/records.schema.json
  annals schema --editor --type manifest > .annals/manifest.schema.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchema(cmd, opts, args)
		},
	}
	types := schema.Types()
	cmd.Flags().StringVar(&opts.typ, "type", "", "one record type: "+strings.Join(types, ", "))
	cmd.Flags().StringVar(&opts.format, "format", "json", "json (the schema) or markdown (a codebook)")
	cmd.Flags().BoolVar(&opts.editor, "editor", false, "one draft-07 schema of record files (or, with --type manifest, of annals.yaml) for YAML editors")
	completeWith(cmd, "type", types...)
	completeWith(cmd, "format", "json", "markdown")
	return cmd
}

func runSchema(cmd *cobra.Command, opts *schemaOptions, args []string) error {
	types := schema.Types()
	if opts.typ != "" && !slices.Contains(types, opts.typ) {
		return &exitError{exitUsage, fmt.Errorf("--type %q is not a record type; use %s", opts.typ, strings.Join(types, ", "))}
	}
	out := cmd.OutOrStdout()
	if opts.editor {
		return runEditorSchema(cmd, opts, args)
	}
	if len(args) == 1 && opts.format == "json" && opts.typ == "" {
		return &exitError{exitUsage, fmt.Errorf("a dataset's schema is printed one record type at a time: add --type, or --format markdown for its codebook")}
	}
	switch opts.format {
	case "json":
		var b []byte
		var err error
		switch {
		case opts.typ == "":
			b, err = schema.Bundle()
		case len(args) == 1:
			v, verr := datasetValidator(cmd, args[0])
			if verr != nil {
				return verr
			}
			b, err = v.SchemaFile(opts.typ + ".schema.json")
		default:
			b, err = fs.ReadFile(schema.Files(), opts.typ+".schema.json")
		}
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	case "markdown":
		v, err := validatorFor(cmd, args)
		if err != nil {
			return err
		}
		var only []string
		if opts.typ != "" {
			only = []string{opts.typ}
		}
		return v.WriteCodebook(out, only)
	}
	return &exitError{exitUsage, fmt.Errorf("--format %q is not a format; use json or markdown", opts.format)}
}

// datasetValidator returns the validator of the dataset at path: the
// embedded schemas with its manifest's extensions.
func datasetValidator(cmd *cobra.Command, path string) (*schema.Validator, error) {
	v, err := schema.Default()
	if err != nil {
		return nil, err
	}
	inputs, _, err := expandInputs([]string{path}, "")
	if err != nil {
		return nil, err
	}
	return extendedValidator(cmd.ErrOrStderr(), inputs, v), nil
}

// runEditorSchema prints the schema for YAML editors.
func runEditorSchema(cmd *cobra.Command, opts *schemaOptions, args []string) error {
	if cmd.Flags().Changed("format") && opts.format != "json" {
		return &exitError{exitUsage, fmt.Errorf("--editor prints JSON Schema: leave out --format %s", opts.format)}
	}
	if opts.typ != "" && opts.typ != schema.Manifest {
		return &exitError{exitUsage, fmt.Errorf("--editor prints the schema of record files, which hold every record type, or with --type manifest of annals.yaml: leave out --type %s", opts.typ)}
	}
	v, err := validatorFor(cmd, args)
	if err != nil {
		return err
	}
	b, err := v.EditorSchema(opts.typ)
	if err != nil {
		return err
	}
	_, err = cmd.OutOrStdout().Write(b)
	return err
}

// validatorFor is the validator of the dataset args names, its study's own
// fields merged in, or the embedded schemas' when args names none.
func validatorFor(cmd *cobra.Command, args []string) (*schema.Validator, error) {
	if len(args) == 1 {
		return datasetValidator(cmd, args[0])
	}
	return schema.Default()
}
