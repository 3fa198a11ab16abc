package csv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/formula"
)

// The datapackage.json of the CSV export: a Frictionless Tabular Data
// Package v1 (https://specs.frictionlessdata.io/) that gives every file its
// Table Schema (types, descriptions, allowed values, primary and foreign
// keys), so that frictionless, R and pandas read the tables with the right
// types and check them. It is marshalled from structs, whose fields keep
// their order, so the same dataset always gives the same bytes.

// Custom properties: Frictionless allows them, and readers ignore them.
const (
	// guardField marks a field whose values the formula guard applies to.
	guardField = "OWASP: a leading ' was added to values starting with = + - @ tab CR or '"
	guardOn    = "OWASP CSV injection guard: in every field marked annals:formulaGuard, a value that starts with " +
		"= + - @, tab (U+0009), carriage return (U+000D) or ' was written with one more ' in front, so that " +
		"spreadsheets show it as text instead of running it as a formula. Remove exactly one leading ' from " +
		"such a value (when what follows starts with one of those characters) to get the curated text back."
	guardOff = "off: values are written as curated, and a spreadsheet may run text that starts with = + - @ as a formula."
)

type dpPackage struct {
	Profile      string          `json:"profile"`
	Name         string          `json:"name"`
	Title        string          `json:"title,omitempty"`
	Description  string          `json:"description,omitempty"`
	Version      string          `json:"version,omitempty"`
	Licenses     []dpLicense     `json:"licenses,omitempty"`
	Contributors []dpContributor `json:"contributors,omitempty"`
	Keywords     []string        `json:"keywords,omitempty"`
	Sources      []dpSource      `json:"sources,omitempty"`
	FormulaGuard string          `json:"annals:formulaGuard"`
	Generator    string          `json:"annals:generator,omitempty"`
	Manifest     map[string]any  `json:"annals:manifest,omitempty"`   // the dataset's, for validating the export away from its folder
	Extensions   json.RawMessage `json:"annals:extensions,omitempty"` // the extension schemas the manifest names, likewise
	Resources    []dpResource    `json:"resources"`
}

type dpLicense struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Title string `json:"title,omitempty"`
}

type dpContributor struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
	Email string `json:"email,omitempty"`
	Role  string `json:"role"`
	// The curator's own words when they are not one of the roles Data
	// Package v1 allows.
	CuratorRole string `json:"annals:role,omitempty"`
}

// dpSource is an input file, for provenance.
type dpSource struct {
	Title   string `json:"title"`
	SHA256  string `json:"annals:sha256,omitempty"`
	Records int    `json:"annals:records"`
}

type dpResource struct {
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	Profile     string    `json:"profile"`
	Title       string    `json:"title,omitempty"`
	Description string    `json:"description,omitempty"`
	Format      string    `json:"format"`
	Mediatype   string    `json:"mediatype"`
	Encoding    string    `json:"encoding"`
	Dialect     dpDialect `json:"dialect"`
	Schema      dpSchema  `json:"schema"`
	// Derived marks the analysis table: made from the others, and not
	// read back when the export is imported.
	Derived bool `json:"annals:derived,omitempty"`
}

type dpDialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
	Header         bool   `json:"header"`
}

type dpSchema struct {
	Fields        []dpField      `json:"fields"`
	MissingValues []string       `json:"missingValues"`
	PrimaryKey    []string       `json:"primaryKey"`
	ForeignKeys   []dpForeignKey `json:"foreignKeys,omitempty"`
}

type dpField struct {
	Name         string         `json:"name"`
	Type         string         `json:"type"`
	Format       string         `json:"format,omitempty"`
	Title        string         `json:"title,omitempty"`
	Description  string         `json:"description,omitempty"`
	Constraints  *dpConstraints `json:"constraints,omitempty"`
	TextFormat   string         `json:"annals:format,omitempty"` // "edtf", which Table Schema has no format for
	FormulaGuard string         `json:"annals:formulaGuard,omitempty"`
}

