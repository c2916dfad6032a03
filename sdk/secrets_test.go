package sdk_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/davecgh/go-spew/spew"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// secretHolder is one value of a type that holds a secret, with the secret
// bytes that must never be printed and a second, different value of the
// same type (for testify's diff).
type secretHolder struct {
	name    string
	value   any // a pointer
	other   any // another pointer of the same type
	deref   func(any) any
	secrets [][]byte
}

// TestSecretsNeverPrinted: no fmt verb, slog handler, encoding/json, go-spew
// configuration or testify diff shows the secret of any secret-holding type,
// in any encoding: hex (either case, spaced), base64 (std, URL, raw),
// decimal byte lists, big-integer decimal, or 32- and 64-bit words.
func TestSecretsNeverPrinted(t *testing.T) {
	for _, h := range secretHolders(t) {
		t.Run(h.name, func(t *testing.T) {
			patterns := leakPatterns(h.secrets)
			for _, d := range dumpers() {
				for form, v := range map[string]any{"pointer": h.value, "value": h.deref(h.value), "in struct": holderOf(h.value), "in slice": []any{h.value}} {
					out := d.dump(v, h.other)
					for _, p := range patterns {
						if strings.Contains(out, p.text) {
							t.Errorf("%s of the %s shows the secret (%s %q) in:\n%s", d.name, form, p.encoding, p.text, out)
							break
						}
					}
				}
			}
		})
	}
}

// holderOf puts v behind exported and unexported fields, where fmt cannot
// call its methods.
func holderOf(v any) any {
	return struct {
		Exported   any
		unexported any
	}{v, v}
}

type dumper struct {
	name string
	dump func(v, other any) string
}

func dumpers() []dumper {
	var ds []dumper
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%o", "%b", "%T", "%p"} {
		ds = append(ds, dumper{"fmt " + verb, func(v, _ any) string { return fmt.Sprintf(verb, v) }})
	}
	ds = append(ds,
		dumper{"fmt.Sprint", func(v, _ any) string { return fmt.Sprint(v) + fmt.Sprintln(v) }},
		dumper{"slog text", func(v, _ any) string {
			var b bytes.Buffer
			slog.New(slog.NewTextHandler(&b, nil)).Info("m", "v", v, slog.Any("any", v))
			return b.String()
		}},
		dumper{"slog JSON", func(v, _ any) string {
			var b bytes.Buffer
			slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "v", v, slog.Any("any", v))
			return b.String()
		}},
		dumper{"encoding/json", func(v, _ any) string {
			b, err := json.Marshal(v)
			if err != nil {
				return err.Error()
			}
			return string(b)
		}},
		dumper{"go-spew default", func(v, _ any) string { return spew.Sdump(v) + spew.Sprintf("%v %+v %#v", v, v, v) }},
		dumper{"go-spew DisableMethods", func(v, _ any) string {
			c := spew.Config
			c.DisableMethods = true
			return c.Sdump(v)
		}},
		dumper{"go-spew DisableMethods+DisablePointerMethods", func(v, _ any) string {
			c := spew.ConfigState{Indent: " ", DisableMethods: true, DisablePointerMethods: true, DisablePointerAddresses: true, MaxDepth: 0}
			return c.Sdump(v) + c.Sprintf("%+v", v)
		}},
		dumper{"testify diff", func(v, other any) string {
			var rec recorderT
			assert.Equal(&rec, v, other)
			assert.Equal(&rec, v, deref(other))
			assert.Equal(&rec, []any{v}, []any{other})
			assert.ObjectsAreEqual(v, other)
			return rec.String()
		}},
	)
	return ds
}

// recorderT collects what testify reports.
type recorderT struct{ strings.Builder }

func (r *recorderT) Errorf(format string, args ...any) { fmt.Fprintf(&r.Builder, format, args...) }

type pattern struct{ encoding, text string }

// leakPatterns lists the forms a secret could be printed in. Windows of 6
// bytes catch partial dumps (hex dumps split across lines); 6 random bytes
// do not occur in the output by chance.
func leakPatterns(secrets [][]byte) []pattern {
	var ps []pattern
	add := func(enc, text string) { ps = append(ps, pattern{enc, text}) }
	for _, s := range secrets {
		for i := 0; i+6 <= len(s); i++ {
			w := s[i : i+6]
			add("hex", hex.EncodeToString(w))
			add("HEX", strings.ToUpper(hex.EncodeToString(w)))
			add("spaced hex", fmt.Sprintf("% x", w))
			dec := make([]string, len(w))
			for j, b := range w {
				dec[j] = strconv.Itoa(int(b))
			}
			add("decimal bytes", strings.Join(dec, " "))
			add("decimal bytes", strings.Join(dec, ", "))
			add("decimal bytes", strings.Join(dec, ","))
		}
		for off := range 3 {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				b64 := enc.EncodeToString(s[off:])
				add("base64", b64[:12])
			}
		}
		add("big-int decimal", new(big.Int).SetBytes(s).String())
		for end := len(s); end >= 8; end -= 8 { // math/big's 64-bit words, lowest first
			add("uint64 word", strconv.FormatUint(binary.BigEndian.Uint64(s[end-8:end]), 10))
		}
		for end := len(s); end >= 4; end -= 4 { // secp256k1.ModNScalar's 32-bit words
			if word := binary.BigEndian.Uint32(s[end-4 : end]); word > 1<<28 { // short numbers match by chance
				add("uint32 word", strconv.FormatUint(uint64(word), 10))
			}
		}
	}
	return ps
}

