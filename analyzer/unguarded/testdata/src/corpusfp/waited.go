package corpusfp

import (
	"sync"
	"time"
)

// --- A goroutine its starter waits for, holding the lock (FP63) ---------
// (lib/pq notify.go:676: resync, called with l.lock held, ranges over
// l.channels in a goroutine and returns only once it received the
// goroutine's result; go-redis sentinel.go:1085: holding c.mu, one
// goroutine per address, then wg.Wait.) The goroutine runs inside its
// starter's critical section: no other holder of the lock runs meanwhile.

type pqListener struct {
	lock     sync.Mutex
	channels map[string]bool // guarded by lock
	addrs    []string        // guarded by lock
}

func listen(string) error { return nil }

func (l *pqListener) Listen(ch string) {
	l.lock.Lock()
	defer l.lock.Unlock()
	l.channels[ch] = true
}

func (l *pqListener) Connect() error {
	l.lock.Lock()
	defer l.lock.Unlock()
	return l.resync()
}

func (l *pqListener) resync() error {
	doneChan := make(chan error)
	notifications := make(chan int)
	go func() {
		for ch := range l.channels {
			if err := listen(ch); err != nil {
				doneChan <- err
				return
			}
		}
		doneChan <- nil
	}()
	for {
		select {
		case _, ok := <-notifications:
			if !ok {
				notifications = nil
			}
		case err := <-doneChan:
			return err
		}
	}
}

func (l *pqListener) Lookup() string {
	l.lock.Lock()
	defer l.lock.Unlock()
	var (
		wg    sync.WaitGroup
		first string
		once  sync.Once
	)
	for _, addr := range l.addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			if listen(addr) == nil && len(l.addrs) > 0 {
				once.Do(func() { first = addr })
			}
		}(addr)
	}
	wg.Wait()
	return first
}

// Bad: a select case that gives up waiting returns, releasing the caller's
// lock while the goroutine still reads.
func (l *pqListener) Reconnect() error {
	l.lock.Lock()
	defer l.lock.Unlock()
	return l.resyncTimeout()
}

func (l *pqListener) resyncTimeout() error {
	doneChan := make(chan error)
	go func() {
		for ch := range l.channels { // want `channels is guarded by lock .*ranged over in a goroutine started at line \d+ while lock was held, but the goroutine does not hold it \(RA1005\)`
			if err := listen(ch); err != nil {
				doneChan <- err
				return
			}
		}
		doneChan <- nil
	}()
	select {
	case err := <-doneChan:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// Bad: the lock is released before the wait.
func (l *pqListener) LookupEarly() {
	l.lock.Lock()
	var wg sync.WaitGroup
	for _, addr := range l.addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			_ = listen(addr)
			_ = len(l.addrs) // want `addrs is guarded by lock .*read \(len\) in a goroutine started at line \d+ while lock was held, but the goroutine does not hold it \(RA1005\)`
		}(addr)
	}
	l.lock.Unlock()
	wg.Wait()
}

// Bad: the starter writes the field while the goroutines read it.
func (l *pqListener) LookupAndReset() {
	l.lock.Lock()
	defer l.lock.Unlock()
	var wg sync.WaitGroup
	for _, addr := range l.addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			_ = len(l.addrs) // want `addrs is guarded by lock .*read \(len\) in a goroutine started at line \d+ while lock was held, but the goroutine does not hold it \(RA1005\)`
		}(addr)
	}
	l.addrs = nil
	wg.Wait()
}

// Bad: a goroutine with an exit that does not signal.
func (l *pqListener) resyncLeaky() error {
	doneChan := make(chan error)
	go func() {
		for ch := range l.channels { // want `channels is guarded by lock .*ranged over in a goroutine started at line \d+ while lock was held, but the goroutine does not hold it \(RA1005\)`
			if listen(ch) != nil {
				return
			}
		}
		doneChan <- nil
	}()
	return <-doneChan
}

func (l *pqListener) ConnectLeaky() error {
	l.lock.Lock()
	defer l.lock.Unlock()
	return l.resyncLeaky()
}
