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
// to, but for what a view does by SQLite's rules:
//   - its rows come events first, then statements, not in the input's
//     order (a query that wants an order says ORDER BY);
//   - a number in a column of text (a study's field that events and
//     statements type differently) stays a number;
//   - the numbers of a study's list of numbers are joined in the shortest
//     of %.15g, %.16g and %.17g that reads back as the number, so
//     0.30000000000000004 stays itself in any SQLite (3.40 writes REAL as
//     text with 15 digits), but 1e-07 is written with two digits of
//     exponent, where the CSV export writes 1e-7.
//
// The view uses nothing newer than the SQLite of Debian 12 (3.40), which
// Python's sqlite3 module there, and so Datasette, reads it with: a list's
// items are joined in order by group_concat over an ordered subquery,
// which is what SQLite does, before 3.44 gave aggregates an ORDER BY of
// their own.

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
				if ci := rec.ColumnIndex(c.Name); ci >= 0 {
					e = scalar("r."+name, rec.Columns[ci].Type, c.Type)
				} else if list := linkTable(tables, typ, c.Name); list != nil {
					e = joinedItems(list, "r")
				}
			case analysis.FromAttestation:
				if ci := att.ColumnIndex(c.Name); ci >= 0 {
					e = scalar("a."+name, att.Columns[ci].Type, c.Type)
				}
			case analysis.FromSpeakerName:
				if rec.ColumnIndex("speaker") >= 0 {
					e = scalar("sp."+quote("name"), "string", c.Type)
				}
			case analysis.FromParticipants, analysis.FromParticipantNames:
				if list := linkTable(tables, typ, "participants"); list != nil {
					e = participants(list, actors, origins[i] == analysis.FromParticipantNames)
				}
			case analysis.FromSource:
				if ci := sources.ColumnIndex(c.Name); ci >= 0 {
					e = scalar("src."+name, sources.Columns[ci].Type, c.Type)
				}
			case analysis.FromPublisherName:
				if sources.ColumnIndex("publisher") >= 0 {
					e = scalar("pub."+quote("name"), "string", c.Type)
				}
			case analysis.FromCreditedActorName:
				if att.ColumnIndex("credited_actor") >= 0 {
					e = scalar("ca."+quote("name"), "string", c.Type)
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
		if sources.ColumnIndex("publisher") >= 0 {
			from += fmt.Sprintf("\n  LEFT JOIN %s AS pub ON pub.\"id\" = src.\"publisher\"", quote(actors.Name))
		}
		if att.ColumnIndex("credited_actor") >= 0 {
			from += fmt.Sprintf("\n  LEFT JOIN %s AS ca ON ca.\"id\" = a.\"credited_actor\"", quote(actors.Name))
		}
		selects = append(selects, "SELECT\n  "+strings.Join(cols, ",\n  ")+"\n"+from)
	}
	return "CREATE VIEW " + quote(l.Table.Name) + " AS\n" + strings.Join(selects, "\nUNION ALL\n"), nil
}

// scalar is the expression of the column x, of the Table Schema type typ,
// in a column of the view of type want: empty text is no value, as in
// analysis.csv, and a boolean in a column of text is true or false.
func scalar(x, typ, want string) string {
	switch {
	case typ == "string":
		return "NULLIF(" + x + ", '')"
	case typ == "boolean" && want == "string":
		return "CASE " + x + " WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
	}
	return x
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
// r, in order, joined: as text, booleans as true and false, numbers in as
// few digits as read back as themselves (see the comment at the top).
func joinedItems(t *table.Table, r string) string {
	parent, index, item := t.Columns[0], t.Columns[1], t.Columns[2]
	v := "i." + quote(item.Name)
	switch item.Type {
	case "integer":
		v = "CAST(" + v + " AS TEXT)"
	case "number":
		v = fmt.Sprintf("CASE WHEN CAST(printf('%%.15g', %[1]s) AS REAL) = %[1]s THEN printf('%%.15g', %[1]s) "+
			"WHEN CAST(printf('%%.16g', %[1]s) AS REAL) = %[1]s THEN printf('%%.16g', %[1]s) ELSE printf('%%!.17g', %[1]s) END", v)
	case "boolean":
		v = "CASE " + v + " WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
	}
	return fmt.Sprintf("(SELECT group_concat(v, '%s') FROM (SELECT %s AS v FROM %s AS i WHERE i.%s = %s.\"id\" ORDER BY i.%s))",
		analysis.Separator, v, quote(t.Name), quote(parent.Name), r, quote(index.Name))
}

// participants is the expression of an event's participants' ids, or of
// their names (from the table actors), in order, joined (an actor that is
// missing gives an empty name, as in analysis.csv).
func participants(t, actors *table.Table, names bool) string {
	v, join := "p.\"actor\"", ""
	if names {
		v, join = "coalesce(n.\"name\", '')", " LEFT JOIN "+quote(actors.Name)+" AS n ON n.\"id\" = p.\"actor\""
	}
	return fmt.Sprintf("NULLIF((SELECT group_concat(v, '%s') FROM (SELECT %s AS v FROM %s AS p%s WHERE p.%s = r.\"id\" ORDER BY p.%s)), '')",
		analysis.Separator, v, quote(t.Name), join, quote(t.Columns[0].Name), quote(t.Columns[1].Name))
}
