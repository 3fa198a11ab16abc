// Command xlsxcells writes the cells of a workbook that annals wrote as JSON
// Lines, for the spreadsheet peers of bench/peers.sh to write the same
// cells: a line {"sheet": NAME} before each sheet's rows, in workbook order,
// then one JSON array per row with a string, number or boolean per cell and
// null where the row has no cell.
//
//	go run ./bench/peers/xlsxcells annals.xlsx > cells.jsonl
//
// It reads the worksheet XML with a plain scan rather than a general XML
// decoder, which is several times slower on a large workbook, so it
// understands the cells annals writes (inline strings, numbers, booleans)
// and refuses shared strings.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xlsxcells WORKBOOK.xlsx > cells.jsonl")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xlsxcells:", err)
		os.Exit(1)
	}
}

type sheet struct{ name, target string }

func run(file string, stdout io.Writer) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return err
	}
	defer zr.Close()
	sheets, err := listSheets(&zr.Reader)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	for _, s := range sheets {
		data, err := readFile(&zr.Reader, s.target)
		if err != nil {
			return err
		}
		head, _ := json.Marshal(map[string]string{"sheet": s.name})
		w.Write(head)
		w.WriteByte('\n')
		if err := writeRows(w, data); err != nil {
			return fmt.Errorf("sheet %q: %w", s.name, err)
		}
	}
	return w.Flush()
}

func readFile(zr *zip.Reader, name string) ([]byte, error) {
	f, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// listSheets reads the sheet names and their parts from the workbook and
// its relationships.
func listSheets(zr *zip.Reader) ([]sheet, error) {
	wb, err := readFile(zr, "xl/workbook.xml")
	if err != nil {
		return nil, err
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb, &book); err != nil {
		return nil, err
	}
	relsData, err := readFile(zr, "xl/_rels/workbook.xml.rels")
	if err != nil {
		return nil, err
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(relsData, &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = t[1:]
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	var out []sheet
	for _, s := range book.Sheets {
		t, ok := targets[s.ID]
		if !ok {
			return nil, fmt.Errorf("sheet %q has no part", s.Name)
		}
		out = append(out, sheet{s.Name, t})
	}
	return out, nil
}

// writeRows writes the rows of one worksheet's XML.
func writeRows(w *bufio.Writer, data []byte) error {
	start := bytes.Index(data, []byte("<sheetData"))
	end := bytes.Index(data, []byte("</sheetData>"))
	if start < 0 || end < 0 {
		return nil // an empty sheet: <sheetData/>
	}
	data = data[start:end]
	var row []any
	inRow := false
	flush := func() error {
		if !inRow {
			return nil
		}
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		w.Write(b)
		w.WriteByte('\n')
		row = row[:0]
		return nil
	}
	for i := 0; i < len(data); {
		lt := bytes.IndexByte(data[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		gt := bytes.IndexByte(data[i:], '>')
		if gt < 0 {
			return fmt.Errorf("unterminated tag")
		}
		tag := data[i+1 : i+gt]
		selfClosed := bytes.HasSuffix(tag, []byte("/"))
		i += gt + 1
		name, attrs, _ := bytes.Cut(tag, []byte(" "))
		switch string(bytes.TrimSuffix(name, []byte("/"))) {
		case "row":
			if err := flush(); err != nil {
				return err
			}
			inRow = true
		case "c":
			col, typ := -1, ""
			for _, a := range parseAttrs(attrs) {
				switch a[0] {
				case "r":
					col = columnIndex(a[1])
				case "t":
					typ = a[1]
				}
			}
			if col < 0 {
				col = len(row)
			}
			if selfClosed {
				continue
			}
			closeAt := bytes.Index(data[i:], []byte("</c>"))
			if closeAt < 0 {
				return fmt.Errorf("unterminated cell")
			}
			body := data[i : i+closeAt]
			i += closeAt + len("</c>")
			v, err := cellValue(typ, body)
			if err != nil {
				return err
			}
			for len(row) < col {
				row = append(row, nil)
			}
			row = append(row, v)
		}
	}
	return flush()
}

func cellValue(typ string, body []byte) (any, error) {
	switch typ {
	case "inlineStr":
		// The text of every <t> in <is>, for rich text too.
		var b strings.Builder
		for rest := body; ; {
			open := bytes.Index(rest, []byte("<t"))
			if open < 0 {
				break
			}
			rest = rest[open+2:]
			if len(rest) > 0 && rest[0] != '>' && rest[0] != ' ' {
				continue // another tag starting with t
			}
			gt := bytes.IndexByte(rest, '>')
			closeAt := bytes.Index(rest, []byte("</t>"))
			if gt < 0 || closeAt < 0 {
				return nil, fmt.Errorf("unterminated text")
			}
			b.WriteString(html.UnescapeString(string(rest[gt+1 : closeAt])))
			rest = rest[closeAt:]
		}
		return b.String(), nil
	case "s":
		return nil, fmt.Errorf("shared strings are not supported (annals writes inline strings)")
	}
	v := ""
	if open := bytes.Index(body, []byte("<v>")); open >= 0 {
		closeAt := bytes.Index(body, []byte("</v>"))
		if closeAt < open {
			return nil, fmt.Errorf("unterminated value")
		}
		v = html.UnescapeString(string(body[open+3 : closeAt]))
	}
	switch typ {
	case "b":
		return v == "1", nil
	case "str", "e":
		return v, nil
	}
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, fmt.Errorf("number cell %q: %w", v, err)
	}
	return f, nil
}

// parseAttrs splits name="value" pairs.
func parseAttrs(b []byte) [][2]string {
	var out [][2]string
	for {
		b = bytes.TrimLeft(b, " \t\r\n/")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 || eq+1 >= len(b) {
			return out
		}
		q := b[eq+1]
		end := bytes.IndexByte(b[eq+2:], q)
		if end < 0 {
			return out
		}
		out = append(out, [2]string{string(bytes.TrimSpace(b[:eq])), html.UnescapeString(string(b[eq+2 : eq+2+end]))})
		b = b[eq+2+end+1:]
	}
}

// columnIndex turns a cell reference such as "AB12" into its 0-based column.
func columnIndex(ref string) int {
	n := 0
	for _, c := range ref {
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}
