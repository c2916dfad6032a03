package stamp_test

import (
	"context"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

// offCurveX returns a compressed point encoding 02‖x whose x is on no point
// of the curve, as decided by the standard libraries.
func offCurveX(t *testing.T, onCurve func([]byte) bool) string {
	for i := 1; i < 1000; i++ {
		b := make([]byte, 33)
		b[0] = 2
		b[32] = byte(i)
		b[31] = byte(i >> 8)
		if !onCurve(b) {
			return hex.EncodeToString(b)
		}
	}
	t.Fatal("no off-curve x found")
	return ""
}

type stampParts struct{ pub, scheme, sig string }

func partsOf(t *testing.T, k *stamp.APIKey, body []byte) stampParts {
	_, v, err := k.Stamp(context.Background(), body)
	require.NoError(t, err)
	raw := string(decodeStamp(t, v))
	sig := strings.TrimSuffix(raw[strings.LastIndex(raw, `:"`)+2:], `"}`)
	return stampParts{k.PublicKey(), string(k.Scheme()), sig}
}

func TestVerifyRejects(t *testing.T) {
	body := []byte(`{"organizationId":"org"}`)
	p256 := partsOf(t, mustParse(t, stamp.CurveP256, p256One), body)
	k1 := partsOf(t, mustParse(t, stamp.CurveSecp256k1, k1One), body)
	ed := partsOf(t, mustParse(t, stamp.CurveEd25519, edSeed), body)
	other := partsOf(t, mustParse(t, stamp.CurveP256, p256NMinus1), body)
	enc := func(p stampParts) string { return encodeStamp(rawStampJSON(p.pub, p.scheme, p.sig)) }
	with := func(p stampParts, f func(*stampParts)) string { f(&p); return enc(p) }

	p256Off := offCurveX(t, func(b []byte) bool { x, _ := elliptic.UnmarshalCompressed(elliptic.P256(), b); return x != nil })
	k1Off := offCurveX(t, func(b []byte) bool { _, err := secp256k1.ParsePubKey(b); return err == nil })

	good := enc(p256)
	padJSON := rawStampJSON(p256.pub, p256.scheme, p256.sig)
	for len(padJSON)%3 == 0 { // JSON allows trailing spaces; base64 then pads
		padJSON += " "
	}
	padded := base64.URLEncoding.EncodeToString([]byte(padJSON))
	require.Contains(t, padded, "=")

	for _, tc := range []struct {
		name  string
		body  []byte
		value string
		want  error
		field string
	}{
		// Encoding.
		{"empty", body, "", stamp.ErrInvalidStamp, "stamp"},
		{"padded base64url", body, padded, stamp.ErrInvalidStamp, "stamp"},
		{"std base64 alphabet", body, strings.ReplaceAll(strings.ReplaceAll(good, "-", "+"), "_", "/") + "+/", stamp.ErrInvalidStamp, "stamp"},
		{"line break", body, good[:40] + "\n" + good[40:], stamp.ErrInvalidStamp, "stamp"},
		{"not base64", body, "!!!!", stamp.ErrInvalidStamp, "stamp"},
		{"non-canonical trailing bits", body, encodeStamp("{}")[:2] + "f", stamp.ErrInvalidStamp, "stamp"},
		{"too long", body, strings.Repeat("A", 5000), stamp.ErrInvalidStamp, "stamp"},
		// JSON.
		{"not JSON", body, encodeStamp("hello"), stamp.ErrInvalidStamp, "stamp"},
		{"JSON array", body, encodeStamp(`["a"]`), stamp.ErrInvalidStamp, "stamp"},
		{"JSON null", body, encodeStamp(`null`), stamp.ErrInvalidStamp, "stamp"},
		{"trailing data", body, encodeStamp(rawStampJSON(p256.pub, p256.scheme, p256.sig) + "{}"), stamp.ErrInvalidStamp, "stamp"},
		{"missing signature", body, encodeStamp(fmt.Sprintf(`{"publicKey":%q,"scheme":%q}`, p256.pub, p256.scheme)), stamp.ErrInvalidStamp, "signature"},
		{"empty publicKey", body, with(p256, func(p *stampParts) { p.pub = "" }), stamp.ErrInvalidStamp, "publicKey"},
		{"extra field", body, encodeStamp(fmt.Sprintf(`{"publicKey":%q,"scheme":%q,"signature":%q,"x":"y"}`, p256.pub, p256.scheme, p256.sig)), stamp.ErrInvalidStamp, "stamp"},
		{"wrong case key", body, encodeStamp(fmt.Sprintf(`{"PublicKey":%q,"scheme":%q,"signature":%q}`, p256.pub, p256.scheme, p256.sig)), stamp.ErrInvalidStamp, "stamp"},
		{"number signature", body, encodeStamp(fmt.Sprintf(`{"publicKey":%q,"scheme":%q,"signature":12}`, p256.pub, p256.scheme)), stamp.ErrInvalidStamp, "signature"},
		// Scheme.
		{"unknown scheme", body, with(p256, func(p *stampParts) { p.scheme = "SIGNATURE_SCHEME_TK_API_P384" }), stamp.ErrUnknownScheme, "scheme"},
		{"lowercase scheme", body, with(p256, func(p *stampParts) { p.scheme = strings.ToLower(p.scheme) }), stamp.ErrUnknownScheme, "scheme"},
		// Public key.
		{"publicKey not hex", body, with(p256, func(p *stampParts) { p.pub = "zz" + p.pub[2:] }), stamp.ErrInvalidStamp, "publicKey"},
		{"publicKey odd hex", body, with(p256, func(p *stampParts) { p.pub += "0" }), stamp.ErrInvalidStamp, "publicKey"},
		{"p256 publicKey 32 bytes", body, with(p256, func(p *stampParts) { p.pub = p.pub[2:] }), stamp.ErrInvalidStamp, "publicKey"},
		{"p256 publicKey 04 prefix", body, with(p256, func(p *stampParts) { p.pub = "04" + p.pub[2:] }), stamp.ErrInvalidStamp, "publicKey"},
		{"p256 publicKey off curve", body, with(p256, func(p *stampParts) { p.pub = p256Off }), stamp.ErrInvalidStamp, "publicKey"},
		{"p256 publicKey x >= p", body, with(p256, func(p *stampParts) { p.pub = "02" + ones32 }), stamp.ErrInvalidStamp, "publicKey"},
		{"k1 publicKey off curve", body, with(k1, func(p *stampParts) { p.pub = k1Off }), stamp.ErrInvalidStamp, "publicKey"},
		{"k1 publicKey 65 bytes", body, with(k1, func(p *stampParts) { p.pub = "04" + p.pub[2:] + p.pub[2:] }), stamp.ErrInvalidStamp, "publicKey"},
		{"ed publicKey 33 bytes", body, with(ed, func(p *stampParts) { p.pub += "00" }), stamp.ErrInvalidStamp, "publicKey"},
		// Signature.
		{"signature not hex", body, with(p256, func(p *stampParts) { p.sig = "3g" + p.sig[2:] }), stamp.ErrInvalidStamp, "signature"},
		{"p256 DER trailing byte", body, with(p256, func(p *stampParts) { p.sig += "00" }), stamp.ErrInvalidStamp, "signature"},
		{"p256 DER truncated", body, with(p256, func(p *stampParts) { p.sig = p.sig[:len(p.sig)-2] }), stamp.ErrInvalidStamp, "signature"},
		{"p256 raw r‖s not DER", body, with(p256, func(p *stampParts) { p.sig = strings.Repeat("11", 64) }), stamp.ErrInvalidStamp, "signature"},
		{"k1 DER trailing byte", body, with(k1, func(p *stampParts) { p.sig += "00" }), stamp.ErrInvalidStamp, "signature"},
		{"k1 s = n", body, with(k1, func(p *stampParts) { p.sig = "3026020101022100" + k1N }), stamp.ErrInvalidStamp, "signature"},
		{"ed signature 63 bytes", body, with(ed, func(p *stampParts) { p.sig = p.sig[2:] }), stamp.ErrInvalidStamp, "signature"},
		{"ed signature 65 bytes", body, with(ed, func(p *stampParts) { p.sig += "00" }), stamp.ErrInvalidStamp, "signature"},
		// Well-formed, wrong.
		{"changed body", append([]byte(" "), body...), good, stamp.ErrBadSignature, "signature"},
		{"p256 other key's signature", body, with(p256, func(p *stampParts) { p.sig = other.sig }), stamp.ErrBadSignature, "signature"},
		{"p256 r = s = 1", body, with(p256, func(p *stampParts) { p.sig = "3006020101020101" }), stamp.ErrBadSignature, "signature"},
		{"k1 changed body", []byte("x"), enc(k1), stamp.ErrBadSignature, "signature"},
		{"ed changed body", []byte("x"), enc(ed), stamp.ErrBadSignature, "signature"},
		{"ed zero signature", body, with(ed, func(p *stampParts) { p.sig = strings.Repeat("00", 64) }), stamp.ErrBadSignature, "signature"},
		{"p256 signature under k1 scheme", body, with(p256, func(p *stampParts) { p.scheme = k1.scheme }), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := stamp.Verify(tc.body, tc.value)
			require.Error(t, err)
			assert.Nil(t, v)
			if tc.want == nil { // any of the verification errors
				assert.True(t, isVerifyError(err), err.Error())
				return
			}
			assert.ErrorIs(t, err, tc.want)
			var se *stamp.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "verify", se.Op)
			assert.Equal(t, tc.field, se.Field, err.Error())
			if !laxElsewhere[tc.name] {
				assert.Error(t, independentCheck(tc.body, tc.value), "the independent verifier should reject it too")
			}
		})
	}
}