type dpConstraints struct {
	Required bool        `json:"required,omitempty"`
	Enum     []string    `json:"enum,omitempty"`
	Minimum  json.Number `json:"minimum,omitempty"`
	Maximum  json.Number `json:"maximum,omitempty"`
}

type dpForeignKey struct {
	Fields    []string    `json:"fields"`
	Reference dpReference `json:"reference"`
}

type dpReference struct {
	Resource string   `json:"resource"` // "" for the table itself, as the spec says
	Fields   []string `json:"fields"`
}

// writePackage writes datapackage.json and syncs it, as the CSV files are.
func (w *Writer) writePackage() error {
	data, err := dpMarshal(dpNewPackage(append(slices.Clone(w.enc.tables), w.analysis.Table), w.ds, w.enc.key.opts))
	if err != nil {
		return fmt.Errorf("csv: datapackage.json: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(w.dir, "datapackage.json"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// dpMarshal indents by two spaces and keeps < > & as they are
// (encoding/json would escape them for HTML, which nobody embeds this in).
func dpMarshal(p *dpPackage) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// dpNewPackage describes the files of tables, written with opts, and the
// dataset from its manifest.
func dpNewPackage(tables []table.Table, ds *record.Dataset, opts Options) *dpPackage {
	m := ds.Manifest
	p := &dpPackage{
		Profile:      "tabular-data-package",
		Name:         dpName(dpText(m, "title")),
		Title:        dpText(m, "title"),
		Description:  dpText(m, "description"),
		Version:      dpText(m, "version"),
		Licenses:     dpLicenses(dpText(m, "license")),
		Contributors: dpContributors(m["curators"]),
		Keywords:     dpTextList(m["keywords"]),
		FormulaGuard: guardOn,
		Manifest:     m,
		Extensions:   ds.Validator.CarriedExtensions(),
	}
	if opts.NoFormulaGuard {
		p.FormulaGuard = guardOff
	}
	if ds.Version != "" {
		p.Generator = "annals " + ds.Version
	}
	for _, in := range ds.Inputs {
		p.Sources = append(p.Sources, dpSource{Title: in.Path, SHA256: in.SHA256, Records: in.Records})
	}
	for i := range tables {
		p.Resources = append(p.Resources, dpNewResource(&tables[i], opts))
	}
	return p
}

func dpNewResource(t *table.Table, opts Options) dpResource {
	r := dpResource{
		Name: t.Name, Path: t.Name + ".csv", Profile: "tabular-data-resource",
		Title: t.Sheet, Description: t.Description,
		Format: "csv", Mediatype: "text/csv", Encoding: "utf-8",
		Dialect: dpDialect{Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true, Header: true},
		Schema:  dpSchema{MissingValues: []string{""}, PrimaryKey: t.PrimaryKey},
		Derived: t.Derived,
	}
	if opts.BOM {
		r.Encoding = "utf-8-sig" // what Python and frictionless call UTF-8 read past a BOM
	}
	for i := range t.Columns {
		r.Schema.Fields = append(r.Schema.Fields, dpNewField(&t.Columns[i], opts))
	}
	for _, fk := range t.ForeignKeys {
		ref := dpReference{Resource: fk.Table, Fields: fk.RefFields}
		if fk.Table == t.Name {
			ref.Resource = ""
		}
		r.Schema.ForeignKeys = append(r.Schema.ForeignKeys, dpForeignKey{Fields: fk.Fields, Reference: ref})
	}
	return r
}

func dpNewField(c *table.Column, opts Options) dpField {
	f := dpField{Name: c.Name, Type: c.Type, Title: c.Title, Description: c.Description}
	guard := !opts.NoFormulaGuard && c.Type == "string"
	switch {
	case c.Type == "date":
		f.Format = "default" // YYYY-MM-DD, as FormatDay writes
	case c.Format == "uri" || c.Format == "email":
		f.Format = c.Format
	case c.Format != "":
		f.TextFormat = c.Format
	}
	if guard {
		f.FormulaGuard = guardField
	}
	// Column.Required holds only where every enclosing object is required
	// too, so valid data never breaks a "required" constraint.
	cs := dpConstraints{Required: c.Required}
	for _, e := range c.Enum {
		// The cells hold guarded values, so the allowed values must be
		// guarded alike (none of today's starts with a trigger).
		if guard {
			e = formula.Guard(e)
		}
		cs.Enum = append(cs.Enum, e)
	}
	cs.Minimum, cs.Maximum = json.Number(c.Minimum), json.Number(c.Maximum)
	if cs.Required || cs.Enum != nil || cs.Minimum != "" || cs.Maximum != "" {
		f.Constraints = &cs
	}
	return f
}

func dpText(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func dpTextList(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// dpName makes the package's name, which Data Package wants as
// lowercase ASCII letters, digits and - . _ /, from the dataset's title:
// "Zoë's Ferry Log, 2031" gives "zoes-ferry-log-2031".
func dpName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		s := string(r)
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
		case dpLatinFold[r] != "":
			s = dpLatinFold[r]
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
			continue // inside a word: "zoë's" is one word, as is a decomposed "é"
		default:
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "annals-dataset"
	}
	return b.String()
}

// dpLatinFold spells the lowercase letters of Latin-1 and Latin Extended-A
// in ASCII, so that European titles keep readable names.
var dpLatinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ĳ': "ij"}
	for _, g := range []struct{ ascii, letters string }{
		{"a", "àáâãäåāăą"}, {"c", "çćĉċč"}, {"d", "ďđð"}, {"e", "èéêëēĕėęě"}, {"g", "ĝğġģ"},
		{"h", "ĥħ"}, {"i", "ìíîïĩīĭįı"}, {"j", "ĵ"}, {"k", "ķĸ"}, {"l", "ĺļľŀł"},
		{"n", "ñńņňŉŋ"}, {"o", "òóôõöøōŏő"}, {"r", "ŕŗř"}, {"s", "śŝşšſ"}, {"t", "ţťŧ"},
		{"u", "ùúûüũūŭůűų"}, {"w", "ŵ"}, {"y", "ýÿŷ"}, {"z", "źżž"},
	} {
		for _, r := range g.letters {
			m[r] = g.ascii
		}
	}
	return m
}()

// dpLicenses describes the manifest's license: an SPDX identifier as
// the license's name, a URL as its path. Other text can be neither (Data
// Package restricts names to identifiers), so it is kept as the title.
func dpLicenses(s string) []dpLicense {
	switch {
	case s == "":
		return nil
	case dpIsWebURL(s):
		return []dpLicense{{Path: s}}
	case dpIsLicenseID(s):
		return []dpLicense{{Name: s}}
	}
	return []dpLicense{{Title: s}}
}

func dpIsWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// dpIsLicenseID reports whether s looks like an SPDX license identifier
// (CC-BY-4.0, CC0-1.0, LicenseRef-local): letters, digits, - and ., which
// is also what Data Package allows in a license name.
func dpIsLicenseID(s string) bool {
	for i, r := range s {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || i > 0 && (r == '-' || r == '.')
		if !ok {
			return false
		}
	}
	return s != ""
}

// dpRoles are the roles Data Package v1 allows a contributor.
var dpRoles = []string{"author", "publisher", "maintainer", "wrangler", "contributor"}

// dpContributors lists the manifest's curators. A curator is the dataset's
// author unless their role is one of the other Data Package roles; their
// own wording of it is kept beside.
func dpContributors(v any) []dpContributor {
	var out []dpContributor
	list, _ := v.([]any)
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		c := dpContributor{Title: dpText(m, "name"), Email: dpText(m, "email"), Role: "author"}
		if id := dpText(m, "orcid"); id != "" {
			c.Path = "https://orcid.org/" + id
		}
		if role := dpText(m, "role"); role != "" {
			c.CuratorRole = role
			for _, r := range dpRoles {
				if strings.EqualFold(role, r) {
					c.Role, c.CuratorRole = r, ""
				}
			}
		}
		out = append(out, c)
	}
	return out
}
