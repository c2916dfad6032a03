package turnkeytest

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// work is the effect of an activity on the state, run once, with the state
// locked, when the activity completes. It returns the activity's result
// (encoded under activity.result.<result property>), or an error that fails
// the activity.
type work func(st *state, now time.Time) (any, error)

// activity is a submitted activity and its lifecycle.
type activity struct {
	base      gen.Activity // ID, Fingerprint, OrganizationID, Type, Intent; Result and Failure once done
	seq       uint64
	status    gen.ActivityStatus
	createdAt time.Time
	updatedAt time.Time
	readyAt   time.Time // when a CREATED or PENDING activity may complete
	run       work      // nil once run
	result    string    // the result property, from the spec
	votes     []vote
	authz     *authorization // what its policy decision needs (policy_enforce.go)
}

type vote struct {
	id, userID, orgID string
	selection         gen.VoteSelection
	message           string // the body of the request that cast the vote
	publicKey, scheme string
	signature         string
	createdAt         time.Time
}

func voteOf(c *call, sel gen.VoteSelection) vote {
	return vote{id: newID(), userID: c.key.userID, orgID: c.key.orgID, selection: sel, message: string(c.body),
		publicKey: c.key.publicKey, scheme: string(c.scheme), signature: c.signature, createdAt: c.now}
}

// isVote reports whether an activity type casts a vote: those never need
// consensus themselves.
func isVote(typ gen.ActivityType) bool {
	return typ == gen.ActivityType(gen.ApproveActivityRequestTypeApproveActivity) ||
		typ == gen.ActivityType(gen.RejectActivityRequestTypeRejectActivity)
}

// submit runs a submit request: it checks the activity type against the
// spec, refuses changes made in a sub-organization with a parent's key
// (parentMaySubmit lists the exceptions), answers an identical body with the activity it already created
// (whatever its timestampMs: a replay executes nothing), checks timestampMs,
// validates the parameters (prepare), and creates the activity, which
// completes at once, after the configured delay, or after consensus.
func submit[P any](ctx context.Context, s *Server, params P, prepare func(*call, P) (work, error)) (*gen.ActivityResponse, error) {
	c, err := callFrom(ctx)
	if err != nil {
		return nil, err
	}
	spec := c.activity()
	if c.typ != spec.Type {
		return nil, invalidArgument("%s expects type %s (the version this simulator implements), got %q", c.op.Name, spec.Type, c.typ)
	}
	if err := checkCredentialScope(c); err != nil {
		return nil, err
	}
	if c.key.orgID != c.orgID && !parentMaySubmit[c.op.Name] {
		return nil, permissionDenied("%s: a parent organization has read-only access to sub-organization %s; stamp with a key of that organization's users",
			c.op.Name, c.orgID)
	}
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tick(c.now)
	if a := st.byFingerprint[c.fingerprint]; a != nil {
		s.stats.add(func(x *Stats) { x.DuplicatesAvoided++ })
		s.logger.Debug("turnkeytest: identical body, same activity", "activity", a.base.ID)
		return &gen.ActivityResponse{Activity: st.render(a, c.key.userID)}, nil
	}
	if err := s.checkFresh(c); err != nil {
		return nil, err
	}
	o, err := st.org(c.orgID)
	if err != nil {
		return nil, err
	}
	run, err := prepare(c, params)
	if err != nil {
		return nil, err
	}
	var intent gen.Intent
	if err := place(&intent, spec.Intent, c.intent(params)); err != nil {
		return nil, err
	}
	authz, err := s.authorize(st, o, c, spec.Type, params)
	if err != nil {
		return nil, err
	}
	a := &activity{
		base: gen.Activity{ID: newID(), Fingerprint: c.fingerprint, OrganizationID: o.id,
			Type: gen.ActivityType(spec.Type), Intent: intent},
		seq: st.nextSeq(), status: gen.ActivityStatusCreated, createdAt: c.now, updatedAt: c.now,
		readyAt: c.now.Add(s.cfg.activityDelay), run: run, result: spec.Result, authz: authz,
	}
	st.activities[a.base.ID] = a
	st.byFingerprint[a.base.Fingerprint] = a
	o.activities = append(o.activities, a)
	s.stats.add(func(x *Stats) { x.ActivitiesCreated++ })

	if authz.wait {
		a.status = gen.ActivityStatusConsensusNeeded
		if o.quorum.has(c.key.userID) || authz.typ != "" {
			a.votes = append(a.votes, voteOf(c, gen.VoteSelectionApproved))
		}
		st.release(a, c.now)
	} else if s.cfg.activityDelay == 0 {
		st.execute(a, c.now)
	} else {
		st.pending = append(st.pending, a) // CREATED until the next request
	}
	if a.status == gen.ActivityStatusFailed {
		s.logger.Info("turnkeytest: activity failed", "activity", a.base.ID, "type", a.base.Type, "error", *a.base.Failure.Message)
	}
	return &gen.ActivityResponse{Activity: st.render(a, c.key.userID)}, nil
}

