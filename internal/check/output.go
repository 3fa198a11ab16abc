package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

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
			parts = append(parts, plural(n, t))
		}
	}
	if n := r.Records - typed; n > 0 {
		parts = append(parts, fmt.Sprintf("%d without a valid type", n))
	}
	if n := r.Counts[schema.Manifest]; n > 0 {
		parts = append(parts, plural(n, schema.Manifest))
	}
	s := fmt.Sprintf("checked %s in %s", plural(r.Records, "record"), plural(r.Files, "file"))
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("%s: %s, %s", s, plural(r.Errors, "error"), plural(r.Warnings, "warning"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
