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
	delay := cc.poll.InitialDelay
	for {
		if err := sleep(ctx, jitter(delay)); err != nil {
			return act, &WaitError{ActivityID: act.ID, Activity: act, Err: err}
		}
		delay = min(delay*2, cc.poll.MaxDelay)
		next, err := c.getActivity(ctx, cc, org, act.ID)
		if err != nil {
			if ctx.Err() != nil {
				return act, &WaitError{ActivityID: act.ID, Activity: act, Err: ctx.Err()}
			}
			// An error answer (403, 404, ...) ends the wait at once: retrying
			// it until the deadline would only hide it.
			return act, err
		}
		act = next
		c.log(ctx, slog.LevelDebug, "turnkey: polled activity", slog.String("activity", act.ID), slog.String("status", string(act.Status)))
		if done, err := settled(act, cc.poll.KeepWaitingOnConsensus); done {
			return act, err
		}
	}
}

func (c *Client) getActivity(ctx context.Context, cc *callConfig, org, id string) (*gen.Activity, error) {
	req := gen.GetActivityRequest{OrganizationID: org, ActivityID: id}
	var out gen.ActivityResponse
	if err := c.query(ctx, cc, opGetActivity, org, &req, &out); err != nil {
		return nil, err
	}
	return &out.Activity, nil
}

// WaitForActivity polls an activity, for example one submitted with NoWait,
// until it reaches a terminal status, and returns it. The errors are those of
// a waiting submit: *ActivityError, *WaitError or *APIError.
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