// checkFresh refuses a timestampMs outside the freshness window.
func (s *Server) checkFresh(c *call) error {
	window := s.cfg.timestampWindow
	if window == 0 {
		return nil
	}
	if c.timestampMs == "" {
		return invalidArgument("timestampMs is required")
	}
	ms, err := strconv.ParseInt(c.timestampMs, 10, 64)
	if err != nil {
		return invalidArgument("timestampMs %q is not a number of milliseconds", c.timestampMs)
	}
	age := c.now.Sub(time.UnixMilli(ms))
	if age > window {
		return invalidArgument("stale request: timestampMs %s is %v old, outside the %v freshness window; check the client's clock",
			c.timestampMs, age.Round(time.Millisecond), window)
	}
	if skew := min(window, MaxClockSkew); -age > skew {
		return invalidArgument("timestampMs %s is %v in the future, beyond the %v allowed clock skew; check the client's clock",
			c.timestampMs, (-age).Round(time.Millisecond), skew)
	}
	return nil
}

// place sets property field of *dst (an Intent or a Result) to v, through
// JSON: the property names come from the spec, not from code.
func place(dst any, field string, v any) error {
	if field == "" {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	wrapped, err := json.Marshal(map[string]json.RawMessage{field: raw})
	if err != nil {
		return err
	}
	return json.Unmarshal(wrapped, dst)
}

// tick completes the pending activities whose delay is over, in creation
// order, and marks the others PENDING. Every request ticks before it reads
// or changes anything, so that activities complete lazily but in time.
//
// tick may run again from within an activity it completes (an approval
// releases the activity it approves): it takes the queue out first, so that
// the inner run and the outer one never lose each other's activities.
func (st *state) tick(now time.Time) {
	queue := st.pending
	st.pending = nil
	for _, a := range queue {
		switch {
		case a.run == nil:
			// Completed by an inner tick, or rejected.
		case !now.Before(a.readyAt):
			st.execute(a, now)
		default:
			if a.status == gen.ActivityStatusCreated {
				a.status = gen.ActivityStatusPending
			}
			st.pending = append(st.pending, a)
		}
	}
	slices.SortFunc(st.pending, func(a, b *activity) int { return cmp.Compare(a.seq, b.seq) })
}

// execute runs an activity's work, exactly once, and records the outcome.
func (st *state) execute(a *activity, now time.Time) {
	if a.run == nil {
		return
	}
	run := a.run
	a.run = nil
	a.updatedAt = now
	res, err := run(st, now)
	if err == nil {
		var r gen.Result
		if err = place(&r, a.result, res); err == nil {
			a.base.Result = r
			a.status = gen.ActivityStatusCompleted
			return
		}
	}
	re := asRPCError(err)
	a.base.Failure = &gen.Status{Code: &re.code, Message: &re.msg, Details: &[]gen.Any{}}
	a.status = gen.ActivityStatusFailed
}

// release moves an activity that has its approvals to the pending queue and
// completes it if its delay is over.
func (st *state) release(a *activity, now time.Time) {
	o := st.orgs[a.base.OrganizationID]
	if o == nil || a.status != gen.ActivityStatusConsensusNeeded {
		return
	}
	if !st.consensusMet(o, a, now) {
		return
	}
	a.status = gen.ActivityStatusPending
	a.updatedAt = now
	st.pending = append(st.pending, a)
	st.tick(now)
}

// render is the activity as viewerID sees it (canApprove, canReject).
func (st *state) render(a *activity, viewerID string) gen.Activity {
	out := a.base
	out.Status = a.status
	out.CreatedAt = timestamp(a.createdAt)
	out.UpdatedAt = timestamp(a.updatedAt)
	out.Votes = make([]gen.Vote, 0, len(a.votes))
	voted := false
	for _, v := range a.votes {
		voted = voted || v.userID == viewerID
		out.Votes = append(out.Votes, gen.Vote{
			ID: v.id, ActivityID: a.base.ID, UserID: v.userID, User: st.renderUserByID(v.orgID, v.userID),
			Selection: v.selection, Message: v.message, PublicKey: v.publicKey, Scheme: v.scheme,
			Signature: v.signature, CreatedAt: timestamp(v.createdAt),
		})
	}
	if o := st.orgs[a.base.OrganizationID]; o != nil && a.status == gen.ActivityStatusConsensusNeeded {
		out.CanApprove = st.mayApprove(o, a, viewerID) && !voted
		out.CanReject = out.CanApprove
	}
	return out
}

// vote records an approval or a rejection of the activity with fingerprint
// fp in o, cast by c's user.
func (st *state) vote(o *org, c *call, fp string, sel gen.VoteSelection, now time.Time) error {
	a := st.byFingerprint[fp]
	if a == nil || a.base.OrganizationID != o.id {
		return notFound("no activity with fingerprint %s in organization %s", fp, o.id)
	}
	if a.status != gen.ActivityStatusConsensusNeeded {
		return failedPrecondition("activity %s is %s, not waiting for consensus", a.base.ID, a.status)
	}
	if !st.mayApprove(o, a, c.key.userID) {
		return permissionDenied("user %s is not in the root quorum of organization %s, nor counted by the consensus of a policy this activity waits for", c.key.userID, o.id)
	}
	for _, v := range a.votes {
		if v.userID == c.key.userID {
			return alreadyExists("user %s has already voted on activity %s", c.key.userID, a.base.ID)
		}
	}
	v := voteOf(c, sel)
	v.createdAt = now
	a.votes = append(a.votes, v)
	a.updatedAt = now
	if sel == gen.VoteSelectionRejected {
		// One rejection by a member of the quorum rejects the activity.
		a.status = gen.ActivityStatusRejected
		a.run = nil
		return nil
	}
	st.release(a, now)
	return nil
}

// ApproveActivity approves an activity waiting for consensus, by fingerprint.
func (h *handlers) ApproveActivity(ctx context.Context, r gen.ApproveActivityRequestObject) (gen.ApproveActivityResponseObject, error) {
	return respond[gen.ApproveActivity200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.approve))
}

