package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

func writeTree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("[]"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestExpandOrderAndSkips(t *testing.T) {
	dir := writeTree(t,
		"b.yaml", "a.json", "annals.yaml", "sub/c.jsonl", "sub/d.NDJSON", "README.md",
		".git/config.json", ".hidden.yaml", "texts/000.txt", "z.yml")
	got, err := Expand([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range got {
		rel, _ := filepath.Rel(dir, in.Path)
		name := rel + ":" + in.Format.String()
		if in.Manifest {
			name += ":manifest"
		}
		names = append(names, name)
	}
	want := "a.json:json annals.yaml:yaml:manifest b.yaml:yaml sub/c.jsonl:jsonl sub/d.NDJSON:jsonl z.yml:yaml"
	if strings.Join(names, " ") != want {
		t.Errorf("Expand:\n got %s\nwant %s", strings.Join(names, " "), want)
	}
}

func TestExpandKeepsArgumentOrderAndDropsRepeats(t *testing.T) {
	dir := writeTree(t, "a.json", "b.json")
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	got, err := Expand([]string{b, a, dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != b || got[1].Path != a {
		t.Errorf("Expand = %+v, want b.json then a.json once each", got)
	}
}

func TestExpandErrors(t *testing.T) {
	dir := writeTree(t, "notes.txt")
	for _, tc := range []struct {
		args   []string
		stdin  string
		substr string
	}{
		{[]string{filepath.Join(dir, "notes.txt")}, "", ".txt"},
		{[]string{filepath.Join(dir, "missing.json")}, "", "no such file or directory"},
		{[]string{"-"}, "", "needs --input-format"},
		{[]string{"-"}, "xml", "xml"},
	} {
		_, err := Expand(tc.args, tc.stdin)
		if err == nil || !strings.Contains(err.Error(), tc.substr) {
			t.Errorf("Expand(%v, %q) = %v, want an error containing %q", tc.args, tc.stdin, err, tc.substr)
		}
	}
	_, err := Expand([]string{filepath.Join(dir, "notes.txt")}, "")
	var pe *PathError
	var ue *record.UnknownFormatError
	if !errors.As(err, &pe) || !errors.As(err, &ue) {
		t.Errorf("unknown extension: error %T does not wrap *PathError and *convert.UnknownFormatError", err)
	}
}

func TestExpandStdin(t *testing.T) {
	got, err := Expand([]string{"-"}, "yaml")
	if err != nil || len(got) != 1 || got[0].Path != Stdin || got[0].Format != record.FormatYAML {
		t.Errorf("Expand(-, yaml) = %+v, %v", got, err)
	}
}
