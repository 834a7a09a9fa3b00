// Package natstlsstate reproduces a data race in nats.go v1.55.0:
// Conn.TLSConnectionState calls isConnected without nc.mu (nats.go:2610),
// so it reads nc.status while Close (and the reconnect and drain paths)
// write it under nc.mu. Run with -race: the race detector fails the test.
package natstlsstate

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// fakeServer speaks just enough of the NATS protocol for a client to
// connect: INFO on accept, PONG to every PING.
func fakeServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	port := ln.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				fmt.Fprintf(c, "INFO {\"server_id\":\"fake\",\"version\":\"2.10.0\",\"go\":\"go1.26\",\"host\":\"127.0.0.1\",\"port\":%d,\"max_payload\":1048576,\"proto\":1}\r\n", port)
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if strings.HasPrefix(line, "PING") {
						if _, err := c.Write([]byte("PONG\r\n")); err != nil {
							return
						}
					}
				}
			}(c)
		}
	}()
	return fmt.Sprintf("nats://127.0.0.1:%d", port)
}

func TestTLSConnectionStateRacesWithClose(t *testing.T) {
	url := fakeServer(t)
	for i := 0; i < 20; i++ {
		nc, err := nats.Connect(url, nats.NoReconnect(), nats.Timeout(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				nc.TLSConnectionState() // reads nc.status without nc.mu
			}
		}()
		nc.Close() // writes nc.status under nc.mu
		wg.Wait()
	}
}
