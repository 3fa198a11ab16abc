//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// TestFmtKeepsWhatItDoesNotOwn: fmt refuses to replace a file that is
// read-only, has other hard links, or changed while it worked, and a file
// over its size limit is refused before it is read; each is left as it is.
// Before, fmt rewrote read-only files, split hard links, lost an edit
// saved while it ran, and read 1 GB of YAML into 3.4 GB before refusing.
func TestFmtKeepsWhatItDoesNotOwn(t *testing.T) {
	const messy = "- name: NATO\n  type: actor\n  kind: international-organization\n  id: nato\n"
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(name, []byte(messy), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
	}
	unchanged := func(name string) {
		t.Helper()
		if b, _ := os.ReadFile(name); string(b) != messy {
			t.Errorf("%s was changed: %q", name, b)
		}
	}

	write("readonly.yaml", 0o444)
	code, _, stderr := runAnnals("fmt", "readonly.yaml")
	if code != exitInvalid || !strings.Contains(stderr, "readonly.yaml: it is read-only; make it writable (chmod u+w) to format it; the file is left as it is") {
		t.Errorf("read-only: exit %d, %s", code, stderr)
	}
	unchanged("readonly.yaml")

	write("linked.yaml", 0o644)
	if err := os.Link("linked.yaml", "other-name.yaml"); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runAnnals("fmt", "linked.yaml")
	if code != exitInvalid || !strings.Contains(stderr, "linked.yaml: it has 2 hard links, which replacing it would split") {
		t.Errorf("hard links: exit %d, %s", code, stderr)
	}
	unchanged("linked.yaml")
	os.Remove("other-name.yaml")

	// An edit saved between reading and replacing: replaceFile is given
	// what the file was when read, and finds it changed.
	write("edited.yaml", 0o644)
	read, err := os.Stat("edited.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit := messy + "- type: actor\n  id: osce\n  name: OSCE\n  kind: international-organization\n"
	if err := os.WriteFile("edited.yaml", []byte(edit), 0o644); err != nil {
		t.Fatal(err)
	}
	err = replaceFile("edited.yaml", read, []byte("the canonical form of the file as read\n"))
	if err == nil || !strings.Contains(err.Error(), "changed while fmt was working") {
		t.Errorf("an edit meanwhile: %v", err)
	}
	if b, _ := os.ReadFile("edited.yaml"); string(b) != edit {
		t.Errorf("the edit is lost: %q", b)
	}

	// The same size, and its modification time set back (touch -r):
	// the inode's change time still tells.
	write("sametime.yaml", 0o644)
	read, err = os.Stat("sametime.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sameSize := strings.Replace(messy, "NATO", "OTAN", 1)
	os.WriteFile("sametime.yaml", []byte(sameSize), 0o644)
	os.Chtimes("sametime.yaml", read.ModTime(), read.ModTime())
	if err := replaceFile("sametime.yaml", read, []byte("x\n")); err == nil || !strings.Contains(err.Error(), "changed while fmt was working") {
		t.Errorf("an edit of the same size, its time set back: %v", err)
	}
	if b, _ := os.ReadFile("sametime.yaml"); string(b) != sameSize {
		t.Errorf("the edit is lost: %q", b)
	}

	// Over the limit: refused from its size, before it is read (a sparse
	// file, which costs no disk).
	f, err := os.Create("huge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(messy)
	f.Truncate(int64(record.MaxYAMLSize) + 1)
	f.Close()
	code, _, stderr = runAnnals("fmt", "huge.yaml")
	if code != exitUsage || !strings.Contains(stderr, "huge.yaml: 67108865 bytes, more than the 64 MiB fmt formats; split it into smaller files") {
		t.Errorf("over the limit: exit %d, %s", code, stderr)
	}

	// Its owner and group are kept: as root, fmt once gave files to root.
	if os.Geteuid() == 0 {
		write("theirs.yaml", 0o644)
		if err := os.Chown("theirs.yaml", 1234, 5678); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := runAnnals("fmt", "theirs.yaml"); code != exitOK {
			t.Fatalf("fmt of another user's file, as root: exit %d, %s", code, stderr)
		}
		info, err := os.Stat("theirs.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if st := info.Sys().(*syscall.Stat_t); st.Uid != 1234 || st.Gid != 5678 {
			t.Errorf("owner %d:%d after fmt, want 1234:5678", st.Uid, st.Gid)
		}
	}

	// No temporary file is left.
	if matches, _ := filepath.Glob(".*.tmp-*"); len(matches) > 0 {
		t.Errorf("left behind: %v", matches)
	}
}
