// Package opcuarlock reproduces a deadlock in github.com/gopcua/opcua v0.8.0
// (bench/FINDINGS.md, "Sixth held-out set"): NodeNameSpace.Browse read-locks
// ns.mu and calls ns.Node, which read-locks it again
// (server/namespace_node.go:197, 204, 173). AddNode takes the write lock;
// once it waits between the two read locks, Browse blocks behind it while
// it waits for Browse: both hang for ever (and with them the server's
// request handling and every later AddNode).
package opcuarlock

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gopcua/opcua/id"
	"github.com/gopcua/opcua/server"
	"github.com/gopcua/opcua/ua"
)

func TestBrowseRacesAddNode(t *testing.T) {
	srv := server.New()
	ns := server.NewNodeNameSpace(srv, "repro")
	objects := ua.NewNumericNodeID(ns.ID(), id.ObjectsFolder)
	done := make(chan struct{})
	go func() {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					ns.Browse(&ua.BrowseDescription{NodeID: objects})
				}
			}()
		}
		for i := 0; i < 20000; i++ {
			ns.AddNode(server.NewNode(ua.NewNumericNodeID(ns.ID(), uint32(100000+i)), nil, nil, nil))
		}
		close(stop)
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("Browse and AddNode deadlocked (recursive read lock of ns.mu)\n%s", buf)
	}
}
