package lockflow

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

type plainLocksFact LocksFact

func TestLocksFactCodec(t *testing.T) {
	if reflect.TypeOf(LocksFact{}).NumField() != 4 {
		t.Fatal("LocksFact changed: update its GobEncode and GobDecode, and this test")
	}
	if reflect.TypeOf(LockSite{}).NumField() != 4 {
		t.Fatal("LockSite changed: update its GobEncode and GobDecode, and this test")
	}
	if reflect.TypeOf(OwnedParam{}).NumField() != 5 {
		t.Fatal("OwnedParam changed: update LocksFact's GobEncode and GobDecode, and this test")
	}
	for _, f := range []LocksFact{
		{Locks: []LockSite{{Lock: ls.RelLock{Param: 0, Path: ".mu", Mode: ls.Shared}, Where: "a.go:3", Via: "lock", If: -2}, {Lock: ls.RelLock{Param: -1, Pkg: "p", Var: "mu"}, If: 3}}},
		{Requires: []ls.RelLock{{Param: 1, Path: ".x.mu", Mode: ls.Exclusive}}, RequiresWhy: "its name"},
		{Locks: []LockSite{}, Requires: []ls.RelLock{}},
		{Owns: []OwnedParam{{Lock: ls.RelLock{Param: 0, Path: ".Mu", Mode: ls.Exclusive}, Name: "r", Field: "members", Verb: "writes", Guard: "Mu"}}},
		{Owns: []OwnedParam{}},
	} {
		var want plainLocksFact
		roundTrip(t, (*plainLocksFact)(&f), &want)
		var got LocksFact
		roundTrip(t, &f, &got)
		if !reflect.DeepEqual(got, LocksFact(want)) {
			t.Errorf("codec: got %#v, want %#v", got, want)
		}
	}
}

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
