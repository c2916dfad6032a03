package turnkeytest

import (
	"context"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// invite is a stored invitation; the invitation email lands in the outbox.
type invite struct {
	id        string
	p         gen.InvitationParams
	createdAt time.Time
}

// CreateInvitations invites people to the organization by email.
func (h *handlers) CreateInvitations(ctx context.Context, r gen.CreateInvitationsRequestObject) (gen.CreateInvitationsResponseObject, error) {
	return respond[gen.CreateInvitations200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createInvitations))
}

func (s *Server) createInvitations(c *call, p gen.CreateInvitationsIntent) (work, error) {
	if len(p.Invitations) == 0 {
		return nil, invalidArgument("invitations: at least one invitation is required")
	}
	for i, inv := range p.Invitations {
		switch {
		case strings.TrimSpace(inv.ReceiverUserName) == "":
			return nil, invalidArgument("invitations[%d].receiverUserName is required", i)
		case !strings.Contains(inv.ReceiverUserEmail, "@"):
			return nil, invalidArgument("invitations[%d].receiverUserEmail %q is not an email address", i, inv.ReceiverUserEmail)
		case !inv.AccessType.Valid():
			return nil, invalidArgument("invitations[%d].accessType %q is not an access type", i, inv.AccessType)
		case inv.SenderUserID == "":
			return nil, invalidArgument("invitations[%d].senderUserId is required", i)
		}
		if err := checkIDs("receiverUserTags", inv.ReceiverUserTags); err != nil {
			return nil, err
		}
	}
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		for _, inv := range p.Invitations {
			if _, err := o.user(inv.SenderUserID); err != nil {
				return nil, err
			}
			for _, id := range inv.ReceiverUserTags {
				if _, err := o.tag(id, gen.TagTypeUser); err != nil {
					return nil, err
				}
			}
		}
		byID := s.auth.invitations[o.id]
		if byID == nil {
			byID = map[string]*invite{}
			s.auth.invitations[o.id] = byID
		}
		ids := make([]string, len(p.Invitations))
		for i, inv := range p.Invitations {
			x := &invite{id: newID(), p: inv, createdAt: now}
			byID[x.id] = x
			ids[i] = x.id
			s.auth.outbox.send(Message{Channel: ChannelEmail, Kind: MessageInvitation, To: inv.ReceiverUserEmail,
				OrganizationID: o.id, UserID: inv.SenderUserID, InvitationID: x.id, SentAt: now})
		}
		return gen.CreateInvitationsOutcome{InvitationIds: ids}, nil
	}), nil
}

// DeleteInvitation revokes an invitation.
func (h *handlers) DeleteInvitation(ctx context.Context, r gen.DeleteInvitationRequestObject) (gen.DeleteInvitationResponseObject, error) {
	return respond[gen.DeleteInvitation200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteInvitation))
}

func (s *Server) deleteInvitation(c *call, p gen.DeleteInvitationIntent) (work, error) {
	if p.InvitationID == "" {
		return nil, invalidArgument("invitationId is required")
	}
	return inOrg(c, func(_ *state, o *org, _ time.Time) (any, error) {
		if s.auth.invitations[o.id][p.InvitationID] == nil {
			return nil, notFound("invitation %s not found in organization %s", p.InvitationID, o.id)
		}
		delete(s.auth.invitations[o.id], p.InvitationID)
		return gen.DeleteInvitationOutcome(p), nil
	}), nil
}
