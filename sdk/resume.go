package sdk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
)

// SubmitError is the error of a submit whose outcome is not known: its
// retries ran out, it met a transport error, or the wait for its activity
// ran out or ended on an error. The activity may exist and may even have
// completed. SubmitError carries what is needed to go on without creating a
// second activity: the activity ID when an answer named one, the fingerprint
// of the exact request body, and Resume.
//
// Do not call the same method again with the same parameters: it stamps a
// new timestampMs, which Turnkey treats as a new activity. Call Resume
// instead, as many times as needed.
//
// An answer that settles the activity (FAILED, REJECTED, CONSENSUS_NEEDED)
// is an *ActivityError, not a SubmitError; a submit refused with an answer
// retrying cannot change (400, 401, 403, 404, 501, a 3xx) is a bare
// *APIError, since no activity was created; an error before anything was
// sent (a bad option, no organization) is returned as is. errors.Is and errors.As
// reach Err and what it wraps (*APIError, *TransportError, *WaitError,
// context errors).
type SubmitError struct {
	Operation string // e.g. "create_wallet"
	// ActivityID is the activity's ID, or "" if no answer named one (the
	// submit may still have been applied).
	ActivityID string
	// Activity is the last state of the activity seen, or nil.
	Activity *gen.Activity
	// Fingerprint is "sha256:" and the hex SHA-256 of the exact request
	// body, the form of Turnkey's activity fingerprints.
	Fingerprint string
	// TimestampMs is the request's timestampMs.
	TimestampMs string
	// Err is the error that ended the submit.
	Err error

	resume  func(context.Context) (*gen.Activity, error)
	body    []byte
	session func(*gen.Activity) (*Session, error)        // set by CreateReadWriteSession
	export  func(*gen.Activity) (*enclave.Export, error) // set by the Export methods
}

// Error names the operation, the activity if known, and the cause.
func (e *SubmitError) Error() string {
	id := e.ActivityID
	if id == "" {
		id = "unknown"
	}
	return fmt.Sprintf("sdk: %s: outcome unknown (activity %s, request %s; Resume to go on): %v", e.Operation, id, e.Fingerprint, e.Err)
}

// Unwrap returns Err.
func (e *SubmitError) Unwrap() error { return e.Err }

// RequestBody returns a copy of the exact bytes that were sent. Sending them
// again (re-stamped) returns the same activity.
func (e *SubmitError) RequestBody() []byte { return bytes.Clone(e.body) }

// Resume goes on with the submit without creating a second activity: it
// polls the activity if its ID is known, otherwise it resends the
// byte-identical request (Turnkey answers identical bytes with the activity
// they created, or creates it now if the first attempts never arrived), and
// then waits for the activity as the submit would have, with the same
// options. Its result is in the returned activity's Result. A Resume that
// fails again returns a new *SubmitError, which can be resumed in turn.
func (e *SubmitError) Resume(ctx context.Context) (*gen.Activity, error) {
	if e == nil || e.resume == nil {
		return nil, fmt.Errorf("sdk: SubmitError.Resume: this error was not returned by a submit")
	}
	return e.resume(ctx)
}

// fingerprintOf is the activity fingerprint Turnkey derives from body.
func fingerprintOf(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// sendSubmit sends an encoded submit and waits for its activity as cc says.
// Errors whose outcome is unknown come back as *SubmitError.
func (c *Client) sendSubmit(ctx context.Context, cc *callConfig, op *route, body []byte) (*gen.Activity, error) {
	var out gen.ActivityResponse
	if err := c.send(ctx, cc, op, body, &out); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && !apiErr.retryable() {
			// A definite refusal (400, 401, 403, 3xx, ...): no activity.
			return nil, err
		}
		return nil, c.submitError(cc, op, body, nil, err)
	}
	act := &out.Activity
	if cc.noWait {
		// A status that is already final still counts; only waiting is skipped.
		_, err := settled(act, cc.poll.KeepWaitingOnConsensus)
		return act, err
	}
	return c.waitSubmit(ctx, cc, op, body, act)
}

// waitSubmit waits for act, the activity of body.
func (c *Client) waitSubmit(ctx context.Context, cc *callConfig, op *route, body []byte, act *gen.Activity) (*gen.Activity, error) {
	done, err := c.wait(ctx, cc, act)
	if _, final := err.(*ActivityError); err == nil || final {
		return done, err
	}
	return done, c.submitError(cc, op, body, done, err)
}

// submitError wraps err, an error of the submit of body, with what resuming
// needs. act is the last activity seen, or nil.
func (c *Client) submitError(cc *callConfig, op *route, body []byte, act *gen.Activity, err error) *SubmitError {
	if se, ok := err.(*SubmitError); ok {
		return se
	}
	var head struct {
		TimestampMs string `json:"timestampMs"`
	}
	_ = json.Unmarshal(body, &head)
	e := &SubmitError{Operation: op.Name, Activity: act, Fingerprint: fingerprintOf(body),
		TimestampMs: head.TimestampMs, Err: err, body: body}
	if act != nil {
		e.ActivityID = act.ID
	}
	rc := *cc
	rc.noWait = false
	e.resume = func(ctx context.Context) (*gen.Activity, error) {
		if act == nil || act.ID == "" {
			return c.sendSubmit(ctx, &rc, op, body)
		}
		org := act.OrganizationID
		if org == "" {
			org = rc.organizationID
		}
		cur, gerr := c.getActivity(ctx, &rc, org, act.ID)
		if gerr != nil {
			// Polling found nothing new: the last state seen still stands.
			return act, c.submitError(&rc, op, body, act, gerr)
		}
		return c.waitSubmit(ctx, &rc, op, body, cur)
	}
	return e
}
