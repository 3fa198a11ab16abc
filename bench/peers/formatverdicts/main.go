// Command formatverdicts prints annals' verdict on strings for the custom
// formats of its schemas, for bench/peers/format-check.js to hold the
// JavaScript ports in bench/peers/formats.js to: one JSON object
// {"f":"edtf"|"uri","s":"..."} per input line, one line "1" (valid) or "0"
// per output line.
//
//	go run ./bench/peers/formatverdicts < strings.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/schema"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "formatverdicts:", err)
		os.Exit(1)
	}
}

func run() error {
	v, err := schema.Default()
	if err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var q struct{ F, S string }
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			return err
		}
		ok := false
		switch q.F {
		case "edtf":
			_, err := edtf.Parse(q.S)
			ok = err == nil
		case "uri":
			// checkURI is not exported: ask the schema about a source
			// whose url is the string and which is otherwise valid.
			src := map[string]any{"type": "source", "id": "s", "published": "2021", "url": q.S}
			ok = len(v.Validate(schema.Source, src)) == 0
		default:
			return fmt.Errorf("unknown format %q", q.F)
		}
		if ok {
			out.WriteString("1\n")
		} else {
			out.WriteString("0\n")
		}
	}
	if err := in.Err(); err != nil {
		return err
	}
	return out.Flush()
}
