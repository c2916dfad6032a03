package enclave

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretHolders returns one value of each secret-holding type, with the
// strings that must never appear when it is printed or logged.
func secretHolders(t *testing.T) map[string]struct {
	v       any
	secrets []string
} {
	s, target := testSigner(t), testTarget(t)

	bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), mustHex(t, testKeyHex))
	require.NoError(t, err)
	sk, err := DecryptCredentialBundle(bundle, target)
	require.NoError(t, err)

	wallet, err := DecryptExportBundle(sealExport(t, s, target, []byte(testMnemonic)), target, testOrg, pin(s))
	require.NoError(t, err)
	key, err := DecryptExportBundle(sealExport(t, s, target, mustHex(t, testKeyHex)), target, testOrg, pin(s))
	require.NoError(t, err)

	return map[string]struct {
		v       any
		secrets []string
	}{
		"SecretKey":     {sk, []string{testKeyHex}},
		"Export/wallet": {wallet, []string{"abandon", "about"}},
		"Export/key":    {key, []string{testKeyHex}},
		"TargetKey":     {target, []string{testTargetHex}},
		"Signer":        {s, []string{testSignerHex}},
	}
}

// dumpRE matches what fmt prints when it dumps memory by reflection: a
// dereferenced slice or array, or a bracketed run of numbers (bytes or
// big.Int words, in any base). A lone number is an address, not a dump.
var dumpRE = regexp.MustCompile(`&\[|\[[0-9a-fA-F]+( [0-9a-fA-F]+){3,}\]`)

// leaks reports whether out contains a secret, in plain form, as hex, or as
// a reflection dump.
func leaks(out string, secrets []string) bool {
	lower := strings.ToLower(out)
	for _, s := range secrets {
		if strings.Contains(lower, strings.ToLower(s)) || strings.Contains(lower, fmt.Sprintf("%x", s)) {
			return true
		}
	}
	return dumpRE.MatchString(out)
}

func TestSecretsRedactedByFmt(t *testing.T) {
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"}
	for name, h := range secretHolders(t) {
		t.Run(name, func(t *testing.T) {
			// Pointer, value, and nested in structs (exported and
			// unexported fields), in slices and maps.
			deref := derefValue(h.v)
			type wrapper struct {
				Exported any
				hidden   any
			}
			values := []any{
				h.v, deref,
				wrapper{Exported: h.v, hidden: h.v},
				wrapper{Exported: deref, hidden: deref},
				[]any{h.v, deref},
				map[string]any{"k": h.v, "v": deref},
			}
			for _, v := range values {
				for _, verb := range verbs {
					out := fmt.Sprintf(verb, v)
					assert.False(t, leaks(out, h.secrets), "%s of %T leaked: %s", verb, v, out)
				}
				assert.False(t, leaks(fmt.Sprint(v), h.secrets))
				assert.False(t, leaks(fmt.Sprintln(v), h.secrets))
			}
			assert.Contains(t, fmt.Sprintf("%v", h.v), "REDACTED")
			assert.Contains(t, fmt.Sprintf("%+v", deref), "REDACTED")
			assert.Contains(t, fmt.Sprintf("%#v", h.v), "REDACTED")
			assert.Contains(t, fmt.Sprintf("%s", deref), "REDACTED")
			assert.Contains(t, h.v.(fmt.Stringer).String(), "REDACTED")
			assert.Contains(t, h.v.(fmt.GoStringer).GoString(), "REDACTED")
		})
	}
}

