package corpusfp

import "sync"

// --- A lock lent to goroutines its holder joins (FP90) ---------------------
// (Shopify/toxiproxy toxic_collection.go: chainAddToxic, called with c.Lock
// held, starts one goroutine per link, wg.Add(1) before each, defer
// wg.Done() in it, and wg.Wait() before the caller's deferred Unlock.) No
// other holder of the lock runs until the goroutines have ended: they run
// under it, and so do the helpers they call.

type joinLink struct {
	set *joinSet
	n   int
}

type joinSet struct {
	mu    sync.Mutex
	chain []int // guarded by mu
	links []*joinLink
	runs  int // guarded by mu
}

func (s *joinSet) Add(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chain = append(s.chain, v)
	s.runs++
	s.addToLinks()
}

func (s *joinSet) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.chain) + s.runs
}

func (s *joinSet) Reset() {
	s.mu.Lock()
	s.chain = nil
	s.runs = 0
	s.mu.Unlock()
}

// Good: the helper runs in goroutines joined under the caller's lock (the
// WaitGroup handed to the literal as a parameter).
func (s *joinSet) addToLinks() {
	wg := sync.WaitGroup{}
	for _, l := range s.links {
		wg.Add(1)
		go func(l *joinLink, wg *sync.WaitGroup) {
			defer wg.Done()
			l.refresh()
		}(l, &wg)
	}
	wg.Wait()
}

func (l *joinLink) refresh() { l.n = len(l.set.chain) }

// Good: the goroutine's own reads, and a write by the one goroutine
// started, Done last.
func (s *joinSet) Snapshot() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(s.links))
	var wg sync.WaitGroup
	for i := range s.links {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i] = len(s.chain)
		}(i)
	}
	wg.Add(1)
	go func() {
		s.runs++
		wg.Done()
	}()
	wg.Wait()
	return out
}

// Good: wg.Go joins by construction.
func (s *joinSet) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	n := 0
	wg.Go(func() {
		n = len(s.chain) + s.runs
	})
	wg.Wait()
	return n
}

// Bad: the goroutines are not waited for; the helper runs after the
// caller's Unlock.
func (s *joinSet) AddAsync(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chain = append(s.chain, v)
	var wg sync.WaitGroup
	for _, l := range s.links {
		wg.Add(1)
		go func(l *joinLink) {
			defer wg.Done()
			l.recount()
		}(l)
	}
}

func (l *joinLink) recount() {
	l.n = len(l.set.chain) // want `chain is guarded by mu .*read \(len\) here without it \(RA1001\)`
}

// Bad: the lock is released before the wait.
func (s *joinSet) AddEarly(v int) {
	s.mu.Lock()
	s.chain = append(s.chain, v)
	var wg sync.WaitGroup
	for _, l := range s.links {
		wg.Add(1)
		go func(l *joinLink) {
			defer wg.Done()
			l.resize()
		}(l)
	}
	s.mu.Unlock()
	wg.Wait()
}

func (l *joinLink) resize() {
	l.n = cap(l.set.chain) // want `chain is guarded by mu .*read \(cap\) here without it \(RA1001\)`
}

// Bad: Done is not on every path of the goroutine (and the WaitGroup is
// handed over as a parameter).
func (s *joinSet) Peek(skip bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	n := 0
	wg.Add(1)
	go func(wg *sync.WaitGroup) {
		if skip {
			wg.Done()
			return
		}
		n = len(s.chain) // want `chain is guarded by mu .*read \(len\) in a goroutine started at line \d+ while mu was held, but the goroutine does not hold it \(RA1005\)`
		wg.Done()
	}(&wg)
	wg.Wait()
	return n
}

// Bad: the count is raised by the goroutine itself, after the Wait may
// have returned.
func (s *joinSet) PeekLate() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	n := 0
	go func() {
		wg.Add(1)
		defer wg.Done()
		n = len(s.chain) // want `chain is guarded by mu .*read \(len\) in a goroutine started at line \d+ while mu was held, but the goroutine does not hold it \(RA1005\)`
	}()
	wg.Wait()
	return n
}

// Bad: goroutines started in a loop write the same field: they race with
// each other inside the section.
func (s *joinSet) Bump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	for range s.links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.runs++ // want `runs is guarded by mu .*`
		}()
	}
	wg.Wait()
}
