// Package paharaces reproduces two bugs in github.com/eclipse/paho.golang
// v0.23.0 (bench/FINDINGS.md, "Fifth held-out set").
//
// TAHandler.GetAlias (paho/extensions/topicaliases/topicliases.go:50) ranges
// over t.aliases without t's mutex, while SetAlias and ResetAlias write its
// elements under it; PublishHook, which the client calls from every
// Publish, calls both, so two goroutines publishing (which the client
// supports: the connection must be safe for concurrent writes) race.
//
// State.PacketReceived (paho/session/state/state.go:536, 552) writes the
// PUBREL reply to s.conn read without s.mu, while ConnectionLost sets s.conn
// to nil under s.mu. The client's shutdown calls Session.ConnectionLost
// before it waits for its incoming goroutine (paho/client.go:585..589), so
// a PUBREC that goroutine has just read is answered on a nil io.Writer: a
// nil interface method call, a panic that takes the program down. The other
// writers of the state (ack, PUBCOMP) test s.conn != nil under s.mu first.
package paharaces

import (
	"bytes"
	"sync"
	"testing"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
	"github.com/eclipse/paho.golang/paho/extensions/topicaliases"
	"github.com/eclipse/paho.golang/paho/session/state"
)

// Run with -race: the race detector reports GetAlias's read of an element
// of t.aliases against SetAlias's write.
func TestPublishHookConcurrent(t *testing.T) {
	h := topicaliases.NewTAHandler(100)
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				h.PublishHook(&paho.Publish{Topic: string(rune('a'+g)) + string(rune('a'+i))})
			}
		}()
	}
	wg.Wait()
}

type syncBuffer struct {
	sync.Mutex
	bytes.Buffer
}

// The order the client's shutdown produces: the connection is lost (s.conn
// = nil) and the incoming goroutine then hands State the PUBREC it read.
func TestPubrecAfterConnectionLost(t *testing.T) {
	s := state.NewInMemory()
	if err := s.ConAckReceived(&syncBuffer{}, &packets.Connect{}, &packets.Connack{}); err != nil {
		t.Fatal(err)
	}
	if err := s.ConnectionLost(nil); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("PacketReceived panicked after ConnectionLost: %v", r)
		}
	}()
	pubrec := packets.NewControlPacket(packets.PUBREC)
	pubrec.Content.(*packets.Pubrec).PacketID = 7
	_ = s.PacketReceived(pubrec, make(chan *packets.Publish, 1))
}

// The same as it happens in the client, with -race: PacketReceived on the
// incoming goroutine, ConnectionLost on the shutdown goroutine.
func TestPubrecRacesConnectionLost(t *testing.T) {
	for i := 0; i < 200; i++ {
		s := state.NewInMemory()
		if err := s.ConAckReceived(&syncBuffer{}, &packets.Connect{}, &packets.Connack{}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.ConnectionLost(nil)
		}()
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("PacketReceived panicked: %v", r)
				}
			}()
			pubrec := packets.NewControlPacket(packets.PUBREC)
			pubrec.Content.(*packets.Pubrec).PacketID = 7
			_ = s.PacketReceived(pubrec, make(chan *packets.Publish, 1))
		}()
		wg.Wait()
	}
}
