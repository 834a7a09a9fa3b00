package lockstate

import (
	"encoding/binary"
	"errors"
)

// Facts in their own encoding.
//
// go vet encodes every fact of a package, and those of its dependencies it
// re-exports, with encoding/gob, and decodes its imports' facts, in every
// unit. gob describes each struct type in each stream and compiles a
// decoder for it per stream (one per imported package): the facts'
// nested types (RelLock, Callback, LockSite) cost more there than their
// values. The fact types implement gob.GobEncoder with the small codec
// below, so that gob sees one opaque byte slice per fact. Decoding gives
// what gob would: nil for an empty slice.

// An Enc appends a fact's fields to a byte slice.
type Enc struct{ b []byte }

// Bytes returns the encoding.
func (e *Enc) Bytes() []byte { return e.b }

func (e *Enc) Int(v int) { e.b = binary.AppendVarint(e.b, int64(v)) }

func (e *Enc) String(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *Enc) Bool(v bool) {
	if v {
		e.Int(1)
	} else {
		e.Int(0)
	}
}

func (e *Enc) Ints(vs []int) {
	e.Int(len(vs))
	for _, v := range vs {
		e.Int(v)
	}
}

func (e *Enc) Rel(r RelLock) {
	e.Int(r.Param)
	e.String(r.Pkg)
	e.String(r.Var)
	e.String(r.Path)
	e.Int(int(r.Mode))
}

func (e *Enc) Rels(rs []RelLock) {
	e.Int(len(rs))
	for _, r := range rs {
		e.Rel(r)
	}
}

// A Dec reads what an Enc wrote; its first error sticks.
type Dec struct {
	b   []byte
	Err error
}

// NewDec returns a decoder of b.
func NewDec(b []byte) *Dec { return &Dec{b: b} }

var errBadFact = errors.New("regaudit: malformed fact encoding")

func (d *Dec) fail() { d.Err, d.b = errBadFact, nil }

func (d *Dec) Int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// Len reads a length, bounded by what is left to read.
func (d *Dec) Len() int {
	n := d.Int()
	if n < 0 || n > len(d.b) {
		d.fail()
		return 0
	}
	return n
}

func (d *Dec) String() string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.fail()
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}

func (d *Dec) Bool() bool { return d.Int() != 0 }

func (d *Dec) Ints() []int {
	n := d.Len()
	if n == 0 {
		return nil
	}
	vs := make([]int, n)
	for i := range vs {
		vs[i] = d.Int()
	}
	return vs
}

func (d *Dec) Rel() RelLock {
	var r RelLock
	r.Param = d.Int()
	r.Pkg = d.String()
	r.Var = d.String()
	r.Path = d.String()
	r.Mode = Mode(d.Int())
	return r
}

func (d *Dec) Rels() []RelLock {
	n := d.Len()
	if n == 0 {
		return nil
	}
	rs := make([]RelLock, n)
	for i := range rs {
		rs[i] = d.Rel()
	}
	return rs
}

// Done returns the first error, or an error if bytes are left.
func (d *Dec) Done() error {
	if d.Err == nil && len(d.b) > 0 {
		d.fail()
	}
	return d.Err
}

// GobEncode implements gob.GobEncoder.
func (s *Summary) GobEncode() ([]byte, error) {
	var e Enc
	e.Rels(s.Acquires)
	e.Rels(s.Releases)
	e.Rels(s.AcquiresOnSuccess)
	e.Rels(s.Requires)
	e.Int(len(s.Callbacks))
	for _, cb := range s.Callbacks {
		e.Int(cb.Param)
		e.Rels(cb.Held)
	}
	e.Ints(s.Goes)
	e.Ints(s.Stores)
	e.Bool(s.RequiresAny)
	e.Ints(s.Owns)
	return e.Bytes(), nil
}

// GobDecode implements gob.GobDecoder.
func (s *Summary) GobDecode(b []byte) error {
	d := NewDec(b)
	*s = Summary{}
	s.Acquires = d.Rels()
	s.Releases = d.Rels()
	s.AcquiresOnSuccess = d.Rels()
	s.Requires = d.Rels()
	if n := d.Len(); n > 0 {
		s.Callbacks = make([]Callback, n)
		for i := range s.Callbacks {
			s.Callbacks[i].Param = d.Int()
			s.Callbacks[i].Held = d.Rels()
		}
	}
	s.Goes = d.Ints()
	s.Stores = d.Ints()
	s.RequiresAny = d.Bool()
	s.Owns = d.Ints()
	return d.Done()
}
