// Package store holds what the checker keeps of every record in packed,
// pointer-free memory, so that a million records are not a million
// objects for the garbage collector to scan: strings in an [Arena] (the
// pending references, the conflicts kept as bytes), lists of strings in
// [Lists] (each actor's id and names), a sequence of strings in [Strings]
// (the skeletons of every actor's names), ids and a small fixed value per
// id in an [IDIndex], and a bounded [Memo] of work done on short strings
// (the spellings folded).
//
// It is the only package of annals that imports unsafe, and only to let a
// string share the bytes it keeps. Its addressing has no silent limit:
// every offset and length is a full uint32 within one chunk (or a 16-bit
// end within a chunk of 64 KiB), chunks are numbered by a uint32, and what does not fit (one string of 4 GiB or
// more, more than 4 billion ids) is refused with a [*LimitError], never
// wrapped around. A structure that has refused something keeps the error
// (Err) and must not be trusted for a verdict afterwards.
//
// The plain twins in this package's tests, written with maps and slices,
// are held to the same answers by a property test and a fuzz target.
package store
