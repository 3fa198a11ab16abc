package convert

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/annals-project/annals/internal/gen"
)

// generatedRecords builds n generated records once per benchmark.
func generatedRecords(b *testing.B, n int) []*Record {
	b.Helper()
	recs := make([]*Record, 0, n)
	for v := range gen.Records(n, 1, 0) {
		// gen yields the JSON data model (maps, slices, strings), as readers do.
		recs = append(recs, &Record{File: "gen.jsonl", Line: len(recs) + 1, Col: 1, Value: v})
	}
	return recs
}

// BenchmarkCanonicalWriters measures the JSON, JSON Lines and YAML writers
// per record, at 10k and 100k generated records.
func BenchmarkCanonicalWriters(b *testing.B) {
	ds := canonDataset(b)
	for _, n := range []int{10_000, 100_000} {
		recs := generatedRecords(b, n)
		for _, w := range []struct {
			name string
			new  func(io.Writer, *Dataset) Writer
		}{{"json", NewJSONWriter}, {"jsonl", NewJSONLWriter}, {"yaml", NewYAMLWriter}} {
			b.Run(fmt.Sprintf("%s/%dk", w.name, n/1000), func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for range b.N {
					wr := w.new(io.Discard, ds)
					for _, r := range recs {
						if err := wr.Write(r); err != nil {
							b.Fatal(err)
						}
					}
					if err := wr.Close(); err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				total := float64(b.N * n)
				b.ReportMetric(total/b.Elapsed().Seconds(), "records/s")
				b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/record")
			})
		}
	}
}
