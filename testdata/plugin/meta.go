package demo

// Findings of the meta check RA9001, which exist whatever the core finds.

func noReason() int {
	//regaudit:ignore RA1001
	return 1
}

func unknownCheck() int {
	//regaudit:ignore RA1999 no such check
	return 2
}

func silencedByNolint() int {
	//nolint:regaudit // demo: golangci-lint must honour this for the whole group
	//regaudit:ignore RA1002
	return 3
}

func utf8Line() string {
	s := "é😀" //regaudit:ignore RA1001
	return s
}
