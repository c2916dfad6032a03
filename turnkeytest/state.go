package turnkeytest

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/stamp"
)

// state is everything the simulator knows. One mutex guards all of it:
// handlers hold it from start to end, so every request sees and leaves a
// consistent state.
type state struct {
	mu  sync.Mutex
	seq uint64 // creation order of everything, for stable listings

	orgs map[string]*org
	// keys indexes the API keys of every organization by public key (lower
	// case hex), to authenticate stamps. One public key may be registered in
	// several organizations, typically a parent's key as a sub-organization's
	// root user.
	keys map[string][]*apiKey

	activities    map[string]*activity
	byFingerprint map[string]*activity
	pending       []*activity // waiting for their delay, in creation order
}

func newState() *state {
	return &state{
		orgs:          map[string]*org{},
		keys:          map[string][]*apiKey{},
		activities:    map[string]*activity{},
		byFingerprint: map[string]*activity{},
	}
}

func (st *state) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// org is an organization or a sub-organization.
type org struct {
	id, name  string
	parentID  string // "" for a root organization
	seq       uint64
	createdAt time.Time

	users       map[string]*user
	wallets     map[string]*wallet
	privateKeys map[string]*privateKey
	tags        map[string]*tag
	policies    map[string]*policy
	features    map[gen.FeatureName]string
	quorum      quorum
	activities  []*activity
	// importTargets holds the enclave-side keys of init_import_wallet and
	// init_import_private_key, by "wallet/<userId>" or "key/<userId>".
	importTargets map[string]*enclave.TargetKey
}

type quorum struct {
	threshold int
	userIDs   []string
}

func (q quorum) has(userID string) bool { return slices.Contains(q.userIDs, userID) }

func (st *state) newOrg(name, parentID string, now time.Time) *org {
	o := &org{
		id: newID(), name: name, parentID: parentID, seq: st.nextSeq(), createdAt: now,
		users: map[string]*user{}, wallets: map[string]*wallet{}, privateKeys: map[string]*privateKey{},
		tags: map[string]*tag{}, policies: map[string]*policy{}, features: map[gen.FeatureName]string{},
		quorum: quorum{threshold: 1}, importTargets: map[string]*enclave.TargetKey{},
	}
	st.orgs[o.id] = o
	return o
}

// org returns the organization id, or a not-found error.
func (st *state) org(id string) (*org, error) {
	if o := st.orgs[id]; o != nil {
		return o, nil
	}
	return nil, notFound("organization %s not found", id)
}

// isSelfOrAncestor reports whether ancestorID is orgID or one of its parents.
func (st *state) isSelfOrAncestor(ancestorID, orgID string) bool {
	for o := st.orgs[orgID]; o != nil; o = st.orgs[o.parentID] {
		if o.id == ancestorID {
			return true
		}
	}
	return false
}

// depth is the number of parents of orgID.
func (st *state) depth(orgID string) int {
	n := 0
	for o := st.orgs[orgID]; o != nil && o.parentID != ""; o = st.orgs[o.parentID] {
		n++
	}
	return n
}

// deleteOrg removes o, its sub-organizations and everything in them.
func (st *state) deleteOrg(o *org) {
	for _, child := range st.orgs {
		if child.parentID == o.id {
			st.deleteOrg(child)
		}
	}
	for _, u := range o.users {
		for _, k := range u.apiKeys {
			st.removeKey(k)
		}
	}
	for _, a := range o.activities {
		delete(st.activities, a.base.ID)
		delete(st.byFingerprint, a.base.Fingerprint)
	}
	st.pending = slices.DeleteFunc(st.pending, func(a *activity) bool { return a.base.OrganizationID == o.id })
	delete(st.orgs, o.id)
}

// user is a user of an organization.
type user struct {
	id, name       string
	email, phone   *string
	orgID          string
	seq            uint64
	createdAt      time.Time
	updatedAt      time.Time
	apiKeys        map[string]*apiKey
	authenticators []gen.Authenticator
	oauthProviders []gen.OauthProvider
}

func (o *org) user(id string) (*user, error) {
	if u := o.users[id]; u != nil {
		return u, nil
	}
	return nil, notFound("user %s not found in organization %s", id, o.id)
}

