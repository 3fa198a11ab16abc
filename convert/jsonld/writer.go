package jsonld

// JSON-LD export.
//
// The output keeps the shape of the records: every node uses the record's
// own field names as JSON keys, and the embedded context
// (jsonld_context.json, see [Context]) maps each of them to an IRI
// in schema.org (http://schema.org/), PROV-O (http://www.w3.org/ns/prov#)
// or the annals vocabulary (https://w3id.org/annals/vocab#, "annals:").
// A researcher who knows the YAML can read the JSON-LD, and a field the
// context does not define fails the tests instead of vanishing from the
// triples. Where one key means different things in different places, a
// JSON-LD 1.1 scoped context tells them apart (the "kind" of an alias is
// annals:aliasKind, of a setting annals:settingKind), so the context
// requires a JSON-LD 1.1 processor.
//
// Beside the record's own fields the writer adds what schema.org and
// PROV-O consumers look for, always derived from a field that is kept as
// well, so nothing is lost either way:
//
//	record field                  JSON-LD
//	id                            id (@id): base IRI + id
//	type                          type: actor Person (kind person) or Organization, and prov:Agent;
//	                              source NewsArticle, prov:Entity; event Event; statement Quotation, prov:Entity
//	actor name                    schema:name
//	actor kind                    annals:actorKind
//	actor country                 annals:country (schema:nationality is for people only)
//	actor wikidata                schema:sameAs <http://www.wikidata.org/entity/Q…>
//	actor description             schema:description
//	actor aliases                 annals:alias nodes (name schema:name, kind annals:aliasKind,
//	                              language schema:inLanguage, seen_in annals:seenIn IRIs),
//	                              plus every alias name as schema:alternateName
//	actor roles                   annals:role nodes (title schema:name, organization annals:organization IRI,
//	                              from annals:from, to annals:to), plus schema:startDate/endDate when plain ISO
//	source publisher              schema:publisher (IRI): one node per outlet, the actor record
//	source outlet                 schema:publisher, an Organization node with schema:name; beside a
//	                              publisher, annals:outlet (the name as the article prints it)
//	source headline, url          schema:headline, schema:url (IRI)
//	source published              annals:published, plus schema:datePublished when plain ISO
//	source accessed               annals:accessed
//	source language               schema:inLanguage
//	source authors                schema:author, an ordered @list of Person nodes with schema:name
//	source archive                annals:archive (the path, relative to the manifest's archive folder)
//	event title, description      schema:name, schema:description
//	event category, mode, status  annals:category, annals:mode, annals:status, plus schema:ldEventStatus
//	                              (EventScheduled, EventRescheduled, EventPostponed, EventCancelled)
//	event date                    annals:date, plus schema:startDate (and schema:endDate for an interval)
//	                              for each end that is plain ISO
//	event location                schema:location, a Place node: name schema:name, country
//	                              schema:addressCountry, coordinates schema:geo (a GeoCoordinates node,
//	                              schema:latitude/longitude as xsd:decimal), precision annals:placePrecision
//	event participants            annals:participant nodes (actor annals:actor IRI, role annals:participantRole),
//	                              plus schema:attendee (party, mediator, observer) and schema:organizer
//	event parent                  schema:superEvent (IRI)
//	event attestations            prov:qualifiedDerivation, prov:Derivation nodes, plus prov:wasDerivedFrom
//	statement speaker             prov:wasAttributedTo (IRI)
//	statement speaker_role        annals:speakerRole
//	statement date                annals:date, plus schema:dateCreated when plain ISO
//	statement setting             annals:setting node (kind annals:settingKind, outlet schema:publisher
//	                              Organization node, event annals:event IRI)
//	statement language            schema:inLanguage
//	statement summary             schema:abstract
//	statement about               schema:about (IRIs)
//	statement attestations        prov:qualifiedQuotation, prov:Quotation nodes, plus prov:wasQuotedFrom
//	attestation source            prov:entity (IRI)
//	attestation quote             schema:text
//	attestation credited_actor    annals:creditedActor (IRI)
//	attestation quote_kind, quote_language, rank, credited_to, reported_date_text, reported_place
//	                              annals:quoteKind, annals:quoteLanguage, annals:rank, annals:creditedTo,
//	                              annals:reportedDateText, annals:reportedPlace
//	attestation reported_date     annals:reportedDate
//	attestation reported_names    annals:reportedName nodes (actor annals:actor IRI, spelling annals:spelling)
//	note (everywhere)             annals:note
//
// The manifest, when there is one, becomes the first node of the graph: a
// schema:Dataset whose id is the base IRI, with title schema:name,
// description, license schema:license (the text as written), version
// schema:version, keywords schema:keywords, archive annals:archive,
// exclude annals:exclude, and
// curators as schema:creator Person nodes (id https://orcid.org/… when the
// ORCID iD is known, email schema:email, role annals:curatorRole).
//
// Dates stay EDTF: every date field is a literal of the Library of Congress
// datatype http://id.loc.gov/datatypes/edtf/EDTF, exactly as curated. Only
// a date that plain ISO 8601 consumers read the same way (edtf.IsPlainISO)
// is repeated in a schema.org property, typed by its precision as
// xsd:gYear, xsd:gYearMonth, xsd:date or xsd:dateTime; "2021-12-23?" or
// "2022-01~" have no schema.org date, because a typed date would drop the
// doubt the curator recorded.
//
// Identifiers: every id and reference is written as an absolute IRI, the
// manifest's base_iri followed by the id, or urn:annals: and the id without
// a manifest (ids are then only meaningful inside the document). No
// processor has to apply a base: pyld, for one, does not apply the @base of
// a second context object, and read ids relative to the document instead.
// The document still names the base in @base, for IRIs users add.
//
// Nested structures (aliases, roles, participants, attestations, reported
// names, settings, places, publishers, authors, curators) are blank nodes:
// they have no identity of their own in the records, and an IRI made from
// their position would change whenever a curator reorders a list.
// Lists are sets in RDF, except authors, whose byline order is kept with
// @list.

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

