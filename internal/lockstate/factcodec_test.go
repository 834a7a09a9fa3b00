package lockstate

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

// plainSummary is Summary without its GobEncoder: what gob made of it.
type plainSummary Summary

func TestSummaryCodec(t *testing.T) {
	if reflect.TypeOf(Summary{}).NumField() != 9 {
		t.Fatal("Summary changed: update its GobEncode and GobDecode, and this test")
	}
	if reflect.TypeOf(RelLock{}).NumField() != 5 {
		t.Fatal("RelLock changed: update its GobEncode and GobDecode, and this test")
	}
	if reflect.TypeOf(Callback{}).NumField() != 2 {
		t.Fatal("Callback changed: update its GobEncode and GobDecode, and this test")
	}
	rel := func(p int, path string) RelLock { return RelLock{Param: p, Path: path, Mode: Exclusive} }
	for _, s := range []Summary{
		{Acquires: []RelLock{rel(0, ".mu")}},
		{Releases: []RelLock{rel(1, ".a.b"), {Param: -1, Pkg: "example.com/p", Var: "mu", Mode: Shared}}, RequiresAny: true},
		{AcquiresOnSuccess: []RelLock{rel(-1, "")}, Requires: []RelLock{}, Goes: []int{2, 0}, Stores: []int{1}},
		{Callbacks: []Callback{{Param: 2, Held: []RelLock{rel(0, ".mu")}}, {Param: 1}}},
		{Goes: []int{}, Callbacks: []Callback{}},
		{Owns: []int{1, 0}, RequiresAny: true},
		{Owns: []int{}},
	} {
		var want plainSummary
		roundTrip(t, (*plainSummary)(&s), &want)
		var got Summary
		roundTrip(t, &s, &got)
		if !reflect.DeepEqual(got, Summary(want)) {
			t.Errorf("codec: got %#v, want %#v", got, want)
		}
	}
	var s Summary
	for _, bad := range [][]byte{{0x80}, {2, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 9}} {
		if s.GobDecode(bad) == nil {
			t.Errorf("GobDecode(%v): no error", bad)
		}
	}
}

// roundTrip encodes v with gob and decodes it into out.
func roundTrip(t *testing.T, v, out any) {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
}
