package unused

func ra1001() int { return 0 }
func ra1002()     {}

func f() {
	//regaudit:ignore RA1001 used: suppresses the next line
	ra1001()

	// want +1 `suppression of RA1001 suppresses nothing \(RA9002\)`
	//regaudit:ignore RA1001 stale: the next line has no RA1001 finding
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`

	// Not reported: it names RA1003, which the test turns off with -checks.
	//regaudit:ignore RA1003 needed only when RA1003 is on
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`
}
