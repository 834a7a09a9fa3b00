module github.com/regaudit/regaudit

go 1.26.0

require (
	github.com/golangci/plugin-module-register v0.1.2
	github.com/reviewdog/errorformat v0.0.0-20260721110140-13bff69235f3
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
