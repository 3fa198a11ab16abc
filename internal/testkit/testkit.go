// Package testkit holds helpers the tests of several packages share.
package testkit

import (
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"
)

// Fifo makes a named pipe at path, or skips the test where there are
// none.
func Fifo(t testing.TB, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// FifoReader makes a named pipe at path and opens it for reading without
// waiting for a writer, so that what is written is then in the pipe, and
// a pipe no one wrote reads empty. The reader is closed when the test
// ends.
func FifoReader(t testing.TB, path string) *os.File {
	t.Helper()
	Fifo(t, path)
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// DecodeJSON decodes one JSON value as annals' readers model it: numbers
// as json.Number, lists as []any, groups of fields as map[string]any. Bad
// JSON fails the test.
func DecodeJSON(t testing.TB, data string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decoding %.60q: %v", data, err)
	}
	return v
}

// WriteAll writes every value with w, then closes it, failing the test on
// any error: the records of a test through one of annals' writers.
func WriteAll[R any](t testing.TB, w interface {
	Write(R) error
	Close() error
}, values []R) {
	t.Helper()
	for _, v := range values {
		if err := w.Write(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