func (s *Server) approve(c *call, p gen.ApproveActivityIntent) (work, error) {
	return s.castVote(c, p.Fingerprint, gen.VoteSelectionApproved)
}

// RejectActivity rejects an activity waiting for consensus, by fingerprint.
func (h *handlers) RejectActivity(ctx context.Context, r gen.RejectActivityRequestObject) (gen.RejectActivityResponseObject, error) {
	return respond[gen.RejectActivity200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.reject))
}

func (s *Server) reject(c *call, p gen.RejectActivityIntent) (work, error) {
	return s.castVote(c, p.Fingerprint, gen.VoteSelectionRejected)
}

func (s *Server) castVote(c *call, fp string, sel gen.VoteSelection) (work, error) {
	if fp == "" {
		return nil, invalidArgument("fingerprint is required")
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		return nil, st.vote(o, c, fp, sel, now)
	}), nil
}

// GetActivity returns one activity of the organization.
func (h *handlers) GetActivity(ctx context.Context, r gen.GetActivityRequestObject) (gen.GetActivityResponseObject, error) {
	return query(ctx, h.s, func(st *state, c *call, o *org) (gen.GetActivity200JSONResponse, error) {
		a := st.activities[r.Body.ActivityID]
		if a == nil || a.base.OrganizationID != o.id {
			return gen.GetActivity200JSONResponse{}, notFound("activity %s not found in organization %s", r.Body.ActivityID, o.id)
		}
		return gen.GetActivity200JSONResponse{Activity: st.render(a, c.key.userID)}, nil
	})
}

