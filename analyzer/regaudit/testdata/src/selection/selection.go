package selection

func ra1001() int { return 0 }
func ra1002()     {}
func ra1003()     {}

func f() {
	ra1001() // want `synthetic ra1001 finding \(RA1001\)`
	ra1002()
	ra1003() // want `synthetic ra1003 finding \(RA1003\)`
}
