package edtf

// Pattern is a regular expression, in the syntax that both Go and
// JavaScript (and so JSON Schema tools) accept, that every date Parse
// accepts matches: editors that know nothing of EDTF can flag
// "27/12/2021" or "Dec 27 2021" as the curator types. It is looser than
// Parse: it does not know how many days a month has, or that an interval
// must not end before it starts, so a text it matches can still be
// refused by annals validate.
const Pattern = `^(?:` + dateTime + `|` + date + `|` + date + `/(?:` + date + `|\.\.)?|(?:\.\.)?/` + date + `)$`

const (
	year  = `(?:Y-?[1-9][0-9]{4,}|-?[0-9]{4}(?:-(?:0[1-9]|1[0-2]|2[1-4]|XX)(?:-(?:0[1-9]|[12][0-9]|3[01]|XX))?)?|-?[0-9]{3}X|-?[0-9]{2}XX)`
	date  = year + `[?~%]?`
	day   = `-?[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])`
	clock = `T(?:[01][0-9]|2[0-4]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?`

	dateTime = day + clock
)
