package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/annals-project/annals/internal/gen"
)

// runMainEnv makes the test binary run annals (see TestMain).
const runMainEnv = "ANNALS_TEST_RUN_MAIN"

// TestProgressBar runs annals validate as a process whose standard error
// is a terminal (a pty), or a pipe, while the records trickle in on
// standard input for longer than the bar takes to appear: the terminal
// gets a bar that is erased at the end, the pipe nothing, and
// --no-progress and NO_COLOR are obeyed.
func TestProgressBar(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes and waits for them")
	}
	var records bytes.Buffer
	enc := json.NewEncoder(&records)
	for rec := range gen.Records(200, 1, 0) {
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name     string
		terminal bool
		args     []string
		env      []string
		bar      bool
	}{
		{"terminal", true, nil, nil, true},
		{"pipe", false, nil, nil, false},
		{"no-progress", true, []string{"--no-progress"}, nil, false},
		{"no-color", true, nil, []string{"NO_COLOR=1"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stderr := runTrickled(t, records.Bytes(), tc.terminal, tc.args, tc.env)
			hasBar := strings.Contains(stderr, "records/s")
			if hasBar != tc.bar {
				t.Fatalf("bar shown: %v, want %v; standard error:\n%q", hasBar, tc.bar, stderr)
			}
			if !tc.terminal && strings.ContainsAny(stderr, "\r\x1b") {
				t.Errorf("control characters on a pipe: %q", stderr)
			}
			if tc.bar {
				if !strings.Contains(stderr, "\x1b[2K") { // erased at the end
					t.Errorf("the bar is not erased: %q", stderr)
				}
				colored := strings.Contains(stderr, "\x1b[36m")
				if noColor := len(tc.env) > 0; colored == noColor {
					t.Errorf("coloured %v with NO_COLOR %v: %q", colored, noColor, stderr)
				}
			}
			if !strings.Contains(stderr, "checked 200 records") {
				t.Errorf("no summary after the bar: %q", stderr)
			}
		})
	}
}

// runTrickled runs annals validate on records given on standard input in
// two halves, some time apart, and returns what it wrote to standard error.
func runTrickled(t *testing.T, records []byte, terminal bool, args, env []string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"validate", "--input-format", "jsonl", "-"}, args...)...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "ANNALS_PROGRESS_DELAY=0", "TERM=xterm")
	cmd.Env = append(cmd.Env, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	var pipe bytes.Buffer
	var ptmx, tty *os.File
	if terminal {
		if ptmx, tty, err = pty.Open(); err != nil {
			t.Skipf("no pty here: %v", err)
		}
		defer ptmx.Close()
		cmd.Stderr = tty
	} else {
		cmd.Stderr = &pipe
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var fromPty bytes.Buffer
	read := make(chan error, 1)
	if terminal {
		tty.Close() // the child has it
		go func() {
			_, err := io.Copy(&fromPty, ptmx)
			read <- err
		}()
	}
	half := bytes.IndexByte(records[len(records)/2:], '\n') + len(records)/2 + 1
	stdin.Write(records[:half])
	time.Sleep(700 * time.Millisecond) // a few redraws of the bar
	stdin.Write(records[half:])
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() > 1 { // findings (exit 1) are fine here
			if terminal {
				<-read
			}
			t.Fatalf("annals validate: %v; standard error:\n%s%s", err, pipe.String(), fromPty.String())
		}
	}
	if terminal {
		// Linux ends a pty's reads with EIO once the child has gone.
		if err := <-read; err != nil && !errors.Is(err, syscall.EIO) {
			t.Fatal(err)
		}
		return fromPty.String()
	}
	return pipe.String()
}