//go:embed jsonld_context.json
var jsonldContext []byte

// Context returns the JSON-LD context that JSON-LD exports embed, as
// a JSON document.
func Context() []byte { return bytes.Clone(jsonldContext) }

const (
	// jsonldDefaultBase is the base of ids when the dataset has no manifest.
	jsonldDefaultBase = "urn:annals:"
	ldWikidataEntity  = "http://www.wikidata.org/entity/"
	ldORCIDPrefix     = "https://orcid.org/"
)

// jsonldIndentedContext is the embedded context indented to sit inside the
// document's "@context" array.
var jsonldIndentedContext = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, bytes.TrimSpace(jsonldContext), "    ", "  "); err != nil {
		return bytes.TrimSpace(jsonldContext) // still the same JSON; a test checks that it parses
	}
	return b.Bytes()
})

type jsonldWriter struct {
	out    *bufio.Writer
	ds     *record.Dataset
	base   string // the document's @base
	prefix string // put before an id to make its IRI: the base
	plans  map[string]*ldField
	enc    ldEncoder
	seen   []string // scratch for de-duplicating derived links
	nodes  int      // nodes written to @graph
	opened bool     // whether the document has been started
	closed bool
	err    error  // the first error that makes the output unusable
	terms  []byte // the context's terms of the extension fields, as members
}

// NewWriter returns a Writer that writes one JSON-LD document: the
// embedded context, then a "@graph" with a schema:Dataset node for the
// manifest (when ds has one) and one node per record, one node per line,
// in the order written. It holds one record at a time; the same input
// gives the same bytes.
func NewWriter(w io.Writer, ds *record.Dataset) record.Writer {
	if ds == nil {
		ds = &record.Dataset{}
	}
	base := jsonldBase(ds.Manifest)
	jw := &jsonldWriter{out: bufio.NewWriterSize(w, 64<<10), ds: ds, base: base, prefix: base}
	v, err := ds.Schema()
	jw.err = err
	if v != nil {
		jw.plans = ldPlans(v)
		jw.terms, jw.err = extensionTerms(v, base)
	}
	return jw
}

