// Package tally holds the pure rules for a voting table's tally sheet
// (acta de escrutinio): checking that it reconciles with itself and with
// the poll book, comparing the two independent entries of one sheet,
// encoding it canonically for the transparency log, adding sheets up into
// live results, and the public lottery draw of the announced tie-break
// (LotteryRank; what a circuit funds is package allocation's decision).
// It does no I/O; the storage backends keep sheets and the web
// layer shows results.
package tally
