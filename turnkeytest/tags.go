package turnkeytest

import (
	"context"
	"slices"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// User tags and private key tags share one implementation: a tag is a named
// set of user IDs or private key IDs.

// memberExists checks that id is a user (user tags) or a private key
// (private key tags) of o.
func memberExists(o *org, typ gen.TagType, id string) error {
	if typ == gen.TagTypeUser {
		_, err := o.user(id)
		return err
	}
	_, err := o.privateKey(id)
	return err
}

func (s *Server) createTag(c *call, typ gen.TagType, name string, members []string) (work, error) {
	if strings.TrimSpace(name) == "" {
		return nil, invalidArgument("the tag name is required")
	}
	if err := checkIDs("members", members); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		for _, t := range o.tags {
			if t.typ == typ && t.name == name {
				return nil, alreadyExists("a %s named %q already exists", tagNoun(typ), name)
			}
		}
		for _, id := range members {
			if err := memberExists(o, typ, id); err != nil {
				return nil, err
			}
		}
		t := &tag{id: newID(), name: name, typ: typ, members: map[string]bool{}, seq: st.nextSeq(), createdAt: now, updatedAt: now}
		for _, id := range members {
			t.members[id] = true
		}
		o.tags[t.id] = t
		if typ == gen.TagTypeUser {
			return gen.CreateUserTagOutcome{UserTagID: t.id, UserIds: nonNil(members)}, nil
		}
		return gen.CreatePrivateKeyTagOutcome{PrivateKeyTagID: t.id, PrivateKeyIds: nonNil(members)}, nil
	}), nil
}

func (s *Server) updateTag(c *call, typ gen.TagType, id string, newName *string, add, remove []string) (work, error) {
	if id == "" {
		return nil, invalidArgument("the tag ID is required")
	}
	if newName != nil && strings.TrimSpace(*newName) == "" {
		return nil, invalidArgument("the new tag name must not be empty")
	}
	if err := checkIDs("add", add); err != nil {
		return nil, err
	}
	if err := checkIDs("remove", remove); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		t, err := o.tag(id, typ)
		if err != nil {
			return nil, err
		}
		for _, m := range add {
			if err := memberExists(o, typ, m); err != nil {
				return nil, err
			}
		}
		if newName != nil {
			for _, other := range o.tags {
				if other != t && other.typ == typ && other.name == *newName {
					return nil, alreadyExists("a %s named %q already exists", tagNoun(typ), *newName)
				}
			}
			t.name = *newName
		}
		for _, m := range add {
			t.members[m] = true
		}
		for _, m := range remove {
			delete(t.members, m)
		}
		t.updatedAt = now
		if typ == gen.TagTypeUser {
			return gen.UpdateUserTagOutcome{UserTagID: t.id}, nil
		}
		return gen.UpdatePrivateKeyTagOutcome{PrivateKeyTagID: t.id}, nil
	}), nil
}

func (s *Server) deleteTags(c *call, typ gen.TagType, ids []string) (work, error) {
	if len(ids) == 0 {
		return nil, invalidArgument("at least one tag ID is required")
	}
	if err := checkIDs("tag IDs", ids); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		members := map[string]bool{}
		for _, id := range ids {
			t, err := o.tag(id, typ)
			if err != nil {
				return nil, err
			}
			for m := range t.members {
				members[m] = true
			}
		}
		for _, id := range ids {
			delete(o.tags, id)
		}
		if typ == gen.TagTypeUser {
			return gen.DeleteUserTagsOutcome{UserTagIds: ids, UserIds: sortedTagIDs(members)}, nil
		}
		return gen.DeletePrivateKeyTagsOutcome{PrivateKeyTagIds: ids, PrivateKeyIds: sortedTagIDs(members)}, nil
	}), nil
}