// extensionTerms returns the context's terms of the study's own fields
// (see schema.Extend), in the dataset's own vocabulary: the base IRI with
// vocab/ (or, after a #, vocab-) before the field's name. A reference and
// a URI are IRIs, a number an xsd:decimal and an EDTF date an edtf:EDTF
// literal, as for the canonical fields. The terms are compact JSON members, ready
// for the context object.
func extensionTerms(v *schema.Validator, base string) ([]byte, error) {
	vocab := base + "vocab/"
	switch {
	case strings.HasSuffix(base, "#"):
		vocab = base + "vocab-"
	case !strings.HasSuffix(base, "/"):
		vocab = base + "vocab:"
	}
	terms := map[string]string{}
	var order []string
	var b []byte
	for _, typ := range schema.RecordTypes {
		for _, f := range v.OwnFields(typ) {
			item := &f
			if f.Items != nil {
				item = f.Items
			}
			def := `{"@id":` + string(jsonvalue.AppendString(nil, vocab+f.Name))
			switch {
			case item.RefersTo != "", item.Format == "uri":
				def += `,"@type":"@id"`
			case item.Type == "number":
				def += `,"@type":"xsd:decimal"`
			case item.Format == "edtf":
				def += `,"@type":"edtf:EDTF"`
			}
			if f.Items != nil { // the curator's order, as the exports keep it
				def += `,"@container":"@list"`
			}
			def += "}"
			if old, ok := terms[f.Name]; ok {
				if old != def {
					return nil, fmt.Errorf("the extension field %q of %s is not the field of that name of another record type: JSON-LD has one term per name; name one of them differently", f.Name, typ)
				}
				continue
			}
			terms[f.Name] = def
			order = append(order, f.Name)
		}
	}
	for _, name := range order {
		b = append(b, ',')
		b = jsonvalue.AppendString(b, name)
		b = append(b, ':')
		b = append(b, terms[name]...)
	}
	return b, nil
}

// jsonldBase returns the manifest's base IRI, or the default.
func jsonldBase(manifest map[string]any) string {
	if s, ok := manifest["base_iri"].(string); ok && s != "" {
		return s
	}
	return jsonldDefaultBase
}

func (w *jsonldWriter) Write(rec *record.Record) error {
	if w.err != nil {
		return w.err
	}
	if err := w.open(); err != nil {
		return err
	}
	obj, _ := rec.Value.(map[string]any)
	typ, _ := obj["type"].(string)
	plan := w.plans[typ]
	if plan == nil {
		return record.ErrorAt(rec, "/type", fmt.Errorf("record type %q has no JSON-LD mapping", typ))
	}
	e := &w.enc
	e.reset()
	e.open('{')
	e.key("id")
	e.iri(w.prefix, ldText(obj["id"]))
	e.key("type")
	e.types(ldRecordTypes(typ, obj))
	if !w.members(obj, plan.fields) {
		ptr, name := ldUnmapped(obj, plan, "")
		return record.ErrorAt(rec, ptr, fmt.Errorf("field %q has no JSON-LD mapping", name))
	}
	e.close('}')
	return w.emitNode()
}

func (w *jsonldWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.open(); err != nil {
		return err
	}
	w.out.WriteString("\n  ]\n}\n")
	return w.fail(w.out.Flush())
}

