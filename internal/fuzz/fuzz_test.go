package fuzz

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// check runs regaudit twice on src and fails on an analyzer error or on
// output that differs between the runs. A panic fails the test by itself.
// It reports whether src was a valid package.
func check(t *testing.T, src string) bool {
	t.Helper()
	first, ok, err := analyze(regaudit.Analyzer, src)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("analyzer error: %v\n--- source:\n%s", err, src)
	}
	second, _, err := analyze(regaudit.Analyzer, src)
	if err != nil {
		t.Fatalf("analyzer error on the second run: %v\n--- source:\n%s", err, src)
	}
	if !slices.Equal(first, second) {
		t.Fatalf("nondeterministic output:\n--- first run:\n%s\n--- second run:\n%s\n--- source:\n%s",
			strings.Join(first, "\n"), strings.Join(second, "\n"), src)
	}
	return true
}

var generatedSeeds = [][]byte{
	nil,
	[]byte("\x00\x00\x00\x03\x05\x04\x06\x00\x05\x01"),
	[]byte("\x01\x01\x01\x03\x05\x02\x05\x00\x06\x03\x03\x05\x01"),
	[]byte("\x00\x01\x00\x02\x05\x0d\x04\x04\x06\x00\x05\x00\x06\x01"),
	[]byte("\x01\x00\x01\x03\x05\x0e\x03\x00\x06\x02\x01\x10\x13\x02"),
	[]byte("\x00\x00\x00\x01\x05\x09\x05\x00\x04\x06\x00\x01\x05\x01\x06\x01\x01"),
	[]byte("\x01\x01\x00\x02\x05\x0a\x05\x04\x06\x00\x11\x01\x06\x02\x0b\x03\x05\x00"),
	[]byte("\x00\x00\x01\x03\x05\x0f\x02\x03\x00\x06\x00\x05\x04\x12\x02\x01\x06\x05"),
	[]byte("\x01\x00\x00\x02\x05\x16\x04\x00\x06\x00\x14\x15\x17\x03\x06\x03\x05\x01\x08"),
	[]byte("registry with a mutex, maps, loops and goroutines: lock it, unlock it"),
}

// FuzzGenerated generates a registry-like package from the fuzz input (see
// generate) and checks regaudit on it.
func FuzzGenerated(f *testing.F) {
	for _, s := range generatedSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := generate(data)
		if !check(t, src) {
			t.Fatalf("generator produced an invalid package:\n%s", src)
		}
	})
}

// FuzzSource checks regaudit on mutated Go source. Inputs that do not
// parse or type-check are skipped; the seeds are registry-shaped packages.
func FuzzSource(f *testing.F) {
	for _, s := range sourceSeeds {
		f.Add(s)
	}
	for _, s := range generatedSeeds[1:5] {
		f.Add(generate(s))
	}
	f.Fuzz(func(t *testing.T, src string) {
		if strings.Contains(src, "import \"C\"") {
			return
		}
		check(t, src)
	})
}

// TestGeneratorValid makes sure the generator only produces valid packages
// (otherwise FuzzGenerated would waste its time) and runs regaudit on a few
// hundred of them.
func TestGeneratorValid(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		data := make([]byte, rng.Intn(200))
		rng.Read(data)
		src := generate(data)
		if !check(t, src) {
			t.Fatalf("input %q: invalid package:\n%s", data, src)
		}
	}
}

var sourceSeeds = []string{
	`package p

import "sync"

type Registry struct {
	mu       sync.Mutex
	backends map[string]int
}

func (r *Registry) Add(name string, b int) bool {
	if _, dup := r.backends[name]; dup {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backends[name] = b
	return true
}

func (r *Registry) Get(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.backends[name]
}
`,
	`package p

import "sync"

type Cache struct {
	mu   sync.RWMutex
	hits map[string]int // guarded by mu
}

func (c *Cache) Touch(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits[k]++
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	v := c.hits[k]
	c.mu.RUnlock()
	return v
}
`,
	`package p

import "sync"

var (
	mu      sync.Mutex
	drivers = map[string]func() int{}
)

func Register(name string, f func() int) {
	mu.Lock()
	defer mu.Unlock()
	if f == nil {
		panic("nil driver")
	}
	drivers[name] = f
}

func Open(name string) int {
	f := drivers[name]
	return f()
}

func Each(fn func(string)) {
	mu.Lock()
	names := make([]string, 0, len(drivers))
	for n := range drivers {
		names = append(names, n)
	}
	mu.Unlock()
	for _, n := range names {
		fn(n)
	}
	go func() {
		mu.Lock()
		defer mu.Unlock()
		delete(drivers, "x")
	}()
}
`,
	`package p

import "sync"

type Server struct {
	sync.Mutex
	conns map[int]bool
	done  chan struct{}
}

func (s *Server) Add(id int) {
	s.Lock()
	defer s.Unlock()
	s.conns[id] = true
	go func() {
		for range s.done {
			s.conns[id] = false
		}
	}()
}

func (s *Server) Close() {
	s.Lock()
	for id := range s.conns {
		if id < 0 {
			s.Unlock()
			return
		}
		delete(s.conns, id)
	}
	s.Unlock()
}
`,
	`package p

import "sync"

type pool[T any] struct {
	mu    sync.Mutex
	items []T
}

func (p *pool[T]) Put(x T) {
	p.mu.Lock()
	p.items = append(p.items, x)
	p.mu.Unlock()
}

func (p *pool[T]) Get() (x T, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.items) == 0 {
		return x, false
	}
	x = p.items[len(p.items)-1]
	p.items = p.items[:len(p.items)-1]
	return x, true
}

func (p *pool[T]) Len() int { return len(p.items) }
`,
}
