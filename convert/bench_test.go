package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	annalsjson "github.com/annals-project/annals/convert/json"
)

// benchRecords is a .json array of typical records.
var benchRecords = func() []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i := range 10_000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `  {"id": "rec-%d", "date": "2022-01-%02d", "title": "Événement numéro %d", "tags": ["a", "b\n"], "n": %d.5, "ok": true, "src": null}`, i, i%28+1, i, i)
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}()

func BenchmarkJSONReader(b *testing.B) {
	b.SetBytes(int64(len(benchRecords)))
	for b.Loop() {
		r := annalsjson.NewReader(bytes.NewReader(benchRecords), "bench.json")
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodingJSON is the baseline: encoding/json decoding the same
// array element by element, with UseNumber.
func BenchmarkEncodingJSON(b *testing.B) {
	b.SetBytes(int64(len(benchRecords)))
	for b.Loop() {
		d := json.NewDecoder(bytes.NewReader(benchRecords))
		d.UseNumber()
		if _, err := d.Token(); err != nil {
			b.Fatal(err)
		}
		for d.More() {
			var v any
			if err := d.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	}
}
