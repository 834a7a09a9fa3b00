// Package gaps holds the cases the analyzer gets wrong today, written with
// the diagnostics it should report (and without any where it reports a
// false positive). TestGaps runs it only with REGAUDIT_GAPS=1; when a gap
// is fixed, move its case to testdata/src/regressions.
//
//	GAP  file                 kind            what goes wrong
//	 2   nested.go            miss            guard comment on an embedded struct field: promoted fields are not candidates
//	 3   escape.go            miss            constructor value stays "local" after escaping to a goroutine (go w.run(), then w.jobs = ...)
//	 8   shards.go            miss            guard reached through an index expression (r.shards[i].mu): accesses never checked
//	10   addrof.go            miss            json.Unmarshal(data, &s.f) under RLock classified as a read
//	13   lockedknown.go       miss            regression in b64dafc: helpers with a declared or inferred lock are exempt again (also lockedother.go, lockedhelpers.go)
//	14   tlsquic.go           false positive  crypto/tls's QUIC path: a lock's ownership handed over by channel (FP38; RA1001, RA1002)
//
// Gaps 1, 4, 5, 6, 7, 9, 11 and 12 are fixed; their cases moved to regressions.
package gaps
