// Package wrr is an internal weighted round robin.
package wrr

// WRR picks items by weight.
type WRR interface {
	Add(item any, weight int64)
	Next() any
}
