package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/internal/scaffold"
)

// TestPreCommitHooks reads the repository's .pre-commit-hooks.yaml: every
// hook runs an annals command with flags annals knows, and the hooks the
// configuration annals init writes asks for are there.
func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID, Name, Entry, Language, Files string
		PassFilenames                    *bool `yaml:"pass_filenames"`
	}
	readYAML(t, "../../.pre-commit-hooks.yaml", &hooks)
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
		if h.Language != "golang" || h.Files == "" {
			t.Errorf("hook %s: language %q, files %q", h.ID, h.Language, h.Files)
		}
		checkAnnalsCommand(t, h.ID, h.Entry)
	}
	dir := t.TempDir()
	if err := scaffold.Create(dir, scaffold.Options{Title: "T", Curator: "C"}); err != nil {
		t.Fatal(err)
	}
	var config struct {
		Repos []struct {
			Repo  string
			Hooks []struct{ ID string }
		}
	}
	readYAML(t, filepath.Join(dir, ".pre-commit-config.yaml"), &config)
	if len(config.Repos) != 1 || config.Repos[0].Repo != "https://github.com/annals-project/annals" {
		t.Fatalf("init's pre-commit configuration: %+v", config)
	}
	for _, h := range config.Repos[0].Hooks {
		if !slices.Contains(ids, h.ID) {
			t.Errorf("init's pre-commit configuration asks for hook %q, which .pre-commit-hooks.yaml lacks", h.ID)
		}
	}
}

// TestAction reads the repository's action.yml: a composite action whose
// last step runs annals validate with GitHub annotations.
func TestAction(t *testing.T) {
	var action struct {
		Name   string
		Inputs map[string]struct{ Description, Default string }
		Runs   struct {
			Using string
			Steps []struct {
				Uses, Run, Shell string
			}
		}
	}
	readYAML(t, "../../action.yml", &action)
	if action.Runs.Using != "composite" || len(action.Runs.Steps) == 0 {
		t.Fatalf("action.yml: %+v", action.Runs)
	}
	for _, in := range []string{"path", "version", "args"} {
		if action.Inputs[in].Description == "" {
			t.Errorf("action.yml: input %q undescribed", in)
		}
	}
	last := action.Runs.Steps[len(action.Runs.Steps)-1]
	if !strings.Contains(last.Run, "validate --format github") || last.Shell != "bash" {
		t.Errorf("action.yml's last step: %+v", last)
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// checkAnnalsCommand checks that entry is an annals command line whose
// command and flags annals knows.
func checkAnnalsCommand(t *testing.T, what, entry string) {
	t.Helper()
	args := strings.Fields(entry)
	if len(args) < 2 || args[0] != "annals" {
		t.Errorf("%s: entry %q does not run annals", what, entry)
		return
	}
	cmd, rest, err := newRootCmd().Find(args[1:])
	if err != nil || cmd.Name() != args[1] {
		t.Errorf("%s: %q is not an annals command: %v", what, entry, err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%s: %q: %v", what, entry, err)
	}
}