// ListActivities lists the organization's activities, newest first.
func (h *handlers) ListActivities(ctx context.Context, r gen.ListActivitiesRequestObject) (gen.ListActivitiesResponseObject, error) {
	return query(ctx, h.s, func(st *state, c *call, o *org) (gen.ListActivities200JSONResponse, error) {
		var all []*activity
		for _, a := range slices.Backward(o.activities) {
			if r.Body.FilterByStatus != nil && !slices.Contains(*r.Body.FilterByStatus, a.status) {
				continue
			}
			if r.Body.FilterByType != nil && !slices.Contains(*r.Body.FilterByType, a.base.Type) {
				continue
			}
			all = append(all, a)
		}
		page, err := paginate(all, func(a *activity) string { return a.base.ID }, r.Body.PaginationOptions)
		if err != nil {
			return gen.ListActivities200JSONResponse{}, err
		}
		out := gen.ListActivities200JSONResponse{Activities: make([]gen.Activity, 0, len(page))}
		for _, a := range page {
			out.Activities = append(out.Activities, st.render(a, c.key.userID))
		}
		return out, nil
	})
}

// paginate applies paginationOptions to items: at most limit (1 to 100,
// default 10) items after or before the item with the given ID.
func paginate[T any](items []T, id func(T) string, p *gen.Pagination) ([]T, error) {
	limit := 10
	if p == nil {
		p = &gen.Pagination{}
	}
	if p.Limit != nil && *p.Limit != "" {
		n, err := strconv.Atoi(*p.Limit)
		if err != nil || n < 1 || n > 100 {
			return nil, invalidArgument("paginationOptions.limit %q must be a number from 1 to 100", *p.Limit)
		}
		limit = n
	}
	find := func(field, want string) (int, error) {
		for i, it := range items {
			if id(it) == want {
				return i, nil
			}
		}
		return 0, invalidArgument("paginationOptions.%s: no item with ID %s", field, want)
	}
	switch {
	case p.After != nil && *p.After != "":
		i, err := find("after", *p.After)
		if err != nil {
			return nil, err
		}
		items = items[i+1:]
	case p.Before != nil && *p.Before != "":
		i, err := find("before", *p.Before)
		if err != nil {
			return nil, err
		}
		items = items[max(0, i-limit):i]
	}
	return items[:min(limit, len(items))], nil
}

// query runs a query against the request's organization, with the state
// locked.
func query[T any](ctx context.Context, s *Server, fn func(st *state, c *call, o *org) (T, error)) (T, error) {
	var zero T
	c, err := callFrom(ctx)
	if err != nil {
		return zero, err
	}
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tick(c.now)
	o, err := st.org(c.orgID)
	if err != nil {
		return zero, err
	}
	return fn(st, c, o)
}

// respond converts a submit's answer to the operation's 200 response type.
func respond[T ~struct {
	Activity gen.Activity `json:"activity"`
}](resp *gen.ActivityResponse, err error) (T, error) {
	if err != nil {
		return T{}, err
	}
	return T(*resp), nil
}

// parentMaySubmit lists the activities that a parent organization's key may
// submit in one of its sub-organizations: the flows that authenticate the
// sub-organization's users. Everything else a parent may only read.
var parentMaySubmit = map[string]bool{
	"email_auth": true, "init_otp_auth": true, "otp_auth": true, "oauth": true,
	"init_user_email_recovery": true, "init_otp": true, "verify_otp": true,
	"otp_login": true, "oauth_login": true,
}

// inOrg is the work of an activity on the organization the call names.
func inOrg(c *call, f func(st *state, o *org, now time.Time) (any, error)) work {
	return func(st *state, now time.Time) (any, error) {
		o, err := st.org(c.orgID)
		if err != nil {
			return nil, err
		}
		return f(st, o, now)
	}
}
