// Package gaps holds the cases the analyzer gets wrong today, written with
// the diagnostics it should report (and without any where it reports a
// false positive). TestGaps runs it only with REGAUDIT_GAPS=1; when a gap
// is fixed, move its case to testdata/src/regressions.
//
//	GAP  file                 kind            what goes wrong
//	 3   escape.go            miss            constructor value stays "local" after escaping to a goroutine (go w.run(), then w.jobs = ...)
//	 8   shards.go            miss            guard reached through an index expression (r.shards[i].mu): accesses never checked
//	13b  lockedhelpers.go     miss            accesses in helpers whose callers hold the lock are no evidence: a guard used only there is not inferred
//	14   tlsquic.go           false positive  crypto/tls's QUIC path: a lock's ownership handed over by channel (FP38; RA1001, RA1002)
//
// Gaps 1, 2, 4, 5, 6, 7, 9, 10, 11, 12 and 13 (but 13b) are fixed; their
// cases moved to regressions.
package gaps