func listTags(o *org, typ gen.TagType) []gen.Tag {
	out := []gen.Tag{}
	for _, t := range sortedBySeq(o.tags, func(t *tag) uint64 { return t.seq }) {
		if t.typ == typ {
			out = append(out, gen.Tag{TagID: t.id, TagName: t.name, TagType: t.typ,
				CreatedAt: timestamp(t.createdAt), UpdatedAt: timestamp(t.updatedAt)})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CreateUserTag creates a user tag.
func (h *handlers) CreateUserTag(ctx context.Context, r gen.CreateUserTagRequestObject) (gen.CreateUserTagResponseObject, error) {
	return respond[gen.CreateUserTag200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.CreateUserTagIntent) (work, error) {
		return h.s.createTag(c, gen.TagTypeUser, p.UserTagName, p.UserIds)
	}))
}

// UpdateUserTag renames a user tag or changes its users.
func (h *handlers) UpdateUserTag(ctx context.Context, r gen.UpdateUserTagRequestObject) (gen.UpdateUserTagResponseObject, error) {
	return respond[gen.UpdateUserTag200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.UpdateUserTagIntent) (work, error) {
		return h.s.updateTag(c, gen.TagTypeUser, p.UserTagID, p.NewUserTagName, p.AddUserIds, p.RemoveUserIds)
	}))
}

// DeleteUserTags deletes user tags.
func (h *handlers) DeleteUserTags(ctx context.Context, r gen.DeleteUserTagsRequestObject) (gen.DeleteUserTagsResponseObject, error) {
	return respond[gen.DeleteUserTags200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.DeleteUserTagsIntent) (work, error) {
		return h.s.deleteTags(c, gen.TagTypeUser, p.UserTagIds)
	}))
}

// ListUserTags lists the user tags of the organization.
func (h *handlers) ListUserTags(ctx context.Context, _ gen.ListUserTagsRequestObject) (gen.ListUserTagsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListUserTags200JSONResponse, error) {
		return gen.ListUserTags200JSONResponse{UserTags: listTags(o, gen.TagTypeUser)}, nil
	})
}

// CreatePrivateKeyTag creates a private key tag.
func (h *handlers) CreatePrivateKeyTag(ctx context.Context, r gen.CreatePrivateKeyTagRequestObject) (gen.CreatePrivateKeyTagResponseObject, error) {
	return respond[gen.CreatePrivateKeyTag200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.CreatePrivateKeyTagIntent) (work, error) {
		return h.s.createTag(c, gen.TagTypePrivateKey, p.PrivateKeyTagName, p.PrivateKeyIds)
	}))
}

// UpdatePrivateKeyTag renames a private key tag or changes its keys.
func (h *handlers) UpdatePrivateKeyTag(ctx context.Context, r gen.UpdatePrivateKeyTagRequestObject) (gen.UpdatePrivateKeyTagResponseObject, error) {
	return respond[gen.UpdatePrivateKeyTag200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.UpdatePrivateKeyTagIntent) (work, error) {
		return h.s.updateTag(c, gen.TagTypePrivateKey, p.PrivateKeyTagID, p.NewPrivateKeyTagName, p.AddPrivateKeyIds, p.RemovePrivateKeyIds)
	}))
}

// DeletePrivateKeyTags deletes private key tags.
func (h *handlers) DeletePrivateKeyTags(ctx context.Context, r gen.DeletePrivateKeyTagsRequestObject) (gen.DeletePrivateKeyTagsResponseObject, error) {
	return respond[gen.DeletePrivateKeyTags200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.DeletePrivateKeyTagsIntent) (work, error) {
		return h.s.deleteTags(c, gen.TagTypePrivateKey, p.PrivateKeyTagIds)
	}))
}

// ListPrivateKeyTags lists the private key tags of the organization.
func (h *handlers) ListPrivateKeyTags(ctx context.Context, _ gen.ListPrivateKeyTagsRequestObject) (gen.ListPrivateKeyTagsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListPrivateKeyTags200JSONResponse, error) {
		return gen.ListPrivateKeyTags200JSONResponse{PrivateKeyTags: listTags(o, gen.TagTypePrivateKey)}, nil
	})
}

// sortedTagIDs returns the IDs of set members in a stable order.
func sortedTagIDs(set map[string]bool) []string {
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
