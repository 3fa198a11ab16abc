package schema_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/schema"
)

// An editor using yaml-language-server understands the editor schema:
// the samples show no problem, the mistakes are marked at their lines with
// the schema's hints, fields and values complete, and fields have their
// descriptions on hover. The test needs node and a yaml-language-server
// on PATH (npm install -g yaml-language-server), and says so when either
// is missing.
func TestEditorSchemaInYAMLLanguageServer(t *testing.T) {
	server, err := exec.LookPath("yaml-language-server")
	if err != nil {
		t.Skip("not checked in an editor: no yaml-language-server on PATH (npm install -g yaml-language-server)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("not checked in an editor: no node on PATH")
	}
	v, _ := schema.Default()
	b, err := v.EditorSchema("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	schemaPath := filepath.Join(dir, "records.schema.json")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("records.schema.json", string(b))
	type request struct {
		File      string `json:"file"`
		Line      *int   `json:"line,omitempty"`
		Character *int   `json:"character,omitempty"`
	}
	var requests []request
	samples := []string{"actors", "sources", "events", "statements"}
	for _, name := range samples {
		p, _ := filepath.Abs("../samples/" + name + ".yaml")
		requests = append(requests, request{File: p})
	}
	events, _ := os.ReadFile("../samples/events.yaml")
	bad := strings.Replace(string(events), `date: "2021-12-15"`, "date: 27/12/2021", 1)
	bad = strings.Replace(bad, "  category: request\n", "  category: request\n  titel: x\n", 1)
	bad = strings.Replace(bad, "    country: CHE\n", "    country: Switzerland\n", 1)
	requests = append(requests, request{File: write("bad.yaml", bad)})
	two, ten := 2, 10
	requests = append(requests,
		request{File: write("new.yaml", "- type: event\n  id: x\n  \n"), Line: &two, Character: &two},
		request{File: write("status.yaml", "- type: event\n  id: x\n  status: \n"), Line: &two, Character: &ten})
	reqFile, _ := json.Marshal(requests)
	out, err := exec.Command(node, "testdata/lsp.mjs", server, schemaPath, write("requests.json", string(reqFile))).Output()
	if err != nil {
		t.Fatalf("lsp.mjs: %v\n%s", err, out)
	}
	var results []struct {
		File        string   `json:"file"`
		Diagnostics []string `json:"diagnostics"`
		Completion  []string `json:"completion"`
		Hover       string   `json:"hover"`
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(results) != len(requests) {
		t.Fatalf("%d results for %d files", len(results), len(requests))
	}
	for _, r := range results[:len(samples)] {
		if len(r.Diagnostics) > 0 {
			t.Errorf("%s: %q", r.File, r.Diagnostics)
		}
	}
	got := strings.Join(results[len(samples)].Diagnostics, "\n")
	lines := strings.Split(bad, "\n")
	lineOf := func(s string) int {
		return slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, s) }) + 1
	}
	for _, want := range []string{
		itoa(lineOf("date: 27/12/2021")) + ":9 Not a date annals reads",
		itoa(lineOf("titel: x")) + ":3 Property titel is not allowed",
		itoa(lineOf("country: Switzerland")) + ":14 Use an ISO 3166-1 alpha-3 code",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("bad.yaml: no diagnostic %q in\n%s", want, got)
		}
	}
	if len(results[len(samples)].Diagnostics) != 3 {
		t.Errorf("bad.yaml: want 3 diagnostics, got\n%s", got)
	}
	fields := results[len(samples)+1].Completion
	for _, f := range []string{"title", "category", "status", "date", "attestations", "location"} {
		if !slices.Contains(fields, f) {
			t.Errorf("an event's fields complete as %q, without %s", fields, f)
		}
	}
	status := results[len(samples)+2]
	if !slices.Equal(status.Completion, []string{"scheduled", "rescheduled", "postponed", "cancelled", "occurred"}) {
		t.Errorf("status completes as %q", status.Completion)
	}
	if !strings.Contains(status.Hover, "occurred (it took place)") {
		t.Errorf("status's hover: %q", status.Hover)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
