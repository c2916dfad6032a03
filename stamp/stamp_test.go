package stamp_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

var bodies = [][]byte{
	nil,
	{},
	[]byte(`{"type":"ACTIVITY_TYPE_CREATE_WALLET","organizationId":"org"}`),
	[]byte("not json at all \x00\xff"),
	[]byte(strings.Repeat("x", 100_000)),
}

func TestStampRoundTrip(t *testing.T) {
	for _, c := range allCurves {
		t.Run(string(c), func(t *testing.T) {
			k, err := stamp.GenerateAPIKey(c)
			require.NoError(t, err)
			assert.Equal(t, c, k.Curve())
			assert.Equal(t, c.Scheme(), k.Scheme())
			for _, body := range bodies {
				header, value, err := k.Stamp(context.Background(), body)
				require.NoError(t, err)
				assert.Equal(t, "X-Stamp", header)
				assert.NotContains(t, value, "=", "no padding")

				v, err := stamp.Verify(body, value)
				require.NoError(t, err)
				assert.Equal(t, k.PublicKey(), v.PublicKey)
				assert.Equal(t, k.Scheme(), v.Scheme)
				assert.Equal(t, c, v.Curve)

				pub, scheme := independentVerify(t, body, value)
				assert.Equal(t, k.PublicKey(), pub)
				assert.Equal(t, string(k.Scheme()), scheme)

				_, err = stamp.Verify(append(append([]byte{}, body...), ' '), value)
				assert.ErrorIs(t, err, stamp.ErrBadSignature)
			}
		})
	}
}

// The public key and private key hex agree with the standard libraries, and
// the private key hex parses back to the same key.
func TestKeysCrossCheck(t *testing.T) {
	for _, c := range allCurves {
		t.Run(string(c), func(t *testing.T) {
			for range 20 {
				k, err := stamp.GenerateAPIKey(c)
				require.NoError(t, err)
				priv := k.PrivateKeyHex()
				assert.Equal(t, independentPublicKey(t, c, priv), k.PublicKey())
				k2 := mustParse(t, c, priv)
				assert.Equal(t, k.PublicKey(), k2.PublicKey())
				assert.Equal(t, priv, k2.PrivateKeyHex())
				wantLen := 64
				if c == stamp.CurveEd25519 {
					wantLen = 128 // seed ‖ public key, as the Turnkey CLI writes
					assert.Equal(t, k.PublicKey(), priv[64:])
				}
				assert.Len(t, priv, wantLen)
				assert.Equal(t, strings.ToLower(priv), priv)
			}
		})
	}
}

func TestKnownAnswers(t *testing.T) {
	assert.Equal(t, p256OnePub, mustParse(t, stamp.CurveP256, p256One).PublicKey())
	assert.Equal(t, k1OnePub, mustParse(t, stamp.CurveSecp256k1, k1One).PublicKey())
	assert.Equal(t, edPub, mustParse(t, stamp.CurveEd25519, edSeed).PublicKey())

	// RFC 8032 TEST 1 signs the empty message: the whole stamp is known.
	k := mustParse(t, stamp.CurveEd25519, edSeed)
	_, value, err := k.Stamp(context.Background(), nil)
	require.NoError(t, err)
	want := `{"publicKey":"` + edPub + `","scheme":"SIGNATURE_SCHEME_TK_API_ED25519","signature":"` + edSig + `"}`
	assert.Equal(t, want, string(decodeStamp(t, value)))
	assert.Equal(t, encodeStamp(want), value)
}

// Our hand-written DER for secp256k1 matches decred's own Serialize, and the
// signature is RFC 6979 deterministic and low-S.
func TestSecp256k1MatchesDecred(t *testing.T) {
	for i := range 50 {
		k, err := stamp.GenerateAPIKey(stamp.CurveSecp256k1)
		require.NoError(t, err)
		body := []byte(strings.Repeat("b", i))
		_, value, err := k.Stamp(context.Background(), body)
		require.NoError(t, err)

		priv, err := hex.DecodeString(k.PrivateKeyHex())
		require.NoError(t, err)
		h := sha256.Sum256(body)
		want := k1ecdsa.Sign(secp256k1.PrivKeyFromBytes(priv), h[:]).Serialize()
		wantJSON := rawStampJSON(k.PublicKey(), string(stamp.SchemeSecp256k1), hex.EncodeToString(want))
		assert.Equal(t, wantJSON, string(decodeStamp(t, value)))
	}
}

