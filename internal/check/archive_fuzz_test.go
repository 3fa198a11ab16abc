package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadArchive reads an archived text from a folder holding a file of
// the fuzzed bytes, a link to it, a link out of the folder and a named
// pipe, by a fuzzed path: a text is read back as it is when it is UTF-8
// and within MaxArchiveSize, and is otherwise refused; nothing outside
// the folder is ever read, and no path makes the read wait.
func FuzzReadArchive(f *testing.F) {
	f.Add([]byte("The harbour council voted."), "a.txt")
	f.Add([]byte("\xff\xfe not UTF-8"), "a.txt")
	f.Add([]byte("x"), "link.txt")
	f.Add([]byte("x"), "out.txt")
	f.Add([]byte("x"), "../secret.txt")
	f.Add([]byte("x"), "/etc/passwd")
	f.Add([]byte("x"), "pipe")
	f.Add([]byte("x"), "sub/../a.txt")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		dir := t.TempDir()
		const secret = "SECRET-TOKEN-0123"
		texts := filepath.Join(dir, "texts")
		os.Mkdir(texts, 0o755)
		os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(secret), 0o644)
		os.WriteFile(filepath.Join(texts, "a.txt"), data, 0o644)
		os.Symlink("a.txt", filepath.Join(texts, "link.txt"))
		os.Symlink("../secret.txt", filepath.Join(texts, "out.txt"))
		mkfifo(filepath.Join(texts, "pipe"))
		root, err := os.OpenRoot(texts)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		text, err := readArchive(root, path)
		if strings.Contains(text, secret) {
			t.Fatalf("%q read the file outside the archive folder", path)
		}
		// Paths to the file itself (os.Root needs every folder on the way
		// to exist: sub/../a.txt is not found).
		if path == "a.txt" || path == "./a.txt" || path == "link.txt" {
			valid := utf8.Valid(data) && len(data) <= MaxArchiveSize
			if valid != (err == nil) || err == nil && text != string(data) {
				t.Fatalf("%q: read %d bytes, %v; the file holds %d bytes, UTF-8: %v", path, len(text), err, len(data), utf8.Valid(data))
			}
		}
	})
}
