// Package jsonld writes records as one JSON-LD document in the vocabulary
// of schema.org and PROV-O, with its context embedded ([Context]), so that
// it reads without a network in every JSON-LD processor and RDF tool.
package jsonld
