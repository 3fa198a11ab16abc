package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// storeLimitEnv, set to a number, makes the test binary's checker refuse
// more ids and longer strings than that (see store.LowerLimits).
const storeLimitEnv = "ANNALS_TEST_STORE_LIMIT"

// TestBeyondLimits runs annals with the checker's memory made small: a
// dataset past its limits is reported with a beyond-limits finding and
// exit code 2 by every command that checks, and convert and report write
// nothing.
func TestBeyondLimits(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"type":"source","id":"herald","outlet":"Daily Herald","url":"https://example.org/h","published":"2022-01-05","language":"en"}` + "\n")
	for i := range 50 {
		fmt.Fprintf(&b, `{"type":"actor","id":"actor-%d","name":"Name %d","kind":"person"}`+"\n", i, i)
	}
	// Records after the limit, whose references are to records the index
	// could not keep: no finding may say they do not exist.
	for i := range 5 {
		fmt.Fprintf(&b, `{"type":"event","id":"talks-%d","title":"Talks","category":"consult","status":"occurred","date":"2022-01-10","participants":[{"actor":"actor-%d","role":"party"}],"attestations":[{"source":"herald"}]}`+"\n", i, 45+i)
	}
	in := filepath.Join(dir, "actors.jsonl")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", in},
		{"validate", in, "--max-findings", "1"},
		{"convert", in, "--to", "json", "-o", filepath.Join(dir, "out.json")},
		{"report", in, "-o", filepath.Join(dir, "report.html")},
		{"conflicts", in},
	} {
		cmd := exec.Command(exe, args...)
		cmd.Env = append(os.Environ(), runMainEnv+"=1", storeLimitEnv+"=20")
		out, err := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		if code != 2 {
			t.Errorf("annals %s: exit %d (%v), want 2; output:\n%s", args[0], code, err, out)
		}
		if !strings.Contains(string(out), "beyond-limits") && !strings.Contains(string(out), "could not check this dataset whole") {
			t.Errorf("annals %s: no beyond-limits finding:\n%s", strings.Join(args, " "), out)
		}
		if strings.Contains(string(out), "no record has that id") {
			t.Errorf("annals %s: references past the limit reported as dangling:\n%s", strings.Join(args, " "), out)
		}
	}
	for _, name := range []string{"out.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written for a dataset past the limits", name)
		}
	}
}
