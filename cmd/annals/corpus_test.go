package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The hostile-input corpus: broken and hostile inputs, each with the
// first finding annals validate gives for it.
const (
	corpusDir      = "../../testdata/hostile"
	corpusExpected = "expected.txt"
)

// notCorpus are the files of the corpus folder that are not entries.
var notCorpus = []string{corpusExpected, "generate.go"}

// positioned matches a finding that names its place: FILE:LINE:COL, or a
// workbook's FILE: SHEET!CELL.
var positioned = regexp.MustCompile(`^[^:]+(:\d+:\d+|: ('[^']+'|[A-Za-z]+)![A-Z]+\d+): `)

// TestHostileCorpus runs every entry of testdata/hostile through annals.
// validate must give the entry's expected first finding (expected.txt),
// naming its position, and the expected exit code. convert must refuse an
// entry that has errors, leaving an earlier output as it was and writing
// nothing else; an entry without errors must convert to every format, and
// its exports must hold no formula. No entry may change.
//
// After a deliberate change of messages, rewrite expected.txt with
// go test ./cmd/annals -run TestHostileCorpus -update, and review the diff.
func TestHostileCorpus(t *testing.T) {
	want := readExpected(t)
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, e := range entries {
		if slices.Contains(notCorpus, e.Name()) {
			continue
		}
		name := e.Name()
		names = append(names, name)
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			copyTree(t, filepath.Join(corpusDir, name), filepath.Join(work, name))
			t.Chdir(work)
			before := snapshot(t, name)

			code, stdout, stderr := runAnnals("validate", name)
			first, _, _ := strings.Cut(stdout, "\n")
			if first == "" {
				first = "-"
			}
			got[name] = fmt.Sprintf("%d\t%s", code, first)
			if code != exitOK && !positioned.MatchString(first) {
				t.Errorf("the first finding does not name a position: %q (stderr %q)", first, stderr)
			}
			if code == exitUsage {
				t.Errorf("exit %d: a broken input is invalid data, not a usage error: %s", code, stderr)
			}
			if w, ok := want[name]; ok && w != got[name] && !*update {
				t.Errorf("validate:\n got %s\nwant %s", got[name], w)
			} else if !ok && !*update {
				t.Errorf("no expected finding in %s: run go test -run TestHostileCorpus -update", corpusExpected)
			}

			if code == exitOK {
				convertEverywhere(t, name)
			} else {
				refuseConversion(t, name)
			}
			if after := snapshot(t, name); after != before {
				t.Errorf("the input changed")
			}
		})
	}
	if len(names) < 40 {
		t.Errorf("the corpus has %d entries, want 40 at least", len(names))
	}
	if *update {
		writeExpected(t, names, got)
		return
	}
	for name := range want {
		if !slices.Contains(names, name) {
			t.Errorf("%s lists %s, which is not in the corpus", corpusExpected, name)
		}
	}
}

