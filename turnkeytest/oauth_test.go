package turnkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// Turnkey's documented example: the nonce of public key 0394e5… is
// 1663bb…, the SHA-256 of the key's hex string.
func TestOIDCNonce(t *testing.T) {
	require.Equal(t, "1663bba492a323085b13895634a3618792c4ec6896f3c34ef3c26396df22ef82",
		OIDCNonce("0394e549c71fa99dd5cf752fba623090be314949b74e4cdf7ca72031dd638e281a"))
}

// oauth_login with an ID token of the test issuer → session → whoami;
// oauth → credential bundle → whoami.
func TestOAuthFlows(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	key := newKey(t, stamp.CurveP256)
	tok, err := s.MintIDToken(IDToken{Subject: oauthSub, Audience: oauthAud, Nonce: OIDCNonce(key.PublicKey()), Email: aliceEmail})
	require.NoError(t, err)
	login, _, err := c.OauthLogin(ctx, gen.OauthLoginIntent{OidcToken: tok, PublicKey: key.PublicKey()}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	claims, err := s.VerifySessionToken(login.Session)
	require.NoError(t, err)
	require.Equal(t, ten.userID, claims.UserID)
	require.Equal(t, key.PublicKey(), claims.PublicKey)
	whoamiAs(t, s, key, ten.orgID, ten.userID)

	target := newTarget(t)
	tok2, err := s.MintIDToken(IDToken{Subject: oauthSub, Audience: oauthAud, Nonce: OIDCNonce(target.PublicKeyHex())})
	require.NoError(t, err)
	res, _, err := c.Oauth(ctx, gen.OauthIntent{OidcToken: tok2, TargetPublicKey: target.PublicKeyHex()}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	require.Equal(t, ten.userID, res.UserID)
	whoamiAs(t, s, bundleKey(t, res.CredentialBundle, target), ten.orgID, ten.userID)
	k, err := c.GetAPIKey(ctx, gen.GetAPIKeyRequest{OrganizationID: ten.orgID, APIKeyID: res.APIKeyID})
	require.NoError(t, err)
	require.Equal(t, gen.CredentialTypeOauthKeyP256, k.APIKey.Credential.Type)
	require.True(t, strings.HasPrefix(k.APIKey.APIKeyName, "Oauth - "), k.APIKey.APIKeyName)
}

func TestOAuthTokenErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	key := newKey(t, stamp.CurveP256)
	nonce := OIDCNonce(key.PublicKey())
	login := func(tok string) error {
		_, _, err := c.OauthLogin(ctx, gen.OauthLoginIntent{OidcToken: tok, PublicKey: key.PublicKey()}, sdk.WithOrganization(ten.orgID))
		return err
	}
	mint := func(id IDToken) string {
		tok, err := s.MintIDToken(id)
		require.NoError(t, err)
		return tok
	}

	// Another audience: no user has that provider.
	require.Contains(t, failure(t, login(mint(IDToken{Subject: oauthSub, Audience: "other-client", Nonce: nonce})), codeNotFound), "audience other-client")
	// A nonce for another key.
	require.Contains(t, failure(t, login(mint(IDToken{Subject: oauthSub, Audience: oauthAud, Nonce: OIDCNonce("02ff")})), codeUnauthenticated), "nonce")
	// No nonce.
	require.Contains(t, failure(t, login(mint(IDToken{Subject: oauthSub, Audience: oauthAud})), codeUnauthenticated), "nonce")
	// Expired.
	old := time.Now().Add(-2 * time.Hour)
	require.Contains(t, failure(t, login(mint(IDToken{Subject: oauthSub, Audience: oauthAud, Nonce: nonce, IssuedAt: old})), codeUnauthenticated), "expired")
	// A bad signature: the signature of another token.
	a := strings.Split(mint(IDToken{Subject: oauthSub, Audience: oauthAud, Nonce: nonce}), ".")
	b := strings.Split(mint(IDToken{Subject: "someone-else", Audience: oauthAud, Nonce: nonce}), ".")
	require.Contains(t, failure(t, login(a[0]+"."+a[1]+"."+b[2]), codeUnauthenticated), "signature")
	// An issuer the simulator does not trust.
	other, err := newP256Key()
	require.NoError(t, err)
	google, err := signJWT(other, "", idTokenClaims{Iss: "https://accounts.google.com", Sub: oauthSub, Aud: oauthAud,
		Exp: time.Now().Add(time.Hour).Unix(), Nonce: nonce}, digestES256)
	require.NoError(t, err)
	require.Contains(t, failure(t, login(google), codeUnauthenticated), "not trusted")
	// Not a JWT: 400, no activity.
	apiError(t, login("not-a-token"), http.StatusBadRequest, codeInvalidArgument)

	// The tknonce claim is accepted in place of nonce.
	alt, err := signJWT(s.auth.oidcKey, s.auth.oidcKid, idTokenClaims{Iss: s.OIDCIssuer(), Sub: oauthSub, Aud: oauthAud,
		Exp: time.Now().Add(time.Hour).Unix(), Tknonce: nonce}, digestES256)
	require.NoError(t, err)
	require.NoError(t, login(alt))
}

// The test issuer's discovery document and JWKS are served, and verify its
// tokens with standard ES256.
func TestOIDCIssuerJWKS(t *testing.T) {
	s := newServer(t)
	get := func(path string, v any) {
		resp, err := http.Get(path)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	get(s.OIDCIssuer()+"/.well-known/openid-configuration", &disc)
	require.Equal(t, s.OIDCIssuer(), disc.Issuer)
	var jwks struct {
		Keys []struct{ Kty, Crv, Kid, X, Y string } `json:"keys"`
	}
	get(disc.JWKSURI, &jwks)
	require.Len(t, jwks.Keys, 1)
	jk := jwks.Keys[0]
	require.Equal(t, "EC", jk.Kty)
	require.Equal(t, "P-256", jk.Crv)

	tok, err := s.MintIDToken(IDToken{Subject: "s", Audience: "a", Nonce: "n"})
	require.NoError(t, err)
	parts := strings.Split(tok, ".")
	dec := base64.RawURLEncoding.DecodeString
	x, err := dec(jk.X)
	require.NoError(t, err)
	y, err := dec(jk.Y)
	require.NoError(t, err)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	require.NoError(t, err)
	sig, err := dec(parts[2])
	require.NoError(t, err)
	h := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.True(t, ecdsa.Verify(pub, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])))
	var header struct{ Alg, Kid string }
	raw, err := dec(parts[0])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &header))
	require.Equal(t, "ES256", header.Alg)
	require.Equal(t, jk.Kid, header.Kid)
	require.Equal(t, s.OIDCIssuerPublicKey()[2:66], hex.EncodeToString(x))
}

