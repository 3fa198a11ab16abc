// Package schema embeds the JSON Schemas (draft 2020-12) of the annals
// record model and validates records against them.
//
// The record types are actor, source, event and statement ([RecordTypes]);
// the dataset manifest has a schema of its own ([Manifest]). Every property
// carries a title and a description, which exports turn into a codebook,
// and the schemas' property order is the canonical field order
// ([Validator.Properties]). References between records are declared in the
// schemas with the x-refers-to annotation ([Validator.References]), so
// the dataset checks and exports derive their foreign keys from one place.
//
// [New] compiles the embedded files with format assertion on and never
// touches the network. Two formats are stricter than the validator's
// defaults: "edtf" (Extended Date/Time Format levels 0 and 1) and "uri"
// (RFC 3986, which rejects unencoded spaces that Go's url.Parse accepts).
//
// [Validator.Validate] returns [Violation] values written for researchers:
// a stable code, the JSON pointer of the offending value, and a message
// that says what is wrong and how to fix it, with oneOf/anyOf alternatives
// reduced to the one the curator evidently meant.
package schema
