// Package formula guards text against formula injection (OWASP "CSV
// Injection"): spreadsheets run a cell that starts with = + - @, tab or
// carriage return as a formula, so text written where a spreadsheet reads
// it gets a leading apostrophe, and the importers take it off again.
package formula

import "strings"

// Triggers are the first characters that make a spreadsheet read a
// cell as a formula, as OWASP lists them ("CSV Injection"): = + - @, tab
// (U+0009) and carriage return (U+000D).
const Triggers = "=+-@\t\r"

// Guard returns s as the CSV export writes it in a text column. It
// applies the OWASP rule against CSV injection: a value that starts with
// = + - @, tab (U+0009) or carriage return (U+000D) gets a leading ', so
// that a spreadsheet shows the text instead of running it as a formula. A
// value that already starts with ' gets one more as well: otherwise a
// curated "'=1" and a guarded "=1" would be written alike, and
// [Unguard] could not tell which to restore.
func Guard(s string) string {
	if NeedsGuard(s) {
		return "'" + s
	}
	return s
}

// Unguard undoes [Guard]: it removes one leading ' when what
// follows starts with a character that Guard guards (= + - @ tab
// CR or '). Unguard(Guard(s)) == s for every s. Apply it only
// to fields that the export guarded: datapackage.json marks them.
func Unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && NeedsGuard(s[1:]) {
		return s[1:]
	}
	return s
}

// NeedsGuard reports whether Guard prefixes s. Every trigger
// is one byte, so the first byte decides even for UTF-8 text.
func NeedsGuard(s string) bool {
	return s != "" && (s[0] == '\'' || strings.IndexByte(Triggers, s[0]) >= 0)
}
