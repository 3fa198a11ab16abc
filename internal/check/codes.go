package check

import (
	"slices"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// Codes of the source-integrity findings: what the records say against
// what their sources printed.
const (
	CodeQuoteNotFound     = "quote-not-found"    // a quote the archived article does not contain
	CodeArchiveMissing    = "archive-missing"    // a source's archived text is not in the archive folder
	CodeArchiveUnreadable = "archive-unreadable" // an archived text that is not UTF-8 text, or too large
	CodeAliasUnlisted     = "alias-unlisted"     // a reported spelling the actor does not list
	CodeDuplicateActor    = "duplicate-actor"    // two actors whose names are near-duplicates
	CodeDateConflict      = "date-conflict"      // sources disagree on a date
	CodePlaceConflict     = "place-conflict"     // sources disagree on a place
	CodeNameConflict      = "name-conflict"      // a source spells an actor in a way its names and aliases do not record
	CodeMisspelling       = "misspelling"        // a source misspells an actor, as its aliases record
	CodeSuspectCharacter  = "suspect-character"  // a control, invisible or replacement character in text
	CodeBeyondLimits      = "beyond-limits"      // a dataset larger than the checker can hold
	CodeReferencesUnread  = "references-unread"  // references not checked, as a file could not be read whole
	CodeExtraManifest     = "extra-manifest"     // a second manifest, which is not applied
	CodeBadExtension      = "bad-extension"      // an extension schema the manifest names that cannot be read or used
)

// CodeInfo describes a finding code for `annals explain` and for the
// manifest's checks.
type CodeInfo struct {
	Code     string
	Severity Severity // by default
	// Adjustable codes may be given another severity, or turned off, by
	// the manifest's checks. The others mean the data cannot be read or
	// does not follow the schema: a dataset cannot choose to ignore them.
	Adjustable bool
	Summary    string // one line
	Explain    string // what it means and how to fix it
	Example    string // a finding it gives, or a record that gives it
}

// Codes returns every code annals reports, sorted.
func Codes() []CodeInfo {
	out := slices.Clone(codeInfos)
	slices.SortFunc(out, func(a, b CodeInfo) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// LookupCode returns the description of code.
func LookupCode(code string) (CodeInfo, bool) {
	for _, c := range codeInfos {
		if c.Code == code {
			return c, true
		}
	}
	return CodeInfo{}, false
}

// AdjustableCodes lists the codes the manifest's checks may set, sorted.
func AdjustableCodes() []string {
	var out []string
	for _, c := range Codes() {
		if c.Adjustable {
			out = append(out, c.Code)
		}
	}
	return out
}

var codeInfos = []CodeInfo{
	// Unreadable input.
	{Code: record.CodeSyntax, Summary: "the file is not valid JSON, JSON Lines or YAML",
		Explain: "The file cannot be read as records: a missing comma or bracket, a tab used for indentation in YAML, text after the end of the data. In YAML, the finding names the mistakes people make most often and what to write instead: a field indented too little or too much, a new record without its \"- \", a value with \": \" in it (put it in quotes), a value that starts with a quote, [ or @, a list item under a field that has a value on its line, no space after a colon or a dash. Otherwise it points at the first character that does not fit; the mistake is often just before it.",
		Example: "events.yaml:6:1: status: is at column 1, but the fields of this record are at column 3, like type: above it: indent it by 2 spaces"},
	{Code: record.CodeInvalidUTF8, Summary: "the file is not UTF-8 text",
		Explain: "annals reads UTF-8 only. Files saved as UTF-16 or in a legacy encoding (Windows-1252, KOI8-R) must be saved again as UTF-8: in most editors, \"Save with encoding\" or \"Save as... UTF-8\".",
		Example: "actors.json:1:1: the file is UTF-16; save it as UTF-8"},
	{Code: record.CodeDuplicate, Summary: "a record names the same field twice",
		Explain: "JSON and YAML readers keep one of two values of the same key silently, so annals refuses them: delete or rename one of the two.",
		Example: "events.yaml:7:3: \"date\" appears twice in this record (first at line 5)"},
	{Code: record.CodeTooDeep, Summary: "lists and groups nested deeper than annals reads",
		Explain: "A record nested more than 256 levels deep is refused; hand-curated records never need it, so it is usually a generated or damaged file."},
	{Code: record.CodeTooLarge, Summary: "a record, file or workbook larger than the limits",
		Explain: "One JSON record may take 16 MiB, a YAML file 64 MiB, YAML aliases may expand to 100,000 values, and a workbook may unzip to 1 GiB. Split the data into several files."},
	{Code: CodeBeyondLimits, Summary: "a dataset larger than annals can check whole",
		Explain: "The checker keeps an entry for every id, name and pending reference of the dataset. One of them reached what its memory can address (one actor's names of 4 GiB, more than 4 billion ids), so the checks that span records (ids, references, dates, quotes, spellings, duplicate actors) stopped at that record: only the findings about single records are complete, and annals exits with 2 rather than give a verdict it cannot stand by. Split the dataset, or look for a generated file that does not belong in it."},
	{Code: CodeReferencesUnread, Severity: Warning, Summary: "references not checked, as a file could not be read whole",
		Explain: "An input could not be read whole (a syntax error, or a file that cannot be read), so the records in it may be missing. References to ids that no record read has are then not reported one by one, since the records they name may be the ones in that file: one finding says how many were not checked. Fix the file's error and validate again; the references are checked then.",
		Example: "actors.yaml:7:1: warning: 8 references (8 to actors) name ids that no record read has; they are not reported one by one, as actors.yaml could not be read whole and may hold those records: fix its error and validate again"},
	{Code: CodeExtraManifest, Severity: Warning, Summary: "a second manifest, which is not applied",
		Explain: "annals reads one manifest per dataset: the one nearest the top of the folders given (or found above them). A second annals.yaml further down, such as an example dataset kept inside another, is checked as a manifest but its checks, archive folder and exclusions are not applied, so that a file added in a pull request cannot turn the dataset's checks off. Validate the inner dataset on its own, or delete the second manifest."},
	{Code: CodeBadExtension, Summary: "an extension schema that cannot be read or used",
		Explain: "The manifest names, under extensions, a JSON Schema file for a record type that declares the study's own fields. The file must be in the manifest's folder (or below it), be an object schema with properties, give each field a title and a description, use the types text (string), number, integer, boolean or list (array) of these, and not name a field the record model already has. Until the file is fixed, the records of that type are checked against the canonical fields alone, so their own fields are reported as unknown.",
		Example: `annals.yaml:9:14: extensions.statement: codebook/statement.schema.json: field "summary": shadows the canonical field "summary": an extension adds fields, it does not change the record model; name it differently [bad-extension]`},
	{Code: CodeUnreadable, Summary: "the file could not be read at all",
		Explain: "The operating system refused to read the file (permissions, a broken disk or network drive). The message says why."},
	{Code: record.CodeNotWorkbook, Summary: "a .xlsx file that is not an Excel workbook",
		Explain: "The file is not a workbook, or a damaged one: open it in Excel or LibreOffice and save it again as .xlsx."},
	{Code: record.CodePasswordProtected, Summary: "an encrypted workbook",
		Explain: "annals cannot read a password-protected workbook: remove the password (File > Info > Protect Workbook in Excel) and save it again."},
	{Code: record.CodeUnknownTable, Summary: "a sheet or CSV file annals did not write",
		Explain: "Reading back an export, annals refuses sheets and files it does not know, so that data typed there is not lost silently. Move the data into the sheets annals wrote, delete the sheet, or pass --ignore-unknown."},
	{Code: record.CodeUnknownColumn, Summary: "a column annals did not write",
		Explain: "A column with a header annals does not know (or a value in a column without a header). Rename it to a field of the codebook, delete it, or pass --ignore-unknown."},
	{Code: record.CodeDuplicateColumn, Summary: "two columns with the same header",
		Explain: "Delete or rename one of them: annals cannot tell which holds the value."},
	{Code: record.CodeMissingColumn, Summary: "a key column is missing",
		Explain: "The id column of a record sheet, or the columns that tie a list row to its record (such as event_id and attestation_index), must stay: they say which record a row belongs to."},
	{Code: record.CodeBadIndex, Summary: "an index cell that is not a whole number from 1",
		Explain: "The _index columns number the items of a list (the first attestation is 1). Write a whole number."},
	{Code: record.CodeDuplicateIndex, Summary: "two rows for the same item of a list",
		Explain: "Two rows of a list sheet have the same record and index: renumber one of them."},
	{Code: record.CodeOrphanRow, Summary: "a list row whose record does not exist",
		Explain: "A row of a list sheet (participants, attestations...) names a record, or an enclosing item, that no row of its main sheet has: correct the id, or delete the row."},
	{Code: record.CodeHeaderRow, Summary: "a row that repeats column headers",
		Explain: "A row of a sheet or CSV file holds column names instead of values: rows were pasted in from another sheet or file with their header row. Move those rows to the sheet or file whose headers they carry, and delete the header row.",
		Example: "events.csv:3:1: this line holds the column headers of actors.csv: rows of that table were pasted here, header and all; move them there and delete this line"},
	{Code: record.CodeFormulaCell, Severity: Warning, Summary: "a column of formulas, read as their results",
		Explain: "A cell of an edited workbook holds a formula, such as =A2&\" talks\". annals reads the value the formula last gave, as Excel saved it, and the records keep that value, not the formula. If the values are right, nothing needs doing; to be sure the next export shows the same, paste the column as values (Paste Special, Values).",
		Example: "annals.xlsx: Events!B2: this column holds formulas (this cell: =UPPER(B3)); annals read the values they last gave, and will not keep the formulas"},
	{Code: record.CodeFormulaError, Summary: "a formula cell with an error or no result",
		Explain: "A cell holds a formula that gave an error (#N/A, #REF!, #VALUE!...), or a formula whose result the workbook does not hold (a program that writes formulas without computing them). Correct the formula, or type the value itself. Opening the workbook in Excel or LibreOffice and saving it computes the missing results.",
		Example: "annals.xlsx: Events!B2: the cell shows the error #N/A, the result of a formula; correct the formula, or type the value instead"},
	{Code: record.CodeDateTimeCell, Severity: Warning, Summary: "a date-time cell was read as its day",
		Explain: "Excel turned a typed date into a date cell with a time of day; annals kept the day. Type dates as text (start with ') to keep them exactly as written."},
	// Not records.
	{Code: CodeNotARecord, Summary: "a list item or document that is not a record",
		Explain: "Every item of a record file must be a group of fields with a type and an id, not text, a number or a list."},
	{Code: CodeMissingType, Summary: "a record without a type",
		Explain: "Every record says what it is: type: actor, source, event or statement."},
	{Code: CodeUnknownType, Summary: "a type that is not a record type",
		Explain: "The type must be one of actor, source, event, statement.", Example: "type: evnt  # did you mean \"event\"?"},
	// The schema.
	{Code: schema.CodeMissingField, Summary: "a required field is missing",
		Explain: "The schema requires this field for this type of record; the message says what it holds.",
		Example: "event \"geneva-talks\": status: is required but missing; add it (one of scheduled, rescheduled, postponed, cancelled, occurred)"},
	{Code: schema.CodeUnknownField, Summary: "a field the schema does not define",
		Explain: "Usually a typo (the message suggests the closest field) or a field of another record type. Unknown fields are refused so that data is not kept where no export or check will find it."},
	{Code: schema.CodeWrongType, Summary: "a value of the wrong kind",
		Explain: "Text where a list is expected, a number where text is expected, and so on. In YAML, put years and numbers that are text in quotes: from: \"2019\". A group of fields written as text (location: Geneva) gets an example of the group: location: {name: Geneva}, or name: Geneva on a line of its own, indented below location:."},
	{Code: schema.CodeNotAllowed, Summary: "a value outside the allowed list",
		Explain: "The field takes one of a fixed list of values (the message lists them, or suggests the closest). Countries are ISO 3166-1 alpha-3 codes: a country's name or two-letter code gets its three-letter code suggested (Ukraine or UA: UKR)."},
	{Code: schema.CodeBadFormat, Summary: "a value that does not have the required form",
		Explain: "Ids are lowercase slugs, Wikidata ids start with Q, languages are BCP 47 tags: the message gives an example of the form."},
	{Code: schema.CodeBadDate, Summary: "not an EDTF date",
		Explain: "Dates are EDTF (ISO 8601-2): 2022-01-10, 2022-01, 2022, 2022-01-10? (uncertain), 2022-01~ (approximate), 2022-01-XX (unknown day), 2022-01-09/2022-01-13 (an interval), 2022-01-09/.. (open end). Everyday spellings get the date they mean suggested: 27/12/2021, 27.12.2021, Dec 27 2021 and 27 December 2021 are 2021-12-27; 05/12/2021 could be 2021-12-05 or 2021-05-12, and the message gives both.",
		Example: "date: \"2022-13-01\" is not a valid date (month 13)"},
	{Code: schema.CodeIntervalReversed, Summary: "an interval or role that ends before it starts",
		Explain: "Swap the two ends, or correct the one that is wrong."},
	{Code: schema.CodeBadURI, Summary: "not a full web address",
		Explain: "Write an absolute URL with its scheme (https://...), with spaces and non-ASCII characters percent-encoded."},
	{Code: schema.CodeBadEmail, Summary: "not an email address"},
	{Code: schema.CodeEmpty, Summary: "blank text or an empty list",
		Explain: "Delete the field instead of leaving it empty, or fill it in."},
	{Code: schema.CodeTooLong, Summary: "text or a list longer than its limit",
		Explain: "Quotes and notes have a limit so that they fit a spreadsheet cell; keep quotes short and mark omissions with [...]."},
	{Code: schema.CodeDuplicateItem, Summary: "the same entry twice in a list",
		Explain: "Delete one of them."},
	{Code: schema.CodeOutOfRange, Summary: "a number outside its bounds",
		Explain: "Latitudes run from -90 to 90 and longitudes from -180 to 180."},
	{Code: schema.CodeMissingDependency, Summary: "a field that needs another one",
		Explain: "Some fields only make sense together: quote_kind needs a quote, for instance."},
	{Code: schema.CodeSchema, Summary: "anything else the schema rejects"},
	// The dataset.
	{Code: CodeDuplicateID, Summary: "two records with the same id",
		Explain: "Ids are unique across the dataset, whatever the type: rename one of them (and the references to it)."},
	{Code: CodeDanglingReference, Summary: "a reference to an id no record has",
		Explain: "Correct the reference (the message suggests the closest id) or add the record it refers to."},
	{Code: CodeWrongReference, Summary: "a reference to a record of the wrong type",
		Explain: "A speaker must be an actor, an attestation's source a source, and so on."},
	{Code: CodeDateAfterSources, Adjustable: true, Summary: "a statement dated after every source that reports it",
		Explain: "A source cannot report words before they were said: the statement's date, or a source's publication date, is wrong. A relative date (\"on Monday\") resolved against the wrong week is the usual cause."},
	// Source integrity.
	{Code: CodeQuoteNotFound, Adjustable: true, Summary: "a quote the archived article does not contain",
		Explain: "When a source has an archived plain-text copy (archive: in the source record, under the manifest's archive folder or --archive), every quote citing it must occur in the text. Differences of whitespace and line breaks, curly and straight quotes, dashes and the case of the first letter are forgiven, and omissions marked [...] or ... may skip text (the parts must appear in order). Anything else is a mismatch: the finding shows the closest passage of the article and how similar it is, so that the typo shows.",
		Example: "statement \"ryabkov-no-preconditions\": attestations[0].quote: not in the archived text of \"src-tass\" (texts/tass.txt); the closest passage, 96% alike, reads: \"...\""},
	{Code: CodeArchiveMissing, Severity: Warning, Adjustable: true, Summary: "a source's archived text is not in the archive folder",
		Explain: "The source names an archive file that is not there, so its quotes cannot be verified. Add the file, correct the path, or point --archive at the folder that holds the texts."},
	{Code: CodeArchiveUnreadable, Severity: Warning, Adjustable: true, Summary: "a source's archived text cannot be read as text",
		Explain: "Archived texts are UTF-8 plain text of at most 64 MiB. Save the article as plain text (.txt, UTF-8)."},
	{Code: CodeSuspectCharacter, Severity: Warning, Adjustable: true, Summary: "a control, invisible or replacement character in text",
		Explain: "Text copied from web pages, PDFs and word processors often brings characters that cannot be seen: zero-width spaces, soft hyphens, byte order marks, right-to-left overrides, control characters. They make two spellings that look the same differ, so searches, quote checks and duplicate checks miss them. The replacement character (a question mark in a diamond) means a wrong encoding damaged the text before it was pasted. Delete the character, or copy the text again from the source. Tabs and line breaks are fine, and so are the zero-width joiners that Persian, the Indic scripts and emoji need.",
		Example: "actor \"sergei-ryabkov\": name: the text holds U+200B ZERO WIDTH SPACE after \"Sergei\"; it was probably pasted with the text: delete it"},
	{Code: CodeAliasUnlisted, Severity: Warning, Adjustable: true, Summary: "a reported spelling the actor does not list",
		Explain: "An attestation says a source spelled an actor's name in a way that is neither the actor's name (or a part of it, such as the surname) nor one of its aliases. Add the spelling to the actor's aliases, with its kind (transliteration, misspelling...) and the source it was seen in, so that searches for it find the actor.",
		Example: "reported_names[0].spelling: \"Sergei Rybkov\" is not a name or alias of \"sergei-ryabkov\"; add it to the actor's aliases"},
	{Code: CodeDuplicateActor, Severity: Warning, Adjustable: true, Summary: "two actors whose names are near-duplicates",
		Explain: "Two actor records or more have names or aliases that are the same, or differ only by transliteration (Sergei/Sergey, Yury/Yuri) or by one letter (Ryabkov/Rybkov). Often one person was entered twice: merge the records, keeping the other spelling as an alias. Actors that share a name or alias are one finding, at the last of them in the input, naming the first three others by id and counting the rest: an alias many actors share (\"the spokesman\") is one finding, not one per pair. If they are different actors, say in each description who they are, or turn the code off for the dataset in the manifest (checks: {duplicate-actor: off})."},
	{Code: CodeDateConflict, Severity: Info, Adjustable: true, Summary: "sources disagree on a date",
		Explain: "The dates the sources report for an event or statement (reported_date) do not all fit with each other or with the record's date: no single day lies in all of them. This is not an error, since news coverage disagrees, but the curator should have chosen the canonical date knowingly (rank: preferred on the source it follows). annals conflicts lists every conflict."},
	{Code: CodePlaceConflict, Severity: Info, Adjustable: true, Summary: "sources disagree on a place",
		Explain: "The places the sources report (reported_place) differ from each other or from the event's location, beyond case, accents and punctuation, and neither contains the other (\"Geneva\" fits \"Geneva, Switzerland\")."},
	{Code: CodeNameConflict, Severity: Info, Adjustable: true, Summary: "a source spells an actor in a way its names and aliases do not record",
		Explain: "A source spells an actor of the record (reported_names) in a way that is neither the actor's name nor one of its aliases, beyond case, accents and punctuation (a surname alone fits the full name). The note goes away once the spelling is an alias of the actor: add it to the actor's aliases with its kind (transliteration, translation, abbreviation, other-name: then it is simply another way to write the name; misspelling: then the note becomes one misspelling note per source). annals conflicts lists every record where the sources' spellings differ."},
	{Code: CodeMisspelling, Severity: Info, Adjustable: true, Summary: "a source misspells an actor, as its aliases record",
		Explain: "A source spells an actor in a way the actor's aliases record as a misspelling (an alias of kind misspelling). There is nothing to correct: the note tells whoever reads that source, once per source and actor, with the records where it does. It stays as long as the alias is a misspelling; turn it off for the dataset in the manifest (checks: {misspelling: off}) if it is of no use.",
		Example: "source \"src-unknown-outlet-2021-12-28\" misspells actor \"sergei-ryabkov\" (\"Sergei Ryabkov\") as \"Sergei Rybkov\", a misspelling its aliases record, in 2 records: event \"us-russia-talks-geneva-2022\", statement \"ryabkov-confirms-geneva-2021-12-28\"; nothing to correct: the note is for whoever reads that source"},
}