// fail records err, if any, as the writer's first error.
func (w *jsonldWriter) fail(err error) error {
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

// open writes the start of the document, up to the dataset node, once.
func (w *jsonldWriter) open() error {
	if w.opened {
		return nil
	}
	w.opened = true
	o := w.out
	o.WriteString("{\n  \"@context\": [\n    ")
	o.Write(jsonldIndentedContext())
	o.WriteString(",\n    {\"@base\": ")
	o.Write(jsonvalue.AppendString(nil, w.base))
	o.Write(w.terms)
	o.WriteString("}\n  ],\n  \"@graph\": [")
	if w.ds.Manifest != nil {
		if err := w.datasetNode(); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

// datasetNode writes the manifest as a schema:Dataset node.
func (w *jsonldWriter) datasetNode() error {
	plan := w.plans[schema.Manifest]
	e := &w.enc
	e.reset()
	e.open('{')
	if s, ok := w.ds.Manifest["base_iri"].(string); ok {
		e.key("id")
		e.str(s)
	}
	e.key("type")
	e.str("Dataset")
	if !w.members(w.ds.Manifest, plan.fields) {
		ptr, name := ldUnmapped(w.ds.Manifest, plan, "")
		return fmt.Errorf("manifest: %s: field %q has no JSON-LD mapping", schema.FieldPath(ptr), name)
	}
	e.close('}')
	return w.emitNode()
}

// emitNode writes the encoded node as the next line of the graph.
func (w *jsonldWriter) emitNode() error {
	if w.nodes > 0 {
		w.out.WriteByte(',')
	}
	w.nodes++
	w.out.WriteString("\n    ")
	_, err := w.out.Write(w.enc.b)
	return w.fail(err)
}

// ldRecordTypes returns the node types of a record.
func ldRecordTypes(typ string, obj map[string]any) []string {
	switch typ {
	case schema.Actor:
		if obj["kind"] == "person" {
			return ldPersonTypes
		}
		return ldOrganizationTypes
	case schema.Source:
		return ldSourceTypes
	case schema.Event:
		return ldEventTypes
	case schema.Statement:
		return ldStatementTypes
	}
	return nil
}

var (
	ldPersonTypes       = []string{"Person", "prov:Agent"}
	ldOrganizationTypes = []string{"Organization", "prov:Agent"}
	ldSourceTypes       = []string{"NewsArticle", "prov:Entity"}
	ldEventTypes        = []string{"Event"}
	ldStatementTypes    = []string{"Quotation", "prov:Entity"}
)

// members writes the members of obj that fields describe, in schema order.
// It reports false when obj has a member that fields do not describe.
func (w *jsonldWriter) members(obj map[string]any, fields []*ldField) bool {
	found := 0
	for _, f := range fields {
		v, ok := obj[f.name]
		if !ok {
			continue
		}
		found++
		if f.kind == ldSkip {
			continue
		}
		if _, has := obj[f.unless]; has && f.unless != "" {
			// A source's outlet beside its publisher: the publisher is the
			// node; the outlet stays as the name the article prints.
			w.enc.key(f.altKey)
			w.enc.any(v)
			continue
		}
		w.enc.key(f.key)
		if !w.value(f, v) {
			return false
		}
		if f.after != nil {
			f.after(w, v)
		}
	}
	return found == len(obj)
}

// value writes v as f says. It reports false when an object inside v has
// a member that the plan does not describe.
func (w *jsonldWriter) value(f *ldField, v any) bool {
	switch f.kind {
	case ldObject:
		if obj, ok := v.(map[string]any); ok {
			return w.node(f, obj)
		}
	case ldArray:
		if list, ok := v.([]any); ok {
			return w.list(f, list)
		}
	case ldDecimal:
		if d, ok := ldDecimalText(v); ok {
			w.enc.str(d)
			return true
		}
	default:
		if s, ok := v.(string); ok {
			w.text(f.kind, s)
			return true
		}
	}
	// A value of a shape the plan does not expect, which a valid record
	// never has: keep it as JSON rather than lose it.
	w.enc.any(v)
	return true
}

func (w *jsonldWriter) node(f *ldField, obj map[string]any) bool {
	e := &w.enc
	e.open('{')
	if f.nodeType != "" {
		e.key("type")
		e.str(f.nodeType)
	}
	if !w.members(obj, f.fields) {
		return false
	}
	e.close('}')
	return true
}

func (w *jsonldWriter) list(f *ldField, list []any) bool {
	e := &w.enc
	e.open('[')
	for _, it := range list {
		if !w.value(f.item, it) {
			return false
		}
	}
	e.close(']')
	return true
}

// text writes a string field.
func (w *jsonldWriter) text(kind ldKind, s string) {
	e := &w.enc
	switch kind {
	case ldRef:
		e.iri(w.prefix, s)
	case ldWikidata:
		e.iri(ldWikidataEntity, s)
	case ldORCID:
		e.iri(ldORCIDPrefix, s)
	case ldPublisher:
		e.namedNode("Organization", s)
	case ldAuthor:
		e.namedNode("Person", s)
	default:
		e.str(s)
	}
}

// ldUnmapped finds a member of obj, at any depth, that plan does not
// describe, and returns its JSON pointer and name ("" when there is none).
// It runs only after members failed, so that writing valid records builds
// no pointers.
func ldUnmapped(obj map[string]any, plan *ldField, ptr string) (string, string) {
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		p := ptr + "/" + record.EscapePointerToken(k)
		i := slices.IndexFunc(plan.fields, func(f *ldField) bool { return f.name == k })
		if i < 0 {
			return p, k
		}
		if q, name := ldUnmappedIn(obj[k], plan.fields[i], p); name != "" {
			return q, name
		}
	}
	return "", ""
}

func ldUnmappedIn(v any, f *ldField, ptr string) (string, string) {
	switch f.kind {
	case ldObject:
		if obj, ok := v.(map[string]any); ok {
			return ldUnmapped(obj, f, ptr)
		}
	case ldArray:
		list, _ := v.([]any)
		for i, it := range list {
			if q, name := ldUnmappedIn(it, f.item, ptr+"/"+strconv.Itoa(i)); name != "" {
				return q, name
			}
		}
	}
	return "", ""
}

// ldText returns v if it is a string, or "".
func ldText(v any) string {
	s, _ := v.(string)
	return s
}

// ldDecimalText returns a number as xsd:decimal text: the digits as
// written when they already are decimal notation, so that nothing is
// rounded.
func ldDecimalText(v any) (string, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = string(n)
		if ldIsDecimal(s) {
			return s, true
		}
	case float64:
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case int:
		return strconv.Itoa(n), true
	case int64:
		return strconv.FormatInt(n, 10), true
	default:
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// ldIsDecimal reports whether s is -?digits(.digits)?, the lexical
// form xsd:decimal shares with JSON.
func ldIsDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	return ldAllDigits(intPart) && (!hasPoint || ldAllDigits(frac))
}

func ldAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Derived members, written after the field they come from.

// ldISOMember returns an after-function that writes the date, when it is
// plain ISO, under key.
func ldISOMember(key string) func(*jsonldWriter, any) {
	return func(w *jsonldWriter, v any) { w.isoDate(key, ldText(v)) }
}

// ldEventDates writes schema:startDate and schema:endDate for the ends of
// an event's date that are plain ISO; a single date is the start.
func ldEventDates(w *jsonldWriter, v any) {
	start, end, interval := strings.Cut(ldText(v), "/")
	w.isoDate("startDate", start)
	if interval {
		w.isoDate("endDate", end)
	}
}

// isoDate writes the EDTF date s under key as an XML Schema typed literal,
// if it is plain ISO.
func (w *jsonldWriter) isoDate(key, s string) {
	if lit, typ, ok := ldXSDDate(s); ok {
		w.enc.key(key)
		w.enc.typed(lit, typ)
	}
}

// ldXSDDate returns a plain ISO EDTF date as the lexical form and datatype
// of the XML Schema type of its precision.
func ldXSDDate(s string) (lit, datatype string, ok bool) {
	d, err := edtf.Parse(s)
	if err != nil || !d.IsPlainISO() {
		return "", "", false
	}
	switch d.Precision() {
	case edtf.Year:
		return s, "xsd:gYear", true
	case edtf.Month:
		return s, "xsd:gYearMonth", true
	case edtf.Day:
		return s, "xsd:date", true
	case edtf.Second:
		if lit, ok := ldXSDDateTime(s); ok {
			return lit, "xsd:dateTime", true
		}
	}
	return "", "", false
}

// ldXSDDateTime rewrites an EDTF date-time (YYYY-MM-DDThh:mm:ss, then
// nothing, Z, ±hh or ±hh:mm) as xsd:dateTime, which needs ±hh:mm, allows
// offsets up to 14:00 and has no leap second.
func ldXSDDateTime(s string) (string, bool) {
	const clock = len("2006-01-02T15:04:05")
	if len(s) < clock || s[clock-2:clock] == "60" {
		return "", false
	}
	switch zone := s[clock:]; len(zone) {
	case 0, 1: // local time, Z
		return s, true
	case 3: // ±hh
		if zone[1:] > "14" {
			return "", false
		}
		return s + ":00", true
	default: // ±hh:mm
		if zone[1:] > "14:00" {
			return "", false
		}
		return s, true
	}
}

// ldEventStatusIRIs maps event statuses to schema.org's EventStatusType;
// "occurred" has no counterpart there.
var ldEventStatusIRIs = map[string]string{
	"scheduled":   "schema:EventScheduled",
	"rescheduled": "schema:EventRescheduled",
	"postponed":   "schema:EventPostponed",
	"cancelled":   "schema:EventCancelled",
}

func ldEventStatus(w *jsonldWriter, v any) {
	if iri, ok := ldEventStatusIRIs[ldText(v)]; ok {
		w.enc.key("eventStatus")
		w.enc.str(iri)
	}
}

// ldAttendance writes the participants that schema.org has properties for:
// the sides, mediators and observers attend, organizers organize. Hosts
// and targets have none.
func ldAttendance(w *jsonldWriter, v any) {
	w.links(v, "attendee", "actor", func(item map[string]any) bool {
		switch item["role"] {
		case "party", "mediator", "observer":
			return true
		}
		return false
	})
	w.links(v, "organizer", "actor", func(item map[string]any) bool { return item["role"] == "organizer" })
}

// ldSourceLinks returns an after-function that writes the sources of a
// record's attestations under key (prov:wasDerivedFrom, prov:wasQuotedFrom).
func ldSourceLinks(key string) func(*jsonldWriter, any) {
	return func(w *jsonldWriter, v any) {
		w.links(v, key, "source", nil)
	}
}

// links writes under key the distinct references in member ref of the
// items of list v that keep accepts (all when keep is nil), as IRIs, in
// order; nothing when there are none.
func (w *jsonldWriter) links(v any, key, ref string, keep func(map[string]any) bool) {
	list, _ := v.([]any)
	w.seen = w.seen[:0]
	for _, it := range list {
		item, _ := it.(map[string]any)
		id, ok := item[ref].(string)
		if !ok || slices.Contains(w.seen, id) || (keep != nil && !keep(item)) {
			continue
		}
		w.seen = append(w.seen, id)
	}
	if len(w.seen) == 0 {
		return
	}
	e := &w.enc
	e.key(key)
	e.open('[')
	for _, id := range w.seen {
		e.iri(w.prefix, id)
	}
	e.close(']')
}

// ldAlternateNames writes the names of an actor's aliases as
// schema:alternateName.
func ldAlternateNames(w *jsonldWriter, v any) {
	list, _ := v.([]any)
	w.seen = w.seen[:0]
	for _, it := range list {
		item, _ := it.(map[string]any)
		if name, ok := item["name"].(string); ok && !slices.Contains(w.seen, name) {
			w.seen = append(w.seen, name)
		}
	}
	if len(w.seen) == 0 {
		return
	}
	e := &w.enc
	e.key("alternateName")
	e.open('[')
	for _, name := range w.seen {
		e.str(name)
	}
	e.close(']')
}

// The plan: how each field of the schema is written.

type ldKind uint8

const (
	ldValue     ldKind = iota // the value as it is: text, true or false, an integer
	ldObject                  // a node with the fields of the object
	ldArray                   // a JSON array of the items
	ldDecimal                 // a number, as text that the context types xsd:decimal
	ldRef                     // a record id, as an IRI
	ldWikidata                // a QID, as the Wikidata entity IRI
	ldORCID                   // an ORCID iD, as the https://orcid.org/ IRI
	ldPublisher               // an outlet's name, as an Organization node
	ldAuthor                  // a byline, as a Person node
	ldSkip                    // written before the other members (a record's type and id, the manifest's base IRI)
)

// ldField is the plan for one field of the schema.
type ldField struct {
	name     string // the key in the record
	key      string // the key in the output, a term of the context
	kind     ldKind
	nodeType string     // objects: the type written first in the node, if any
	fields   []*ldField // objects: the fields, in schema order
	item     *ldField   // arrays: the items
	after    func(w *jsonldWriter, v any)
	unless   string // when the object has this member, the field is written as plain text under altKey
	altKey   string
}

// ldRule changes how the field at a record type and schema path is
// written; every other field is written by the default for its schema.
type ldRule struct {
	kind           ldKind
	key            string
	nodeType       string
	after          func(w *jsonldWriter, v any)
	unless, altKey string
}

var ldRules = map[string]ldRule{
	"actor/wikidata":             {kind: ldWikidata},
	"actor/aliases":              {after: ldAlternateNames},
	"actor/roles/*/from":         {after: ldISOMember("startDate")},
	"actor/roles/*/to":           {after: ldISOMember("endDate")},
	"source/outlet":              {kind: ldPublisher, unless: "publisher", altKey: "outletName"},
	"source/published":           {after: ldISOMember("datePublished")},
	"source/authors/*":           {kind: ldAuthor},
	"event/status":               {after: ldEventStatus},
	"event/date":                 {after: ldEventDates},
	"event/location":             {nodeType: "Place"},
	"event/location/coordinates": {nodeType: "GeoCoordinates"},
	"event/participants":         {after: ldAttendance},
	"event/attestations":         {after: ldSourceLinks("wasDerivedFrom")},
	"event/attestations/*":       {nodeType: "prov:Derivation"},
	"statement/date":             {after: ldISOMember("dateCreated")},
	"statement/setting/outlet":   {kind: ldPublisher},
	"statement/attestations":     {after: ldSourceLinks("wasQuotedFrom")},
	"statement/attestations/*":   {nodeType: "prov:Quotation"},
	"manifest/base_iri":          {kind: ldSkip},
	"manifest/curators/*":        {nodeType: "Person"},
	"manifest/curators/*/orcid":  {kind: ldORCID, key: "id"},
}

// ldPlanCache holds the plans made from each validator, so that a writer
// costs nothing to create after the first: a program has one validator.
var ldPlanCache sync.Map // *schema.Validator → map[string]*ldField

// ldPlans returns the plans of the record types and the manifest.
func ldPlans(v *schema.Validator) map[string]*ldField {
	if p, ok := ldPlanCache.Load(v); ok {
		return p.(map[string]*ldField)
	}
	p, _ := ldPlanCache.LoadOrStore(v, ldMakePlans(v))
	return p.(map[string]*ldField)
}

func ldMakePlans(v *schema.Validator) map[string]*ldField {
	plans := map[string]*ldField{}
	for _, typ := range schema.Types() {
		root := &ldField{kind: ldObject}
		for _, f := range v.Fields(typ) {
			lf := ldCompile(typ, &f)
			if typ != schema.Manifest && (f.Name == "type" || f.Name == "id") {
				lf.kind = ldSkip
			}
			root.fields = append(root.fields, lf)
		}
		plans[typ] = root
	}
	return plans
}

func ldCompile(typ string, f *schema.Field) *ldField {
	r := ldRules[typ+f.Path]
	lf := &ldField{name: f.Name, key: f.Name, kind: r.kind, nodeType: r.nodeType, after: r.after, unless: r.unless, altKey: r.altKey}
	if r.key != "" {
		lf.key = r.key
	}
	switch {
	case lf.kind != ldValue:
	case f.Items != nil:
		lf.kind = ldArray
		lf.item = ldCompile(typ, f.Items)
	case f.Fields != nil:
		lf.kind = ldObject
		for _, sub := range f.Fields {
			lf.fields = append(lf.fields, ldCompile(typ, &sub))
		}
	case f.RefersTo != "":
		lf.kind = ldRef
	case f.Type == "number":
		lf.kind = ldDecimal
	}
	return lf
}

// ldEncoder appends compact JSON, one node at a time. It tracks only
// whether the next value needs a comma, which is all that nesting needs.
type ldEncoder struct {
	b     []byte
	comma bool
}

func (e *ldEncoder) reset() { e.b, e.comma = e.b[:0], false }

func (e *ldEncoder) sep() {
	if e.comma {
		e.b = append(e.b, ',')
	}
}

func (e *ldEncoder) open(c byte) {
	e.sep()
	e.b, e.comma = append(e.b, c), false
}

func (e *ldEncoder) close(c byte) { e.b, e.comma = append(e.b, c), true }

// key writes a member name. Names are terms of the context, which need no
// escaping; names from data go through anyKey.
func (e *ldEncoder) key(k string) {
	e.sep()
	e.b = append(e.b, '"')
	e.b = append(e.b, k...)
	e.b = append(e.b, '"', ':')
	e.comma = false
}

func (e *ldEncoder) anyKey(k string) {
	e.sep()
	e.b = append(jsonvalue.AppendString(e.b, k), ':')
	e.comma = false
}

func (e *ldEncoder) str(s string) {
	e.sep()
	e.b, e.comma = jsonvalue.AppendString(e.b, s), true
}

// iri writes prefix+s as one string without building it.
func (e *ldEncoder) iri(prefix, s string) {
	e.sep()
	e.b = append(e.b, '"')
	e.b = jsonvalue.AppendStringBody(e.b, prefix)
	e.b = jsonvalue.AppendStringBody(e.b, s)
	e.b, e.comma = append(e.b, '"'), true
}

// types writes a type, or an array of several.
func (e *ldEncoder) types(ts []string) {
	if len(ts) == 1 {
		e.str(ts[0])
		return
	}
	e.open('[')
	for _, t := range ts {
		e.str(t)
	}
	e.close(']')
}

// typed writes a value object with a datatype.
func (e *ldEncoder) typed(lit, datatype string) {
	e.open('{')
	e.key("@value")
	e.str(lit)
	e.key("@type")
	e.str(datatype)
	e.close('}')
}

// namedNode writes a node of type typ with a schema:name.
func (e *ldEncoder) namedNode(typ, name string) {
	e.open('{')
	e.key("type")
	e.str(typ)
	e.key("name")
	e.str(name)
	e.close('}')
}

// any writes a value of the JSON data model, object members sorted.
func (e *ldEncoder) any(v any) {
	switch v := v.(type) {
	case string:
		e.str(v)
	case json.Number:
		e.raw(string(v))
	case bool:
		e.raw(strconv.FormatBool(v))
	case nil:
		e.raw("null")
	case []any:
		e.open('[')
		for _, it := range v {
			e.any(it)
		}
		e.close(']')
	case map[string]any:
		e.open('{')
		for _, k := range slices.Sorted(maps.Keys(v)) {
			e.anyKey(k)
			e.any(v[k])
		}
		e.close('}')
	default:
		b, err := json.Marshal(v)
		if err != nil {
			b = jsonvalue.AppendString(nil, fmt.Sprint(v))
		}
		e.raw(string(b))
	}
}

func (e *ldEncoder) raw(s string) {
	e.sep()
	e.b, e.comma = append(e.b, s...), true
}
