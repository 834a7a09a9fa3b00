// Package sipgolistenports reproduces a data race in github.com/emiago/sipgo
// v1.7.3 (bench/FINDINGS.md, "Sixth held-out set"):
// TransportLayer.GetListenPort reads the listenPorts map without
// listenPortsMu (sip/transport_layer.go:312), while every listener started
// by Server.ListenAndServe adds its port under the mutex (addListenPort).
// The client reads it for each request's Via header (client.go:487), so a
// user agent that starts its listeners in goroutines and sends requests
// races; run with -race (a concurrent map read and write can also abort
// the process).
package sipgolistenports

import (
	"context"
	"testing"
	"time"

	"github.com/emiago/sipgo"
)

func TestGetListenPortRacesListen(t *testing.T) {
	ua, err := sipgo.NewUA()
	if err != nil {
		t.Fatal(err)
	}
	defer ua.Close()
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.ListenAndServe(ctx, "udp", "127.0.0.1:0")
	go srv.ListenAndServe(ctx, "tcp", "127.0.0.1:0")
	tp := ua.TransportLayer()
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		if tp.GetListenPort("udp") != 0 && tp.GetListenPort("tcp") != 0 {
			return
		}
	}
}
