package turnkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// stamp_login gives the stamping user a session for a new key.
func TestStampLogin(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	root := s.Root()
	key := newKey(t, stamp.CurveP256)

	res, _, err := c.StampLogin(ctx, gen.StampLoginIntent{PublicKey: key.PublicKey(), ExpirationSeconds: ptr("60")})
	require.NoError(t, err)
	claims, err := s.VerifySessionToken(res.Session)
	require.NoError(t, err)
	require.Equal(t, SessionClaims{Exp: claims.Exp, PublicKey: key.PublicKey(), SessionType: SessionTypeReadWrite,
		UserID: root.UserID, OrganizationID: root.OrganizationID}, claims)
	require.InDelta(t, time.Now().Add(time.Minute).Unix(), claims.Exp, 5)
	whoamiAs(t, s, key, root.OrganizationID, root.UserID)
	verifyAsTurnkeyClients(t, s.SessionTokenPublicKey(), res.Session)

	// The session key is listed as a login key that expires.
	keys, err := c.GetAPIKeys(ctx, gen.GetAPIKeysRequest{})
	require.NoError(t, err)
	var found bool
	for _, k := range keys.APIKeys {
		if k.Credential.PublicKey == key.PublicKey() {
			found = true
			require.Equal(t, gen.CredentialTypeLogin, k.Credential.Type)
			require.Equal(t, "60", *k.ExpirationSeconds)
		}
	}
	require.True(t, found)

	// A session token signed by another key does not verify.
	other, err := newP256Key()
	require.NoError(t, err)
	forged, err := signJWT(other, "", claims, digestTurnkey)
	require.NoError(t, err)
	_, err = s.VerifySessionToken(forged)
	require.Error(t, err)

	_, _, err = c.StampLogin(ctx, gen.StampLoginIntent{PublicKey: "abcd"})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	_, _, err = c.StampLogin(ctx, gen.StampLoginIntent{PublicKey: key.PublicKey(), SessionProfileID: ptr("p")})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
}

// A read-only session token, sent in X-Session, reads but does not write.
func TestReadOnlySession(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	root := s.Root()
	ten := newTenant(t, s, c)

	res, _, err := c.CreateReadOnlySession(ctx, gen.CreateReadOnlySessionIntent{})
	require.NoError(t, err)
	require.Equal(t, root.OrganizationID, res.OrganizationID)
	require.Equal(t, root.UserID, res.UserID)
	require.Equal(t, "root", res.Username)
	claims, err := s.VerifySessionToken(res.Session)
	require.NoError(t, err)
	require.Equal(t, SessionTypeReadOnly, claims.SessionType)
	require.Equal(t, strconv.FormatInt(claims.Exp, 10), res.SessionExpiry)
	require.InDelta(t, time.Now().Add(time.Hour).Unix(), claims.Exp, 5)

	ro := newClient(t, s, sdk.WithStamper(sessionStamper(res.Session)))
	who, err := ro.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, root.UserID, who.UserID)
	// A sub-organization may be read too.
	_, err = ro.ListUsers(ctx, gen.ListUsersRequest{OrganizationID: ten.orgID})
	require.NoError(t, err)
	// No submit.
	_, _, err = ro.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}})
	apiError(t, err, http.StatusForbidden, codePermissionDenied)

	// A sub-organization's session may not read its parent.
	target := newTarget(t)
	_, _, err = c.EmailAuth(ctx, gen.EmailAuthIntentV2{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex()}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	msg, _ := s.LastMessage(aliceEmail)
	alice := newClient(t, s, sdk.WithStamper(bundleKey(t, msg.CredentialBundle, target)), sdk.WithOrganizationID(ten.orgID))
	sub, _, err := alice.CreateReadOnlySession(ctx, gen.CreateReadOnlySessionIntent{})
	require.NoError(t, err)
	require.Equal(t, ten.userID, sub.UserID)
	_, err = newClient(t, s, sdk.WithStamper(sessionStamper(sub.Session)), sdk.WithOrganizationID(ten.orgID)).Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	_, err = newClient(t, s, sdk.WithStamper(sessionStamper(sub.Session))).Whoami(ctx, gen.WhoamiRequest{})
	apiError(t, err, http.StatusForbidden, codePermissionDenied)
	// A read-write session token, a forged one, garbage: 401.
	key := newKey(t, stamp.CurveP256)
	rw, _, err := c.StampLogin(ctx, gen.StampLoginIntent{PublicKey: key.PublicKey()})
	require.NoError(t, err)
	for _, tok := range []string{rw.Session, res.Session + "x", "garbage"} {
		_, err = newClient(t, s, sdk.WithStamper(sessionStamper(tok))).Whoami(ctx, gen.WhoamiRequest{})
		apiError(t, err, http.StatusUnauthorized, codeUnauthenticated)
	}
}

