package stamp

import (
	"fmt"
	"io"
	"log/slog"
)

// String returns a description of the key that shows its curve and public
// key only, never the private key.
func (k *APIKey) String() string {
	if k == nil {
		return "<nil>"
	}
	return "APIKey{curve: " + string(k.curve) + ", publicKey: " + k.pub + "}"
}

// GoString is like String, in Go syntax; it is used by %#v.
func (k *APIKey) GoString() string {
	if k == nil {
		return "(*stamp.APIKey)(nil)"
	}
	return `&stamp.APIKey{curve: "` + string(k.curve) + `", publicKey: "` + k.pub + `"}`
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %s, %q, %x,
// ...) prints String, and %#v prints GoString: an APIKey never prints its
// private key.
func (k *APIKey) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, k.GoString())
		return
	}
	_, _ = io.WriteString(f, k.String())
}

// LogValue implements slog.LogValuer: a logged APIKey is a group of its curve
// and public key.
func (k *APIKey) LogValue() slog.Value {
	if k == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.String("curve", string(k.curve)),
		slog.String("publicKey", k.pub),
	)
}