// The JSON is exactly the three fields, in Turnkey's order, lowercase hex.
func TestStampJSONShape(t *testing.T) {
	for _, c := range allCurves {
		k, err := stamp.GenerateAPIKey(c)
		require.NoError(t, err)
		_, value, err := k.Stamp(context.Background(), []byte("x"))
		require.NoError(t, err)
		raw := string(decodeStamp(t, value))
		require.True(t, strings.HasPrefix(raw, `{"publicKey":"`+k.PublicKey()+`","scheme":"`+string(k.Scheme())+`","signature":"`), raw)
		require.True(t, strings.HasSuffix(raw, `"}`), raw)
		sig := strings.TrimSuffix(raw[strings.LastIndex(raw, `:"`)+2:], `"}`)
		assert.Equal(t, strings.ToLower(sig), sig)
		_, err = hex.DecodeString(sig)
		assert.NoError(t, err)
	}
}

func TestStampContextAndNilKey(t *testing.T) {
	k, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = k.Stamp(ctx, []byte("x"))
	assert.ErrorIs(t, err, context.Canceled)

	var nilKey *stamp.APIKey
	_, _, err = nilKey.Stamp(context.Background(), nil)
	assert.ErrorIs(t, err, stamp.ErrInvalidKey)
	_, _, err = new(stamp.APIKey).Stamp(context.Background(), nil)
	assert.ErrorIs(t, err, stamp.ErrInvalidKey)
	assert.Empty(t, nilKey.PublicKey())
	assert.Empty(t, nilKey.PrivateKeyHex())
	assert.Empty(t, new(stamp.APIKey).PrivateKeyHex())
}

func TestStamperFunc(t *testing.T) {
	k, err := stamp.GenerateAPIKey(stamp.CurveEd25519)
	require.NoError(t, err)
	var calls int
	var s stamp.Stamper = stamp.StamperFunc(func(ctx context.Context, body []byte) (string, string, error) {
		calls++
		return k.Stamp(ctx, body)
	})
	_, value, err := s.Stamp(context.Background(), []byte("b"))
	require.NoError(t, err)
	_, err = stamp.Verify([]byte("b"), value)
	assert.NoError(t, err)
	assert.Equal(t, 1, calls)

	boom := errors.New("kms down")
	_, _, err = stamp.StamperFunc(func(context.Context, []byte) (string, string, error) {
		return "", "", boom
	}).Stamp(context.Background(), nil)
	assert.ErrorIs(t, err, boom)
}

// One APIKey stamps from many goroutines (run with -race).
func TestStampConcurrent(t *testing.T) {
	for _, c := range allCurves {
		k, err := stamp.GenerateAPIKey(c)
		require.NoError(t, err)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Go(func() {
				body := []byte(strings.Repeat("z", i))
				_, v, err := k.Stamp(context.Background(), body)
				if err == nil {
					_, err = stamp.Verify(body, v)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.NoError(t, err)
		}
	}
}

func TestCurveAndScheme(t *testing.T) {
	for _, c := range allCurves {
		assert.Equal(t, c, c.Scheme().Curve())
		got, err := stamp.ParseCurve(" " + strings.ToUpper(string(c)) + "\n")
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	assert.Equal(t, stamp.Scheme("SIGNATURE_SCHEME_TK_API_P256"), stamp.CurveP256.Scheme())
	assert.Equal(t, stamp.Scheme("SIGNATURE_SCHEME_TK_API_SECP256K1"), stamp.CurveSecp256k1.Scheme())
	assert.Equal(t, stamp.Scheme("SIGNATURE_SCHEME_TK_API_ED25519"), stamp.CurveEd25519.Scheme())
	assert.Empty(t, stamp.Curve("p384").Scheme())
	assert.Empty(t, stamp.Scheme("SIGNATURE_SCHEME_TK_API_P384").Curve())
	for _, s := range []string{"", "p384", "secp256r1", "p256:"} {
		_, err := stamp.ParseCurve(s)
		assert.ErrorIs(t, err, stamp.ErrUnknownCurve, s)
	}
	_, err := stamp.GenerateAPIKey("rsa")
	assert.ErrorIs(t, err, stamp.ErrUnknownCurve)
}
