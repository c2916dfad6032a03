package turnkeytest

import (
	"context"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// privateKey is a standalone private key and its addresses.
type privateKey struct {
	id, name           string
	key                *keyPair
	addresses          []gen.Address
	exported, imported bool
	seq                uint64
	createdAt          time.Time
	updatedAt          time.Time
}

func (o *org) privateKey(id string) (*privateKey, error) {
	if pk := o.privateKeys[id]; pk != nil {
		return pk, nil
	}
	return nil, notFound("private key %s not found in organization %s", id, o.id)
}

func (o *org) render(pk *privateKey) gen.PrivateKey {
	return gen.PrivateKey{
		PrivateKeyID: pk.id, PrivateKeyName: pk.name, Curve: pk.key.curve, PublicKey: pk.key.publicKeyHex(),
		Addresses: append([]gen.Address{}, pk.addresses...), PrivateKeyTags: o.tagsOf(pk.id, gen.TagTypePrivateKey),
		Exported: pk.exported, Imported: pk.imported, CreatedAt: timestamp(pk.createdAt), UpdatedAt: timestamp(pk.updatedAt),
	}
}

// findPrivateKey finds the private key with ID or address idOrAddress in o.
func (o *org) findPrivateKey(idOrAddress string) *privateKey {
	if pk := o.privateKeys[idOrAddress]; pk != nil {
		return pk
	}
	for _, pk := range o.privateKeys {
		for _, a := range pk.addresses {
			if a.Address != nil && sameAddress(*a.Address, idOrAddress) {
				return pk
			}
		}
	}
	return nil
}

func checkPrivateKeyParams(field, name string, curve gen.Curve, formats []gen.AddressFormat) error {
	if strings.TrimSpace(name) == "" {
		return invalidArgument("%s.privateKeyName is required", field)
	}
	if err := checkCurve(curve); err != nil {
		return invalidArgument("%s: %s", field, strings.TrimPrefix(err.Error(), "turnkeytest: "))
	}
	for _, f := range formats {
		if err := checkAddressFormat(curve, f); err != nil {
			return invalidArgument("%s: %s", field, strings.TrimPrefix(err.Error(), "turnkeytest: "))
		}
	}
	return nil
}

// addPrivateKey stores key under name, with its addresses in formats and
// the given tags.
func (st *state) addPrivateKey(o *org, name string, k *keyPair, formats []gen.AddressFormat, tags []string, imported bool, now time.Time) (*privateKey, error) {
	for _, pk := range o.privateKeys {
		if pk.name == name {
			return nil, alreadyExists("a private key named %q already exists in organization %s", name, o.id)
		}
	}
	for _, id := range tags {
		if _, err := o.tag(id, gen.TagTypePrivateKey); err != nil {
			return nil, err
		}
	}
	pk := &privateKey{id: newID(), name: name, key: k, imported: imported, seq: st.nextSeq(), createdAt: now, updatedAt: now,
		addresses: []gen.Address{}}
	for _, f := range formats {
		addr, err := k.address(f)
		if err != nil {
			return nil, err
		}
		pk.addresses = append(pk.addresses, gen.Address{Format: &f, Address: &addr})
	}
	o.privateKeys[pk.id] = pk
	for _, id := range tags {
		o.tags[id].members[pk.id] = true
	}
	return pk, nil
}

// CreatePrivateKeys creates private keys (V2).
func (h *handlers) CreatePrivateKeys(ctx context.Context, r gen.CreatePrivateKeysRequestObject) (gen.CreatePrivateKeysResponseObject, error) {
	return respond[gen.CreatePrivateKeys200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createPrivateKeys))
}

func (s *Server) createPrivateKeys(c *call, p gen.CreatePrivateKeysIntentV2) (work, error) {
	if len(p.PrivateKeys) == 0 {
		return nil, invalidArgument("privateKeys: at least one private key is required")
	}
	for i, k := range p.PrivateKeys {
		field := "privateKeys[" + strconv.Itoa(i) + "]"
		if err := checkPrivateKeyParams(field, k.PrivateKeyName, k.Curve, k.AddressFormats); err != nil {
			return nil, err
		}
		if err := checkIDs(field+".privateKeyTags", k.PrivateKeyTags); err != nil {
			return nil, err
		}
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		var created []*privateKey
		for _, params := range p.PrivateKeys {
			k, err := newRandomKey(params.Curve)
			if err == nil {
				var pk *privateKey
				if pk, err = st.addPrivateKey(o, params.PrivateKeyName, k, params.AddressFormats, params.PrivateKeyTags, false, now); err == nil {
					created = append(created, pk)
					continue
				}
			}
			for _, pk := range created { // all or nothing
				o.deletePrivateKey(pk.id)
			}
			return nil, err
		}
		res := gen.CreatePrivateKeysResultV2{PrivateKeys: make([]gen.PrivateKeyResult, len(created))}
		for i, pk := range created {
			res.PrivateKeys[i] = gen.PrivateKeyResult{PrivateKeyID: &pk.id, Addresses: &pk.addresses}
		}
		return res, nil
	}), nil
}

func (o *org) deletePrivateKey(id string) {
	delete(o.privateKeys, id)
	for _, t := range o.tags {
		delete(t.members, id)
	}
}

// GetPrivateKey returns one private key.
func (h *handlers) GetPrivateKey(ctx context.Context, r gen.GetPrivateKeyRequestObject) (gen.GetPrivateKeyResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetPrivateKey200JSONResponse, error) {
		pk, err := o.privateKey(r.Body.PrivateKeyID)
		if err != nil {
			return gen.GetPrivateKey200JSONResponse{}, err
		}
		return gen.GetPrivateKey200JSONResponse{PrivateKey: o.render(pk)}, nil
	})
}

// ListPrivateKeys lists the private keys of the organization.
func (h *handlers) ListPrivateKeys(ctx context.Context, _ gen.ListPrivateKeysRequestObject) (gen.ListPrivateKeysResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListPrivateKeys200JSONResponse, error) {
		out := gen.ListPrivateKeys200JSONResponse{PrivateKeys: []gen.PrivateKey{}}
		for _, pk := range sortedBySeq(o.privateKeys, func(pk *privateKey) uint64 { return pk.seq }) {
			out.PrivateKeys = append(out.PrivateKeys, o.render(pk))
		}
		return out, nil
	})
}

// DeletePrivateKeys deletes private keys; unexported ones only with
// deleteWithoutExport.
func (h *handlers) DeletePrivateKeys(ctx context.Context, r gen.DeletePrivateKeysRequestObject) (gen.DeletePrivateKeysResponseObject, error) {
	return respond[gen.DeletePrivateKeys200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deletePrivateKeys))
}

func (s *Server) deletePrivateKeys(c *call, p gen.DeletePrivateKeysIntent) (work, error) {
	if len(p.PrivateKeyIds) == 0 {
		return nil, invalidArgument("privateKeyIds: at least one private key is required")
	}
	if err := checkIDs("privateKeyIds", p.PrivateKeyIds); err != nil {
		return nil, err
	}
	force := p.DeleteWithoutExport != nil && *p.DeleteWithoutExport
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		for _, id := range p.PrivateKeyIds {
			pk, err := o.privateKey(id)
			if err != nil {
				return nil, err
			}
			if !pk.exported && !force {
				return nil, failedPrecondition("private key %s has not been exported: export it first or set deleteWithoutExport", id)
			}
		}
		for _, id := range p.PrivateKeyIds {
			o.deletePrivateKey(id)
		}
		return gen.DeletePrivateKeysOutcome{PrivateKeyIds: p.PrivateKeyIds}, nil
	}), nil
}
