//go:build ignore

// Generate writes the entries of the hostile-input corpus that are binary
// or too regular to write by hand: other encodings, deep nesting, broken
// and disguised workbooks, and CSV exports damaged the ways spreadsheet
// programs and editors damage them. The workbooks and CSV exports start
// from a real export of base.yaml below, made with the annals command.
//
// Run it from the repository root, and review the diff:
//
//	go run testdata/hostile/generate.go
//
// It rewrites only the files it makes; the hand-written entries beside
// them are left alone.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

const dir = "testdata/hostile"

// base is a small valid dataset, in our own words.
const base = `- type: source
  id: harbour-news
  outlet: Harbour News
  url: https://example.org/ferry-strike
  published: "2023-05-03"
- type: actor
  id: harbour-union
  name: Harbour Union
  kind: organization
- type: event
  id: ferry-strike
  title: Ferry crews strike for a day
  category: protest
  status: occurred
  date: "2023-05-02"
  participants:
    - actor: harbour-union
      role: party
  attestations:
    - source: harbour-news
      quote: "crews walked off the morning boats"
      quote_kind: direct
`

const actor = `{"type":"actor","id":"harbour-union","name":"Harbour Union","kind":"organization"}`

func main() {
	log.SetFlags(0)
	tmp, err := os.MkdirTemp("", "hostile")
	check(err)
	defer os.RemoveAll(tmp)
	check(os.WriteFile(filepath.Join(tmp, "base.yaml"), []byte(base), 0o644))
	annals(tmp, "convert", "base.yaml", "--to", "xlsx", "-o", "base.xlsx")
	annals(tmp, "convert", "base.yaml", "--to", "csv", "-o", "csv")
	workbook, err := os.ReadFile(filepath.Join(tmp, "base.xlsx"))
	check(err)

	// Encodings.
	write("json-utf16le.json", slices.Concat([]byte{0xFF, 0xFE}, utf16LE("["+actor+"]\n")))
	write("json-utf16be-no-bom.json", utf16BE("["+actor+"]\n"))
	write("yaml-windows-1252.yaml", []byte("- type: actor\n  id: harbour-union\n  name: \x93Harbour Union\x94\n  kind: organization\n"))

	// Nesting far deeper than any record.
	write("json-deep-nesting.json", []byte(`{"type":"actor","id":"harbour-union","note":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"}\n"))
	write("yaml-deep-nesting.yaml", []byte("- type: actor\n  id: harbour-union\n  note: "+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n"))
	// Two names of digits in pairs, one digit apart, that skeletons keep
	// as they are: compared in time linear in their length (it was
	// quadratic); short enough for an Excel cell.
	pairs := strings.Repeat("1122", 8000)
	write("actors-paired-digits.jsonl", []byte(`{"type": "actor", "id": "pairs-one", "kind": "organization", "name": "`+pairs+`"}`+"\n"+
		`{"type": "actor", "id": "pairs-two", "kind": "organization", "name": "`+pairs[:16000]+pairs[16001:]+`"}`+"\n"))

	// Not workbooks.
	write("xlsx-renamed-pdf.xlsx", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"))
	write("xlsx-truncated.xlsx", workbook[:len(workbook)/2])
	write("xlsx-empty-zip.xlsx", zipOf(nil))
	write("xlsx-renamed-docx.xlsx", zipOf(map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
	}))
	// An encrypted workbook is an OLE compound file, like an old .xls.
	write("xlsx-password-protected.xlsx", slices.Concat([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)))

	// Zip bombs: a directory that declares far more than it holds, and a
	// part that inflates to far more than its directory entry declares.
	write("xlsx-zip-bomb.xlsx", rewriteZip(workbook, func(name string, data []byte) (*zip.FileHeader, []byte) {
		if name != "xl/worksheets/sheet1.xml" {
			return nil, data
		}
		return &zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: 8 << 30}, deflate(data)
	}))
	write("xlsx-understated-size.xlsx", rewriteZip(workbook, func(name string, data []byte) (*zip.FileHeader, []byte) {
		if name != "xl/worksheets/sheet1.xml" {
			return nil, data
		}
		return &zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: uint64(len(data))},
			deflate(slices.Concat(data, make([]byte, 8<<20)))
	}))
	write("xlsx-garbage-sheet.xlsx", rewriteZip(workbook, func(name string, data []byte) (*zip.FileHeader, []byte) {
		if name != "xl/worksheets/sheet1.xml" {
			return nil, data
		}
		return nil, []byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>99999</v></c></row><row r="2"><c r="A2"`)
	}))

	// A shared strings table that says it holds 200 million strings: 1.5
	// MB of empty <si/> entries once took 7.7 GB to read. Refused from
	// what it says, before it is read.
	withShared := excel(workbook, func(f *excelize.File) {
		check(f.SetCellStr(f.GetSheetName(0), "B2", "The harbour council votes"))
	})
	write("xlsx-shared-strings-bomb.xlsx", rewriteZip(withShared, func(name string, data []byte) (*zip.FileHeader, []byte) {
		if name != "xl/sharedStrings.xml" {
			return nil, data
		}
		return nil, regexp.MustCompile(`uniqueCount="\d+"`).ReplaceAll(data, []byte(`uniqueCount="200000000"`))
	}))

	// Workbooks as collaborators edit them.
	write("xlsx-not-from-annals.xlsx", excel(nil, func(f *excelize.File) {
		check(f.SetSheetName("Sheet1", "Budget"))
		check(f.SetSheetRow("Budget", "A1", &[]any{"item", "cost"}))
		check(f.SetSheetRow("Budget", "A2", &[]any{"ferry tickets", 120}))
	}))
	write("xlsx-formula-cell.xlsx", excel(workbook, func(f *excelize.File) {
		check(f.SetCellFormula("Events", "B2", `HYPERLINK("https://example.org","click me")`))
	}))
	write("xlsx-bad-date.xlsx", excel(workbook, func(f *excelize.File) {
		check(f.SetCellStr("Events", "G2", "2023-13-45"))
	}))
	write("xlsx-dangling-reference.xlsx", excel(workbook, func(f *excelize.File) {
		check(f.SetCellStr("Event attestations", "C2", "harbor-news"))
	}))
	write("xlsx-date-typed-as-date.xlsx", excel(workbook, func(f *excelize.File) {
		// Typing 02/05/2023 12:00 into a cell makes it a serial number.
		style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		check(err)
		check(f.SetCellValue("Events", "G2", 45048.5))
		check(f.SetCellStyle("Events", "G2", "G2", style))
	}))
	write("xlsx-missing-id-column.xlsx", excel(workbook, func(f *excelize.File) {
		check(f.RemoveCol("Events", "A"))
	}))

	// CSV exports as spreadsheet programs and editors save them.
	csvDir := filepath.Join(tmp, "csv")
	events := read(csvDir, "events.csv")
	csvExport("csv-semicolons", csvDir, "events.csv", bytes.ReplaceAll(events, []byte(","), []byte(";")))
	csvExport("csv-utf16", csvDir, "events.csv", slices.Concat([]byte{0xFF, 0xFE}, utf16LE(string(events))))
	csvExport("csv-windows-1252", csvDir, "events.csv", bytes.Replace(events, []byte("for a day"), []byte("for a day \x96 again"), 1))
	csvExport("csv-unclosed-quote", csvDir, "events.csv", bytes.Replace(events, []byte("Ferry crews"), []byte(`"Ferry crews`), 1))
	csvExport("csv-ragged-row", csvDir, "events.csv", slices.Concat(bytes.TrimRight(events, "\r\n"), []byte(",extra,cells\r\n")))
	csvExport("csv-nul-byte", csvDir, "events.csv", bytes.Replace(events, []byte("Ferry"), []byte("Fer\x00ry"), 1))
	// Rows of another table pasted under the events, header and all.
	actors := read(csvDir, "actors.csv")
	csvExport("csv-mixed-record-types", csvDir, "events.csv", slices.Concat(events, actors))
	csvExport("csv-orphan-attestation", csvDir, "event_attestations.csv",
		slices.Concat(read(csvDir, "event_attestations.csv"), []byte("ferry-lockout,1,harbour-news,,,,,,,,,,,,\r\n")))
	// Cut short in the middle of the first record.
	csvExport("csv-truncated", csvDir, "events.csv", events[:bytes.IndexByte(events, '\n')+20])
}

