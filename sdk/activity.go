package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/turnkey-go/turnkey/gen"
)

// query sends req to op for organization org, decoding the answer into out.
func (c *Client) query(ctx context.Context, cc *callConfig, op *route, org string, req, out any) error {
	if org == "" && cc.err == nil {
		return ErrNoOrganization
	}
	return c.post(ctx, cc, op, req, out)
}

// post marshals req once, with encoding/json as the generated client's own
// request builders do, and sends it to op, decoding the answer into out.
func (c *Client) post(ctx context.Context, cc *callConfig, op *route, req, out any) error {
	if cc.err != nil {
		return cc.err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("turnkey: %s: encode request: %w", op.Name, err)
	}
	return c.send(ctx, cc, op, body, out)
}

// submit sends a submit request and waits for its activity as cc says. The
// body is encoded once: a retried attempt resends the same bytes, with the
// same timestampMs, so Turnkey answers with the same activity.
func (c *Client) submit(ctx context.Context, cc *callConfig, op *route, org string, req any) (*gen.Activity, error) {
	var out gen.ActivityResponse
	if err := c.query(ctx, cc, op, org, req, &out); err != nil {
		return nil, err
	}
	act := &out.Activity
	if cc.noWait {
		// A status that is already final still counts; only waiting is skipped.
		_, err := settled(act, cc.poll.KeepWaitingOnConsensus)
		return act, err
	}
	return c.wait(ctx, cc, act)
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
		return act, fmt.Errorf("turnkey: %s: decode result: %w", op.Name, err)
	}
	field, ok := env.Activity.Result[req.ResultField]
	if !ok {
		return act, fmt.Errorf("%w: %s lacks result.%s", ErrMissingResult, op.Name, req.ResultField)
	}
	if err := json.Unmarshal(field, req.Result); err != nil {
		return act, fmt.Errorf("turnkey: %s: decode result.%s: %w", op.Name, req.ResultField, err)
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
