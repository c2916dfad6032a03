package eth

import (
	"errors"
	"fmt"
	"math/big"
)

// ErrRLP: the bytes are not canonical RLP of the expected shape.
var ErrRLP = errors.New("eth: invalid RLP")

// item is a decoded RLP item: a byte string, or a list of items.
type item struct {
	list  []item
	str   []byte
	isStr bool
}

// decodeRLP decodes exactly one canonical RLP item filling b.
func decodeRLP(b []byte) (item, error) {
	it, rest, err := decodeItem(b, 0)
	if err != nil {
		return item{}, err
	}
	if len(rest) != 0 {
		return item{}, fmt.Errorf("%w: %d bytes after the item", ErrRLP, len(rest))
	}
	return it, nil
}

const maxDepth = 16

func decodeItem(b []byte, depth int) (item, []byte, error) {
	if depth > maxDepth {
		return item{}, nil, fmt.Errorf("%w: nested deeper than %d", ErrRLP, maxDepth)
	}
	if len(b) == 0 {
		return item{}, nil, fmt.Errorf("%w: unexpected end", ErrRLP)
	}
	p := b[0]
	switch {
	case p < 0x80:
		return item{str: b[:1], isStr: true}, b[1:], nil
	case p <= 0xb7:
		n := int(p - 0x80)
		if len(b) < 1+n {
			return item{}, nil, fmt.Errorf("%w: string longer than the input", ErrRLP)
		}
		if n == 1 && b[1] < 0x80 {
			return item{}, nil, fmt.Errorf("%w: non-canonical single byte", ErrRLP)
		}
		return item{str: b[1 : 1+n], isStr: true}, b[1+n:], nil
	case p <= 0xbf:
		n, hdr, err := longLength(b, int(p-0xb7))
		if err != nil {
			return item{}, nil, err
		}
		return item{str: b[hdr : hdr+n], isStr: true}, b[hdr+n:], nil
	case p <= 0xf7:
		n := int(p - 0xc0)
		if len(b) < 1+n {
			return item{}, nil, fmt.Errorf("%w: list longer than the input", ErrRLP)
		}
		l, err := decodeList(b[1:1+n], depth)
		return l, b[1+n:], err
	default:
		n, hdr, err := longLength(b, int(p-0xf7))
		if err != nil {
			return item{}, nil, err
		}
		l, err := decodeList(b[hdr:hdr+n], depth)
		return l, b[hdr+n:], err
	}
}

// longLength reads the ll-byte big-endian length after the prefix byte.
func longLength(b []byte, ll int) (n, hdr int, err error) {
	if len(b) < 1+ll {
		return 0, 0, fmt.Errorf("%w: truncated length", ErrRLP)
	}
	if b[1] == 0 {
		return 0, 0, fmt.Errorf("%w: length with leading zero", ErrRLP)
	}
	for _, c := range b[1 : 1+ll] {
		if n > 1<<24 {
			return 0, 0, fmt.Errorf("%w: length too large", ErrRLP)
		}
		n = n<<8 | int(c)
	}
	if n <= 55 {
		return 0, 0, fmt.Errorf("%w: long form for a short length", ErrRLP)
	}
	if len(b) < 1+ll+n {
		return 0, 0, fmt.Errorf("%w: item longer than the input", ErrRLP)
	}
	return n, 1 + ll, nil
}

func decodeList(b []byte, depth int) (item, error) {
	l := item{list: []item{}}
	for len(b) > 0 {
		it, rest, err := decodeItem(b, depth+1)
		if err != nil {
			return item{}, err
		}
		l.list = append(l.list, it)
		b = rest
	}
	return l, nil
}

// appendString appends the RLP encoding of byte string s.
func appendString(dst, s []byte) []byte {
	if len(s) == 1 && s[0] < 0x80 {
		return append(dst, s[0])
	}
	return append(appendHeader(dst, 0x80, len(s)), s...)
}

// appendHeader appends the prefix of a string (base 0x80) or list (0xc0)
// of n bytes.
func appendHeader(dst []byte, base byte, n int) []byte {
	if n <= 55 {
		return append(dst, base+byte(n))
	}
	var lb []byte
	for v := n; v > 0; v >>= 8 {
		lb = append([]byte{byte(v)}, lb...)
	}
	return append(append(dst, base+55+byte(len(lb))), lb...)
}

// appendList appends the RLP list of the already encoded items.
func appendList(dst []byte, encoded ...[]byte) []byte {
	n := 0
	for _, e := range encoded {
		n += len(e)
	}
	dst = appendHeader(dst, 0xc0, n)
	for _, e := range encoded {
		dst = append(dst, e...)
	}
	return dst
}

func encBig(v *big.Int) []byte {
	if v == nil {
		return appendString(nil, nil)
	}
	return appendString(nil, v.Bytes())
}

func encUint(v uint64) []byte { return encBig(new(big.Int).SetUint64(v)) }

func encBytes(b []byte) []byte { return appendString(nil, b) }

// field names a field in errors.
func (it item) bytes(field string) ([]byte, error) {
	if !it.isStr {
		return nil, fmt.Errorf("%w: %s must be a byte string, got a list", ErrRLP, field)
	}
	return it.str, nil
}

// bigInt reads a canonical unsigned integer of at most 32 bytes.
func (it item) bigInt(field string) (*big.Int, error) {
	b, err := it.bytes(field)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 && b[0] == 0 {
		return nil, fmt.Errorf("%w: %s has a leading zero byte", ErrRLP, field)
	}
	if len(b) > 32 {
		return nil, fmt.Errorf("%w: %s is larger than 256 bits", ErrRLP, field)
	}
	return new(big.Int).SetBytes(b), nil
}

func (it item) uint64(field string) (uint64, error) {
	v, err := it.bigInt(field)
	if err != nil {
		return 0, err
	}
	if !v.IsUint64() {
		return 0, fmt.Errorf("%w: %s is larger than 64 bits", ErrRLP, field)
	}
	return v.Uint64(), nil
}
