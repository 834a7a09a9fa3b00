package guards

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"
)

type plainGuardFact GuardFact

func TestGuardFactCodec(t *testing.T) {
	if reflect.TypeOf(GuardFact{}).NumField() != 6 {
		t.Fatal("GuardFact changed: update its GobEncode and GobDecode, and this test")
	}
	for _, f := range []GuardFact{
		{Sibling: ".mu", RW: true, Evidence: `comment "guarded by mu" (x.go:12)`},
		{Var: "driversMu", WriteOnly: true, Helped: true},
		{},
	} {
		var want plainGuardFact
		roundTrip(t, (*plainGuardFact)(&f), &want)
		var got GuardFact
		roundTrip(t, &f, &got)
		if !reflect.DeepEqual(got, GuardFact(want)) {
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
