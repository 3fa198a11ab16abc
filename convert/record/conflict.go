package record

// Conflict is a value the sources of one record disagree on: the dates
// they report, the places, or the spellings of an actor. The checks find
// them; the workbook lists them on its Conflicts sheet.
type Conflict struct {
	RecordType string
	RecordID   string
	// Field is the record's field the sources report on: "date",
	// "location.name", or "reported_names" for the spellings of Actor.
	Field     string
	Actor     string
	Canonical string // the record's own value (the actor's name for spellings); "" when it has none
	Values    []ConflictValue
}

// ConflictValue is one source's version of the value.
type ConflictValue struct {
	Source  string // the source's id
	Value   string
	Wording string // the source's own words for a date ("on Monday")
	Rank    string // the attestation's rank, "" for normal
	Agrees  bool   // it fits the canonical value
	Pos     Position
}