// The outbox is served as JSON on /_local/outbox, outside the API.
func TestOutboxEndpoint(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	init, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: "carol@example.com"})
	require.NoError(t, err)
	_, _, err = c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeSMS, Contact: alicePhone})
	require.NoError(t, err)

	get := func(query string) (int, []Message) {
		resp, err := http.Get(s.OutboxURL() + query)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body struct {
			Messages []Message `json:"messages"`
		}
		if resp.StatusCode == http.StatusOK {
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		}
		return resp.StatusCode, body.Messages
	}
	code, all := get("")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, all, 2)
	code, mine := get("?to=CAROL@example.com")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, mine, 1)
	require.Equal(t, init.OtpID, mine[0].OtpID)
	require.Equal(t, mustMessage(t, s, init.OtpID).Code, mine[0].Code)
	code, _ = get("?to=nobody@example.com")
	require.Equal(t, http.StatusOK, code)

	resp, err := http.Post(s.URL+"/_local/outbox", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, err = http.Get(s.URL + "/_local/nothing")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// WithAuthKeys keeps the token keys across servers: a session token of one
// verifies with the other.
func TestWithAuthKeys(t *testing.T) {
	sk, err := newP256Key()
	require.NoError(t, err)
	ok, err := newP256Key()
	require.NoError(t, err)
	a := newServer(t, WithAuthKeys(sk, ok))
	b := newServer(t, WithAuthKeys(sk, ok))
	require.Equal(t, a.SessionTokenPublicKey(), b.SessionTokenPublicKey())
	require.Equal(t, a.OIDCIssuerPublicKey(), b.OIDCIssuerPublicKey())
	require.Equal(t, a.auth.oidcKid, b.auth.oidcKid)
	require.NotEqual(t, a.SessionTokenPublicKey(), newServer(t).SessionTokenPublicKey())

	res, _, err := newClient(t, a).CreateReadOnlySession(testContext(t), gen.CreateReadOnlySessionIntent{})
	require.NoError(t, err)
	_, err = b.VerifySessionToken(res.Session)
	require.NoError(t, err)
	_, err = newServer(t).VerifySessionToken(res.Session)
	require.Error(t, err)

	k256, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	_, err = NewServer(WithAuthKeys(k256, nil))
	require.Error(t, err)
}

// A user has at most 10 expiring keys: the 11th login deletes the oldest.
func TestExpiringKeyLimit(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	root := s.Root()
	var keys []*stamp.APIKey
	for i := range 11 {
		k := newKey(t, stamp.CurveP256)
		keys = append(keys, k)
		_, _, err := c.StampLogin(ctx, gen.StampLoginIntent{PublicKey: k.PublicKey(), ExpirationSeconds: ptr(strconv.Itoa(60 + i))})
		require.NoError(t, err)
	}
	_, err := newClient(t, s, sdk.WithStamper(keys[0])).Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)
	for _, k := range keys[1:] {
		whoamiAs(t, s, k, root.OrganizationID, root.UserID)
	}
	all, err := c.GetAPIKeys(ctx, gen.GetAPIKeysRequest{})
	require.NoError(t, err)
	expiring := 0
	for _, k := range all.APIKeys {
		if k.ExpirationSeconds != nil {
			expiring++
		}
	}
	require.Equal(t, 10, expiring)
}

// verifyAsTurnkeyClients checks a session token the way Turnkey's client
// libraries do (verifySessionJwtSignature in @turnkey/crypto), written
// apart from the simulator's code: ES256 header, P-256 signature r ‖ s over
// sha256(sha256(header "." payload)) by the uncompressed public key pubHex.
func verifyAsTurnkeyClients(t *testing.T, pubHex, token string) {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	require.JSONEq(t, `{"alg":"ES256","typ":"JWT"}`, string(header))
	raw, err := hex.DecodeString(pubHex)
	require.NoError(t, err)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	require.NoError(t, err)
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	require.Len(t, sig, 64)
	h1 := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	h2 := sha256.Sum256(h1[:])
	require.True(t, ecdsa.Verify(pub, h2[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])))
}
