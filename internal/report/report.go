// Package report writes a dataset as one self-contained HTML page, for
// reviewers who would rather look than read YAML: a summary, every finding
// grouped by record, a timeline of the events and statements drawn as
// SVG, for each event and statement a table of what each source reported
// with the disagreements highlighted, and an index of the actors with
// their aliases. The page needs nothing else: no scripts, fonts or images
// from elsewhere, so it works offline and can be mailed as it is.
package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/schema"
)

// Dataset is what the report shows.
type Dataset struct {
	Manifest      map[string]any // nil when the dataset has none
	Records       []map[string]any
	Report        *check.Report
	Conflicts     []record.Conflict
	Version       string // annals'
	SchemaVersion string
	// Own are the fields of the study's extensions, by record type (see
	// schema.Extend), shown with each event and statement.
	Own map[string][]schema.Field
}

// Write writes the report of d to w.
func Write(w io.Writer, d *Dataset) error {
	return page.Execute(w, build(d))
}

// view is what the template reads.
type view struct {
	Title, Description        string
	Version, SchemaVersion    string
	Counts                    []typeCount
	Errors, Warnings, Notes   int
	Omitted                   int
	Quotes                    string // how many quotes were verified, and why not the others
	QuotesUnverified          bool
	Groups                    []findingGroup
	Timeline                  timeline
	Reports                   []recordReport
	Actors                    []actorEntry
	HasConflicts, HasFindings bool
}

type typeCount struct {
	Type string
	N    int
}

type findingGroup struct {
	Label, Anchor string // Anchor: the record's section in the page, if it has one
	Findings      []finding
}

type finding struct {
	Severity, Where, Message, Code string
}

type recordReport struct {
	Type, ID, Anchor, Title, Date, Place string
	Speaker                              string     // a statement's speaker, by name
	Own                                  []ownValue // the study's own fields the record has
	Rows                                 []sourceRow
	Conflicts                            int
}

// ownValue is one of the study's own fields of a record, as text.
type ownValue struct{ Title, Value string }

type sourceRow struct {
	Source, SourceTitle          string
	Rank                         string // preferred, normal or deprecated
	Date, DateText, Place, Names string
	Quote                        string
	DateConflict, PlaceConflict  bool
	NamesConflict                bool
}

type actorEntry struct {
	ID, Name, Kind, Anchor string
	Aliases                []string
	In                     []link
}

type link struct{ Label, Anchor string }

func build(d *Dataset) view {
	v := view{Title: "annals dataset", Version: d.Version, SchemaVersion: d.SchemaVersion}
	if t, ok := d.Manifest["title"].(string); ok {
		v.Title = t
	}
	v.Description, _ = d.Manifest["description"].(string)
	if r := d.Report; r != nil {
		for _, t := range []string{"actor", "source", "event", "statement"} {
			v.Counts = append(v.Counts, typeCount{t, r.Counts[t]})
		}
		v.Errors, v.Warnings, v.Notes, v.Omitted = r.Errors, r.Warnings, r.Notes, r.Omitted
		v.Quotes, v.QuotesUnverified = r.Quotes.String(), r.Quotes.Unverified() > 0
	}
	sources := map[string]map[string]any{}
	for _, rec := range d.Records {
		if rec["type"] == "source" {
			if id, ok := rec["id"].(string); ok {
				sources[id] = rec
			}
		}
	}
	v.Groups = groups(d.Report)
	v.HasFindings = len(v.Groups) > 0
	names := map[string]string{}
	for _, rec := range d.Records {
		if rec["type"] == "actor" {
			names[str(rec, "id")] = str(rec, "name")
		}
	}
	disagrees := disagreements(d.Conflicts)
	v.Timeline = buildTimeline(d.Records, names, disagrees)
	v.Reports = recordReports(d.Records, sources, names, disagrees, d.Own)
	for _, r := range v.Reports {
		if r.Conflicts > 0 {
			v.HasConflicts = true
		}
	}
	v.Actors = actors(d.Records)
	return v
}

// anchor is the id of a record's section in the page.
func anchor(typ, id string) string { return "rec-" + typ + "-" + id }

func groups(r *check.Report) []findingGroup {
	if r == nil {
		return nil
	}
	var out []findingGroup
	byLabel := map[string]int{}
	for _, f := range r.Findings {
		label := f.Label()
		if label == "" {
			label = "the files"
		}
		i, ok := byLabel[label]
		if !ok {
			i = len(out)
			byLabel[label] = i
			g := findingGroup{Label: label}
			if (f.RecordType == "event" || f.RecordType == "statement") && f.RecordID != "" {
				g.Anchor = anchor(f.RecordType, f.RecordID)
			}
			out = append(out, g)
		}
		where := f.Position().String()
		if f.Field != "" {
			where += " · " + f.Field
		}
		severity := f.Severity.String()
		if severity == "info" {
			severity = "note" // as the summary counts them
		}
		out[i].Findings = append(out[i].Findings, finding{Severity: severity, Where: where, Message: f.Message, Code: f.Code})
	}
	return out
}

func str(m map[string]any, key string) string { s, _ := m[key].(string); return s }

