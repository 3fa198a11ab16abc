package check

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/formula"

	"github.com/annals-project/annals/schema"
)

// Formats lists the output formats of WriteFindings.
var Formats = []string{"text", "json", "github"}

// WriteFindings writes findings to w in one of [Formats]:
//   - text: one line per finding, FILE:LINE:COL: LABEL: FIELD: MESSAGE;
//   - json: one JSON object per line (JSON Lines) per finding;
//   - github: GitHub Actions workflow commands (::error file=…::…), which
//     annotate the lines of a pull request.
func WriteFindings(w io.Writer, format string, findings []Finding) error {
	var write func(Finding) error
	switch format {
	case "text":
		write = func(f Finding) error { _, err := fmt.Fprintln(w, f.String()); return err }
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		write = func(f Finding) error { return enc.Encode(f) }
	case "github":
		write = func(f Finding) error { _, err := fmt.Fprintln(w, githubAnnotation(f)); return err }
	default:
		return fmt.Errorf("unknown output format %q; use %s", format, strings.Join(Formats, ", "))
	}
	for _, f := range findings {
		if err := write(f); err != nil {
			return err
		}
	}
	return nil
}

func githubAnnotation(f Finding) string {
	level := map[Severity]string{Error: "error", Warning: "warning", Info: "notice"}[f.Severity]
	msg := f.Message
	if f.Field != "" {
		msg = f.Field + ": " + msg
	}
	if l := f.Label(); l != "" {
		msg = l + ": " + msg
	}
	return fmt.Sprintf("::%s file=%s,line=%d,col=%d,title=%s::%s", level,
		escapeProperty(f.File), f.Line, f.Column, escapeProperty("annals "+f.Code), escapeData(msg))
}

// escapeData and escapeProperty follow the escaping of the GitHub Actions
// toolkit (@actions/core command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Summary is the closing line of a check:
// "checked 12 records in 3 files (4 actors, 2 sources, …): 1 error, 0 warnings".
func (r *Report) Summary() string {
	var parts []string
	typed := 0
	for _, t := range schema.RecordTypes {
		if n := r.Counts[t]; n > 0 {
			typed += n
			parts = append(parts, english.Count(n, t))
		}
	}
	if n := r.Records - typed; n > 0 {
		parts = append(parts, fmt.Sprintf("%d without a valid type", n))
	}
	if n := r.Counts[schema.Manifest]; n > 0 {
		parts = append(parts, english.Count(n, schema.Manifest))
	}
	s := fmt.Sprintf("checked %s in %s", english.Count(r.Records, "record"), english.Count(r.Files, "file"))
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	s = fmt.Sprintf("%s: %s, %s", s, english.Count(r.Errors, "error"), english.Count(r.Warnings, "warning"))
	if r.Notes > 0 {
		s += ", " + english.Count(r.Notes, "note")
	}
	return s
}

// ConflictFormats lists the output formats of WriteConflicts.
var ConflictFormats = []string{"text", "json", "csv"}

// WriteConflicts writes what the sources disagree on, in one of
// [ConflictFormats]:
//   - text: a heading per conflict, then a line per source with its
//     position, value and rank;
//   - json: one JSON object per conflict per line (JSON Lines);
//   - csv: RFC 4180, UTF-8, a row per source and value (the long form of
//     the workbook's Conflicts sheet, with the positions), with the CSV
//     export's formula guard.
func WriteConflicts(w io.Writer, format string, conflicts []record.Conflict) error {
	switch format {
	case "text":
		return writeConflictsText(w, conflicts)
	case "json":
		return writeConflictsJSON(w, conflicts)
	case "csv":
		return writeConflictsCSV(w, conflicts)
	}
	return fmt.Errorf("unknown output format %q; use %s", format, strings.Join(ConflictFormats, ", "))
}

func conflictHeading(c record.Conflict) string {
	head := fmt.Sprintf("%s %q: %s", c.RecordType, c.RecordID, c.Field)
	switch {
	case c.Actor != "":
		head += fmt.Sprintf(" of actor %q, whose name is %q", c.Actor, c.Canonical)
	case c.Canonical != "":
		head += ": the record has " + c.Canonical
	default:
		head += ": the record has none"
	}
	return head
}

func writeConflictsText(w io.Writer, conflicts []record.Conflict) error {
	bw := bufio.NewWriter(w)
	for i, c := range conflicts {
		if i > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString(conflictHeading(c) + "\n")
		for _, v := range c.Values {
			fmt.Fprintf(bw, "  %s: %q reports %q", v.Pos, v.Source, v.Value)
			if v.Wording != "" {
				fmt.Fprintf(bw, " (%q)", v.Wording)
			}
			if v.Rank != "" && v.Rank != "normal" {
				fmt.Fprintf(bw, ", ranked %s", v.Rank)
			}
			if !v.Agrees {
				bw.WriteString(", which differs")
			}
			bw.WriteString("\n")
		}
	}
	return bw.Flush()
}

type jsonConflict struct {
	RecordType string      `json:"record_type"`
	RecordID   string      `json:"record_id"`
	Field      string      `json:"field"`
	Actor      string      `json:"actor,omitempty"`
	Canonical  string      `json:"canonical,omitempty"`
	Values     []jsonValue `json:"values"`
}

type jsonValue struct {
	Source  string `json:"source"`
	Value   string `json:"value"`
	Wording string `json:"wording,omitempty"`
	Rank    string `json:"rank,omitempty"`
	Agrees  bool   `json:"agrees"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Sheet   string `json:"sheet,omitempty"`
	Cell    string `json:"cell,omitempty"`
}

func writeConflictsJSON(w io.Writer, conflicts []record.Conflict) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, c := range conflicts {
		jc := jsonConflict{RecordType: c.RecordType, RecordID: c.RecordID, Field: c.Field, Actor: c.Actor, Canonical: c.Canonical}
		for _, v := range c.Values {
			jc.Values = append(jc.Values, jsonValue{Source: v.Source, Value: v.Value, Wording: v.Wording, Rank: v.Rank, Agrees: v.Agrees,
				File: v.Pos.File, Line: v.Pos.Line, Column: v.Pos.Col, Sheet: v.Pos.Sheet, Cell: v.Pos.Cell})
		}
		if err := enc.Encode(jc); err != nil {
			return err
		}
	}
	return nil
}

func writeConflictsCSV(w io.Writer, conflicts []record.Conflict) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	g := formula.Guard
	if err := cw.Write([]string{"record_type", "record_id", "field", "actor", "canonical", "source", "reported", "wording", "rank", "agrees", "file", "line", "column", "sheet", "cell"}); err != nil {
		return err
	}
	for _, c := range conflicts {
		for _, v := range c.Values {
			row := []string{c.RecordType, c.RecordID, c.Field, c.Actor, g(c.Canonical), v.Source, g(v.Value), g(v.Wording), v.Rank,
				strconv.FormatBool(v.Agrees), g(v.Pos.File), strconv.Itoa(v.Pos.Line), strconv.Itoa(v.Pos.Col), g(v.Pos.Sheet), v.Pos.Cell}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
