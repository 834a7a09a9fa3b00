package corpusfp

import (
	"errors"
	"sync"
)

// --- FP122 (tidwall/buntdb Begin): tx := &bTx{db: db} sets tx.db, once,
// to db, and nothing in the function sets it again: tx.db is db, so the
// lock tx.lock() takes on tx.db.mu is db.mu, the guard of db.closed.
type bDB struct {
	mu     sync.RWMutex
	closed bool // guarded by mu
	keys   map[string]string
}

type bTx struct {
	db       *bDB
	writable bool
}

func (tx *bTx) lock() {
	if tx.writable {
		tx.db.mu.Lock()
	} else {
		tx.db.mu.RLock()
	}
}

func (tx *bTx) unlock() {
	if tx.writable {
		tx.db.mu.Unlock()
	} else {
		tx.db.mu.RUnlock()
	}
}

func (db *bDB) Close() {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.closed = true
}

func (db *bDB) Begin(writable bool) (*bTx, error) {
	tx := &bTx{db: db, writable: writable}
	tx.lock()
	if db.closed {
		tx.unlock()
		return nil, errors.New("closed")
	}
	return tx, nil
}

// BeginOn sets tx.db to another database: reported.
func (db *bDB) BeginOn(other *bDB) (*bTx, error) {
	tx := &bTx{db: other}
	tx.lock()
	if db.closed { // want `closed is guarded by mu .*; read here with tx\.db\.mu held instead \(RA1004\)`
		tx.unlock()
		return nil, errors.New("closed")
	}
	return tx, nil
}

// BeginSwap sets tx.db again before locking: reported.
func (db *bDB) BeginSwap(other *bDB) (*bTx, error) {
	tx := &bTx{db: db}
	tx.db = other
	tx.lock()
	if db.closed { // want `closed is guarded by mu .*; read here with tx\.db\.mu held instead \(RA1004\)`
		tx.unlock()
		return nil, errors.New("closed")
	}
	return tx, nil
}
