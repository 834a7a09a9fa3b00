// Package watermillraces reproduces three data races in
// github.com/ThreeDotsLabs/watermill v1.5.1 (bench/FINDINGS.md). Run with
// -race: the race detector fails each test.
//
//   - Router.Handlers ranges over r.handlers without r.handlersLock
//     (message/router.go:244), while AddHandler, documented as callable on a
//     running router, inserts into it under the lock.
//   - CaptureLoggerAdapter.Captured returns c.captured, the live map that
//     every log call appends to under c.lock (log.go:226).
//   - GoChannel.Close sets g.persistedMessages to nil holding only
//     g.closedLock (pubsub/gochannel/pubsub.go:334), while a Publish that
//     passed its isClosed check writes the map under persistedMessagesLock;
//     if Close wins, that Publish assigns to a nil map and panics
//     ("assignment to entry in nil map" at pubsub.go:118, seen under -race).
package watermillraces

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
)

func TestRouterHandlersRacesWithAddHandler(t *testing.T) {
	r, err := message.NewRouter(message.RouterConfig{}, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	pubSub := gochannel.NewGoChannel(gochannel.Config{}, watermill.NopLogger{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			r.AddNoPublisherHandler(fmt.Sprint("h", i), "topic", pubSub,
				func(*message.Message) error { return nil })
		}
	}()
	for i := 0; i < 200; i++ {
		_ = r.Handlers() // ranges over r.handlers without handlersLock
	}
	wg.Wait()
}

func TestCapturedRacesWithLogging(t *testing.T) {
	logger := watermill.NewCaptureLogger()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			logger.Info("message", nil) // appends under c.lock
		}
	}()
	for i := 0; i < 200; i++ {
		_ = len(logger.Captured()[watermill.InfoLogLevel]) // reads the live map
	}
	wg.Wait()
}

func TestGoChannelCloseRacesWithPublish(t *testing.T) {
	for n := 0; n < 50; n++ {
		g := gochannel.NewGoChannel(gochannel.Config{Persistent: true}, watermill.NopLogger{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if err := g.Publish("topic", message.NewMessage(fmt.Sprint(i), nil)); err != nil {
					return // "Pub/Sub closed"
				}
			}
		}()
		_ = g.Close()
		wg.Wait()
	}
}