func deref(v any) any {
	switch p := v.(type) {
	case *stamp.APIKey:
		return *p
	case *enclave.Export:
		return *p
	case *enclave.TargetKey:
		return *p
	case *enclave.Signer:
		return *p
	case *enclave.SecretKey:
		return *p
	case *sdk.Session:
		return *p
	}
	panic(fmt.Sprintf("deref: %T", v))
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func secretHolders(t *testing.T) []secretHolder {
	var hs []secretHolder
	for _, c := range []stamp.Curve{stamp.CurveP256, stamp.CurveSecp256k1, stamp.CurveEd25519} {
		k, err := stamp.GenerateAPIKey(c)
		require.NoError(t, err)
		other, err := stamp.GenerateAPIKey(c)
		require.NoError(t, err)
		priv := mustHex(t, k.PrivateKeyHex())
		if c == stamp.CurveEd25519 {
			priv = priv[:32] // the seed; the rest is the public key
		}
		hs = append(hs, secretHolder{name: "stamp.APIKey " + string(c), value: k, other: other, deref: deref, secrets: [][]byte{priv}})
	}

	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	target2, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	hs = append(hs, secretHolder{name: "enclave.TargetKey", value: target, other: target2, deref: deref,
		secrets: [][]byte{mustHex(t, target.PrivateKeyHex())}})

	signer, err := enclave.NewSigner()
	require.NoError(t, err)
	signer2, err := enclave.NewSigner()
	require.NoError(t, err)
	hs = append(hs, secretHolder{name: "enclave.Signer", value: signer, other: signer2, deref: deref,
		secrets: [][]byte{mustHex(t, signer.PrivateKeyHex())}})

	mnemonic := "abandon ability able about above absent absorb abstract absurd abuse access accident"
	exportOf := func(plain []byte) *enclave.Export {
		bundle, err := signer.SealExportBundle(target.PublicKeyHex(), plain, "org-1")
		require.NoError(t, err)
		exp, err := enclave.DecryptExportBundle(bundle, target, "org-1", enclave.WithSignerPublicKey(signer.PublicKeyHex()))
		require.NoError(t, err)
		return exp
	}
	rawKey := mustHex(t, target2.PrivateKeyHex())
	hs = append(hs,
		secretHolder{name: "enclave.Export mnemonic", value: exportOf([]byte(mnemonic)), other: exportOf([]byte("zoo zoo zoo")), deref: deref,
			secrets: [][]byte{[]byte(mnemonic)}},
		secretHolder{name: "enclave.Export private key", value: exportOf(rawKey), other: exportOf([]byte("other")), deref: deref,
			secrets: [][]byte{rawKey}},
	)

	credential := func(scalar []byte) *enclave.SecretKey {
		bundle, err := enclave.EncryptCredentialBundle(target.PublicKeyHex(), scalar)
		require.NoError(t, err)
		sk, err := enclave.DecryptCredentialBundle(bundle, target)
		require.NoError(t, err)
		return sk
	}
	k1, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	k2, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	hs = append(hs, secretHolder{name: "enclave.SecretKey", value: credential(mustHex(t, k1.PrivateKeyHex())),
		other: credential(mustHex(t, k2.PrivateKeyHex())), deref: deref, secrets: [][]byte{mustHex(t, k1.PrivateKeyHex())}})

	// sdk.Session, made end to end by the simulator; its client holds the
	// session key (and the root key) too.
	srv, err := turnkeytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	// The client talks to the simulator's handler in process, through a
	// transport without goroutines of its own: the dumpers walk the whole
	// client, and a real transport's connection state changes under them.
	c, err := srv.Client(sdk.WithHTTPClient(&http.Client{Transport: inProcess{srv.Handler()}}))
	require.NoError(t, err)
	newSession := func() *sdk.Session {
		s, err := c.CreateReadWriteSession(ctxT(t), gen.CreateReadWriteSessionIntentV2{})
		require.NoError(t, err)
		return s
	}
	s1, s2 := newSession(), newSession()
	hs = append(hs, secretHolder{name: "sdk.Session", value: s1, other: s2, deref: deref,
		secrets: [][]byte{mustHex(t, s1.Key.PrivateKeyHex()), mustHex(t, srv.Root().APIKey.PrivateKeyHex())}})
	return hs
}

// inProcess serves requests with a handler directly, with no connections.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}
