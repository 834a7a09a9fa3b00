// Package closecontract tests RA3002 on terminal cleanups whose type or
// method documents that nothing is called after them: the released
// entries left in the collection are never reached again.
package closecontract

import (
	"context"
	"sync"
)

// Watcher watches names. No method may be called after Close.
type Watcher struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
}

// Watch starts watching name.
func (w *Watcher) Watch(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.cancels[name]; ok {
		return
	}
	_, cancel := context.WithCancel(context.Background())
	w.cancels[name] = cancel
}

// Unwatch stops watching name.
func (w *Watcher) Unwatch(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cancel, ok := w.cancels[name]; ok {
		cancel()
		delete(w.cancels, name)
	}
}

// Close cancels every watch.
func (w *Watcher) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, cancel := range w.cancels {
		cancel()
	}
}

// Handler handles routes.
type Handler struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
}

// Watch starts watching name.
func (h *Handler) Watch(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.cancels[name]; ok {
		return
	}
	_, cancel := context.WithCancel(context.Background())
	h.cancels[name] = cancel
}

// Unwatch stops watching name.
func (h *Handler) Unwatch(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if cancel, ok := h.cancels[name]; ok {
		cancel()
		delete(h.cancels, name)
	}
}

// Close cancels every watch. The Handler must not be used after Close.
func (h *Handler) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, cancel := range h.cancels {
		cancel()
	}
}

// Plain has no such contract.
type Plain struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
}

// Watch starts watching name.
func (p *Plain) Watch(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.cancels[name]; ok {
		return
	}
	_, cancel := context.WithCancel(context.Background())
	p.cancels[name] = cancel
}

// Unwatch stops watching name.
func (p *Plain) Unwatch(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cancel, ok := p.cancels[name]; ok {
		cancel()
		delete(p.cancels, name)
	}
}

// Close cancels every watch; it is called when the listener is closed.
// Buffers must not be reused after Flush.
func (p *Plain) Close() { // want `cleanup Close releases the entries of cancels \(line 116\) but leaves them in the collection, where Watch still finds them \(line 93\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, cancel := range p.cancels {
		cancel()
	}
}