// POST /_local/oidc/token mints ID tokens for clients in any language.
func TestMintIDTokenEndpoint(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	key := newKey(t, stamp.CurveP256)
	mint := func(body string) (int, string) {
		resp, err := http.Post(s.OIDCIssuer()+"/token", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out struct {
			IDToken string `json:"idToken"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out.IDToken
	}
	code, tok := mint(`{"sub":"` + oauthSub + `","aud":"` + oauthAud + `","nonce":"` + OIDCNonce(key.PublicKey()) + `"}`)
	require.Equal(t, http.StatusOK, code)
	_, _, err := c.OauthLogin(ctx, gen.OauthLoginIntent{OidcToken: tok, PublicKey: key.PublicKey()}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	whoamiAs(t, s, key, ten.orgID, ten.userID)

	code, tok = mint(`{"sub":"` + oauthSub + `","aud":"` + oauthAud + `","nonce":"` + OIDCNonce(key.PublicKey()) + `","expiresInSeconds":-60}`)
	require.Equal(t, http.StatusOK, code)
	_, _, err = c.OauthLogin(ctx, gen.OauthLoginIntent{OidcToken: tok, PublicKey: key.PublicKey()}, sdk.WithOrganization(ten.orgID))
	require.Contains(t, failure(t, err, codeUnauthenticated), "expired")

	code, _ = mint(`{"aud":"x"}`)
	require.Equal(t, http.StatusBadRequest, code)
	code, _ = mint(`not json`)
	require.Equal(t, http.StatusBadRequest, code)
	resp, err := http.Get(s.OIDCIssuer() + "/token")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
