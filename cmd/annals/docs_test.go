package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestGenDocs writes the man pages and completions as make docs does: a
// page for every command a user can run, naming what it does, and a
// completion script for each shell.
func TestGenDocs(t *testing.T) {
	dir := t.TempDir()
	root := newRootCmd()
	root.InitDefaultCompletionCmd()
	if err := writeDocs(root, dir); err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	pages := 0
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		b, err := os.ReadFile(filepath.Join(dir, "man", name))
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
		} else if !strings.Contains(string(b), c.Short) {
			t.Errorf("%s does not say %q", name, c.Short)
		}
		pages++
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if pages < 8 {
		t.Errorf("%d man pages", pages)
	}
	if _, err := os.Stat(filepath.Join(dir, "man", "annals-gendocs.1")); err == nil {
		t.Error("the hidden gendocs command has a man page")
	}
	for name, marker := range map[string]string{
		"annals.bash": "__start_annals", "annals.zsh": "#compdef annals", "annals.fish": "complete -c annals", "annals.ps1": "Register-ArgumentCompleter",
	} {
		b, err := os.ReadFile(filepath.Join(dir, "completion", name))
		if err != nil || !strings.Contains(string(b), marker) {
			t.Errorf("%s: %v, or no %q in it", name, err, marker)
		}
	}
}

// TestEveryCommandHasExamples: each command's --help shows how to use it.
func TestEveryCommandHasExamples(t *testing.T) {
	root := newRootCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.IsAvailableCommand() || c == root {
			if c.Example == "" && c.Name() != "help" {
				t.Errorf("%q has no examples", c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
