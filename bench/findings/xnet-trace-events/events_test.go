// Package xnettraceevents reproduces the live slices returned by
// eventLog.Events and trace.Events in golang.org/x/net v0.61.0
// trace/events.go:393 and trace/trace.go:906 (bench/FINDINGS.md).
package xnettraceevents

import (
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/net/trace"
)

// TestRenderEventsRacesPrintf: run with -race. The /debug/events page
// (RenderEvents, what the Events handler serves) ranges over the live
// el.events of an active event log while its owner logs to it; once the log
// holds maxEventsPerLog (10) entries, printf shifts them in place.
func TestRenderEventsRacesPrintf(t *testing.T) {
	el := trace.NewEventLog("findings-events", "obj")
	defer el.Finish()
	for i := 0; i < 20; i++ { // fill the log
		el.Printf("event %d", i)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			el.Printf("event %d", i)
		}
	}()
	for i := 0; i < 20; i++ {
		req := httptest.NewRequest("GET", "/debug/events?fam=findings-events&b=0&exp=true", nil)
		w := httptest.NewRecorder()
		trace.RenderEvents(w, req, true)
		if i == 0 && !strings.Contains(w.Body.String(), "event ") {
			t.Fatalf("page does not list the events:\n%s", w.Body)
		}
	}
	stop.Store(true)
	wg.Wait()
}

// TestRenderRacesLazyPrintf: run with -race. The /debug/requests page
// (Render, what the Traces handler serves) lists the active traces of a
// family (b=-1) and, expanded, ranges over the live tr.events while the
// request's goroutine logs to the trace; once it holds maxEventsPerTrace
// (10) events, addEvent overwrites and shifts the middle ones in place.
func TestRenderRacesLazyPrintf(t *testing.T) {
	tr := trace.New("findings-requests", "req")
	defer tr.Finish()
	for i := 0; i < 20; i++ {
		tr.LazyPrintf("event %d", i)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			tr.LazyPrintf("event %d", i)
		}
	}()
	for i := 0; i < 20; i++ {
		req := httptest.NewRequest("GET", "/debug/requests?fam=findings-requests&b=-1&exp=true", nil)
		w := httptest.NewRecorder()
		trace.Render(w, req, true)
		if i == 0 && !strings.Contains(w.Body.String(), "event ") {
			t.Fatalf("page does not list the events:\n%s", w.Body)
		}
	}
	stop.Store(true)
	wg.Wait()
}
