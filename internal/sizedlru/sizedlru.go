// Package sizedlru is a least-recently-used cache bounded by the bytes its
// values take rather than by their number, for caches whose values vary
// in size: the response cache's answers, GraphQL's article fragments.
package sizedlru

import (
	"container/list"
	"sync"
)

// Cache holds values of V under keys of K, at most limit bytes of them as
// size counts them; adding past the limit drops the least recently used.
// It is safe for concurrent use.
type Cache[K comparable, V comparable] struct {
	limit, maxValue int64
	size            func(V) int64
	evicted         func(K, V)

	mu    sync.Mutex
	items map[K]*list.Element
	order list.List // of *item; front: most recently used
	bytes int64
}

type item[K comparable, V comparable] struct {
	key   K
	value V
	size  int64
}

// New returns a cache of at most limit bytes that keeps no value larger
// than maxValue (so that one value cannot crowd out the rest).
func New[K comparable, V comparable](limit, maxValue int64, size func(V) int64) *Cache[K, V] {
	return NewEvicting[K](limit, maxValue, size, nil)
}

// NewEvicting is New with evicted called for each value Add drops to stay
// within the limit (not for one it replaces), under the cache's lock:
// for a cache that keeps an index of its own beside it.
func NewEvicting[K comparable, V comparable](limit, maxValue int64, size func(V) int64, evicted func(K, V)) *Cache[K, V] {
	return &Cache[K, V]{limit: limit, maxValue: maxValue, size: size, evicted: evicted, items: map[K]*list.Element{}}
}

// Get returns the value under k, now the most recently used.
func (c *Cache[K, V]) Get(k K) (v V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return v, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*item[K, V]).value, true
}

// Add keeps v under k in place of what k held, then drops the least
// recently used values until the cache is within its limit. It keeps
// nothing, and reports false, for a value larger than maxValue.
func (c *Cache[K, V]) Add(k K, v V) bool {
	it := &item[K, V]{key: k, value: v, size: c.size(v)}
	if it.size > c.maxValue {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items[k]; ok {
		c.remove(old)
	}
	c.items[k] = c.order.PushFront(it)
	c.bytes += it.size
	for c.bytes > c.limit {
		el := c.order.Back()
		c.remove(el)
		if c.evicted != nil {
			it := el.Value.(*item[K, V])
			c.evicted(it.key, it.value)
		}
	}
	return true
}

// Remove drops v from under k if k still holds it (another caller may
// have put a newer value there meanwhile).
func (c *Cache[K, V]) Remove(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok && el.Value.(*item[K, V]).value == v {
		c.remove(el)
	}
}

// Bytes returns the bytes held.
func (c *Cache[K, V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func (c *Cache[K, V]) remove(el *list.Element) {
	it := el.Value.(*item[K, V])
	c.order.Remove(el)
	delete(c.items, it.key)
	c.bytes -= it.size
}
