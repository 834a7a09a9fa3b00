package corpusfp

import (
	"container/heap"
	"sort"
	"sync"
)

// --- FP70: sort.Sort(x) and the container/heap functions call x's Len,
// Less, Swap (Push, Pop) before they return, so they are call sites of
// those methods, with the locks held there (badger's discardStats: Len
// reads lf.nextEmptySlot, sorted by sort.Sort(lf) in Update under lf.Lock
// and in InitDiscardStats before the value is returned).
type slotStats struct {
	sync.Mutex
	slots []uint64
	next  int
}

func newSlotStats(n int) *slotStats {
	s := &slotStats{slots: make([]uint64, n)}
	for i := range s.slots {
		if s.slots[i] == 0 {
			s.next = i
			break
		}
	}
	sort.Sort(s)
	return s
}

func (s *slotStats) Len() int           { return s.next }
func (s *slotStats) Less(i, j int) bool { return s.slots[i] < s.slots[j] }
func (s *slotStats) Swap(i, j int)      { s.slots[i], s.slots[j] = s.slots[j], s.slots[i] }

func (s *slotStats) Add(v uint64) {
	s.Lock()
	defer s.Unlock()
	s.slots[s.next] = v
	s.next++
	sort.Sort(s)
}

func (s *slotStats) Max() uint64 {
	s.Lock()
	defer s.Unlock()
	if s.next == 0 {
		return 0
	}
	return s.slots[s.next-1]
}

func (s *slotStats) Count() int {
	s.Lock()
	defer s.Unlock()
	return s.next
}

// Positive control: the same type, also sorted by a method that does not
// take the lock: the methods sort.Sort calls run unguarded there.
type slotStats2 struct {
	sync.Mutex
	slots []uint64
	next  int
}

func (s *slotStats2) Len() int           { return s.next } // want `next is guarded by Mutex`
func (s *slotStats2) Less(i, j int) bool { return s.slots[i] < s.slots[j] }
func (s *slotStats2) Swap(i, j int)      { s.slots[i], s.slots[j] = s.slots[j], s.slots[i] }

func (s *slotStats2) Add(v uint64) {
	s.Lock()
	defer s.Unlock()
	s.slots[s.next] = v
	s.next++
	sort.Sort(s)
}

func (s *slotStats2) Resort() {
	sort.Sort(s)
}

func (s *slotStats2) Max() uint64 {
	s.Lock()
	defer s.Unlock()
	if s.next == 0 {
		return 0
	}
	return s.slots[s.next-1]
}

func (s *slotStats2) Count() int {
	s.Lock()
	defer s.Unlock()
	return s.next
}

// The heap variant: heap.Push and heap.Pop call the queue's methods, under
// the queue's lock.
type timerQueue struct {
	mu     sync.Mutex
	items  []int64
	pushes int
}

func (q *timerQueue) Len() int           { return len(q.items) }
func (q *timerQueue) Less(i, j int) bool { return q.items[i] < q.items[j] }
func (q *timerQueue) Swap(i, j int)      { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *timerQueue) Push(x any) {
	q.items = append(q.items, x.(int64))
	q.pushes++
}
func (q *timerQueue) Pop() any {
	old := q.items
	n := len(old)
	x := old[n-1]
	q.items = old[:n-1]
	return x
}

func (q *timerQueue) Add(t int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	heap.Push(q, t)
}

func (q *timerQueue) Next() (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return 0, false
	}
	return heap.Pop(q).(int64), true
}

func (q *timerQueue) Peek() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.items[0]
}

func (q *timerQueue) Pushes() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushes
}

func (q *timerQueue) Reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pushes = 0
}

func (q *timerQueue) Busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushes > 100
}

// Positive control: a queue counting its pushes, also pushed to by a
// method that does not take the lock.
type timerQueue2 struct {
	mu     sync.Mutex
	items  []int64
	pushes int
}

func (q *timerQueue2) Len() int           { return len(q.items) }
func (q *timerQueue2) Less(i, j int) bool { return q.items[i] < q.items[j] }
func (q *timerQueue2) Swap(i, j int)      { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *timerQueue2) Push(x any) {
	q.items = append(q.items, x.(int64))
	q.pushes++ // want `pushes is guarded by mu`
}
func (q *timerQueue2) Pop() any {
	old := q.items
	n := len(old)
	x := old[n-1]
	q.items = old[:n-1]
	return x
}

func (q *timerQueue2) Add(t int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	heap.Push(q, t)
}

func (q *timerQueue2) Preload(t int64) {
	heap.Push(q, t)
}

func (q *timerQueue2) Pushes() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushes
}

func (q *timerQueue2) Reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pushes = 0
}

func (q *timerQueue2) Busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushes > 100
}
