package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/testkit"
)

// TestDeviceOutputs: an output that is a device or leads to one is written
// to, never renamed over. Run as root, as in most containers and CI
// runners, annals once turned /dev/null into a file holding the workbook,
// and -o /dev/stdout into a file named /proc/self/fd/1's target.
func TestDeviceOutputs(t *testing.T) {
	annals, err := exec.LookPath("annals") // testscript.Main puts it on PATH
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "records.json")
	record := `{"type":"actor","id":"nato","name":"NATO","kind":"international-organization"}`
	if err := os.WriteFile(input, []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}

	// As root, a regression would replace the machine's own /dev/stdout
	// and /dev/null: only a private /dev is tried, and otherwise the case
	// is skipped.
	t.Run("stdout", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root: tried in the private /dev of dev-null below")
		}
		var out, errs bytes.Buffer
		cmd := exec.Command(annals, "convert", input, "--to", "jsonl", "-o", "/dev/stdout")
		cmd.Stdout, cmd.Stderr = &out, &errs
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %s", err, errs.String())
		}
		if !strings.Contains(out.String(), `"id":"nato"`) {
			t.Errorf("standard output: %q", out.String())
		}
	})

	// Invalid input to a pipe: nothing reaches it, as nothing reaches a
	// file (a pipe cannot be taken back, so it is written only once every
	// record is checked).
	t.Run("pipe-invalid", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.json")
		os.WriteFile(bad, []byte(`{"type":"actor","id":"nato","name":"NATO","kind":"alliance"}`), 0o644)
		fifo := filepath.Join(dir, "pipe")
		r := testkit.FifoReader(t, fifo)
		cmd := exec.Command(annals, "convert", input, bad, "--to", "jsonl", "-o", fifo)
		if out, err := cmd.CombinedOutput(); err == nil {
			t.Fatalf("invalid input converted: %s", out)
		}
		if b, _ := io.ReadAll(r); len(b) > 0 {
			t.Errorf("the pipe got %q", b)
		}
	})

	// /dev/null and /dev/stdout themselves, in a mount namespace of the
	// test's own, with a tmpfs on /dev: the machine's are not at stake.
	t.Run("dev-null", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("not root: a rename over /dev/null is refused anyway, and a private /dev needs root")
		}
		if _, err := exec.LookPath("unshare"); err != nil {
			t.Skip("no unshare(1) here to make a private mount namespace")
		}
		script := `set -e
mount -t tmpfs tmpfs /dev
mknod -m 666 /dev/null c 1 3
ln -s /proc/self/fd/1 /dev/stdout
"$ANNALS" convert "$INPUT" --to xlsx -o /dev/null
"$ANNALS" convert "$INPUT" --to json -o /dev/null
"$ANNALS" report "$INPUT" -o /dev/null
test -c /dev/null || { ls -l /dev/null; exit 9; }
"$ANNALS" convert "$INPUT" --to jsonl -o /dev/stdout > "$OUT"
test -L /dev/stdout || { ls -l /dev/stdout; exit 9; }
grep -q '"id":"nato"' "$OUT" || { echo "nothing reached standard output"; exit 9; }
echo earlier > "$OUT"
"$ANNALS" convert "$INPUT" --to jsonl -o /dev/stdout >> "$OUT"
grep -q earlier "$OUT" || { echo "-o /dev/stdout >> lost what the file held"; exit 9; }
exec 3> "$OUT.gone"; rm "$OUT.gone"
"$ANNALS" convert "$INPUT" --to jsonl -o /dev/stdout >&3
test -L /dev/stdout || { echo "stdout to a deleted file: /dev/stdout replaced"; exit 9; }
echo "the victim's own" > /dev/victim
ln -s /dev/victim /dev/planted
"$ANNALS" convert "$INPUT" --to json -o /dev/planted
grep -q "the victim's own" /dev/victim || { echo "a planted link was followed"; exit 9; }`
		cmd := exec.Command("unshare", "-m", "sh", "-c", script)
		cmd.Env = append(os.Environ(), "ANNALS="+annals, "INPUT="+input, "OUT="+filepath.Join(dir, "stdout.jsonl"))
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 9 {
			t.Fatalf("a device was replaced: %s", out)
		}
		if err != nil {
			if bytes.Contains(out, []byte("unshare:")) || bytes.Contains(out, []byte("mount:")) || bytes.Contains(out, []byte("mknod:")) {
				t.Skipf("no private mount namespace here: %s", out)
			}
			t.Fatalf("%v: %s", err, out)
		}
	})
}
