// Package gaps holds the cases the analyzer gets wrong today, written with
// the diagnostics it should report (and without any where it reports a
// false positive). TestGaps runs it only with REGAUDIT_GAPS=1; when a gap
// is fixed, move its case to testdata/src/regressions.
//
//	GAP  file                 kind            what goes wrong
//	 1   docregex.go          miss            "must be held" doc regex still matches "must hold" about something else ("names must hold at least one entry")
//	 2   nested.go            miss            guard comment on an embedded struct field: promoted fields are not candidates
//	 3   escape.go            miss            constructor value stays "local" after escaping to a goroutine (go w.run(), then w.jobs = ...)
//	 4   methodvalue.go       miss            unexported method values (time.AfterFunc, HTTP handlers) are never judged
//	 5   instances.go         miss            a.mu (or other.mu) held, b.m written: silenced as a possible alias (sameMutexField)
//	 6   promotedwrapper.go   false positive  methods promoted through embedding: lock wrappers/withLock map to d.mu, not d.Base.mu; inferred entry becomes b.Base.mu (RA1004)
//	 7   lockervalues.go      false positive  r.mu.RLocker() and sync.Locker(&r.mu) are not the guard (RA1004)
//	 8   shards.go            miss            guard reached through an index expression (r.shards[i].mu): accesses never checked
//	 9   writeonly.go         miss            write-only convention guard: lock-free loads count against corroboration
//	10   addrof.go            miss            json.Unmarshal(data, &s.f) under RLock classified as a read
//	11   fixmecomment.go      miss            a comment flagging the race ("FIXME: racy", "should not ... without the lock") silences it (debatable)
//	12   gostored.go          miss            f := func(){...}; go f() under the lock: not treated as a goroutine (RA1005)
//	13   lockedknown.go       miss            regression in b64dafc: helpers with a declared or inferred lock are exempt again (also lockedother.go, lockedhelpers.go)
package gaps
