// Package protobufaberrant reproduces the self-deadlock in
// google.golang.org/protobuf v1.36.12 internal/impl/legacy_message.go:171
// (bench/FINDINGS.md).
package protobufaberrant

import (
	"testing"
	"time"

	"google.golang.org/protobuf/protoadapt"
	"regaudit.bench/findings/internal/stacks"
)

// Child is a v1 message (Reset, String, ProtoMessage) with a Descriptor
// method that yields no descriptor, as a dynamic message type may (the
// loader also takes this path when Descriptor panics on the zero value).
type Child struct {
	X *int32 `protobuf:"varint,1,opt,name=x"`
}

func (*Child) Reset()                      {}
func (*Child) String() string              { return "child" }
func (*Child) ProtoMessage()               {}
func (*Child) Descriptor() ([]byte, []int) { return nil, nil }

// Parent is an aberrant message: a v1 message without a Descriptor method,
// so its descriptor is derived from the struct tags, under
// aberrantMessageDescLock. Its field of type *Child makes the loader
// recurse into LegacyLoadMessageDesc(*Child), which falls back to
// aberrantLoadMessageDesc and locks aberrantMessageDescLock again.
type Parent struct {
	C *Child `protobuf:"bytes,1,opt,name=c"`
}

func (*Parent) Reset()         {}
func (*Parent) String() string { return "parent" }
func (*Parent) ProtoMessage()  {}

func TestAberrantFieldOfNilDescriptorMessageDeadlocks(t *testing.T) {
	done := make(chan string, 1)
	go func() {
		m := protoadapt.MessageV2Of(&Parent{})
		done <- string(m.ProtoReflect().Descriptor().FullName())
	}()
	select {
	case name := <-done:
		t.Logf("descriptor loaded: %s (no deadlock)", name)
	case <-time.After(5 * time.Second):
		t.Fatalf("MessageV2Of(&Parent{}) still blocked after 5s: self-deadlock on aberrantMessageDescLock\n\n%s",
			stacks.Matching("aberrantLoadMessageDesc"))
	}
}