// runAnnals runs the command line in this process.
func runAnnals(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// refuseConversion converts an entry that has errors over an earlier
// output: the conversion must fail and leave that output alone.
func refuseConversion(t *testing.T, name string) {
	t.Helper()
	if err := os.WriteFile("out.jsonl", []byte("the earlier output\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runAnnals("convert", name, "--to", "jsonl", "-o", "out.jsonl")
	if code == exitOK {
		t.Errorf("convert accepted an input with errors")
	}
	if b, _ := os.ReadFile("out.jsonl"); string(b) != "the earlier output\n" {
		t.Errorf("convert changed the earlier output to %q (stderr %q)", b, stderr)
	}
	want := []string{name, "out.jsonl"}
	slices.Sort(want)
	if got := listDir(t, "."); !slices.Equal(got, want) {
		t.Errorf("after the refused conversion the folder holds %v", got)
	}
}

// convertEverywhere converts a valid entry to every format; the workbook
// must hold no formula, and CSV text that starts like one must be guarded.
func convertEverywhere(t *testing.T, name string) {
	t.Helper()
	for _, to := range outputFormats {
		out := "out." + to
		if code, _, stderr := runAnnals("convert", name, "--to", to, "-o", out); code != exitOK {
			t.Errorf("convert --to %s: exit %d: %s", to, code, stderr)
			continue
		}
		switch to {
		case "xlsx":
			if f := workbookFormula(t, out); f != "" {
				t.Errorf("the workbook holds a formula: %s", f)
			}
		case "csv":
			if f := unguardedCSV(t, out); f != "" {
				t.Errorf("a CSV field would run as a formula: %s", f)
			}
		}
	}
	intoFolderAndBack(t, name)
}

// intoFolderAndBack converts a valid entry into a folder of YAML files
// and back: the folder holds the entry's records, and brought back into
// it, they leave every file as it was.
func intoFolderAndBack(t *testing.T, name string) {
	t.Helper()
	if code, _, stderr := runAnnals("convert", name, "--to", "yaml", "-o", "folder/"); code != exitOK {
		t.Fatalf("convert --to yaml -o folder/: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runAnnals("convert", "folder", "--to", "jsonl", "-o", "folder.jsonl"); code != exitOK {
		t.Fatalf("convert folder --to jsonl: exit %d: %s", code, stderr)
	}
	direct, _ := os.ReadFile("out.jsonl")
	back, _ := os.ReadFile("folder.jsonl")
	lines := func(b []byte) []string { return slices.Sorted(slices.Values(strings.Split(string(b), "\n"))) }
	if !slices.Equal(lines(direct), lines(back)) {
		t.Errorf("the folder does not hold the entry's records:\n%s\nwant\n%s", back, direct)
	}
	before := snapshot(t, "folder")
	if code, _, stderr := runAnnals("convert", "folder.jsonl", "--to", "yaml", "-o", "folder"); code != exitOK {
		t.Fatalf("convert folder.jsonl --to yaml -o folder: exit %d: %s", code, stderr)
	}
	if after := snapshot(t, "folder"); after != before {
		t.Errorf("brought back unchanged, the records changed the folder's files")
	}
	// An entry that is a folder of YAML gets its own records back: each
	// goes to the file it is in, and no file changes (the caller checks).
	if info, err := os.Stat(name); err != nil || !info.IsDir() {
		return
	}
	code, _, stderr := runAnnals("convert", "folder.jsonl", "--to", "yaml", "-o", name)
	refused := []string{"the folder would hold them twice", "is not a file of records annals reads", "is an export of annals"}
	if code != exitOK && !slices.ContainsFunc(refused, func(s string) bool { return strings.Contains(stderr, s) }) {
		t.Errorf("convert folder.jsonl --to yaml -o %s: exit %d: %s", name, code, stderr)
	}
}

// workbookFormula returns the first formula element in a workbook's
// sheets, or "".
func workbookFormula(t *testing.T, file string) string {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.Index(data, []byte("<f>")); i >= 0 {
			return zf.Name + ": " + string(data[i:min(i+80, len(data))])
		}
	}
	return ""
}

// unguardedCSV returns the first field of a CSV export that starts with
// = + or @, or with - followed by something other than a digit.
func unguardedCSV(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, field := range row {
				if field == "" {
					continue
				}
				c := field[0]
				if c == '=' || c == '+' || c == '@' || c == '-' && (len(field) == 1 || field[1] < '0' || field[1] > '9') {
					return file + ": " + field
				}
			}
		}
	}
	return ""
}

func readExpected(t *testing.T) map[string]string {
	t.Helper()
	return readExpectedFile(t, filepath.Join(corpusDir, corpusExpected))
}

// readExpectedFile reads a file of NAME<TAB>EXPECTED lines, with # comments.
func readExpectedFile(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !*update {
		t.Fatal(err)
	}
	want := map[string]string{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", path, line)
		}
		want[name] = rest
	}
	return want
}

func writeExpected(t *testing.T, names []string, got map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# The first finding of `annals validate ENTRY` for each entry of this folder,\n")
	b.WriteString("# after its exit code (0 valid, 1 invalid); - when there is none.\n")
	b.WriteString("# Checked by TestHostileCorpus in cmd/annals; after a deliberate change, rewrite\n")
	b.WriteString("# it with: go test ./cmd/annals -run TestHostileCorpus -update\n")
	for _, name := range names {
		b.WriteString(name + "\t" + got[name] + "\n")
	}
	if err := os.WriteFile(filepath.Join(corpusDir, corpusExpected), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes a file, or a directory's files, and their contents.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + ": " + string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// copyTree copies a file, or a folder of files, from src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&os.ModeSymlink != 0 { // kept a link: hostile entries point out of the dataset
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestYAMLMistakes runs annals validate on each file of
// testdata/yaml-mistakes, the YAML mistakes curators make most often, and
// wants the first finding its expected.txt gives: at the line of the
// mistake, saying what to write instead.
func TestYAMLMistakes(t *testing.T) {
	const dir = "../../testdata/yaml-mistakes"
	want := readExpectedFile(t, filepath.Join(dir, "expected.txt"))
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) < 20 || len(files) != len(want) {
		t.Fatalf("%d files, %d expected findings", len(files), len(want))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			copyTree(t, path, filepath.Join(work, name))
			t.Chdir(work)
			code, stdout, stderr := runAnnals("validate", name)
			first, _, _ := strings.Cut(stdout, "\n")
			if code != exitInvalid || first != want[name] {
				t.Errorf("exit %d\n got %s\nwant %s\n(stderr %s)", code, first, want[name], stderr)
			}
		})
	}
}
