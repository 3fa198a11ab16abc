// Package analysis lays out and fills the analysis table: one flat row per
// attestation of every event and statement, with what an analyst would
// otherwise join from four tables (the speaker's name, the participants'
// names, the source's outlet, publisher, headline and date, the credited
// actor's name), as ACLED-style files
// have it. Every tabular export writes it beside the normalised tables:
// analysis.csv, the workbook's Analysis sheet, a Parquet file; SQLite
// joins it itself, in a view made from [Layout.Origins].
//
// The rows need records that may come later in the input (a statement's
// speaker, its sources), so a [Joiner] keeps the actors' names and the
// sources' fields, packed, and the rows' own values in a temporary file,
// until every record is in.
package analysis

import (
	"slices"

	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/schema"
)

// Name is the analysis table's name in every export: analysis.csv, the
// Parquet file analysis.parquet, the SQLite table analysis.
const Name = "analysis"

// Sheet is the workbook sheet that holds the table.
const Sheet = "Analysis"

// Separator joins the ids and the names of an event's participants, and
// the items of a study's list fields, in one cell.
const Separator = "; "

// column is one column of the table and where its value comes from.
type column struct {
	table.Column
	from source // what fills it
	date bool   // an EDTF date: the columns of table.DateColumns follow
}

// source says where a column's value comes from.
type source uint8

const (
	fromRecordType source = iota
	fromRecordID
	fromAttestationIndex
	fromTitle
	fromSummary
	fromSpeaker
	fromSpeakerName
	fromSpeakerRole
	fromParticipants
	fromParticipantNames
	fromDate
	fromLocationName
	fromLocationCountry
	fromSource
	fromOutlet
	fromPublisher
	fromPublisherName
	fromHeadline
	fromPublished
	fromRank
	fromReportedDate
	fromReportedDateText
	fromReportedPlace
	fromQuote
	fromQuoteKind
	fromQuoteLanguage
	fromCreditedTo
	fromCreditedActor
	fromCreditedActorName
	fromOwn // a study's own field (see Layout.own)
)

// Layout is the analysis table of one dataset: the common columns, then
// the study's own fields of events and statements.
type Layout struct {
	Table   table.Table
	columns []column // the columns with a source, in order; dates' derived ones follow them in Table
	own     []string // the study's own fields, in the order of their columns
}

