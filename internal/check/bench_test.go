package check

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/schema"
)

// benchInput is n JSON Lines records: a source, an actor, then statements
// of about 1 KB that refer to both.
func benchInput(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"source","id":"herald","outlet":"Daily Herald","url":"https://example.org/h","published":"2022-01-05T09:30:00+01:00","language":"en"}` + "\n")
	b.WriteString(`{"type":"actor","id":"anna","name":"Anna Petrova","kind":"person","country":"RUS","roles":[{"title":"Spokesperson","from":"2019","to":"2023-06"}]}` + "\n")
	for i := range n - 2 {
		fmt.Fprintf(&b, `{"type":"statement","id":"s-%d","speaker":"anna","speaker_role":"Spokesperson","date":"2022-01-04","setting":{"kind":"press-briefing"},"language":"ru","summary":"The spokesperson said the ministry expects talks on the northern port to begin in spring, after the holidays.","attestations":[{"source":"herald","rank":"preferred","quote":"We expect to sit down in spring, once the holidays are over and both delegations are named.","quote_kind":"direct","credited_to":"Harbour Wire","reported_date":"2022-01-04","reported_date_text":"on Tuesday","reported_names":[{"actor":"anna","spelling":"Ana Petrova"}]},{"source":"herald","quote":"Talks in spring.","quote_kind":"paraphrase","reported_date":"2022-01-03/2022-01-04"}]}`+"\n", i)
	}
	return b.Bytes()
}

// BenchmarkCheck measures reading, schema validation and dataset checks of
// valid JSON Lines records, reported per record.
func BenchmarkCheck(b *testing.B) {
	const n = 2000
	input := benchInput(n)
	v, err := schema.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	for range b.N {
		c := New(v)
		feed(c, "bench.jsonl", json.NewLinesReader(bytes.NewReader(input), "bench.jsonl"))
		if rep := c.Finish(); rep.Errors > 0 {
			b.Fatalf("benchmark input is invalid: %v", rep.Findings[0])
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
}