func (st *state) newUser(o *org, name string, email, phone *string, now time.Time) *user {
	u := &user{id: newID(), name: name, email: email, phone: phone, orgID: o.id, seq: st.nextSeq(),
		createdAt: now, updatedAt: now, apiKeys: map[string]*apiKey{}}
	o.users[u.id] = u
	return u
}

// deleteUser removes u with its API keys, tag memberships and pending
// import keys.
func (st *state) deleteUser(o *org, u *user) {
	for _, k := range u.apiKeys {
		st.removeKey(k)
	}
	for _, t := range o.tags {
		delete(t.members, u.id)
	}
	delete(o.importTargets, "wallet/"+u.id)
	delete(o.importTargets, "key/"+u.id)
	delete(o.users, u.id)
}

// apiKey is an API key (or a session key) of a user.
type apiKey struct {
	id, name      string
	orgID, userID string
	publicKey     string      // lower-case hex, compressed for ECDSA keys
	curve         stamp.Curve // "" if unknown (API keys created without a curve)
	credType      gen.CredentialType
	expiration    *string   // expirationSeconds as sent
	expiresAt     time.Time // zero: never
	seq           uint64
	createdAt     time.Time
}

func (k *apiKey) expired(now time.Time) bool {
	return !k.expiresAt.IsZero() && !now.Before(k.expiresAt)
}

// addKey registers a new API key of u. A public key may be registered once
// per organization.
func (st *state) addKey(u *user, k *apiKey, now time.Time) error {
	for _, other := range st.keys[k.publicKey] {
		if other.orgID == u.orgID {
			return alreadyExists("public key %s is already an API key of user %s in organization %s", k.publicKey, other.userID, u.orgID)
		}
	}
	k.id, k.orgID, k.userID, k.seq, k.createdAt = newID(), u.orgID, u.id, st.nextSeq(), now
	u.apiKeys[k.id] = k
	st.keys[k.publicKey] = append(st.keys[k.publicKey], k)
	return nil
}

func (st *state) removeKey(k *apiKey) {
	st.keys[k.publicKey] = slices.DeleteFunc(st.keys[k.publicKey], func(o *apiKey) bool { return o == k })
	if len(st.keys[k.publicKey]) == 0 {
		delete(st.keys, k.publicKey)
	}
	if o := st.orgs[k.orgID]; o != nil {
		if u := o.users[k.userID]; u != nil {
			delete(u.apiKeys, k.id)
		}
	}
}

// tag is a user tag or a private key tag.
type tag struct {
	id, name  string
	typ       gen.TagType
	members   map[string]bool // user or private key IDs
	seq       uint64
	createdAt time.Time
	updatedAt time.Time
}

func (o *org) tag(id string, typ gen.TagType) (*tag, error) {
	if t := o.tags[id]; t != nil && t.typ == typ {
		return t, nil
	}
	return nil, notFound("%s %s not found in organization %s", tagNoun(typ), id, o.id)
}

func tagNoun(typ gen.TagType) string {
	if typ == gen.TagTypeUser {
		return "user tag"
	}
	return "private key tag"
}

// tagsOf lists the IDs of the tags of type typ that have member id.
func (o *org) tagsOf(id string, typ gen.TagType) []string {
	ids := []string{}
	for _, t := range sortedBySeq(o.tags, func(t *tag) uint64 { return t.seq }) {
		if t.typ == typ && t.members[id] {
			ids = append(ids, t.id)
		}
	}
	return ids
}

// policy is a stored policy; the simulator never evaluates it.
type policy struct {
	p   gen.Policy
	seq uint64
}

// sortedBySeq returns the values of m in creation order.
func sortedBySeq[T any](m map[string]T, seq func(T) uint64) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}

// newID returns a random UUID (version 4).
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// timestamp is t as the API sends it: seconds and nanoseconds, as strings.
func timestamp(t time.Time) gen.Timestamp {
	return gen.Timestamp{Seconds: strconv.FormatInt(t.Unix(), 10), Nanos: strconv.Itoa(t.Nanosecond())}
}

// checkIDs fails on an empty or repeated ID.
func checkIDs(field string, ids []string) error {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id == "" {
			return invalidArgument("%s: empty ID", field)
		}
		if seen[id] {
			return invalidArgument("%s: %s is listed twice", field, id)
		}
		seen[id] = true
	}
	return nil
}