// Cases Verify rejects by choice, that a plain decoder (the independent
// verifier: encoding/base64 and encoding/json) lets through.
var laxElsewhere = map[string]bool{"line break": true, "extra field": true, "wrong case key": true}

func isVerifyError(err error) bool {
	for _, e := range []error{stamp.ErrInvalidStamp, stamp.ErrUnknownScheme, stamp.ErrBadSignature} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func TestVerifyAccepts(t *testing.T) {
	body := []byte("b")
	k := mustParse(t, stamp.CurveP256, p256One)
	p := partsOf(t, k, body)
	for name, value := range map[string]string{
		"uppercase hex":    encodeStamp(rawStampJSON(strings.ToUpper(p.pub), p.scheme, strings.ToUpper(p.sig))),
		"other key order":  encodeStamp(fmt.Sprintf(`{"signature":%q,"scheme":%q,"publicKey":%q}`, p.sig, p.scheme, p.pub)),
		"JSON whitespace":  encodeStamp(fmt.Sprintf("{ \"publicKey\" : %q ,\n\"scheme\":%q,\"signature\":%q }\n", p.pub, p.scheme, p.sig)),
		"escaped JSON hex": encodeStamp(`{"publicKey":"\u0030` + p.pub[1:] + `","scheme":"` + p.scheme + `","signature":"` + p.sig + `"}`),
	} {
		t.Run(name, func(t *testing.T) {
			v, err := stamp.Verify(body, value)
			require.NoError(t, err)
			assert.Equal(t, p256OnePub, v.PublicKey, "normalised to lowercase")
			assert.Equal(t, stamp.SchemeP256, v.Scheme)
		})
	}
}

func TestParseStamp(t *testing.T) {
	k := mustParse(t, stamp.CurveEd25519, edSeed)
	_, v, err := k.Stamp(context.Background(), nil)
	require.NoError(t, err)
	p, err := stamp.ParseStamp(v)
	require.NoError(t, err)
	assert.Equal(t, &stamp.Parsed{PublicKey: edPub, Scheme: stamp.SchemeEd25519, Signature: edSig}, p)

	// ParseStamp does not judge the scheme or the hex.
	p, err = stamp.ParseStamp(encodeStamp(rawStampJSON("pk", "S", "sig")))
	require.NoError(t, err)
	assert.Equal(t, stamp.Scheme("S"), p.Scheme)

	_, err = stamp.ParseStamp("%%%")
	assert.ErrorIs(t, err, stamp.ErrInvalidStamp)
}
