// Package otelspanattributes reproduces the live slice returned by
// recordingSpan.Attributes in go.opentelemetry.io/otel/sdk v1.45.0
// trace/span.go:595 (bench/FINDINGS.md).
package otelspanattributes

import (
	"context"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

func start(t *testing.T, opts ...sdktrace.TracerProviderOption) (trace.Span, sdktrace.ReadOnlySpan) {
	tp := sdktrace.NewTracerProvider(opts...)
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	_, span := tp.Tracer("t").Start(context.Background(), "op")
	return span, span.(sdktrace.ReadOnlySpan)
}

// TestAttributesResultChangesAfterward: a slice returned by Attributes is
// rewritten by later calls on the span (no concurrency needed to see it).
func TestAttributesResultChangesAfterward(t *testing.T) {
	span, ro := start(t) // default limits
	span.SetAttributes(attribute.Int("a", 1), attribute.Int("b", 2), attribute.Int("a", 3))
	got := ro.Attributes() // deduplicated in place: [a=3 b=2]
	before := got[0].Value.AsInt64()
	span.SetAttributes(attribute.Int("a", 4)) // appended, not yet deduplicated
	ro.Attributes()                           // dedupes in place: writes a=4 into got[0]
	after := got[0].Value.AsInt64()
	t.Logf("got[0] (key %s) was %d, is now %d", got[0].Key, before, after)
	if before != after {
		t.Errorf("the slice returned by Attributes changed after it was returned: %d -> %d", before, after)
	}
}

// TestAttributesRacesSetAttributes: run with -race. One goroutine reads the
// slice Attributes returned while another sets an attribute over the count
// limit (addOverCapAttrs dedupes and updates s.attributes in place).
func TestAttributesRacesSetAttributes(t *testing.T) {
	span, ro := start(t, sdktrace.WithSpanLimits(sdktrace.SpanLimits{AttributeCountLimit: 2}))
	span.SetAttributes(attribute.Int("a", 0), attribute.Int("b", 0))
	got := ro.Attributes()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 100; i++ {
			span.SetAttributes(attribute.Int("a", i))
		}
	}()
	var sum int64
	for i := 0; i < 100; i++ {
		sum += got[0].Value.AsInt64()
	}
	wg.Wait()
}

// TestConcurrentAttributesRace: run with -race. Two readers only: each
// Attributes call rewrites the elements of s.attributes in place
// (dedupeAttrsFromRecord appends into s.attributes[:0]), under s.mu, while
// the other goroutine reads the slice its own call returned.
func TestConcurrentAttributesRace(t *testing.T) {
	span, ro := start(t)
	span.SetAttributes(attribute.Int("a", 1), attribute.Int("b", 2))
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				for _, kv := range ro.Attributes() {
					_ = kv.Value.AsInt64()
				}
			}
		}()
	}
	wg.Wait()
}
