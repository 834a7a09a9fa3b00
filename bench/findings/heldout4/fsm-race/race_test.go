// Package fsmrace reproduces a data race in github.com/looplab/fsm v1.0.3
// (bench/FINDINGS.md, "Fourth held-out set"): the enter-state callbacks are
// looked up with f.current read without f.stateMu (fsm.go:475), after Event
// has released f.eventMu (fsm.go:366), so a concurrent Event (or SetState)
// writes f.current (fsm.go:357, under stateMu) meanwhile. Besides the race
// detector's report, the callback of the wrong state runs: enter_a fires for
// a transition whose destination is b.
package fsmrace

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/looplab/fsm"
)

func TestEnterCallbackOfWrongState(t *testing.T) {
	var wrong, calls atomic.Int64
	check := func(state string) fsm.Callback {
		return func(_ context.Context, e *fsm.Event) {
			calls.Add(1)
			if e.Dst != state {
				wrong.Add(1)
			}
		}
	}
	f := fsm.NewFSM("a",
		fsm.Events{
			{Name: "toB", Src: []string{"a"}, Dst: "b"},
			{Name: "toA", Src: []string{"b"}, Dst: "a"},
		},
		fsm.Callbacks{"enter_a": check("a"), "enter_b": check("b")},
	)
	var wg sync.WaitGroup
	for _, ev := range []string{"toA", "toB", "toA", "toB"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000000; i++ {
				_ = f.Event(context.Background(), ev) // fails when in the wrong state
			}
		}()
	}
	wg.Wait()
	if wrong.Load() > 0 {
		t.Fatalf("%d of %d enter callbacks ran for a state other than the event's destination", wrong.Load(), calls.Load())
	}
	t.Logf("%d enter callbacks, all for the destination state", calls.Load())
}
