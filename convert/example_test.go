package convert_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/record"
)

func ExampleNewReader() {
	in := `[
  {"id": "a1", "date": "2022-01-10"},
  {"id": "a2", "date": 2022},
  {"id": "a3", "date": "2023-05-01",}
]`
	r := convert.NewReader(strings.NewReader(in), "events.json", record.FormatJSON)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		obj, _ := rec.Value.(map[string]any)
		if _, ok := obj["date"].(string); !ok {
			line, col := rec.Locate("/date", false)
			fmt.Printf("%s:%d:%d: date must be a string, found %v\n", rec.File, line, col, obj["date"])
		}
	}
	// Output:
	// events.json:3:24: date must be a string, found 2022
	// events.json:4:36: trailing comma before '}'
}
