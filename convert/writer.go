package convert

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/annals-project/annals/convert/canonical"
	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/jsonld"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/sqlite"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/convert/xlsx"
	"github.com/annals-project/annals/schema"
)

// NewWriter returns the writer of the records of ds as one stream in the
// format named: "xlsx", "sqlite", "jsonld", "json", "jsonl" or "yaml". A CSV export
// is a folder of files: [csv.NewWriter] writes it.
func NewWriter(format string, w io.Writer, ds *record.Dataset) (record.Writer, error) {
	switch format {
	case "xlsx":
		return xlsx.NewWriter(w, ds), nil
	case "jsonld":
		return jsonld.NewWriter(w, ds), nil
	case "sqlite":
		return sqlite.NewWriter(w, ds), nil
	case "json":
		return canonical.NewJSONWriter(w, ds), nil
	case "jsonl":
		return canonical.NewJSONLWriter(w, ds), nil
	case "yaml":
		return canonical.NewYAMLWriter(w, ds), nil
	}
	return nil, fmt.Errorf("no writer of one stream in the format %q", format)
}

// NewImporter returns the reader of the records of an export: a workbook
// (.xlsx), or a CSV export's folder or its datapackage.json.
func NewImporter(path string, v *schema.Validator, opts table.ImportOptions) (record.Reader, error) {
	if isWorkbook(path) {
		return xlsx.NewImporter(path, v, opts)
	}
	return csv.NewImporter(path, v, opts)
}

// isWorkbook tells a workbook from a CSV export: a file named .xlsx, where
// a CSV export is a folder (whatever its name) or its datapackage.json.
func isWorkbook(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return false
	}
	info, err := os.Stat(path)
	return err != nil || !info.IsDir() // a missing file: the workbook importer says so
}
