// Package radixrlock reproduces a deadlock in github.com/mediocregopher/radix/v4
// v4.1.4 (bench/FINDINGS.md, "Fifth held-out set"): the MultiClient of
// NewMultiClient runs DoSecondary under r.proc.WithRLock and, with no
// secondary, calls r.Do, which read-locks the same RWMutex again through
// WithRLock (radix.go:96, internal/proc/proc.go:99). Close takes the write
// lock (proc.PrefixedClose); once it waits, the second RLock blocks behind
// it while it waits for the first: DoSecondary and Close hang for ever.
package radixrlock

import (
	"context"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mediocregopher/radix/v4"
)

type nopClient struct{}

func (nopClient) Addr() net.Addr                         { return &net.TCPAddr{} }
func (nopClient) Do(context.Context, radix.Action) error { return nil }
func (nopClient) Close() error                           { return nil }

func TestDoSecondaryRacesClose(t *testing.T) {
	for i := 0; i < 2000; i++ {
		mc := radix.NewMultiClient(radix.ReplicaSet{Primary: nopClient{}})
		done := make(chan struct{})
		go func() {
			var wg sync.WaitGroup
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for mc.DoSecondary(context.Background(), radix.Cmd(nil, "PING")) == nil {
					}
				}()
			}
			time.Sleep(100 * time.Microsecond)
			_ = mc.Close()
			wg.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("round %d: DoSecondary and Close deadlocked (recursive read lock of proc.lock)\n%s", i, buf)
		}
	}
}
