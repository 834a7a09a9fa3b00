package main

import "testing"

func TestReportModeArgs(t *testing.T) {
	if _, done := reportMode([]string{"-checks=all", "./..."}); done {
		t.Error("reportMode took arguments without -report")
	}
	if code, done := reportMode([]string{"-report=xml", "./..."}); !done || code != 2 {
		t.Errorf("-report=xml: code %d, done %v; want 2, true", code, done)
	}
	if code, done := reportMode([]string{"-report=md", "-bogus", "./..."}); !done || code != 2 {
		t.Errorf("unknown flag: code %d, done %v; want 2, true", code, done)
	}
	if code, done := reportMode([]string{"-report=md", "-checks=bogus", "./..."}); !done || code != 2 {
		t.Errorf("unknown check: code %d, done %v; want 2, true", code, done)
	}
}
