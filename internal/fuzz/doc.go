// Package fuzz holds robustness tests of the regaudit analyzer: fuzz targets
// that generate and mutate small registry-like Go packages and fail on a
// panic, an analyzer error or nondeterministic output, and benchmarks on
// pathological input (thousands of branches, deeply nested closures, huge
// switches). Everything is in the test files; see bench/README.md.
//
//	go test ./internal/fuzz                          # seed corpus, quick
//	go test ./internal/fuzz -run='^$' -fuzz=FuzzGenerated -fuzztime=5m
//	go test ./internal/fuzz -run='^$' -bench=Pathological
package fuzz
