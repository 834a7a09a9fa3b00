// Package mcpgostartlock reproduces a lock leak in
// github.com/mark3labs/mcp-go v1.2.1 (bench/FINDINGS.md, "Sixth held-out
// set"): SSEServer.Start and StreamableHTTPServer.Start lock s.mu and, when
// the address given conflicts with the one of the http.Server set by
// WithHTTPServer / WithStreamableHTTPServer, return the "conflicting listen
// address" error without unlocking it (server/sse.go:440,
// server/streamable_http.go:462). Every later use of the lock hangs:
// Shutdown read-locks it.
package mcpgostartlock

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

func finishes(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%s hangs: Start returned its error with s.mu locked\n%s", what, buf)
	}
}

func TestSSEStartConflictThenShutdown(t *testing.T) {
	s := server.NewSSEServer(server.NewMCPServer("repro", "1"),
		server.WithHTTPServer(&http.Server{Addr: "127.0.0.1:1"}))
	if err := s.Start("127.0.0.1:2"); err == nil {
		t.Fatal("want the conflicting listen address error")
	}
	finishes(t, "SSEServer.Shutdown", func() { _ = s.Shutdown(context.Background()) })
}

func TestStreamableStartConflictThenShutdown(t *testing.T) {
	s := server.NewStreamableHTTPServer(server.NewMCPServer("repro", "1"),
		server.WithStreamableHTTPServer(&http.Server{Addr: "127.0.0.1:1"}))
	if err := s.Start("127.0.0.1:2"); err == nil {
		t.Fatal("want the conflicting listen address error")
	}
	finishes(t, "StreamableHTTPServer.Shutdown", func() { _ = s.Shutdown(context.Background()) })
}
