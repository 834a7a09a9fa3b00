// Package spdystreamping reproduces the unguarded read of pingId in
// github.com/moby/spdystream v0.5.1 connection.go:283 (bench/FINDINGS.md).
package spdystreamping

import (
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/moby/spdystream"
)

// recConn records the bytes the client writes.
type recConn struct {
	net.Conn
	mu  sync.Mutex
	out []byte
}

func (c *recConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.out = append(c.out, b...)
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// pingIDs parses the client's output from offset off as SPDY/3 PING
// frames (8-byte control header 80 03 00 06 00 00 00 04, then the 4-byte
// id), the only frames the client sends here.
func (c *recConn) pingIDs(off int) (ids []uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for b := c.out[off:]; len(b) >= 12; b = b[12:] {
		ids = append(ids, binary.BigEndian.Uint32(b[8:12]))
	}
	return ids
}

func (c *recConn) len() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.out) }

func pair(t *testing.T) (client, server *spdystream.Connection) {
	client, server, _ = recPair(t)
	return client, server
}

func recPair(t *testing.T) (client, server *spdystream.Connection, rec *recConn) {
	p1, c2 := net.Pipe()
	c1 := &recConn{Conn: p1}
	client, err := spdystream.NewConnection(c1, false)
	if err != nil {
		t.Fatal(err)
	}
	server, err = spdystream.NewConnection(c2, true)
	if err != nil {
		t.Fatal(err)
	}
	go client.Serve(spdystream.NoOpStreamHandler)
	go server.Serve(spdystream.NoOpStreamHandler)
	t.Cleanup(func() { c1.Close(); c2.Close() })
	return client, server, c1
}

// TestConcurrentPings runs concurrent Pings on one connection, which the
// Connection allows (pingLock "protects pingChans and pingId"). Run it with
// -race: Ping reads s.pingId before taking s.pingLock (connection.go:283)
// while another Ping increments it under the lock (:286/:288).
func TestConcurrentPings(t *testing.T) {
	client, _ := pair(t)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if _, err := client.Ping(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestConcurrentPingsLoseReplies shows the consequence without the race
// detector: two Pings that read the same pingId register under the same key
// of pingChans; the second overwrites the first's channel, so the first
// never gets its reply and waits until the connection closes (or the
// handler closes an already closed channel and panics).
func TestConcurrentPingsLoseReplies(t *testing.T) {
	client, _, rec := recPair(t)
	for round := 0; round < 200000; round++ {
		off := rec.len()
		done := make(chan struct{}, 2)
		for i := 0; i < 2; i++ {
			go func() {
				client.Ping()
				done <- struct{}{}
			}()
		}
		for i := 0; i < 2; i++ {
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				t.Fatalf("round %d: a Ping got no reply after 2s; ping ids the client sent this round: %v", round, rec.pingIDs(off))
			}
		}
	}
}
