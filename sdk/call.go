package sdk

import "github.com/turnkey-go/turnkey/stamp"

// CallOption changes one call without changing the client.
type CallOption func(*callConfig)

type callConfig struct {
	organizationID string
	stamper        stamp.Stamper
	poll           PollOptions
	retry          RetryOptions
	noWait         bool
	err            error
	raw            *[]byte // when set, receives the last response body
}

func (c *Client) callConfig(opts []CallOption) *callConfig {
	cc := &callConfig{
		organizationID: c.organizationID,
		stamper:        c.stamper,
		poll:           c.poll,
		retry:          c.retry,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(cc)
		}
	}
	return cc
}

// WithOrganization makes one call act on another organization, typically a
// sub-organization, instead of the client's default.
func WithOrganization(id string) CallOption {
	return func(cc *callConfig) { cc.organizationID = id }
}

// WithCallStamper stamps one call with another stamper, for example the API
// key of a read-write session.
func WithCallStamper(s stamp.Stamper) CallOption {
	return func(cc *callConfig) {
		if s == nil {
			cc.err = errNilCallStamper
			return
		}
		cc.stamper = s
	}
}

// WithCallPolling sets how one submit waits for its activity; zero fields
// are taken from DefaultPollOptions, as with WithPolling.
func WithCallPolling(p PollOptions) CallOption {
	return func(cc *callConfig) {
		p = p.withDefaults()
		if err := p.validate(); err != nil {
			cc.err = err
			return
		}
		cc.poll = p
	}
}

// WithCallRetry sets how one call retries failed attempts; zero fields are
// taken from DefaultRetryOptions, as with WithRetry.
func WithCallRetry(r RetryOptions) CallOption {
	return func(cc *callConfig) {
		r = r.withDefaults()
		if err := r.validate(); err != nil {
			cc.err = err
			return
		}
		cc.retry = r
	}
}

// NoWait makes a submit return as soon as Turnkey has answered, with the
// activity as it stands. Its typed result is nil unless the activity
// completed at once; wait for it later with WaitForActivity. An activity that
// already failed, was rejected or needs consensus is still an
// *ActivityError.
func NoWait() CallOption {
	return func(cc *callConfig) { cc.noWait = true }
}

// WaitThroughConsensus makes a submit keep polling while the activity needs
// consensus, until other members of the quorum approve or reject it or the
// wait runs out, instead of returning ErrConsensusNeeded at once.
func WaitThroughConsensus() CallOption {
	return func(cc *callConfig) { cc.poll.KeepWaitingOnConsensus = true }
}
