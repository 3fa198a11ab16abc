package progress

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/annals-project/annals/internal/english"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestShow draws the counts, nothing before the delay, and nothing once
// stopped.
func TestShow(t *testing.T) {
	var c Counter
	if _, err := io.Copy(io.Discard, c.Reader(strings.NewReader(strings.Repeat("x", 5000)))); err != nil {
		t.Fatal(err)
	}
	c.AddRecords(1234)
	if c.Bytes() != 5000 || c.Records() != 1234 {
		t.Fatalf("counted %d bytes, %d records", c.Bytes(), c.Records())
	}

	var quiet lockedBuffer
	stop := Show(&quiet, &c, Options{Total: 10000, Delay: time.Hour, Interval: time.Millisecond})
	time.Sleep(20 * time.Millisecond)
	stop()
	if quiet.String() != "" {
		t.Errorf("drawn before the delay: %q", quiet.String())
	}

	var w lockedBuffer
	stop = Show(&w, &c, Options{Total: 10000, Interval: time.Millisecond})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(w.String(), "1,234 records") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	stop() // a second stop does nothing
	out := w.String()
	if !strings.Contains(out, "1,234 records") || !strings.Contains(out, "50%") {
		t.Errorf("bar: %q", out)
	}
	if strings.Contains(out, "\x1b[36m") {
		t.Errorf("coloured without Color: %q", out)
	}
	time.Sleep(10 * time.Millisecond)
	if w.String() != out {
		t.Error("written after stop")
	}
}

// TestShowUnknownTotal: standard input's size is unknown; the bar is a
// spinner with the counts, redrawn by Show alone (run with -race).
func TestShowUnknownTotal(t *testing.T) {
	var c Counter
	c.AddRecords(7)
	var w lockedBuffer
	stop := Show(&w, &c, Options{Interval: time.Millisecond, Color: true})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(w.String(), "7 records") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	c.AddRecords(1)
	time.Sleep(5 * time.Millisecond)
	stop()
	if out := w.String(); !strings.Contains(out, "7 records") || !strings.Contains(out, "\x1b[36m") {
		t.Errorf("spinner: %q", out)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := english.Thousands(n); got != want {
			t.Errorf("%d: %q", n, got)
		}
	}
}
