package stamp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

const (
	// Group orders n: the smallest out-of-range scalars.
	p256N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
	k1N   = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
	// n-1: the largest valid scalars.
	p256NMinus1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"
	k1NMinus1   = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"
	zero32      = "0000000000000000000000000000000000000000000000000000000000000000"
	ones32      = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	// A secret-looking value for leak checks.
	secretHex = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2"
)

func TestParseAPIKeyAccepts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		curve stamp.Curve
		in    string
		pub   string
	}{
		{"p256 one", stamp.CurveP256, p256One, p256OnePub},
		{"p256 whitespace", stamp.CurveP256, " \t\n" + p256One + "\r\n\n", p256OnePub},
		{"p256 uppercase", stamp.CurveP256, strings.ToUpper(p256One), p256OnePub},
		{"p256 n-1", stamp.CurveP256, p256NMinus1, ""},
		{"k1 one", stamp.CurveSecp256k1, k1One, k1OnePub},
		{"k1 n-1", stamp.CurveSecp256k1, k1NMinus1, ""},
		{"k1 curve name in caps", "SECP256K1", k1One, k1OnePub},
		{"ed seed", stamp.CurveEd25519, edSeed, edPub},
		{"ed seed+pub", stamp.CurveEd25519, edSeed + edPub, edPub},
		{"ed seed+pub upper", stamp.CurveEd25519, strings.ToUpper(edSeed + edPub), edPub},
		{"ed zero seed", stamp.CurveEd25519, zero32, ""}, // any 32 bytes are a valid seed
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := stamp.ParseAPIKey(tc.curve, tc.in)
			require.NoError(t, err)
			if tc.pub != "" {
				assert.Equal(t, tc.pub, k.PublicKey())
			}
			assert.Equal(t, independentPublicKey(t, k.Curve(), k.PrivateKeyHex()), k.PublicKey())
		})
	}
}

func TestParseAPIKeyRejects(t *testing.T) {
	badPub := edSeed + strings.Repeat("0", 63) + "1"
	for _, tc := range []struct {
		name  string
		curve stamp.Curve
		in    string
		want  error
	}{
		{"empty", stamp.CurveP256, "", stamp.ErrInvalidKey},
		{"spaces only", stamp.CurveP256, "   \n", stamp.ErrInvalidKey},
		{"0x prefix", stamp.CurveP256, "0x" + secretHex, stamp.ErrInvalidKey},
		{"0X prefix", stamp.CurveSecp256k1, "0X" + secretHex, stamp.ErrInvalidKey},
		{"too short", stamp.CurveP256, secretHex[:63], stamp.ErrInvalidKey},
		{"too long", stamp.CurveP256, secretHex + "00", stamp.ErrInvalidKey},
		{"64 bytes for p256", stamp.CurveP256, secretHex + secretHex, stamp.ErrInvalidKey},
		{"not hex", stamp.CurveP256, secretHex[:40] + "g" + secretHex[41:], stamp.ErrInvalidKey},
		{"inner space", stamp.CurveP256, secretHex[:32] + " " + secretHex[33:], stamp.ErrInvalidKey},
		{"p256 zero", stamp.CurveP256, zero32, stamp.ErrInvalidKey},
		{"p256 n", stamp.CurveP256, p256N, stamp.ErrInvalidKey},
		{"p256 ff..ff", stamp.CurveP256, ones32, stamp.ErrInvalidKey},
		{"k1 zero", stamp.CurveSecp256k1, zero32, stamp.ErrInvalidKey},
		{"k1 n", stamp.CurveSecp256k1, k1N, stamp.ErrInvalidKey},
		{"k1 ff..ff", stamp.CurveSecp256k1, ones32, stamp.ErrInvalidKey},
		{"ed 48 bytes", stamp.CurveEd25519, secretHex + secretHex[:32], stamp.ErrInvalidKey},
		{"ed public half mismatch", stamp.CurveEd25519, badPub, stamp.ErrInvalidKey},
		{"unknown curve", "p384", secretHex, stamp.ErrUnknownCurve},
		{"empty curve", "", secretHex, stamp.ErrUnknownCurve},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := stamp.ParseAPIKey(tc.curve, tc.in)
			require.Error(t, err)
			assert.Nil(t, k)
			assert.ErrorIs(t, err, tc.want)
			var se *stamp.Error
			require.ErrorAs(t, err, &se)
			assert.NotEmpty(t, se.Reason)
			assertNoSecret(t, err.Error(), tc.in)
		})
	}
}

