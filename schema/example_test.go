package schema_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/annals-project/annals/schema"
)

func ExampleValidator_Validate() {
	v, err := schema.Default()
	if err != nil {
		panic(err)
	}
	d := json.NewDecoder(strings.NewReader(`{
		"type": "event", "id": "geneva-talks", "title": "US-Russia talks in Geneva",
		"category": "consult", "status": "occured", "date": "2022-13-01",
		"attestations": [{"source": "src-anadolu"}]
	}`))
	d.UseNumber()
	var record any
	if err := d.Decode(&record); err != nil {
		panic(err)
	}
	for _, x := range v.Validate(schema.Event, record) {
		fmt.Printf("%s: %s: %s\n", x.Field(), x.Code, x.Message)
	}
	// Output:
	// date: bad-date: "2022-13-01" is not a valid date (month 13 does not exist); write an EDTF date such as 2022-01-10, 2022-01, 2022-01-10? or 2022-01-09/2022-01-13
	// status: not-allowed: "occured" is not allowed here; use one of: scheduled, rescheduled, postponed, cancelled, occurred (did you mean "occurred"?)
}

func ExampleValidator_References() {
	v, err := schema.Default()
	if err != nil {
		panic(err)
	}
	for _, r := range v.References(schema.Event) {
		fmt.Println(r.Path, "->", r.Target)
	}
	// Output:
	// /participants/*/actor -> actor
	// /parent -> event
	// /attestations/*/source -> source
	// /attestations/*/credited_actor -> actor
	// /attestations/*/reported_names/*/actor -> actor
}
