package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// countTriples is run by Python with pyld and rdflib: it prints the
// number of distinct triples each reads from the JSON-LD document.
const countTriples = `
import json, sys
from pyld import jsonld
import rdflib
doc = json.load(open(sys.argv[1], encoding="utf-8"))
nq = jsonld.to_rdf(doc, {"format": "application/n-quads"})
print(len(set(l for l in nq.splitlines() if l.strip())))
g = rdflib.Graph()
g.parse(sys.argv[1], format="json-ld")
print(len(g))
`

// rdfPython returns a Python that has pyld and rdflib (Debian's
// python3-pyld and python3-rdflib), or skips the test, unless
// ANNALS_REQUIRE_RDF is set (as .ci/run sets it, after installing them).
func rdfPython(t *testing.T) string {
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		if p, err := exec.LookPath(name); err == nil && exec.Command(p, "-c", "import pyld, rdflib").Run() == nil {
			return p
		}
	}
	if os.Getenv("ANNALS_REQUIRE_RDF") != "" {
		t.Fatal("no Python with pyld and rdflib, and ANNALS_REQUIRE_RDF is set")
	}
	t.Skip("no Python with pyld and rdflib: install Debian's python3-pyld and python3-rdflib to run this test")
	return ""
}

// TestJSONLDProcessorsAgree converts the samples to JSON-LD and reads the
// document with three JSON-LD processors: json-gold (Go), pyld and rdflib
// (Python). Each must read every triple: pyld once read 500 of 1,219,
// since the ids relied on an @base it does not apply.
func TestJSONLDProcessorsAgree(t *testing.T) {
	python := rdfPython(t)
	out := filepath.Join(t.TempDir(), "samples.jsonld")
	if code, _, stderr := runAnnals("convert", samplesDir(t), "--to", "jsonld", "-o", out); code != exitOK {
		t.Fatalf("convert: exit %d: %s", code, stderr)
	}
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var in any
	if err := json.Unmarshal(doc, &in); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.Format = "application/n-quads"
	nq, err := ld.NewJsonLdProcessor().ToRDF(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	triples := map[string]bool{}
	for _, l := range strings.Split(nq.(string), "\n") {
		if strings.TrimSpace(l) != "" {
			triples[l] = true
		}
	}
	gold := len(triples)
	if gold < 1000 {
		t.Fatalf("json-gold reads %d triples from the samples, fewer than they hold", gold)
	}
	script := filepath.Join(t.TempDir(), "count.py")
	if err := os.WriteFile(script, []byte(countTriples), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script, out)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", python, err, b)
	}
	counts := strings.Fields(string(b))
	if len(counts) != 2 {
		t.Fatalf("python printed %q", b)
	}
	for i, name := range []string{"pyld", "rdflib"} {
		if n, _ := strconv.Atoi(counts[i]); n != gold {
			t.Errorf("%s reads %s triples from the samples, json-gold %d", name, counts[i], gold)
		}
	}
}
