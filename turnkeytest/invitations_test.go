package turnkeytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
)

func TestInvitations(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	root := s.Root()
	inv := gen.InvitationParams{ReceiverUserName: "bob", ReceiverUserEmail: "bob@example.com", ReceiverUserTags: []string{},
		AccessType: gen.AccessTypeWeb, SenderUserID: root.UserID}

	res, _, err := c.CreateInvitations(ctx, gen.CreateInvitationsIntent{Invitations: []gen.InvitationParams{inv}})
	require.NoError(t, err)
	require.Len(t, res.InvitationIds, 1)
	msg, ok := s.LastMessage("bob@example.com")
	require.True(t, ok)
	require.Equal(t, MessageInvitation, msg.Kind)
	require.Equal(t, res.InvitationIds[0], msg.InvitationID)
	require.Equal(t, root.UserID, msg.UserID)

	del, _, err := c.DeleteInvitation(ctx, gen.DeleteInvitationIntent{InvitationID: res.InvitationIds[0]})
	require.NoError(t, err)
	require.Equal(t, res.InvitationIds[0], del.InvitationID)
	_, _, err = newClient(t, s, later()).DeleteInvitation(ctx, gen.DeleteInvitationIntent{InvitationID: res.InvitationIds[0]})
	failure(t, err, codeNotFound)

	// An unknown sender or tag fails; bad parameters are refused.
	bad := inv
	bad.SenderUserID = newID()
	_, _, err = c.CreateInvitations(ctx, gen.CreateInvitationsIntent{Invitations: []gen.InvitationParams{bad}})
	failure(t, err, codeNotFound)
	bad = inv
	bad.ReceiverUserTags = []string{newID()}
	_, _, err = c.CreateInvitations(ctx, gen.CreateInvitationsIntent{Invitations: []gen.InvitationParams{bad}})
	failure(t, err, codeNotFound)
	for _, mut := range []func(*gen.InvitationParams){
		func(p *gen.InvitationParams) { p.ReceiverUserEmail = "bob" },
		func(p *gen.InvitationParams) { p.AccessType = "ACCESS_TYPE_TELEPATHY" },
		func(p *gen.InvitationParams) { p.ReceiverUserName = " " },
	} {
		bad = inv
		mut(&bad)
		_, _, err = c.CreateInvitations(ctx, gen.CreateInvitationsIntent{Invitations: []gen.InvitationParams{bad}})
		apiError(t, err, 400, codeInvalidArgument)
	}
}
