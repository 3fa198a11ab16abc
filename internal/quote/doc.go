// Package quote checks that a quotation a curator recorded from a news
// article really occurs in the archived plain-text copy of that article.
//
// A quotation copied by hand rarely matches the archived bytes exactly:
// typography differs between the page the curator read and the text that
// was saved, and editors shorten quotations. Matching forgives exactly
// those differences and nothing else, so one changed word still fails.
// Before comparison both the article and the quotation are normalised:
//
//   - any run of white space (spaces, tabs, line breaks, no-break and other
//     Unicode spaces) counts as one space, and white space at either end of
//     the quotation or of one of its parts is ignored;
//   - all single quotation marks and apostrophes (‘ ’ ‚ ‛ ′ ` ´ ʼ ‹ › ') are
//     one apostrophe, and all double quotation marks (“ ” „ ‟ ″ « » ") are
//     one double quotation mark;
//   - all dashes and hyphens (- ‐ ‑ ‒ – — ― −) are one hyphen;
//   - the ellipsis character … is three full stops;
//   - soft hyphens and zero-width characters (U+00AD, U+200B, U+200C,
//     U+200D, U+2060, U+FEFF) are ignored;
//   - bytes that are not UTF-8 count as U+FFFD.
//
// The case of the first letter of the quotation, and of the first letter of
// each part between elisions, is ignored, because quoting a sentence from
// its middle, or starting one with a quoted fragment, changes it. The first
// letter is the first character that is a letter, even after an opening
// quotation mark or a digit. Every other letter must match in case.
//
// Nothing else is normalised: an accented letter written as one character
// differs from the same letter written as a base letter and a combining
// accent. A quotation may begin or end in the middle of a word.
//
// # Elisions
//
// An elision marks where the quotation leaves text out: three or more full
// stops (or the ellipsis character, which is the same after
// normalisation), optionally spaced as ". . ." and optionally in square
// brackets ("[...]", "[…]", "[ … ]"). In round brackets, "(...)" is not an
// elision but text, since articles print it themselves. The parts between
// elisions must occur in the article in order and without overlapping;
// they are placed greedily, each at the occurrence after the previous part
// that ends first, which finds a placement whenever one exists.
//
// A quotation wrapped in a pair of quotation marks, double or single, also
// matches when the article does not print those marks: it is looked for as
// written first, then without them.
//
// # Closest passage
//
// When a quotation is not found, [Text.Find] reports the passage of the
// article most like it, widened to whole words, so the curator can see what
// to correct, and how alike the two are. Short articles are aligned with
// the quotation in full, which is cheap and cannot miss. In a longer one,
// candidate windows are ranked by the trigrams they share with the
// quotation, and the best three are aligned with it by edit distance, which
// takes time quadratic in the quotation's length. A quotation with elisions
// is compared with its parts joined, and the first part that could not be
// placed is reported too.
//
// # Cost
//
// The first search indexes the article's trigrams, in time linear in its
// length. After that, a search costs about the quotation's length times
// the number of places its rarest trigrams occur, whatever the length of
// the article: a quotation is looked for only where its rarest trigram
// occurs (or, where that would cost more, by reading the rest of the
// text), and windows are counted only around its rarer trigrams and where
// pieces of it, found in the text, place it most often, within budgets
// set by the quotation's length. The window that shares the most trigrams
// is then the best of the whole article whenever the trigrams counted
// prove it, which they do for a near miss of a passage unless the passage
// is repeated throughout the article or made only of its commonest words;
// there the pieces' votes find it in all but contrived cases.
package quote
