//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/annals-project/annals/internal/gen"
)

// TestStoppedConversion stops `annals convert` while it writes its output
// over an earlier one. Killed outright (SIGKILL), it leaves the earlier
// output as it was, and its temporary file hidden beside it; interrupted
// (Ctrl-C) or terminated, it also removes the temporary file and exits with
// the shell's code for the signal.
func TestStoppedConversion(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large dataset")
	}
	annals, err := exec.LookPath("annals") // testscript.Main puts it on PATH
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		sig    syscall.Signal
		to     string
		output string
		exit   int // for SIGINT and SIGTERM
	}{
		{"killed writing a workbook", syscall.SIGKILL, "xlsx", "out.xlsx", 0},
		{"killed writing CSV", syscall.SIGKILL, "csv", "csv", 0},
		{"interrupted writing a workbook", syscall.SIGINT, "xlsx", "out.xlsx", 130},
		{"terminated writing CSV", syscall.SIGTERM, "csv", "csv", 143},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			output := filepath.Join(work, tc.output)
			earlier := writeEarlierOutput(t, output, tc.to == "csv")
			var stopped bool
			// The signal must land while the output is written; if the
			// conversion wins the race, try again with more records.
			for n := 4000; !stopped && n <= 64000; n *= 4 {
				input := filepath.Join(work, "records.jsonl")
				writeGenerated(t, input, n)
				cmd := exec.Command(annals, "convert", input, "--to", tc.to, "-o", output)
				cmd.Stdout, cmd.Stderr = nil, nil
				// What a kill leaves of the temporary files (a spool
				// killed before it lost its name) stays in the test's
				// folder, not the system's.
				cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				stopped = signalWhileWriting(t, cmd, work, tc.output, tc.sig)
				err := cmd.Wait()
				if !stopped {
					t.Logf("%d records: the conversion ended (%v) before it could be stopped", n, err)
					writeEarlierOutput(t, output, tc.to == "csv")
					continue
				}
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("stopped conversion: %v", err)
				}
				ws := exit.Sys().(syscall.WaitStatus)
				switch {
				case tc.sig == syscall.SIGKILL && !(ws.Signaled() && ws.Signal() == syscall.SIGKILL):
					t.Errorf("status %v, want killed by SIGKILL", ws)
				case tc.sig != syscall.SIGKILL && exit.ExitCode() != tc.exit:
					t.Errorf("exit code %d, want %d", exit.ExitCode(), tc.exit)
				}
			}
			if !stopped {
				t.Fatal("every conversion ended before it could be stopped")
			}
			if got := snapshot(t, output); got != earlier {
				t.Errorf("the earlier output changed:\n%s\nwant\n%s", got, earlier)
			}
			temps := temporaries(t, work, tc.output)
			if tc.sig == syscall.SIGKILL && len(temps) != 1 {
				t.Errorf("temporaries %v, want the one the killed run was writing", temps)
			}
			if tc.sig != syscall.SIGKILL && len(temps) != 0 {
				t.Errorf("temporaries %v left after %v", temps, tc.sig)
			}
		})
	}
}

// signalWhileWriting waits until cmd has started writing the temporary
// file or directory for output in dir, then sends sig. It reports false
// if cmd ended first.
func signalWhileWriting(t *testing.T, cmd *exec.Cmd, dir, output string, sig syscall.Signal) bool {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if len(temporaries(t, dir, output)) > 0 {
			// Still running? Signal 0 checks without sending.
			if cmd.Process.Signal(syscall.Signal(0)) != nil {
				return false
			}
			return cmd.Process.Signal(sig) == nil
		}
		if cmd.Process.Signal(syscall.Signal(0)) != nil {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the conversion never started writing")
	return false
}

// temporaries lists the hidden temporary names beside output in dir.
func temporaries(t *testing.T, dir, output string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "."+output+".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

// writeEarlierOutput puts an earlier output at path, a file or an export
// directory, and returns its snapshot.
func writeEarlierOutput(t *testing.T, path string, isDir bool) string {
	t.Helper()
	os.RemoveAll(path)
	file := path
	if isDir {
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		file = filepath.Join(path, "events.csv")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("the earlier output\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return snapshot(t, path)
}

// writeGenerated writes n valid generated records as JSON Lines.
func writeGenerated(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for rec := range gen.Records(n, 1, 0) {
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
