package csv

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

// CarriedManifest reads the manifest a CSV export carries in its
// datapackage.json, as annals:manifest (see convert.CarriedManifest), and
// the extension schemas it carries, as annals:extensions.
func CarriedManifest(path string) (*record.Record, map[string][]byte, error) {
	dir, err := csvExportDir(path)
	if err != nil {
		return nil, nil, err
	}
	name := filepath.Join(dir, "datapackage.json")
	data, err := regularfile.ReadFile(name, table.MaxCarriedManifest)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var pkg struct {
		Manifest   json.RawMessage `json:"annals:manifest"`
		Extensions json.RawMessage `json:"annals:extensions"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil || len(pkg.Manifest) == 0 {
		return nil, nil, nil // the CSV importer reports a broken datapackage.json
	}
	pos := record.Position{File: name, Line: 1, Col: 1}
	rec, err := table.DecodeCarried(pkg.Manifest, pos)
	if err != nil || len(pkg.Extensions) == 0 {
		return rec, nil, err
	}
	exts, err := schema.DecodeCarriedExtensions(pkg.Extensions)
	if err != nil {
		return nil, nil, &record.ImportError{Position: pos, Code: record.CodeSyntax, Msg: err.Error()}
	}
	return rec, exts, nil
}
