package gaps

import "sync"

// GAP 7 (false positive): a method value passed to sync.Once.Do is a
// sync.Once body, like a function literal, but its accesses are reported.

type Config struct {
	mu   sync.Mutex
	once sync.Once
	m    map[string]string // guarded by mu
}

func (c *Config) loadDefaults() {
	c.m = map[string]string{"a": "1"}
}

func (c *Config) Get(k string) string {
	c.once.Do(c.loadDefaults)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}
