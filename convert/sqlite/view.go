package sqlite

import (
	"fmt"
	"strings"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/schema"
)

// The analysis table is a view in the database: SQLite joins the tables
// each time it is read, with their primary keys, so it can never disagree
// with them and costs nothing to write (filled as a table, it took as long
// as every other table together). Its rows and values are those of the
// analysis.csv of the same records, which TestAnalysisViewAgrees holds it
// to, but for two things a view does by SQLite's rules: a number in a
// column of text (a study's field that events and statements type
// differently) stays a number, and the numbers of a study's list of
// numbers are joined as SQLite writes them (1.0e+21 for 1e+21).
//
// The view uses nothing newer than the SQLite of Debian 12 (3.40): a
// list's items are joined in order by group_concat over an ordered
// subquery, which is what SQLite does, before 3.44 gave aggregates an
// ORDER BY of their own.

// analysisView returns the statement that creates the view of the layout
// l over tables.
func analysisView(l *analysis.Layout, tables []table.Table) (string, error) {
	byName := map[string]*table.Table{}
	for i := range tables {
		byName[tables[i].Name] = &tables[i]
	}
	sources := byName[schema.Source+"s"]
	actors := byName[schema.Actor+"s"]
	if sources == nil || actors == nil {
		return "", fmt.Errorf("sqlite: the analysis view needs the tables of sources and actors")
	}
	origins := l.Origins()
	var selects []string
	for _, typ := range []string{schema.Event, schema.Statement} {
		rec, att := byName[typ+"s"], linkTable(tables, typ, "attestations")
		if rec == nil || att == nil {
			return "", fmt.Errorf("sqlite: the analysis view needs the tables of %ss and their attestations", typ)
		}
		parent := quote(typ + "_id")
		var cols []string
		for i, c := range l.Table.Columns {
			e := "NULL"
			name := quote(c.Name)
			switch origins[i] {
			case analysis.FromRecordType:
				e = "'" + typ + "'"
			case analysis.FromRecordID:
				e = "a." + parent
			case analysis.FromAttestationIndex:
				e = "a." + quote("attestation_index")
			case analysis.FromRecord:
				if rec.ColumnIndex(c.Name) >= 0 {
					e = "r." + name
				} else if list := linkTable(tables, typ, c.Name); list != nil {
					e = joinedItems(list, "r")
				}
			case analysis.FromAttestation:
				if att.ColumnIndex(c.Name) >= 0 {
					e = "a." + name
				}
			case analysis.FromSpeakerName:
				if rec.ColumnIndex("speaker") >= 0 {
					e = "sp." + quote("name")
				}
			case analysis.FromParticipants, analysis.FromParticipantNames:
				if list := linkTable(tables, typ, "participants"); list != nil {
					e = participants(list, origins[i] == analysis.FromParticipantNames)
				}
			case analysis.FromSource:
				if sources.ColumnIndex(c.Name) >= 0 {
					e = "src." + name
				}
			default:
				return "", fmt.Errorf("sqlite: the analysis view does not know where column %s comes from", c.Name)
			}
			cols = append(cols, e+" AS "+name)
		}
		from := fmt.Sprintf("FROM %s AS a JOIN %s AS r ON r.\"id\" = a.%s\n  LEFT JOIN %s AS src ON src.\"id\" = a.\"source\"",
			quote(att.Name), quote(rec.Name), parent, quote(sources.Name))
		if rec.ColumnIndex("speaker") >= 0 {
			from += fmt.Sprintf("\n  LEFT JOIN %s AS sp ON sp.\"id\" = r.\"speaker\"", quote(actors.Name))
		}
		selects = append(selects, "SELECT\n  "+strings.Join(cols, ",\n  ")+"\n"+from)
	}
	return "CREATE VIEW " + quote(l.Table.Name) + " AS\n" + strings.Join(selects, "\nUNION ALL\n"), nil
}

// linkTable returns the table of the record type typ's list field, or
// nil.
func linkTable(tables []table.Table, typ, field string) *table.Table {
	for i := range tables {
		if t := &tables[i]; t.Type == typ && t.Path == "/"+field+"/*" {
			return t
		}
	}
	return nil
}

// joinedItems is the expression of the items of the list t of the record
// r, in order, joined: as text, booleans as true and false.
func joinedItems(t *table.Table, r string) string {
	parent, index, item := t.Columns[0], t.Columns[1], t.Columns[2]
	v := "i." + quote(item.Name)
	switch item.Type {
	case "integer", "number":
		v = "CAST(" + v + " AS TEXT)"
	case "boolean":
		v = "CASE " + v + " WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
	}
	return fmt.Sprintf("(SELECT group_concat(v, '%s') FROM (SELECT %s AS v FROM %s AS i WHERE i.%s = %s.\"id\" ORDER BY i.%s))",
		analysis.Separator, v, quote(t.Name), quote(parent.Name), r, quote(index.Name))
}

// participants is the expression of an event's participants' ids, or of
// their names, in order, joined (an actor that is missing gives an empty
// name, as in analysis.csv).
func participants(t *table.Table, names bool) string {
	v, join := "p.\"actor\"", ""
	if names {
		v, join = "coalesce(n.\"name\", '')", " LEFT JOIN \"actors\" AS n ON n.\"id\" = p.\"actor\""
	}
	return fmt.Sprintf("NULLIF((SELECT group_concat(v, '%s') FROM (SELECT %s AS v FROM %s AS p%s WHERE p.%s = r.\"id\" ORDER BY p.%s)), '')",
		analysis.Separator, v, quote(t.Name), join, quote(t.Columns[0].Name), quote(t.Columns[1].Name))
}
