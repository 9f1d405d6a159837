// Package pollbook holds the pure rules of the national poll book that
// replaces the paper one at each voting table: normalising identity
// documents, hashing them with the electoral authority's key, deciding age
// eligibility, and the check-in request and its outcomes. It does no I/O;
// the storage backends record check-ins and the web layer shows outcomes.
//
// # Why a keyed hash
//
// The store must refuse a second check-in of the same document in the same
// round, at any table in the country, without keeping a list of who voted.
// It therefore keeps only Key.Hash of the document, never the number.
//
// A plain hash (SHA-256 of "V12345678") would not protect anyone: the
// cédula space is small — about 30 million numbers in use, under 10^9
// possible — so anyone holding the table could hash every number in
// minutes and read off who voted where. An HMAC under a 256-bit secret key
// held by the electoral authority makes that search impossible without the
// key, while the server, which holds the key, can still test "was this
// document already checked in this round?" in one index lookup.
//
// The round id is part of the hashed message, so the same person's hashes
// in two rounds are unrelated and cannot be joined across rounds. The
// hashes and the check-ins that carry them are destroyed once a round's
// results are final, keeping only counts; after that, destroying the key as
// well leaves nothing from which participation could be rebuilt.
//
// Nothing here links a voter to a choice: a check-in records that a
// document was admitted at a table, and the ballot is cast on paper.
package pollbook
