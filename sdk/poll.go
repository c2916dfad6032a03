package sdk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/turnkey-go/turnkey/gen"
)

// PollOptions says how a submit waits for its activity to reach a terminal
// status: get_activity is polled after a jittered delay that starts at
// InitialDelay and doubles up to MaxDelay, for at most MaxWait in all (and
// never past the context's deadline).
type PollOptions struct {
	InitialDelay time.Duration
	MaxDelay     time.Duration
	// MaxWait is required: a wait never runs unbounded.
	MaxWait time.Duration
	// KeepWaitingOnConsensus keeps polling an activity that needs consensus
	// until others vote, instead of returning ErrConsensusNeeded at once.
	KeepWaitingOnConsensus bool
}

// DefaultPollOptions returns the default polling: 100ms doubling to 2s, for at
// most one minute.
func DefaultPollOptions() PollOptions {
	return PollOptions{InitialDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second, MaxWait: time.Minute}
}

func (p PollOptions) validate() error {
	switch {
	case p.InitialDelay <= 0:
		return errors.New("sdk: PollOptions.InitialDelay must be positive")
	case p.MaxDelay < p.InitialDelay:
		return errors.New("sdk: PollOptions.MaxDelay must not be below InitialDelay")
	case p.MaxWait <= 0:
		return errors.New("sdk: PollOptions.MaxWait is required")
	}
	return nil
}

// settled reports whether waiting on act is over, and the error its status means.
func settled(act *gen.Activity, keepWaitingOnConsensus bool) (bool, error) {
	switch act.Status {
	case gen.ActivityStatusCompleted:
		return true, nil
	case gen.ActivityStatusCreated, gen.ActivityStatusPending:
		return false, nil
	case gen.ActivityStatusConsensusNeeded:
		if keepWaitingOnConsensus {
			return false, nil
		}
	}
	return true, newActivityError(act)
}

// wait polls act until it settles, the maximum wait runs out or ctx ends.
//
// A failed poll that may succeed when sent again (429, 5xx other than 501, a
// transport error) does not end the wait: polling goes on with its own
// jittered backoff, doubling from InitialDelay up to MaxDelay (or the answer's
// Retry-After, if longer and at most RetryOptions.MaxRetryAfter). An error
// retrying cannot fix (400, 401, 403, 404, ...) ends it at once. Every wait
// that ends without a terminal status is a *WaitError holding the last
// activity seen and the last error.
func (c *Client) wait(ctx context.Context, cc *callConfig, act *gen.Activity) (*gen.Activity, error) {
	if done, err := settled(act, cc.poll.KeepWaitingOnConsensus); done {
		return act, err
	}
	ctx, cancel := context.WithTimeout(ctx, cc.poll.MaxWait)
	defer cancel()
	org := act.OrganizationID
	if org == "" {
		org = cc.organizationID
	}
	// Each poll is one attempt: this loop is its retry.
	pc := *cc
	pc.retry.MaxAttempts = 1
	delay := cc.poll.InitialDelay
	var lastErr error
	var floor time.Duration // the last answer's Retry-After
	for {
		if err := sleep(ctx, max(jitter(delay), floor)); err != nil {
			return act, &WaitError{ActivityID: act.ID, Activity: act, Err: err, LastErr: lastErr}
		}
		delay = doubled(delay, cc.poll.MaxDelay)
		next, err := c.getActivity(ctx, &pc, org, act.ID)
		if err != nil {
			if ctx.Err() != nil {
				return act, &WaitError{ActivityID: act.ID, Activity: act, Err: ctx.Err(), LastErr: lastErr}
			}
			lastErr = err
			var ok bool
			if floor, ok = pollRetry(cc, err); !ok {
				return act, &WaitError{ActivityID: act.ID, Activity: act, Err: err, LastErr: err}
			}
			c.log(ctx, slog.LevelDebug, "sdk: poll failed, still waiting", slog.String("activity", act.ID),
				slog.String("error", err.Error()))
			continue
		}
		floor = 0
		act = next
		c.log(ctx, slog.LevelDebug, "sdk: polled activity", slog.String("activity", act.ID), slog.String("status", string(act.Status)))
		if done, err := settled(act, cc.poll.KeepWaitingOnConsensus); done {
			return act, err
		}
	}
}

// pollRetry reports whether a failed poll is worth another one, and the
// least delay its answer asked for.
func pollRetry(cc *callConfig, err error) (time.Duration, bool) {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.retryable() || apiErr.RetryAfter > cc.retry.MaxRetryAfter {
			return 0, false
		}
		return apiErr.RetryAfter, true
	case errors.As(err, &tErr):
		return 0, true
	}
	return 0, false
}

func (c *Client) getActivity(ctx context.Context, cc *callConfig, org, id string) (*gen.Activity, error) {
	req := gen.GetActivityRequest{OrganizationID: org, ActivityID: id}
	var out gen.ActivityResponse
	if err := c.query(ctx, cc, opGetActivity, org, (*bodyGetActivityRequest)(&req), &out); err != nil {
		return nil, err
	}
	return &out.Activity, nil
}

// WaitForActivity polls an activity, for example one submitted with NoWait,
// until it reaches a terminal status, and returns it. Its errors are an
// *ActivityError for a terminal status other than COMPLETED, a *WaitError
// when the wait ends first (errors.As reaches the last poll's *APIError or
// *TransportError), or the error of the first get_activity, made with the
// call's retries.
func (c *Client) WaitForActivity(ctx context.Context, activityID string, opts ...CallOption) (*gen.Activity, error) {
	cc := c.callConfig(opts)
	if cc.err != nil {
		return nil, cc.err
	}
	act, err := c.getActivity(ctx, cc, cc.organizationID, activityID)
	if err != nil {
		return nil, err
	}
	return c.wait(ctx, cc, act)
}
