package checks

// Check IDs of regaudit's own meta checks (RA9xxx), about suppression
// comments. They are reported by the regaudit analyzer itself and cannot be
// suppressed.
const (
	BadSuppression    = "RA9001"
	UnusedSuppression = "RA9002"
)

func init() {
	register(&Check{
		ID: BadSuppression, Name: "bad-suppression", Severity: Warning,
		Title: "malformed regaudit suppression comment",
		Doc: `A suppression comment has the form

    //regaudit:ignore RA1001 why this access is safe
    //regaudit:file-ignore RA1001,RA1002 why the whole file is exempt

with no space between // and regaudit, a comma-separated list of check IDs
or names, and a reason. A suppression without a reason, naming an unknown
check, or written "// regaudit:" with a space is reported by this check and
suppresses nothing: the reason is what a reviewer reads later to decide
whether the exemption still holds. Meta checks cannot themselves be
suppressed; turn this one off with -checks=all,-RA9001.`,
		Bad: `func (r *Registry) Len() int {
	//regaudit:ignore RA1001
	return len(r.backends)
}`,
		Good: `func (r *Registry) Len() int {
	//regaudit:ignore RA1001 only called from tests, after every goroutine has stopped
	return len(r.backends)
}`,
	})
	register(&Check{
		ID: UnusedSuppression, Name: "unused-suppression", Severity: Note,
		Title: "regaudit suppression comment that suppresses nothing",
		Doc: `A //regaudit:ignore or //regaudit:file-ignore comment that matched no finding,
typically because the code was fixed and the comment stayed behind. A stale
suppression would silently hide a future, real finding at that place.

This check runs only with the -unused-suppressions flag (or the
unused-suppressions setting of the golangci-lint plugin), because a
suppression can be needed by one build configuration and not another. A
suppression naming a check that -checks turned off is never reported as
unused.`,
		Bad: `func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	//regaudit:ignore RA1001 tests only
	return len(r.backends) // guarded now: the comment is stale
}`,
		Good: `func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.backends)
}`,
	})
}

// Meta reports whether id is a meta check about suppressions, which
// suppression comments cannot silence.
func Meta(id string) bool { return id == BadSuppression || id == UnusedSuppression }
