package app

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/platform/auth"
)

// coopAccounts gives the cooperative capability identity's accounts,
// memberships and audit log, and in-app notifications, inside the
// cooperative's own transactions.
type coopAccounts struct{ ids *identity.Service }

var _ cooperative.Accounts = coopAccounts{}

func coopCaller(a cooperative.Actor) identity.Caller {
	return identity.Caller{UserID: a.UserID(), IP: a.IP}
}

func (a coopAccounts) NormalizeLogin(login string) (string, bool) {
	l, ok := identity.ParseLogin(login)
	return l.String(), ok
}

func (a coopAccounts) Notify(ctx context.Context, ext sqlx.ExtContext, n cooperative.Note) error {
	// Post writes through the transaction it is given: the notification
	// commits with the invitation that caused it.
	var notes notify.Service
	return notes.Post(ctx, ext, []notify.Note{{UserID: n.UserID, Source: n.Source, Title: n.Title, Body: n.Body, Link: n.Link}})
}

func (a coopAccounts) FindAccount(ctx context.Context, login string) (cooperative.Account, error) {
	u, err := a.ids.UserByLogin(ctx, login)
	if errors.Is(err, identity.ErrUserNotFound) {
		return cooperative.Account{}, cooperative.ErrAccountNotFound
	}
	if err != nil {
		return cooperative.Account{}, err
	}
	return cooperative.Account{ID: u.ID, Roles: u.Roles, TradeProvince: u.TradeProvince}, nil
}

func (a coopAccounts) AddMember(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID, role auth.Role, by cooperative.Actor) error {
	return a.ids.AddMemberIn(ctx, ext, coop, user, role, coopCaller(by))
}

func (a coopAccounts) RemoveMember(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID, by cooperative.Actor) error {
	return a.ids.RemoveMemberIn(ctx, ext, coop, user, coopCaller(by))
}

func (a coopAccounts) Audit(ctx context.Context, ext sqlx.ExtContext, by cooperative.Actor, action string, subject *uuid.UUID, coop uuid.UUID, details map[string]any) error {
	return a.ids.AuditIn(ctx, ext, coopCaller(by), action, subject, &coop, details)
}
