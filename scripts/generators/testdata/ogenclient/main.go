// Command ogenclient is built by scripts/check-generators.sh against a client that
// ogen generates from api/openapi.yaml (package tk, copied beside it). It proves
// that a strict generated client works with the spec as other teams use it:
//
//  1. against the simulator (turnkeytest): whoami, create_wallet and get_activity,
//     stamped by a transport that signs the exact body bytes;
//  2. request enums still constrain: the generated Curve type refuses an unknown
//     curve (and the simulator answers 400 if it is sent anyway);
//  3. answers tolerate values the spec does not know: get_activity decodes an
//     activity whose type and status are new values, served by a loopback server.
//
// It exits non-zero with a message on the first failure.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

	"github.com/ogen-go/ogen/ogenerrors"
	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"

	"ogencheck/tk"
)

// security leaves the stamp to stampTransport: ogen's security hook never sees
// the body, and a Turnkey stamp is a signature over it.
type security struct{}

func (security) ApiKeyAuth(context.Context, tk.OperationName) (tk.ApiKeyAuth, error) {
	return tk.ApiKeyAuth{APIKey: "set-by-transport"}, nil
}

func (security) AuthenticatorAuth(context.Context, tk.OperationName) (tk.AuthenticatorAuth, error) {
	return tk.AuthenticatorAuth{}, ogenerrors.ErrSkipClientSecurity
}

// stampTransport replaces X-Stamp with a stamp of the exact body bytes.
type stampTransport struct {
	key  *stamp.APIKey
	next http.RoundTripper
}

func (t stampTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	header, value, err := t.key.Stamp(r.Context(), body)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set(header, value)
	return t.next.RoundTrip(r)
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ogenclient: FAIL:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	sim, err := turnkeytest.NewServer()
	if err != nil {
		return err
	}
	defer sim.Close()
	root := sim.Root()
	hc := &http.Client{Transport: stampTransport{key: root.APIKey, next: http.DefaultTransport}, Timeout: 10 * time.Second}
	c, err := tk.NewClient(sim.URL, security{}, tk.WithClient(hc))
	if err != nil {
		return err
	}

	who, err := c.Whoami(ctx, &tk.WhoamiRequest{OrganizationId: root.OrganizationID})
	if err != nil {
		return fmt.Errorf("whoami: %w", err)
	}
	if who.UserId != root.UserID {
		return fmt.Errorf("whoami: user %q, want %q", who.UserId, root.UserID)
	}
	fmt.Println("ok   whoami against the simulator:", who.Username)

	account := tk.WalletAccountParams{
		Curve:         tk.CurveCURVESECP256K1,
		PathFormat:    tk.PathFormatPATHFORMATBIP32,
		Path:          "m/44'/60'/0'/0/0",
		AddressFormat: tk.AddressFormatADDRESSFORMATETHEREUM,
	}
	created, err := c.CreateWallet(ctx, &tk.CreateWalletRequest{
		Type:           tk.CreateWalletRequestTypeACTIVITYTYPECREATEWALLET,
		TimestampMs:    strconv.FormatInt(time.Now().UnixMilli(), 10),
		OrganizationId: root.OrganizationID,
		Parameters:     tk.CreateWalletIntent{WalletName: "ogen wallet", Accounts: []tk.WalletAccountParams{account}},
	})
	if err != nil {
		return fmt.Errorf("create_wallet: %w", err)
	}
	act := created.Activity
	res, ok := act.Result.CreateWalletResult.Get()
	if act.Status != "ACTIVITY_STATUS_COMPLETED" || !ok || res.WalletId == "" || len(res.Addresses) != 1 {
		return fmt.Errorf("create_wallet: status %s, result %+v", act.Status, res)
	}
	fmt.Println("ok   create_wallet against the simulator:", res.Addresses[0])

	got, err := c.GetActivity(ctx, &tk.GetActivityRequest{OrganizationId: root.OrganizationID, ActivityId: act.ID})
	if err != nil {
		return fmt.Errorf("get_activity: %w", err)
	}
	if got.Activity.ID != act.ID || got.Activity.Type != "ACTIVITY_TYPE_CREATE_WALLET" {
		return fmt.Errorf("get_activity: got %s %s", got.Activity.ID, got.Activity.Type)
	}
	fmt.Println("ok   get_activity against the simulator:", got.Activity.Type)

	// Request enums are closed: the generated enum type refuses a curve the
	// spec does not list (ogen validates answers, not requests, so the
	// simulator's 400 is the second line of defence).
	bad := account
	bad.Curve = "CURVE_NOT_IN_THE_SPEC"
	if err := bad.Curve.Validate(); err == nil {
		return errors.New("tk.Curve accepts a curve the spec does not list")
	}
	_, err = c.CreateWallet(ctx, &tk.CreateWalletRequest{
		Type:           tk.CreateWalletRequestTypeACTIVITYTYPECREATEWALLET,
		TimestampMs:    strconv.FormatInt(time.Now().UnixMilli(), 10),
		OrganizationId: root.OrganizationID,
		Parameters:     tk.CreateWalletIntent{WalletName: "never created", Accounts: []tk.WalletAccountParams{bad}},
	})
	var status *tk.ErrorStatusCode
	if !errors.As(err, &status) || status.StatusCode != http.StatusBadRequest {
		return fmt.Errorf("create_wallet with an unknown curve: %v, want HTTP 400", err)
	}
	fmt.Println("ok   an unknown curve: tk.Curve.Validate refuses it, and so does the simulator (HTTP 400)")

	// Answers are open: the same activity with a type and a status that Turnkey
	// may add after this spec was written decodes without error.
	raw, err := rawActivity(ctx, sim.URL, root, act.ID)
	if err != nil {
		return err
	}
	raw["type"] = "ACTIVITY_TYPE_SOMETHING_NEW_V9"
	raw["status"] = "ACTIVITY_STATUS_SOMETHING_NEW"
	answer, err := json.Marshal(map[string]any{"activity": raw})
	if err != nil {
		return err
	}
	future := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer future.Close()
	fc, err := tk.NewClient(future.URL, security{}, tk.WithClient(hc))
	if err != nil {
		return err
	}
	decoded, err := fc.GetActivity(ctx, &tk.GetActivityRequest{OrganizationId: root.OrganizationID, ActivityId: act.ID})
	if err != nil {
		return fmt.Errorf("get_activity with an unknown type and status: %w", err)
	}
	if decoded.Activity.Type != "ACTIVITY_TYPE_SOMETHING_NEW_V9" || decoded.Activity.Status != "ACTIVITY_STATUS_SOMETHING_NEW" {
		return fmt.Errorf("unknown values decoded as %q / %q", decoded.Activity.Type, decoded.Activity.Status)
	}
	fmt.Println("ok   an activity with an unknown type and status decodes:", decoded.Activity.Type, decoded.Activity.Status)
	return nil
}

// rawActivity fetches an activity as plain JSON, to edit it.
func rawActivity(ctx context.Context, base string, root turnkeytest.Root, id string) (map[string]any, error) {
	body, _ := json.Marshal(map[string]string{"organizationId": root.OrganizationID, "activityId": id})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/public/v1/query/get_activity", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	h, v, err := root.APIKey.Stamp(ctx, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set(h, v)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Activity map[string]any `json:"activity"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Activity == nil {
		return nil, fmt.Errorf("get_activity as JSON: HTTP %d, %v", resp.StatusCode, err)
	}
	return out.Activity, nil
}