// annals runs the annals command in dir, building it there first.
func annals(dir string, args ...string) {
	bin := filepath.Join(dir, "annals")
	if _, err := os.Stat(bin); err != nil {
		build := exec.Command("go", "build", "-o", bin, "./cmd/annals")
		build.Stderr = os.Stderr
		check(build.Run())
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stderr = dir, os.Stderr
	check(cmd.Run())
}

func write(name string, data []byte) {
	check(os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

func read(dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name))
	check(err)
	return b
}

// csvExport writes the CSV export from src as dir/name, with file
// replaced by data.
func csvExport(name, src, file string, data []byte) {
	out := filepath.Join(dir, name)
	check(os.RemoveAll(out))
	check(os.MkdirAll(out, 0o755))
	entries, err := os.ReadDir(src)
	check(err)
	for _, e := range entries {
		b := read(src, e.Name())
		if e.Name() == file {
			b = data
		}
		check(os.WriteFile(filepath.Join(out, e.Name()), b, 0o644))
	}
}

// excel opens the workbook (a new one when nil), edits it and returns
// what it saves.
func excel(workbook []byte, edit func(*excelize.File)) []byte {
	f := excelize.NewFile()
	if workbook != nil {
		var err error
		f, err = excelize.OpenReader(bytes.NewReader(workbook))
		check(err)
	}
	edit(f)
	var b bytes.Buffer
	check(f.Write(&b))
	return b.Bytes()
}

func zipOf(files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		check(err)
		_, err = w.Write([]byte(files[name]))
		check(err)
	}
	check(zw.Close())
	return b.Bytes()
}

// rewriteZip copies a zip archive, letting edit replace each part: a nil
// header keeps the part's own, with the data compressed as usual; a header
// is written as it is, with data as the raw compressed bytes.
func rewriteZip(archive []byte, edit func(name string, data []byte) (*zip.FileHeader, []byte)) []byte {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	check(err)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		check(err)
		var data bytes.Buffer
		_, err = data.ReadFrom(rc)
		check(err)
		rc.Close()
		h, raw := edit(zf.Name, data.Bytes())
		if h == nil {
			w, err := zw.Create(zf.Name)
			check(err)
			_, err = w.Write(raw)
			check(err)
			continue
		}
		h.CompressedSize64 = uint64(len(raw))
		w, err := zw.CreateRaw(h)
		check(err)
		_, err = w.Write(raw)
		check(err)
	}
	check(zw.Close())
	return b.Bytes()
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	check(err)
	_, err = w.Write(data)
	check(err)
	check(w.Close())
	return b.Bytes()
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func check(err error) {
	if err != nil {
		log.Fatal(fmt.Errorf("generate: %w", err))
	}
}