func derefValue(v any) any {
	switch p := v.(type) {
	case *SecretKey:
		return *p
	case *Export:
		return *p
	case *TargetKey:
		return *p
	case *Signer:
		return *p
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

func TestSecretsRedactedBySlog(t *testing.T) {
	for name, h := range secretHolders(t) {
		t.Run(name, func(t *testing.T) {
			for _, handler := range []string{"text", "json"} {
				var buf bytes.Buffer
				var logger *slog.Logger
				if handler == "text" {
					logger = slog.New(slog.NewTextHandler(&buf, nil))
				} else {
					logger = slog.New(slog.NewJSONHandler(&buf, nil))
				}
				logger.Info("secret", "ptr", h.v, "val", derefValue(h.v),
					slog.Any("nested", struct{ S any }{h.v}),
					slog.Group("g", "s", h.v))
				out := buf.String()
				assert.False(t, leaks(out, h.secrets), "%s handler leaked: %s", handler, out)
				assert.Contains(t, out, "REDACTED")
			}
			lv, ok := h.v.(slog.LogValuer)
			require.True(t, ok)
			assert.Contains(t, lv.LogValue().String(), "REDACTED")
		})
	}
}

func TestSecretsRedactedByJSON(t *testing.T) {
	for name, h := range secretHolders(t) {
		t.Run(name, func(t *testing.T) {
			out, err := json.Marshal(map[string]any{"ptr": h.v, "val": derefValue(h.v)})
			require.NoError(t, err)
			assert.False(t, leaks(string(out), h.secrets), "%s", out)
			assert.Contains(t, string(out), "REDACTED")
		})
	}
}

func TestAccessorsStillReveal(t *testing.T) {
	h := secretHolders(t)
	assert.Equal(t, testKeyHex, h["SecretKey"].v.(*SecretKey).PrivateKeyHex())
	assert.Equal(t, testMnemonic, h["Export/wallet"].v.(*Export).Mnemonic())
	assert.Equal(t, testKeyHex, h["Export/key"].v.(*Export).PrivateKeyHex())
	assert.Equal(t, testTargetHex, h["TargetKey"].v.(*TargetKey).PrivateKeyHex())
	assert.Equal(t, testSignerHex, h["Signer"].v.(*Signer).PrivateKeyHex())
}

// Errors for every failure mode reachable with secrets in play never carry
// them.
func TestErrorsNeverContainSecrets(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	secrets := []string{testMnemonic, "abandon", testKeyHex, testTargetHex, testSignerHex}

	var errs []error
	export := sealExport(t, s, target, []byte(testMnemonic))
	_, err := DecryptExportBundle(export, testOtherTarget(t), testOrg, pin(s))
	errs = append(errs, err)
	_, err = DecryptExportBundle(export, target, "x", pin(s))
	errs = append(errs, err)
	_, err = DecryptExportBundle(export, target, testOrg)
	errs = append(errs, err)

	cred, err := EncryptCredentialBundle(target.PublicKeyHex(), []byte(testMnemonic))
	require.NoError(t, err)
	_, err = DecryptCredentialBundle(cred, target) // plaintext is not a key
	errs = append(errs, err)

	_, importBundle, _ := newImport(t)
	_, err = EncryptPrivateKeyForImport(importBundle, "0x"+testKeyHex+"zz", testOrg, testUser, pin(s))
	errs = append(errs, err)
	_, err = EncryptMnemonicForImport(importBundle, testMnemonic, testOrg, "nobody", pin(s))
	errs = append(errs, err)
	_, err = ParseTargetKey(testTargetHex + "g")
	errs = append(errs, err)
	_, err = ParseSigner(testSignerHex[:60])
	errs = append(errs, err)

	for _, err := range errs {
		require.Error(t, err)
		for _, v := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.False(t, leaks(v, secrets), "error leaked a secret: %s", v)
		}
	}
}

func TestParseKeys(t *testing.T) {
	k, err := ParseTargetKey("0x" + testTargetHex)
	require.NoError(t, err)
	assert.Equal(t, testTargetHex, k.PrivateKeyHex())
	assert.Len(t, mustHex(t, k.PublicKeyHex()), 65)

	s, err := ParseSigner(testSignerHex)
	require.NoError(t, err)
	assert.Equal(t, testSignerHex, s.PrivateKeyHex())
	assert.Equal(t, "04", s.PublicKeyHex()[:2])

	n := "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551" // the P-256 order
	for _, bad := range []string{"", "zz", "00", strings.Repeat("00", 32), n, testTargetHex + "00"} {
		_, err := ParseTargetKey(bad)
		requireKind(t, err, ErrBadPrivateKey)
		_, err = ParseSigner(bad)
		requireKind(t, err, ErrBadPrivateKey)
	}
}

// The leak detector is not vacuous: it flags the raw types this package
// deliberately wraps.
func TestLeakDetectorCatchesRawKeys(t *testing.T) {
	target := testTarget(t)
	type wrapper struct{ hidden any }
	raw := target.priv.get()
	assert.True(t, leaks(fmt.Sprintf("%s", wrapper{raw}), nil))
	assert.True(t, leaks(fmt.Sprintf("%v", wrapper{[]byte(testMnemonic)}), nil))
	assert.True(t, leaks(fmt.Sprintf("%x", mustHex(t, testKeyHex)), []string{testKeyHex}))
}

func TestRedactedOutputs(t *testing.T) {
	h := secretHolders(t)
	sk := h["SecretKey"].v.(*SecretKey)
	assert.Equal(t, "enclave.SecretKey(REDACTED)", fmt.Sprintf("%v", sk))
	assert.Equal(t, "enclave.SecretKey(REDACTED)", fmt.Sprintf("%#v", *sk))
	assert.Equal(t, "enclave.Export(REDACTED)", fmt.Sprintf("%+v", h["Export/wallet"].v))
	assert.Equal(t, "enclave.TargetKey(REDACTED)", fmt.Sprintf("%s", h["TargetKey"].v))
	assert.Equal(t, "enclave.Signer(REDACTED)", fmt.Sprintf("%q", h["Signer"].v))
	var nilKey *SecretKey
	assert.Equal(t, "<nil>", fmt.Sprintf("%v", nilKey))
}
