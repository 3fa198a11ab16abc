package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
)

// An export carries the manifest of the dataset it was made from, so that
// a workbook or CSV export validated away from the dataset's folder is
// still governed by its archive folder and checks: the workbook in its
// About sheet, as JSON in the value of the row manifestField, and the CSV
// export in datapackage.json, as annals:manifest.
const manifestField = "Manifest (JSON)"

// maxCarriedManifest bounds the manifest an export carries, and the
// datapackage.json read for it: a manifest is some hundred bytes.
const maxCarriedManifest = 1 << 20

// carriedManifestJSON returns the manifest as compact JSON, keys sorted,
// for an export to carry; "" when there is none or it does not fit a
// workbook cell (32,767 characters, far more than any manifest).
func carriedManifestJSON(m map[string]any) string {
	if m == nil {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil || b.Len() > maxCellChars {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// CarriedManifest returns the manifest an export carries, as a record
// located where it is written (the About sheet's cell, or
// datapackage.json), or nil when it carries none: an export of a dataset
// without a manifest, or one made by an annals before exports carried it.
// path is a workbook, a CSV export's folder, or its datapackage.json.
func CarriedManifest(path string) (*record.Record, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return workbookManifest(path)
	}
	dir, err := csvExportDir(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(dir, "datapackage.json")
	data, err := readSmall(name, maxCarriedManifest)
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
	return decodeCarried(pkg.Manifest, record.Position{File: name, Line: 1, Col: 1})
}

// workbookManifest reads the manifest row of a workbook's About sheet.
func workbookManifest(path string) (*record.Record, error) {
	var opts ImportOptions
	wb, err := openWorkbook(path, opts.maxUnzipped())
	if err != nil {
		return nil, err
	}
	defer wb.close()
	for _, sh := range wb.sheets {
		if !strings.EqualFold(strings.TrimSpace(sh.name), aboutSheet) {
			continue
		}
		tf := wb.tableFile(sh)
		rows, err := tf.open()
		if err != nil {
			return nil, err
		}
		defer rows.close()
		for {
			row, err := rows.next()
			if err == io.EOF {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			if len(row.cells) >= 2 && row.cells[0].col == 1 && row.cells[0].text == manifestField && row.cells[1].col == 2 {
				return decodeCarried([]byte(row.cells[1].text), tf.pos(row.num, 2))
			}
		}
	}
	return nil, nil
}

// decodeCarried decodes a carried manifest, found at pos.
func decodeCarried(data []byte, pos record.Position) (*record.Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, &record.ImportError{Pos: pos, Code: record.CodeSyntax, Msg: "the manifest this export carries is not a JSON object; export the dataset again"}
	}
	return record.NewAssembledRecord(pos.File, 0, m, pos, func(string, bool) record.Position { return pos }), nil
}

// readSmall reads a small file: opened without waiting (a named pipe would
// wait for a writer), refused unless a regular file of at most limit
// bytes.
func readSmall(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is larger than %s, more than annals reads of it", name, english.MiB(int(limit)))
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}
