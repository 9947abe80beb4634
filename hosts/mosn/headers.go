// The header maps this proxy hands the library (common.HeaderMap), and the ABI's map
// serialization for the map properties.
package main

import (
	"encoding/binary"
	"sort"
	"strings"

	"mosn.io/proxy-wasm-go-host/proxywasm/common"
)

// headerMap is an ordered multimap with lowercase names, as HTTP/2 carries them.
type headerMap struct {
	pairs [][2]string
}

func newHeaderMap(h Headers) *headerMap {
	m := &headerMap{}
	for _, p := range h {
		m.pairs = append(m.pairs, [2]string{strings.ToLower(p[0]), p[1]})
	}
	return m
}

func (m *headerMap) Get(key string) (string, bool) {
	key = strings.ToLower(key)
	for _, p := range m.pairs {
		if p[0] == key {
			return p[1], true
		}
	}
	return "", false
}

// Set replaces the first pair of the name and drops the others (appends when absent).
func (m *headerMap) Set(key, value string) {
	key = strings.ToLower(key)
	out := m.pairs[:0]
	done := false
	for _, p := range m.pairs {
		if p[0] != key {
			out = append(out, p)
		} else if !done {
			out = append(out, [2]string{key, value})
			done = true
		}
	}
	if !done {
		out = append(out, [2]string{key, value})
	}
	m.pairs = out
}

func (m *headerMap) Add(key, value string) {
	m.pairs = append(m.pairs, [2]string{strings.ToLower(key), value})
}

func (m *headerMap) Del(key string) {
	key = strings.ToLower(key)
	out := m.pairs[:0]
	for _, p := range m.pairs {
		if p[0] != key {
			out = append(out, p)
		}
	}
	m.pairs = out
}

func (m *headerMap) Range(f func(key, value string) bool) {
	for _, p := range m.pairs {
		if !f(p[0], p[1]) {
			return
		}
	}
}

func (m *headerMap) Clone() common.HeaderMap {
	return &headerMap{pairs: append([][2]string(nil), m.pairs...)}
}

func (m *headerMap) ByteSize() uint64 {
	var n uint64
	for _, p := range m.pairs {
		n += uint64(len(p[0]) + len(p[1]))
	}
	return n
}

func (m *headerMap) headers() Headers {
	out := Headers{}
	for _, p := range m.pairs {
		out = append(out, p)
	}
	return out
}

// sortedHeaders turns a map the library decoded (a Go map: no order) into pairs in
// name order, so what is reported does not change from run to run.
func sortedHeaders(h common.HeaderMap) Headers {
	out := Headers{}
	if h == nil {
		return out
	}
	h.Range(func(k, v string) bool {
		out = append(out, [2]string{k, v})
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// integer is an integer property: 8 bytes, little-endian.
func integer(n uint64) string {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, n)
	return string(b)
}

// pairsBytes is the ABI's map serialization: the count, each name's and value's
// length, then each name and value followed by a NUL.
func pairsBytes(pairs [][2]string) []byte {
	b := make([]byte, 4+8*len(pairs))
	binary.LittleEndian.PutUint32(b, uint32(len(pairs)))
	for i, p := range pairs {
		binary.LittleEndian.PutUint32(b[4+8*i:], uint32(len(p[0])))
		binary.LittleEndian.PutUint32(b[8+8*i:], uint32(len(p[1])))
	}
	for _, p := range pairs {
		b = append(append(append(append(b, p[0]...), 0), p[1]...), 0)
	}
	return b
}
