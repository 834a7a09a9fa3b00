package suppress

//regaudit:file-ignore RA1003 this file is exempt from RA1003 only

func inFile() {
	ra1003()
	ra1002() // want `synthetic ra1002 finding \(RA1002\)`
}

// A meta finding cannot be suppressed, not even by a file-ignore.
// want +1 `suppression cannot silence meta check RA9001 \(RA9001\)`
//regaudit:file-ignore RA9001 nice try