func list(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	l, _ := m[key].([]any)
	for _, x := range l {
		if o, ok := x.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// disagreements says, under type/id/field/source, which source's value
// does not fit its record's.
func disagreements(conflicts []record.Conflict) map[string]bool {
	disagrees := map[string]bool{}
	for _, c := range conflicts {
		for _, val := range c.Values {
			if !val.Agrees {
				disagrees[c.RecordType+"\x00"+c.RecordID+"\x00"+c.Field+"\x00"+val.Source] = true
			}
		}
	}
	return disagrees
}

// recordReports are the tables of what each source reported, for every
// event and statement with attestations, in the order of the timeline.
func recordReports(records []map[string]any, sources map[string]map[string]any, names map[string]string, disagrees map[string]bool, own map[string][]schema.Field) []recordReport {
	var out []recordReport
	for _, rec := range records {
		typ := str(rec, "type")
		if typ != "event" && typ != "statement" {
			continue
		}
		id := str(rec, "id")
		r := recordReport{Type: typ, ID: id, Anchor: anchor(typ, id), Date: str(rec, "date")}
		r.Title = str(rec, "title")
		if typ == "statement" {
			r.Title = str(rec, "summary")
			r.Speaker = names[str(rec, "speaker")]
			if r.Speaker == "" {
				r.Speaker = str(rec, "speaker")
			}
		}
		if loc, ok := rec["location"].(map[string]any); ok {
			r.Place = str(loc, "name")
		}
		for _, f := range own[typ] {
			if v, ok := rec[f.Name]; ok {
				r.Own = append(r.Own, ownValue{Title: f.Title, Value: ownText(v)})
			}
		}
		for _, att := range list(rec, "attestations") {
			src := str(att, "source")
			row := sourceRow{Source: src, Date: str(att, "reported_date"), DateText: str(att, "reported_date_text"),
				Place: str(att, "reported_place"), Quote: str(att, "quote"), Rank: cmp.Or(str(att, "rank"), "normal")}
			if s := sources[src]; s != nil {
				row.SourceTitle = strings.TrimSpace(str(s, "outlet") + " " + str(s, "published"))
			}
			var names []string
			for _, n := range list(att, "reported_names") {
				names = append(names, str(n, "spelling"))
			}
			row.Names = strings.Join(names, ", ")
			key := typ + "\x00" + id + "\x00"
			row.DateConflict = disagrees[key+"date\x00"+src]
			row.PlaceConflict = disagrees[key+"location.name\x00"+src]
			row.NamesConflict = disagrees[key+"reported_names\x00"+src]
			if row.DateConflict || row.PlaceConflict || row.NamesConflict {
				r.Conflicts++
			}
			r.Rows = append(r.Rows, row)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b recordReport) int {
		ta, _ := earliest(a.Date)
		tb, _ := earliest(b.Date)
		return ta.Compare(tb)
	})
	return out
}

func earliest(s string) (time.Time, bool) {
	d, err := edtf.Parse(s)
	if err != nil {
		return time.Time{}, false
	}
	return d.Earliest()
}

func actors(records []map[string]any) []actorEntry {
	in := map[string][]link{}
	mention := func(actor, typ, id string) {
		l := link{Label: typ + " " + id, Anchor: anchor(typ, id)}
		if actor != "" && !slices.Contains(in[actor], l) {
			in[actor] = append(in[actor], l)
		}
	}
	for _, rec := range records {
		typ, id := str(rec, "type"), str(rec, "id")
		switch typ {
		case "event":
			for _, p := range list(rec, "participants") {
				mention(str(p, "actor"), typ, id)
			}
		case "statement":
			mention(str(rec, "speaker"), typ, id)
		}
	}
	var out []actorEntry
	for _, rec := range records {
		if str(rec, "type") != "actor" {
			continue
		}
		a := actorEntry{ID: str(rec, "id"), Name: str(rec, "name"), Kind: str(rec, "kind"), Anchor: "actor-" + str(rec, "id")}
		for _, al := range list(rec, "aliases") {
			a.Aliases = append(a.Aliases, fmt.Sprintf("%s (%s)", str(al, "name"), str(al, "kind")))
		}
		a.In = in[a.ID]
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b actorEntry) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	return out
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"sub": func(a, b int) int { return a - b }}).Parse(strings.Replace(pageHTML, "CONTENT_SECURITY_POLICY", contentSecurityPolicy(pageHTML), 1)))

// contentSecurityPolicy is the report's policy: it loads nothing from
// anywhere (no network, no script, no form), and its one style sheet, the
// page's own, is allowed by its hash. A report of a stranger's dataset
// opened in a browser can thus neither run code nor call out, whatever
// the records hold (they are escaped too).
func contentSecurityPolicy(page string) string {
	_, style, _ := strings.Cut(page, "<style>")
	style, _, _ = strings.Cut(style, "</style>")
	sum := sha256.Sum256([]byte(style))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src data:; base-uri 'none'; form-action 'none'"
}

// ownText shows a value of the study's own fields: text as it is, a list
// as its items joined by commas.
func ownText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ownText(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
