// Package check validates a dataset record by record and as a whole, and
// reports what it finds as sorted [Finding] values.
//
// A [Checker] takes records one at a time ([Checker.Record],
// [Checker.Manifest], [Checker.ReadError] for input that cannot be read)
// and keeps only an index entry per id, so memory grows with the number of
// records, not their size. [Checker.Finish] resolves what needed every
// record: references to records read later, and statement dates against
// sources read later. Positions are located in the input only for
// findings and for references that must wait for Finish.
//
// What it keeps per record, in packed memory, is held by package store
// and nowhere else. A limit of that memory reached (see
// store.LimitError) is a beyond-limits finding and [Report.Incomplete],
// never a crash and never a silent gap: the findings of a plain reference
// implementation of the id, reference and duplicate-actor rules, run on
// generated datasets, are the Checker's (TestReferenceAgrees).
//
// The dataset checks are: unique ids across all record types; references
// that resolve to a record of the type the schema declares; roles that end
// before they start; statements dated after the publication of every
// source that reports them; and the source-integrity checks of
// integrity.go and quotes.go, among them actors that may be one (one
// finding per group of alike actors, see names.Groups). Schema violations come from package schema,
// unreadable input from package convert.
package check
