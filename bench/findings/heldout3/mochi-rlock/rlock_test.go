// Package mochirlock reproduces the recursive read locks in
// github.com/mochi-mqtt/server/v2 v2.7.9 (bench/FINDINGS.md):
// Clients.GetByListener read-locks cl and calls cl.Len, which read-locks it
// again (clients.go:95); Inflight.NextImmediate read-locks i and calls
// i.GetAll, which read-locks it again (inflight.go:99). A writer that queues
// between the two RLocks blocks the second one, and waits for the first:
// the reader and the writer deadlock.
package mochirlock

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// blocked returns the stacks of the goroutines whose trace contains sub.
func blocked(sub string) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, sub) {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}

// run calls read from two goroutines while a third calls write, and fails
// if they stop making progress.
func run(t *testing.T, read, write func(i int), sub string) {
	var stop atomic.Bool
	var calls atomic.Int64
	var wg sync.WaitGroup
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				read(0)
				calls.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			write(i)
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
			calls.Load(), blocked(sub))
	}
}

func TestClientsGetByListener(t *testing.T) {
	cl := mqtt.NewClients()
	run(t,
		func(int) { cl.GetByListener("tcp") },
		func(i int) {
			id := fmt.Sprint("c", i%8)
			cl.Add(&mqtt.Client{ID: id})
			cl.Delete(id)
		},
		"(*Clients)")
}

func TestInflightNextImmediate(t *testing.T) {
	in := mqtt.NewInflights()
	run(t,
		func(int) { in.NextImmediate() },
		func(i int) {
			id := uint16(i%8 + 1)
			in.Set(packets.Packet{PacketID: id, Expiry: -1})
			in.Delete(id)
		},
		"(*Inflight)")
}
