package csv

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/regularfile"
)

// CarriedManifest reads the manifest a CSV export carries in its
// datapackage.json, as annals:manifest (see convert.CarriedManifest).
func CarriedManifest(path string) (*record.Record, error) {
	dir, err := csvExportDir(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(dir, "datapackage.json")
	data, err := regularfile.ReadFile(name, table.MaxCarriedManifest)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Manifest json.RawMessage `json:"annals:manifest"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil || len(pkg.Manifest) == 0 {
		return nil, nil // the CSV importer reports a broken datapackage.json
	}
	return table.DecodeCarried(pkg.Manifest, record.Position{File: name, Line: 1, Col: 1})
}
