package stamp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

func TestKeyFileRoundTrip(t *testing.T) {
	for _, c := range allCurves {
		t.Run(string(c), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "new", "keys")
			k, err := stamp.GenerateAPIKey(c)
			require.NoError(t, err)
			require.NoError(t, stamp.SaveKeyFile(dir, "ci", k))

			priv, err := os.ReadFile(filepath.Join(dir, "ci.private"))
			require.NoError(t, err)
			assert.Equal(t, k.PrivateKeyHex()+":"+string(c), string(priv), "hex:curve, no newline")
			pub, err := os.ReadFile(filepath.Join(dir, "ci.public"))
			require.NoError(t, err)
			assert.Equal(t, k.PublicKey(), string(pub))

			if runtime.GOOS != "windows" {
				st, err := os.Stat(filepath.Join(dir, "ci.private"))
				require.NoError(t, err)
				assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm())
				st, err = os.Stat(dir)
				require.NoError(t, err)
				assert.Equal(t, fs.FileMode(0o700), st.Mode().Perm())
			}

			got, err := stamp.LoadKeyFile(dir, "ci")
			require.NoError(t, err)
			assert.Equal(t, k.PublicKey(), got.PublicKey())
			assert.Equal(t, k.PrivateKeyHex(), got.PrivateKeyHex())
			_, v, err := got.Stamp(context.Background(), []byte("b"))
			require.NoError(t, err)
			independentVerify(t, []byte("b"), v)
		})
	}
}

func TestLoadKeyFileForms(t *testing.T) {
	edFull := edSeed + edPub
	for _, tc := range []struct {
		name, private, public string // public "" means no .public file
		pub                   string
	}{
		{"no suffix is p256", p256One, "", p256OnePub},
		{"p256 suffix", p256One + ":p256", p256OnePub, p256OnePub},
		{"secp256k1 suffix", k1One + ":secp256k1", k1OnePub, k1OnePub},
		{"ed25519 64-byte form", edFull + ":ed25519", edPub, edPub},
		{"ed25519 seed form", edSeed + ":ed25519", "", edPub},
		{"trailing newline", p256One + "\n", p256OnePub + "\n", p256OnePub},
		{"trailing newlines and CRLF", k1One + ":secp256k1\r\n\r\n", k1OnePub + "\r\n", k1OnePub},
		{"surrounding whitespace", "  \t" + k1One + ":secp256k1 \n", " " + k1OnePub + " ", k1OnePub},
		{"whitespace around colon", k1One + " : secp256k1", "", k1OnePub},
		{"uppercase", strings.ToUpper(edFull) + ":ED25519", strings.ToUpper(edPub), edPub},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "k.private"), tc.private)
			if tc.public != "" {
				writeFile(t, filepath.Join(dir, "k.public"), tc.public)
			}
			k, err := stamp.LoadKeyFile(dir, "k")
			require.NoError(t, err)
			assert.Equal(t, tc.pub, k.PublicKey())
		})
	}
}

func TestLoadKeyFileRejects(t *testing.T) {
	for _, tc := range []struct {
		name, private, public string
		want                  error
	}{
		{"public mismatch", p256One, k1OnePub, stamp.ErrKeyMismatch},
		{"empty public", p256One, "\n", stamp.ErrKeyMismatch},
		{"wrong suffix curve", k1One + ":p256", k1OnePub, stamp.ErrKeyMismatch},
		{"unknown suffix", secretHex + ":p384", "", stamp.ErrUnknownCurve},
		{"two suffixes", secretHex + ":p256:p256", "", stamp.ErrUnknownCurve},
		{"empty suffix", secretHex + ":", "", stamp.ErrUnknownCurve},
		{"0x", "0x" + secretHex, "", stamp.ErrInvalidKey},
		{"empty file", "", "", stamp.ErrInvalidKey},
		{"truncated", secretHex[:50] + ":p256", "", stamp.ErrInvalidKey},
		{"zero", zero32 + ":secp256k1", "", stamp.ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "k.private"), tc.private)
			if tc.public != "" {
				writeFile(t, filepath.Join(dir, "k.public"), tc.public)
			}
			_, err := stamp.LoadKeyFile(dir, "k")
			assert.ErrorIs(t, err, tc.want)
			var se *stamp.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "load key file", se.Op)
			assert.Contains(t, se.Path, dir)
			assertNoSecret(t, err.Error(), tc.private)
		})
	}

	_, err := stamp.LoadKeyFile(t.TempDir(), "missing")
	assert.ErrorIs(t, err, fs.ErrNotExist)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "big.private"), strings.Repeat("a", 70_000))
	_, err = stamp.LoadKeyFile(dir, "big")
	assert.Error(t, err)
}

func TestSaveKeyFileRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	k1, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	k2, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	require.NoError(t, stamp.SaveKeyFile(dir, "k", k1))

	err = stamp.SaveKeyFile(dir, "k", k2)
	assert.ErrorIs(t, err, stamp.ErrKeyExists)
	got, err := stamp.LoadKeyFile(dir, "k")
	require.NoError(t, err)
	assert.Equal(t, k1.PublicKey(), got.PublicKey(), "the first key is untouched")

	// A lone .public (or .private) also blocks, and nothing is written.
	writeFile(t, filepath.Join(dir, "p.public"), k1.PublicKey())
	assert.ErrorIs(t, stamp.SaveKeyFile(dir, "p", k2), stamp.ErrKeyExists)
	_, err = os.Stat(filepath.Join(dir, "p.private"))
	assert.ErrorIs(t, err, fs.ErrNotExist)

	assert.ErrorIs(t, stamp.SaveKeyFile(dir, "nil", nil), stamp.ErrInvalidKey)
	assert.ErrorIs(t, stamp.SaveKeyFile(dir, "zero", new(stamp.APIKey)), stamp.ErrInvalidKey)
}

func TestKeyNames(t *testing.T) {
	k, err := stamp.GenerateAPIKey(stamp.CurveEd25519)
	require.NoError(t, err)
	dir := t.TempDir()
	for _, name := range []string{"", ".", "..", "a/b", `a\b`, "../up", "/abs", "a\x00b", "a\nb", strings.Repeat("n", 201)} {
		assert.ErrorIs(t, stamp.SaveKeyFile(dir, name, k), stamp.ErrInvalidName, "%q", name)
		_, err := stamp.LoadKeyFile(dir, name)
		assert.ErrorIs(t, err, stamp.ErrInvalidName, "%q", name)
		_, err = stamp.LoadKeyMeta(dir, name)
		assert.ErrorIs(t, err, stamp.ErrInvalidName, "%q", name)
	}
	for _, name := range []string{"default", "ci-prod_2", "my.key", "ключ"} {
		require.NoError(t, stamp.SaveKeyFile(dir, name, k), name)
		_, err := stamp.LoadKeyFile(dir, name)
		assert.NoError(t, err, name)
	}
}

func TestDefaultKeysDir(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("XDG_CONFIG_HOME drives the config dir on Linux and macOS only")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	dir, err := stamp.DefaultKeysDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(cfg, "turnkey", "keys"), dir)

	k, err := stamp.GenerateAPIKey(stamp.CurveSecp256k1)
	require.NoError(t, err)
	require.NoError(t, stamp.SaveKeyFile("", stamp.DefaultKeyName, k))
	_, err = os.Stat(filepath.Join(dir, "default.private"))
	require.NoError(t, err)
	got, err := stamp.LoadKeyFile("", stamp.DefaultKeyName)
	require.NoError(t, err)
	assert.Equal(t, k.PublicKey(), got.PublicKey())
}

func TestKeyMeta(t *testing.T) {
	dir := t.TempDir()
	meta := &stamp.KeyMeta{ID: "id-1", Name: "ci", Organizations: []string{"org-1"}, PublicKey: p256OnePub, User: "user-1"}
	require.NoError(t, stamp.SaveKeyMeta(dir, "ci", meta))
	require.NoError(t, stamp.SaveKeyMeta(dir, "ci", meta), "metadata may be replaced")
	got, err := stamp.LoadKeyMeta(dir, "ci")
	require.NoError(t, err)
	assert.Equal(t, meta, got)

	raw, err := os.ReadFile(filepath.Join(dir, "ci.meta"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	assert.Equal(t, p256OnePub, m["public_key"], "the Turnkey CLI's key names")
	if runtime.GOOS != "windows" {
		st, err := os.Stat(filepath.Join(dir, "ci.meta"))
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm())
	}

	// Some CLI versions write the JSON as a base64 JSON string.
	inner, err := json.Marshal(meta)
	require.NoError(t, err)
	writeFile(t, filepath.Join(dir, "old.meta"), `"`+base64.StdEncoding.EncodeToString(inner)+`"`+"\n")
	got, err = stamp.LoadKeyMeta(dir, "old")
	require.NoError(t, err)
	assert.Equal(t, meta, got)

	writeFile(t, filepath.Join(dir, "bad.meta"), "{")
	_, err = stamp.LoadKeyMeta(dir, "bad")
	assert.Error(t, err)
	_, err = stamp.LoadKeyMeta(dir, "none")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}
