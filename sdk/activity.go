package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/turnkey-go/turnkey/gen"
)

// query sends req to op for organization org, decoding the answer into out.
func (c *Client) query(ctx context.Context, cc *callConfig, op *route, org string, req, out any) error {
	if org == "" && cc.err == nil {
		return ErrNoOrganization
	}
	return c.post(ctx, cc, op, req, out)
}

// post encodes req once (encodeRequest: the bytes encoding/json would write,
// as the generated client's own request builders do) and sends it to op,
// decoding the answer into out.
func (c *Client) post(ctx context.Context, cc *callConfig, op *route, req, out any) error {
	if cc.err != nil {
		return cc.err
	}
	body, err := encodeRequest(&op.Operation, req)
	if err != nil {
		return err
	}
	return c.send(ctx, cc, op, body, out)
}

// submit sends a submit request and waits for its activity as cc says. The
// body is encoded once: a retried attempt resends the same bytes, with the
// same timestampMs, so Turnkey answers with the same activity.
func (c *Client) submit(ctx context.Context, cc *callConfig, op *route, org string, req any) (*gen.Activity, error) {
	if cc.err != nil {
		return nil, cc.err
	}
	if org == "" {
		return nil, ErrNoOrganization
	}
	body, err := encodeRequest(&op.Operation, req)
	if err != nil {
		return nil, err
	}
	return c.sendSubmit(ctx, cc, op, body)
}

// resultOf returns a submit's typed result. A nil result is an error only if
// the activity completed.
func resultOf[R any](act *gen.Activity, op *route, r *R) (*R, *gen.Activity, error) {
	if r == nil && act.Status == gen.ActivityStatusCompleted {
		return nil, act, fmt.Errorf("%w: %s lacks result.%s", ErrMissingResult, op.Name, op.Result)
	}
	return r, act, nil
}

// ActivityRequest is a submit of any activity type and version, for the
// escape hatch SubmitActivity.
type ActivityRequest struct {
	// Endpoint is the submit's name ("create_sub_organization") or path.
	Endpoint string
	// Type is the activity type and version to send, e.g.
	// "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V6".
	Type string
	// Parameters is the intent, encoded as JSON.
	Parameters any
	// ResultField, if set, names the property of activity.result to decode
	// into Result, e.g. "createSubOrganizationResultV6".
	ResultField string
	// Result receives activity.result.<ResultField> (a pointer).
	Result any
}

// SubmitActivity sends an activity of any type and version, for activities or
// versions this client's spec does not know yet. It fills in timestampMs and
// the organization, waits like the typed methods, and decodes the named
// result into req.Result.
func (c *Client) SubmitActivity(ctx context.Context, req ActivityRequest, opts ...CallOption) (*gen.Activity, error) {
	if req.Endpoint == "" || req.Type == "" {
		return nil, errors.New("sdk: SubmitActivity: Endpoint and Type are required")
	}
	cc := c.callConfig(opts)
	path := pathFor(KindSubmit, req.Endpoint)
	op := &route{Operation{Name: req.Endpoint, Path: path, Kind: KindSubmit,
		ActivityType: req.Type, Result: req.ResultField}, sendTo(path), decodeActivities}
	var raw []byte
	if req.Result != nil {
		cc.raw = &raw
	}
	body := struct {
		Type           string `json:"type"`
		TimestampMs    string `json:"timestampMs"`
		OrganizationID string `json:"organizationId"`
		Parameters     any    `json:"parameters"`
	}{req.Type, c.timestamp(), cc.organizationID, req.Parameters}
	act, err := c.submit(ctx, cc, op, cc.organizationID, &body)
	if err != nil || req.Result == nil || act.Status != gen.ActivityStatusCompleted {
		return act, err
	}
	var env struct {
		Activity struct {
			Result map[string]json.RawMessage `json:"result"`
		} `json:"activity"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return act, fmt.Errorf("sdk: %s: decode result: %w", op.Name, err)
	}
	field, ok := env.Activity.Result[req.ResultField]
	if !ok {
		return act, fmt.Errorf("%w: %s lacks result.%s", ErrMissingResult, op.Name, req.ResultField)
	}
	if err := json.Unmarshal(field, req.Result); err != nil {
		return act, fmt.Errorf("sdk: %s: decode result.%s: %w", op.Name, req.ResultField, err)
	}
	return act, nil
}

// Query calls any query endpoint by name ("get_wallet") or path, encoding req
// and decoding the answer into resp (a pointer). The request's organization
// is not filled in: set it in req.
func (c *Client) Query(ctx context.Context, endpoint string, req, resp any, opts ...CallOption) error {
	path := pathFor(KindQuery, endpoint)
	op := &route{Operation{Name: endpoint, Path: path, Kind: KindQuery}, sendTo(path), decodeAnswer}
	return c.post(ctx, c.callConfig(opts), op, req, resp)
}

// ActivityIntent returns the member of act's intent that is set, named after
// the activity type and version (e.g. "createSubOrganizationIntentV8"), and
// its JSON. It works for activities of every type and version, including
// those this client's spec does not know yet (created by a newer client):
// their intent is kept, as raw JSON, in act.Intent.AdditionalProperties.
// ok is false when no member is set. Turnkey sets exactly one; should there
// be several, the first by name is returned.
func ActivityIntent(act *gen.Activity) (member string, raw json.RawMessage, ok bool) {
	if act == nil {
		return "", nil, false
	}
	return onlyMember(act.Intent)
}

// ActivityResult is ActivityIntent for act's result: the member of
// act.Result that is set (e.g. "createSubOrganizationResultV8") and its JSON,
// known to this client's spec or not. ok is false for an activity without a
// result (not completed, or a vote).
func ActivityResult(act *gen.Activity) (member string, raw json.RawMessage, ok bool) {
	if act == nil {
		return "", nil, false
	}
	return onlyMember(act.Result)
}

// onlyMember encodes v (a gen.Intent or gen.Result, whose generated
// MarshalJSON writes the known members and AdditionalProperties alike) and
// returns its first member by name.
func onlyMember(v any) (string, json.RawMessage, bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", nil, false
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil || len(members) == 0 {
		return "", nil, false
	}
	names := make([]string, 0, len(members))
	for k := range members {
		names = append(names, k)
	}
	sort.Strings(names)
	return names[0], members[names[0]], true
}
