package csv_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/table"
)

// A CSV export edited by hand: the aliases were sorted by name, which
// does not change their order in the record, and a value in the wrong
// column type is kept for the checks to report at its line and column.
func ExampleNewImporter() {
	dir, err := os.MkdirTemp("", "annals-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"actors.csv": "id,name,kind\r\nana-reyes,Ana Reyes,personn\r\n",
		"actor_aliases.csv": "actor_id,alias_index,name,kind\r\n" +
			"ana-reyes,2,A. Reyes,abbreviation\r\n" +
			"ana-reyes,1,Anna Reyes,misspelling\r\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			panic(err)
		}
	}
	r, err := csv.NewImporter(dir, nil, table.ImportOptions{})
	if err != nil {
		panic(err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		b, _ := json.Marshal(rec.Value)
		fmt.Println(string(b))
		for _, ptr := range []string{"/kind", "/aliases/0/name"} {
			p := rec.Position(ptr, false)
			fmt.Printf("%s: %s:%d:%d\n", ptr, filepath.Base(p.File), p.Line, p.Col)
		}
	}
	// Output:
	// {"aliases":[{"kind":"misspelling","name":"Anna Reyes"},{"kind":"abbreviation","name":"A. Reyes"}],"id":"ana-reyes","kind":"personn","name":"Ana Reyes","type":"actor"}
	// /kind: actors.csv:2:3
	// /aliases/0/name: actor_aliases.csv:3:3
}
