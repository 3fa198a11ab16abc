//go:build unix

package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A device, or a pipe found in a tree, is refused rather than read:
// /dev/zero named records.json would be read forever. A pipe named on the
// command line is read.
func TestExpandRefusesDevices(t *testing.T) {
	dir := writeTree(t, "tree/ok.json")
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "tree", "zero.jsonl")); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe", "new.jsonl")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, tc := range []struct {
		arg, want string
	}{
		{filepath.Join(dir, "zero.json"), "zero.json: is a device, not a file of records"},
		{filepath.Join(dir, "tree"), "zero.jsonl: is a device, not a file of records"},
		{filepath.Join(dir, "pipe"), "new.jsonl: is a named pipe, not a file of records; name it on the command line to read it"},
	} {
		if _, err := Expand([]string{tc.arg}, ""); err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("Expand(%s) = %v, want an error ending %q", tc.arg, err, tc.want)
		}
	}
	if in, err := Expand([]string{fifo}, ""); err != nil || len(in) != 1 {
		t.Errorf("Expand(named pipe) = %v, %v; want it as an input", in, err)
	}
}

// TestExpandRefusesLinksOut: a record file in a folder that is a symbolic
// link out of the folder is refused (a stranger's dataset could link it to
// a file of secrets, which the findings would quote), unless the file it
// leads to is named too; a link within the folder is read.
func TestExpandRefusesLinksOut(t *testing.T) {
	dir := writeTree(t, "data/ok.json", "outside/env.yaml")
	if err := os.Symlink("../outside/env.yaml", filepath.Join(dir, "data", "leak.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ok.json", filepath.Join(dir, "data", "same.json")); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	_, err := Expand([]string{data}, "")
	if err == nil || !strings.HasSuffix(err.Error(), "leak.yaml: is a symbolic link out of "+data+"; annals reads only the files inside a folder it is given: to read the file it leads to, name that file too") {
		t.Fatalf("Expand(data) = %v", err)
	}
	in, err := Expand([]string{data, filepath.Join(dir, "outside", "env.yaml")}, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range in {
		got = append(got, filepath.Base(i.Path))
	}
	if strings.Join(got, " ") != "ok.json same.json env.yaml" {
		t.Errorf("inputs %v, want ok.json, same.json (a link within) and env.yaml, once", got)
	}
}
