package registry

import "testing"

func TestExplainsNoRelease(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Only cancel all existing timers. There's no need to shut down SubConns.", true},
		{"Remove SubConns. This is only done after the balancer is actually closed.", true},
		{"Previous one was released, we can reuse the name", true},
		{"The watchers are already stopped by the caller.", true},
		{"The connections need not be closed: the parent closes them.", true},
		{"The parent ClientConn is responsible for closing them.", true},
		{"Close the conn if it was not already closed.", false},
		{"Close it unless already closed.", false},
		{"TODO: there's no need to close them?", false},
		{"XXX already closed?", false},
		{"The lock was released above, so take it again.", false},
		{"Remove the entry.", false},
		{"closed is set when the registry is closed", false},
	} {
		if got := ExplainsNoRelease(tc.text); got != tc.want {
			t.Errorf("ExplainsNoRelease(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestNameWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string
	}{
		{"ScheduledLeasesCheckpoints", "scheduled lease checkpoint"},
		{"leaseCheckpointHeap", "lease checkpoint heap"},
		{"subConnToAddr", "sub conn to addr"},
		{"HTTPConns", "http conn"},
		{"byte_counts", "byte count"},
	} {
		got := ""
		for i, w := range nameWords(tc.name) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != tc.want {
			t.Errorf("nameWords(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
