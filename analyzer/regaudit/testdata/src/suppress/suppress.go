package suppress

func ra1001() int { return 0 }
func ra1002()     {}
func ra1003()     {}

func plain() {
	ra1001() // want `synthetic ra1001 finding \(RA1001\)`
}

//regaudit:ignore RA1001 covers the whole function declaration
func wholeFunc() {
	ra1001()
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`
}

func lines() {
	ra1001() //regaudit:ignore RA1001 the trailing form covers its line
	ra1001() // want `synthetic ra1001 finding \(RA1001\)`

	//regaudit:ignore unguarded-write,RA1003 names and IDs; the whole if statement
	if ra1001() > 0 { // want `synthetic ra1001 finding \(RA1001\)`
		ra1002()
		ra1003()
	}

	// want +1 `suppression of RA1001 needs a reason: //regaudit:ignore RA1001 <why it is safe> \(RA9001\)`
	//regaudit:ignore RA1001
	ra1001() // want `synthetic ra1001 finding \(RA1001\)`

	// want +1 `suppression names unknown check "RA1999" \(regaudit -explain list shows them\) \(RA9001\)`
	//regaudit:ignore RA1999 reason
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`

	// want +1 `suppression comment must start with //regaudit: with no space after // \(RA9001\)`
	// regaudit:ignore RA1002 reason
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`

	// A suppression that suppresses nothing is silent without -unused-suppressions.
	//regaudit:ignore RA1003 stale
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`
}