// NewLayout returns the analysis table for the records v describes.
func NewLayout(v *schema.Validator) *Layout {
	field := func(typ, path string) schema.Field {
		if f, ok := findField(v.Fields(typ), path); ok {
			return f
		}
		return schema.Field{}
	}
	att := func(name string) schema.Field { return field(schema.Statement, "/attestations/*/"+name) }
	text := func(name, title, description string) table.Column {
		return table.Column{Name: name, Kind: table.KindValue, Type: "string", Title: title, Description: description}
	}
	copied := func(name string, f schema.Field, description string) table.Column {
		c := text(name, f.Title, description)
		c.Enum, c.Format, c.RefersTo = f.Enum, f.Format, f.RefersTo
		return c
	}
	cols := []column{
		{Column: table.Column{Name: "record_type", Kind: table.KindValue, Type: "string", Enum: []string{schema.Event, schema.Statement}, Required: true,
			Title: "Record type", Description: "Whether the row is an attestation of an event or of a statement."}, from: fromRecordType},
		{Column: table.Column{Name: "record_id", Kind: table.KindValue, Type: "string", Required: true,
			Title: "Record id", Description: "The id of the event or statement: a row of events.csv or statements.csv."}, from: fromRecordID},
		{Column: table.Column{Name: "attestation_index", Kind: table.KindIndex, Type: "integer", Required: true,
			Title: "Attestation number", Description: "The position of the attestation in the record's list, from 1: with record_id, the row of event_attestations or statement_attestations it flattens."}, from: fromAttestationIndex},
		{Column: copied("title", field(schema.Event, "/title"), "The event's title; empty for statements."), from: fromTitle},
		{Column: copied("summary", field(schema.Statement, "/summary"), "The statement's summary; empty for events."), from: fromSummary},
		{Column: copied("speaker", field(schema.Statement, "/speaker"), "The id of the statement's speaker (an actor); empty for events."), from: fromSpeaker},
		{Column: text("speaker_name", "Speaker's name", "The speaker's canonical name, from the actors' table."), from: fromSpeakerName},
		{Column: copied("speaker_role", field(schema.Statement, "/speaker_role"), "The speaker's title when speaking; empty for events."), from: fromSpeakerRole},
		{Column: text("participants", "Participants", "The ids of the event's participants (actors), in the curator's order, joined with \"; \"; empty for statements."), from: fromParticipants},
		{Column: text("participant_names", "Participants' names", "The canonical names of the event's participants, in the same order, joined with \"; \"."), from: fromParticipantNames},
		{Column: copied("date", field(schema.Event, "/date"), "The record's canonical date (EDTF), as the curator decided it."), from: fromDate, date: true},
		{Column: copied("location_name", field(schema.Event, "/location/name"), "Where the event happened; empty for statements."), from: fromLocationName},
		{Column: copied("location_country", field(schema.Event, "/location/country"), "The country of the event's location (ISO 3166-1 alpha-3)."), from: fromLocationCountry},
		{Column: copied("source", att("source"), "The id of the source this row's attestation cites: a row of sources.csv."), from: fromSource},
		{Column: copied("outlet", field(schema.Source, "/outlet"), "The source's outlet, from the sources' table."), from: fromOutlet},
		{Column: copied("publisher", field(schema.Source, "/publisher"), "The id of the actor that published the source (its outlet's record), from the sources' table."), from: fromPublisher},
		{Column: text("publisher_name", "Publisher's name", "The canonical name of the source's publisher, from the actors' table: the outlet however the source prints it."), from: fromPublisherName},
		{Column: copied("headline", field(schema.Source, "/headline"), "The source's headline, from the sources' table."), from: fromHeadline},
		{Column: copied("published", field(schema.Source, "/published"), "When the source was published (EDTF), from the sources' table."), from: fromPublished, date: true},
		{Column: copied("rank", att("rank"), "How the curator weighs this attestation: preferred, normal or deprecated."), from: fromRank},
		{Column: copied("reported_date", att("reported_date"), "The date as this source reports it (EDTF), where it differs from or refines the canonical one."), from: fromReportedDate, date: true},
		{Column: copied("reported_date_text", att("reported_date_text"), "The source's own words for the date."), from: fromReportedDateText},
		{Column: copied("reported_place", att("reported_place"), "The place as this source reports it."), from: fromReportedPlace},
		{Column: copied("quote", att("quote"), "The quotation as this source prints it."), from: fromQuote},
		{Column: copied("quote_kind", att("quote_kind"), "Whether the quote is the speaker's own words, a translation or a paraphrase."), from: fromQuoteKind},
		{Column: copied("quote_language", att("quote_language"), "The language of the quote as printed."), from: fromQuoteLanguage},
		{Column: copied("credited_to", att("credited_to"), "The news agency the source credits (Reuters, TASS, ...), as it prints it."), from: fromCreditedTo},
		{Column: copied("credited_actor", att("credited_actor"), "The id of the actor the source credits (a news agency's record, or a person's)."), from: fromCreditedActor},
		{Column: text("credited_actor_name", "Credited actor's name", "The canonical name of the credited actor, from the actors' table."), from: fromCreditedActorName},
	}
	l := &Layout{Table: table.Table{
		Name: Name, Sheet: Sheet,
		Description: "One row per attestation of every event and statement, flattened for analysis: the record's fields, " +
			"the speaker's and participants' names and the source's outlet, headline and date joined in. Derived: " +
			"edit the other tables, not this one.",
		PrimaryKey: []string{"record_id", "attestation_index"},
		Derived:    true,
		ForeignKeys: []table.ForeignKey{
			{Fields: []string{"speaker"}, Table: "actors", RefFields: []string{"id"}},
			{Fields: []string{"source"}, Table: "sources", RefFields: []string{"id"}},
			{Fields: []string{"publisher"}, Table: "actors", RefFields: []string{"id"}},
			{Fields: []string{"credited_actor"}, Table: "actors", RefFields: []string{"id"}},
		},
	}}
	// The study's own fields of events and statements, once each, as
	// one cell: a list's items joined. A name both types use, for fields
	// of different types or values, is a text column: a column has one
	// type, and text holds either (and is formula-guarded in CSV).
	common := len(cols)
	at := map[string]int{} // a study's column by name: its index in cols
	for _, typ := range []string{schema.Event, schema.Statement} {
		for _, f := range v.OwnFields(typ) {
			c := ownColumn(typ, f)
			if i, ok := at[f.Name]; ok {
				if prev := &cols[i]; !sameColumn(prev.Column, c.Column) || prev.date != c.date {
					prev.Column = table.Column{Name: f.Name, Kind: table.KindValue, Type: "string", Title: prev.Title,
						Description: prev.Description + "; statements have a field of this name too, of another type or values: as text"}
					prev.date = false
				}
				continue
			}
			if slices.ContainsFunc(cols[:common], func(x column) bool { return x.Name == f.Name }) {
				continue // refused by schema.Extend; kept out should it ever pass
			}
			at[f.Name] = len(cols)
			cols = append(cols, c)
			l.own = append(l.own, f.Name)
		}
	}
	l.columns = cols
	for _, c := range cols {
		l.Table.Columns = append(l.Table.Columns, c.Column)
		if c.date {
			l.Table.Columns = append(l.Table.Columns, table.DateColumns(c.Name, c.Title)...)
		}
	}
	return l
}

