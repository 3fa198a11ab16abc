package canonical

import (
	"fmt"
	"io"
	"testing"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
)

// BenchmarkCanonicalWriters measures the JSON, JSON Lines and YAML writers
// per record, at 10k and 100k generated records.
func BenchmarkCanonicalWriters(b *testing.B) {
	ds := canonDataset(b)
	for _, n := range []int{10_000, 100_000} {
		recs := converttest.BenchRecords(b, n)
		for _, w := range []struct {
			name string
			new  func(io.Writer, *record.Dataset) record.Writer
		}{{"json", NewJSONWriter}, {"jsonl", NewJSONLWriter}, {"yaml", NewYAMLWriter}} {
			b.Run(fmt.Sprintf("%s/%dk", w.name, n/1000), func(b *testing.B) {
				converttest.BenchWriter(b, recs, func() (record.Writer, func()) { return w.new(io.Discard, ds), nil })
			})
		}
	}
}
