package check

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// Checkers in several goroutines share one schema.Validator, as a server
// or a parallel pipeline would use them: each gives the same findings, and
// go test -race (make check) finds no race between them.
func TestCheckersShareValidator(t *testing.T) {
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	check := func() string {
		c := New(v)
		for _, name := range []string{"a.yaml", "b.jsonl"} {
			c.File(name)
			f, _ := record.FormatOf(name)
			feed(c, name, convert.NewReader(strings.NewReader(mixed[name]), name, f))
		}
		var b bytes.Buffer
		WriteFindings(&b, "json", c.Finish().Findings)
		return b.String()
	}
	want := check()
	got := make([]string, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = check() })
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("goroutine %d:\n%s\nwant\n%s", i, g, want)
		}
	}
}
