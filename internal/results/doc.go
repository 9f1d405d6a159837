// Package results computes the live results of a consultation round from
// its accepted tally sheets and poll-book counts: per table, circuit,
// commune, parish, municipality, state and the nation, with turnout
// against the census, tables reported of tables expected, and each
// circuit's votes per project and what it funds by the round's rules and
// announced tie-break (allocation.Decide, the one decision every page,
// export and the verifier use).
//
// It does no I/O. A caller builds an Index once per round from the units
// of the round's frozen territory version, keeps it, and calls Compute
// again whenever a sheet is accepted or corrected: Compute is fast enough
// for the national round (some 16,000 tables and 5,336 circuits) to be
// recomputed on every accepted sheet. An Index and a Results are never
// changed after they are built, so both may be shared between goroutines.
//
// Votes per ballot number mean something only within one circuit, whose
// ballot they index. Above the circuit level a node gives totals (cast,
// blank, null, valid…), the circuits fully reported, and the projects
// funded so far, with their amounts: those the decisions of the circuits
// where every table has reported fund.
//
// Input that does not fit the territory or the ballots — a sheet of an
// unknown table, or with a vote count per number that does not match its
// circuit's ballot — is listed in Results.Problems and left out, so that
// one bad row never takes the national results down.
//
// On a synthetic national round (24 states, 5,336 circuits, 49,000
// councils, 10,000 centres, 16,000 tables, every table reported), on the
// 2-core development machine:
//
//	go test -run '^$' -bench National -benchtime 3s ./internal/results/
//
//	BenchmarkNewIndexNational     62 ms/op  27.6 MB/op     758 allocs/op
//	BenchmarkComputeNational      35 ms/op  22.3 MB/op  53,076 allocs/op  (before allocation.Decide)
//
// Deciding every circuit with allocation.Decide (exact arithmetic and the
// engine's explanations, some 40 µs a circuit: see allocation's
// BenchmarkDecideConsultation) costs two to two and a half times the old
// top-k ranking: measured back to back at a load average of 11–13,
// 0.41–0.95 s/op (49.4 MB, 570,461 allocs) against 0.21–0.43 s/op for the
// code before it.
package results