// Origin says where the values of a column of the table come from, in
// the terms of the normalised tables: for a writer that joins them itself
// (SQLite's analysis view) rather than taking a [Joiner]'s rows.
type Origin uint8

const (
	FromRecordType        Origin = iota // "event" or "statement"
	FromRecordID                        // the event's or statement's id
	FromAttestationIndex                // the attestation's position in its list, from 1
	FromRecord                          // the event's or statement's field of the same name: its column, or its list's items joined with "; "
	FromAttestation                     // the attestation's column of the same name
	FromSpeakerName                     // the name of the actor the statement's speaker column names
	FromParticipants                    // the ids of the event's participants, in order, joined with "; "
	FromParticipantNames                // their names, in the same order, joined with "; "
	FromSource                          // the cited source's column of the same name
	FromPublisherName                   // the name of the actor the cited source's publisher column names
	FromCreditedActorName               // the name of the actor the attestation's credited_actor column names
)

// Origins returns where each column of l.Table comes from, in the order
// of its columns: a date's derived columns come from where the date does.
func (l *Layout) Origins() []Origin {
	var out []Origin
	for _, c := range l.columns {
		o := FromRecord
		switch c.from {
		case fromRecordType:
			o = FromRecordType
		case fromRecordID:
			o = FromRecordID
		case fromAttestationIndex:
			o = FromAttestationIndex
		case fromSpeakerName:
			o = FromSpeakerName
		case fromParticipants:
			o = FromParticipants
		case fromParticipantNames:
			o = FromParticipantNames
		case fromOutlet, fromPublisher, fromHeadline, fromPublished:
			o = FromSource
		case fromPublisherName:
			o = FromPublisherName
		case fromCreditedActorName:
			o = FromCreditedActorName
		case fromSource, fromRank, fromReportedDate, fromReportedDateText, fromReportedPlace, fromQuote,
			fromQuoteKind, fromQuoteLanguage, fromCreditedTo, fromCreditedActor:
			o = FromAttestation
		}
		out = append(out, o)
		if c.date {
			for range table.DateColumns(c.Name, "") {
				out = append(out, o)
			}
		}
	}
	return out
}

// ownColumn is the column of a study's own field f of record type typ.
func ownColumn(typ string, f schema.Field) column {
	c := table.Column{Name: f.Name, Kind: table.KindValue, Type: "string", Title: f.Title,
		Description: f.Description + " (this study's own field of " + typ + "s)"}
	if f.Type == "array" && f.Items != nil {
		c.Description += "; a list's items are joined with \"; \""
		return column{Column: c, from: fromOwn}
	}
	c.Type, c.Enum, c.Format, c.RefersTo, c.Minimum, c.Maximum = columnType(f.Type), f.Enum, f.Format, f.RefersTo, f.Minimum, f.Maximum
	return column{Column: c, from: fromOwn, date: f.Format == "edtf"}
}

// sameColumn reports whether two columns hold the same kind of values.
func sameColumn(a, b table.Column) bool {
	return a.Type == b.Type && a.Format == b.Format && a.RefersTo == b.RefersTo && a.Minimum == b.Minimum &&
		a.Maximum == b.Maximum && slices.Equal(a.Enum, b.Enum)
}

// columnType is the Table Schema type of a JSON type.
func columnType(jsonType string) string {
	switch jsonType {
	case "number", "integer", "boolean":
		return jsonType
	}
	return "string"
}

// findField finds the field at path ("/attestations/*/quote") among fs.
func findField(fs []schema.Field, path string) (schema.Field, bool) {
	for _, f := range fs {
		switch {
		case f.Path == path:
			return f, true
		case f.Items != nil && f.Items.Fields != nil:
			if g, ok := findField(f.Items.Fields, path); ok {
				return g, true
			}
		case f.Fields != nil:
			if g, ok := findField(f.Fields, path); ok {
				return g, true
			}
		}
	}
	return schema.Field{}, false
}
