package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/internal/english"
)

// Summary is the result in a line: "2 records changed, 1 added, 0 removed
// (49 and 50 records)".
func (r *Result) Summary() string {
	if !r.Differs() {
		return fmt.Sprintf("the same %s", english.Count(r.New, "record"))
	}
	return fmt.Sprintf("%s changed, %d added, %d removed (%d records before, %d after)",
		english.Count(len(r.Changed), "record"), len(r.Added), len(r.Removed), r.Old, r.New)
}

// WriteText writes the result for a terminal: a line per record added or
// removed, a line per change of a changed record under it, the agreement
// table when asked for, and the summary.
func (r *Result) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	for _, k := range r.Removed {
		ew.printf("- %s: removed\n", k)
	}
	for _, k := range r.Added {
		ew.printf("+ %s: added\n", k)
	}
	for _, c := range r.Changed {
		ew.printf("~ %s:\n", c.Key)
		for _, ch := range c.Changes {
			ew.printf("    %s\n", ch.describe())
		}
	}
	if len(r.Agreement) > 0 {
		ew.printf("agreement by field (records where either gives it):\n")
		for _, a := range r.Agreement {
			ew.printf("  %-32s %5.1f%%  %d of %d\n", a.Field, 100*a.Share, a.Agree, a.Total)
		}
	}
	ew.printf("%s\n", r.Summary())
	return ew.err
}

// describe is a change in words: "date: 2022-01-10 → 2022-01-11".
func (c Change) describe() string {
	switch {
	case !c.OldSet:
		return fmt.Sprintf("%s: added %s", c.Path, Text(c.New))
	case !c.NewSet:
		return fmt.Sprintf("%s: removed (was %s)", c.Path, Text(c.Old))
	}
	return fmt.Sprintf("%s: %s → %s", c.Path, Text(c.Old), Text(c.New))
}

// WriteMarkdown writes the result for a pull request comment or a job
// summary: the summary, then a table of the changes.
func (r *Result) WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("### annals diff\n\n%s.\n", capital(r.Summary()))
	if r.Differs() {
		ew.printf("\n| record | field | before | after |\n| --- | --- | --- | --- |\n")
		for _, k := range r.Removed {
			ew.printf("| %s | | *the record* | *removed* |\n", cell(k.String()))
		}
		for _, k := range r.Added {
			ew.printf("| %s | | *none* | *added* |\n", cell(k.String()))
		}
		for _, c := range r.Changed {
			for _, ch := range c.Changes {
				before, after := "*none*", "*none*"
				if ch.OldSet {
					before = cell(Text(ch.Old))
				}
				if ch.NewSet {
					after = cell(Text(ch.New))
				}
				ew.printf("| %s | %s | %s | %s |\n", cell(c.Key.String()), cell(ch.Path), before, after)
			}
		}
	}
	if len(r.Agreement) > 0 {
		ew.printf("\n| field | agreement | records |\n| --- | ---: | ---: |\n")
		for _, a := range r.Agreement {
			ew.printf("| %s | %.1f%% | %d of %d |\n", cell(a.Field), 100*a.Share, a.Agree, a.Total)
		}
	}
	return ew.err
}

// cell escapes text for a cell of a Markdown table, which a job summary
// or a pull request comment renders: what could end the cell, start
// markup or HTML is escaped, and long text is cut at a character's
// boundary. The text comes from the records, which strangers may write.
func cell(s string) string {
	if len(s) > maxCell {
		cut := maxCell
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return cellEscaper.Replace(s)
}

const maxCell = 200

var cellEscaper = strings.NewReplacer(
	"|", `\|`, "\\", `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\n", " ", "\r", " ")

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// WriteJSON writes the result as one JSON object.
func (r *Result) WriteJSON(w io.Writer) error {
	type key struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	type change struct {
		Path string `json:"path"`
		Old  any    `json:"old,omitempty"`
		New  any    `json:"new,omitempty"`
	}
	type changed struct {
		key
		Changes []change `json:"changes"`
	}
	out := struct {
		Same      bool        `json:"same"`
		Summary   string      `json:"summary"`
		Before    int         `json:"records_before"`
		After     int         `json:"records_after"`
		Added     []key       `json:"added"`
		Removed   []key       `json:"removed"`
		Changed   []changed   `json:"changed"`
		Agreement []Agreement `json:"agreement,omitempty"`
	}{Same: !r.Differs(), Summary: r.Summary(), Before: r.Old, After: r.New,
		Added: []key{}, Removed: []key{}, Changed: []changed{}, Agreement: r.Agreement}
	for _, k := range r.Added {
		out.Added = append(out.Added, key(k))
	}
	for _, k := range r.Removed {
		out.Removed = append(out.Removed, key(k))
	}
	for _, c := range r.Changed {
		cc := changed{key: key{c.Type, c.ID}}
		for _, ch := range c.Changes {
			cc.Changes = append(cc.Changes, change{Path: ch.Path, Old: ch.Old, New: ch.New})
		}
		out.Changed = append(out.Changed, cc)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