// assertNoSecret fails if msg contains any 8-character run of secret's hex
// digits (other than runs of one repeated digit, such as zero padding).
func assertNoSecret(t *testing.T, msg, secret string) {
	t.Helper()
	s := strings.TrimSpace(secret)
	for i := 0; i+8 <= len(s); i++ {
		w := s[i : i+8]
		if strings.Count(w, w[:1]) == 8 {
			continue
		}
		if strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
			t.Fatalf("error %q contains part of the private key (%q)", msg, w)
		}
	}
}

func TestWithExpectedPublicKey(t *testing.T) {
	k, err := stamp.ParseAPIKey(stamp.CurveP256, p256One,
		stamp.WithExpectedPublicKey(" "+strings.ToUpper(p256OnePub)+"\n"))
	require.NoError(t, err)
	assert.Equal(t, p256OnePub, k.PublicKey())

	_, err = stamp.ParseAPIKey(stamp.CurveP256, p256One, stamp.WithExpectedPublicKey(k1OnePub))
	assert.ErrorIs(t, err, stamp.ErrKeyMismatch)
	var se *stamp.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "publicKey", se.Field)
	assert.Contains(t, err.Error(), p256OnePub, "names the derived public key")
	assert.NotContains(t, err.Error(), k1OnePub, "does not echo the expected value")

	// A private key passed by mistake as the expected public key is not echoed.
	_, err = stamp.ParseAPIKey(stamp.CurveP256, p256One, stamp.WithExpectedPublicKey(secretHex))
	assert.ErrorIs(t, err, stamp.ErrKeyMismatch)
	assertNoSecret(t, err.Error(), secretHex)

	_, err = stamp.ParseAPIKey(stamp.CurveEd25519, edSeed, stamp.WithExpectedPublicKey(edPub), nil)
	assert.NoError(t, err, "a nil option is ignored")
}

func TestErrorType(t *testing.T) {
	_, err := stamp.ParseAPIKey(stamp.CurveP256, "zz")
	var se *stamp.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "parse key", se.Op)
	assert.Equal(t, "privateKey", se.Field)
	assert.Equal(t, stamp.ErrInvalidKey, se.Kind)
	assert.True(t, strings.HasPrefix(err.Error(), "stamp: parse key: privateKey: "), err.Error())
	assert.False(t, errors.Is(err, stamp.ErrInvalidStamp))

	wrapped := fmt.Errorf("loading config: %w", err)
	assert.ErrorIs(t, wrapped, stamp.ErrInvalidKey)
	assert.ErrorAs(t, wrapped, &se)
}

func TestRedaction(t *testing.T) {
	for _, c := range allCurves {
		t.Run(string(c), func(t *testing.T) {
			k, err := stamp.GenerateAPIKey(c)
			require.NoError(t, err)
			priv := k.PrivateKeyHex()
			secret := priv[:64] // for Ed25519 the second half is the public key
			check := func(what, out string) {
				t.Helper()
				assert.NotContains(t, strings.ToLower(out), secret, what)
				assertNoSecret(t, out, secret)
			}
			type holder struct {
				Exported   *stamp.APIKey
				unexported *stamp.APIKey
				byValue    stamp.APIKey
			}
			h := holder{k, k, *k}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
				out := fmt.Sprintf(verb, k)
				check(verb, out)
				check(verb+" value", fmt.Sprintf(verb, *k))
				check(verb+" holder", fmt.Sprintf(verb, h))
				check(verb+" slice", fmt.Sprintf(verb, []*stamp.APIKey{k}))
			}
			assert.Contains(t, fmt.Sprintf("%v", k), k.PublicKey())
			assert.Contains(t, fmt.Sprintf("%+v", k), string(c))
			assert.Contains(t, fmt.Sprintf("%#v", k), "stamp.APIKey")
			assert.Equal(t, k.String(), fmt.Sprint(k))
			check("Println", fmt.Sprintln(k, *k))

			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, nil))
			logger.Info("loaded", "key", k, slog.Any("again", k))
			text := slog.New(slog.NewTextHandler(&buf, nil))
			text.Info("loaded", "key", k)
			check("slog", buf.String())
			var rec map[string]any
			line, _, _ := bytes.Cut(buf.Bytes(), []byte("\n"))
			require.NoError(t, json.Unmarshal(line, &rec))
			assert.Equal(t, map[string]any{"curve": string(c), "publicKey": k.PublicKey()}, rec["key"])

			js, err := json.Marshal(struct{ Key *stamp.APIKey }{k}) // {"Key":{}}
			require.NoError(t, err)
			check("json", string(js))

			var nilKey *stamp.APIKey
			assert.Equal(t, "<nil>", fmt.Sprint(nilKey))
			assert.Equal(t, "(*stamp.APIKey)(nil)", fmt.Sprintf("%#v", nilKey))
		})
	}
}
