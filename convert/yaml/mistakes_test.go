package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/internal/gen"
)

// validYAML reports whether yaml.v3 reads every document of data.
func validYAML(data []byte) bool {
	d := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := d.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// The mistake finder runs only once yaml.v3 has refused a document; still,
// on a file YAML reads, it must find nothing (but the one mistake that is
// valid YAML, a "- " item folded into the text above it), or it could
// point a curator at a line that is fine. Every YAML file of the repository that yaml.v3
// reads, and generated records as YAML, are such files.
func TestFindMistakeQuietOnValidYAML(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == ".peers") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	check := func(name string, data []byte) {
		if !validYAML(data) {
			return
		}
		checked++
		if m, ok := findMistake(data, 0, 1); ok && !m.suspect && !strings.HasPrefix(m.msg, "a list item under") {
			line, col := yamlPos(data, m.off)
			t.Errorf("%s:%d:%d: a mistake in a file YAML reads: %s", name, line, col, m.msg)
		}
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(path, data)
	}
	var records []map[string]any
	for r := range gen.Records(2000, 3, 0) {
		records = append(records, r)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(records); err != nil {
		t.Fatal(err)
	}
	check("generated", b.Bytes())
	if checked < 20 {
		t.Errorf("checked %d files", checked)
	}
}

func FuzzFindMistake(f *testing.F) {
	f.Add([]byte("- type: actor\n  id: x\nkind: person\n"), 3)
	f.Add([]byte("- a: \"b\n  c: d\n"), 1)
	f.Add([]byte("a:\n  - [b, {c: d}]\n  e: |\n    f: g\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, line int) {
		if m, ok := findMistake(data, 0, line); ok {
			if m.off < 0 || m.off > len(data) || m.msg == "" {
				t.Fatalf("mistake at %d of %d bytes: %q", m.off, len(data), m.msg)
			}
		}
	})
}

func TestFindMistakeMessages(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"- a: 1\nb: 2\n", "2:1: b: is at the start of the line, but the fields of this record are indented by 2, like a: above it: indent it by 2 spaces"},
		{"- a: 1\n  b: x: y\n", `2:7: the value of b: has ": " in it`},
		{"- a: 1\n  b: '\n  c: 'd'\n", "2:6: the text quoted with ' here is not closed on its line"},
		{"- a:\n    - x\n   b: 1\n", "3:4: b: is indented by 3 spaces"},
		{"- a: 'Nordvik's vote'\n", `1:14: the value of a: is in ' quotes and has a ' inside, where YAML ends the quotes: write it as a: "Nordvik's vote"`},
		{"- a: \"say \"no\" now\"\n", `1:11: the value of a: is in " quotes and has a " inside, where YAML ends the quotes: write it as a: 'say "no" now'`},
		{"- a: - x\n  b: 1\n", `1:6: the value of a: starts with "- "`},
		{"- a: x\t# b: c\n  b: y\n c: z\n", "3:2: c: is indented by 1 space"},
		{"- a:\n    b:Nordvik\n    c: 1\n  d: 2: 3\n", "2:7: put a space after the colon: b: Nordvik"},
		{"-a: 1\n b: 2\n", "1:1: put a space after the dash: - a: 1"},
		{"-\ta: 1\n", "1:2: a tab after the dash"},
		{"- a: 1\n  b:\u00a0x\n  c: d: e\n", "2:5: a no-break space"},
		{"- a: 1\n\u00a0\u00a0b: x\n", "2:1: a no-break space"},
		{"- a: 1\n  b: x\n" + strings.Repeat("- ", 100000) + "x\n", ""},
		{"- a: - " + strings.Repeat("x", 1000) + "\n", `1:6: the value of a: starts with "- ", which YAML reads as a list item: put the value in quotes ((too long to show here`},
	} {
		data := []byte(c.doc)
		m, ok := findMistake(data, 0, 1)
		got := ""
		if ok {
			line, col := yamlPos(data, m.off)
			got = fmt.Sprintf("%d:%d: %s", line, col, m.msg)
		}
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%q: %q, want %q", c.doc, got, c.want)
		}
	}
}

// On any YAML that yaml.v3 reads, the finder finds nothing, except the one
// mistake that is valid YAML: a "- " item on the line below a value, which
// YAML folds into the value's text.
func FuzzFindMistakeQuietOnValidYAML(f *testing.F) {
	f.Add([]byte("- type: actor\n  id: x\n  kind: person\n"))
	f.Add([]byte("- a: \"b\n  c\" \n"))
	f.Add([]byte("a:\n  - [b, {c: d}]\n  e: |\n    f: g\n"))
	f.Add([]byte("- a: b\n  c:\n    - d\n    - e: f\n      g: h\n"))
	f.Add([]byte("- a: x\t# b: c\n  d: 'it''s'\n  e: \"say \\\"no\\\"\"\n  f:\t- g\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1000 || !utf8.Valid(data) || !validYAML(data) {
			return
		}
		if m, ok := findMistake(data, 0, 1); ok && !m.suspect && !strings.HasPrefix(m.msg, "a list item under") {
			t.Fatalf("a mistake in %q, which YAML reads: %s", data, m.msg)
		}
	})
}
