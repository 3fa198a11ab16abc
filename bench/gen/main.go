// Command gen writes a deterministic, realistic dataset in the annals schema
// as JSON Lines (see package internal/gen).
//
//	go run ./bench/gen -n 100000 -seed 1 -invalid 0.01 > records.jsonl
//	go run ./bench/gen -n 1000000 -actors > actors.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/annals-project/annals/internal/gen"
)

func main() {
	n := flag.Int("n", 10000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same bytes")
	invalid := flag.Float64("invalid", 0, "fraction of records (0-1) made invalid")
	actors := flag.Bool("actors", false, "actors only (no -invalid): the worst case for the checker's memory")
	flag.Parse()
	records := gen.Records(*n, *seed, *invalid)
	if *actors {
		records = gen.Actors(*n, *seed)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for rec := range records {
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
