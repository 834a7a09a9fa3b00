// Package gospiffe reproduces the recursive read locks in
// github.com/spiffe/go-spiffe/v2 v2.8.1 bundle/spiffebundle/bundle.go:513,
// 527, 549 (bench/FINDINGS.md).
package gospiffe

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"regaudit.bench/findings/internal/stacks"
)

// run calls get from two readers while a writer calls SetRefreshHint, the
// documented concurrent use of a Bundle (it is a x509bundle.Source etc.
// shared by the workload API watchers), and fails if they stop making
// progress: the reader holding b.mtx.RLock blocks in the nested RLock
// behind the waiting writer, which waits for that reader.
func run(t *testing.T, get func(b *spiffebundle.Bundle, td spiffeid.TrustDomain)) {
	td := spiffeid.RequireTrustDomainFromString("example.org")
	b := spiffebundle.New(td)
	var stop atomic.Bool
	var calls atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				get(b, td)
				calls.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			b.SetRefreshHint(time.Duration(i))
		}
	}()
	time.Sleep(2 * time.Second)
	stop.Store(true)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		t.Logf("no deadlock in 2s (%d reader calls)", calls.Load())
	case <-time.After(5 * time.Second):
		t.Fatalf("readers and writer blocked for 5s after %d reader calls: deadlock\n\n%s",
			calls.Load(), stacks.Matching("spiffebundle.(*Bundle)"))
	}
}

func TestGetX509BundleForTrustDomain(t *testing.T) {
	run(t, func(b *spiffebundle.Bundle, td spiffeid.TrustDomain) { b.GetX509BundleForTrustDomain(td) })
}

func TestGetJWTBundleForTrustDomain(t *testing.T) {
	run(t, func(b *spiffebundle.Bundle, td spiffeid.TrustDomain) { b.GetJWTBundleForTrustDomain(td) })
}

func TestGetWITBundleForTrustDomain(t *testing.T) {
	run(t, func(b *spiffebundle.Bundle, td spiffeid.TrustDomain) { b.GetWITBundleForTrustDomain(td) })
}
