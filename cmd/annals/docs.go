package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newDocsCmd is the hidden command make docs runs: it writes the man
// pages and the shell completion scripts into a folder.
func newDocsCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "gendocs DIR",
		Short:  "Write the man pages and shell completions into DIR (for make docs)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeDocs(cmd.Root(), args[0])
		},
	}
}

// writeDocs writes DIR/man/annals*.1 and DIR/completion/annals.{bash,zsh,fish,ps1}.
func writeDocs(root *cobra.Command, dir string) error {
	man := filepath.Join(dir, "man")
	comp := filepath.Join(dir, "completion")
	for _, d := range []string{man, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "ANNALS", Section: "1", Source: "annals " + version, Manual: "annals manual"}
	if err := doc.GenManTree(root, header, man); err != nil {
		return fmt.Errorf("writing the man pages: %w", err)
	}
	for name, gen := range map[string]func(string) error{
		"annals.bash": func(p string) error { return root.GenBashCompletionFileV2(p, true) },
		"annals.zsh":  root.GenZshCompletionFile,
		"annals.fish": func(p string) error { return root.GenFishCompletionFile(p, true) },
		"annals.ps1":  root.GenPowerShellCompletionFileWithDesc,
	} {
		if err := gen(filepath.Join(comp, name)); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}
