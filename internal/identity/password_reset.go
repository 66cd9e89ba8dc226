package identity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// ChangePassword replaces the password of the signed-in user after checking
// the current one, and revokes every other session of the user: whoever
// may have learnt the old password is signed out everywhere else.
func (s *Service) ChangePassword(ctx context.Context, p *auth.Principal, current, next string, c Caller) error {
	var v web.ValidationError
	v.Check(current != "", "current_password", "hãy nhập mật khẩu hiện tại")
	u, err := s.store.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	if msg := checkPassword(next, s.opt.MinPasswordLength, u.Email, u.Phone, u.FullName); msg != "" {
		v.Add("new_password", msg)
	}
	if err := v.Err(); err != nil {
		return err
	}
	key := limitKey("password", "account", p.UserID.String())
	if err := s.take(ctx, counter{key, s.opt.Limits.loginAccount()}); err != nil {
		return err
	}
	hash, err := s.store.PasswordHash(ctx, p.UserID)
	if err != nil {
		return err
	}
	ok, _, err := s.hasher.Verify(ctx, hash, current)
	if err != nil {
		return fmt.Errorf("identity: user %s: %w", p.UserID, err)
	}
	if !ok {
		v.Add("current_password", "mật khẩu hiện tại không đúng")
		return v.Err()
	}
	if err := s.store.ClearAttempts(ctx, key); err != nil {
		return err
	}
	newHash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(st Store) error {
		if err := st.SetPasswordHash(ctx, p.UserID, newHash, now); err != nil {
			return err
		}
		if err := st.RevokeUserSessions(ctx, p.UserID, p.SessionID, now); err != nil {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionPasswordChange, &p.UserID, nil, nil))
	})
	if err == nil {
		s.log.InfoContext(ctx, "password changed", "user_id", p.UserID)
	}
	return err
}

// RequestReset e-mails a one-time link to set a new password, when login
// names an account with an e-mail address. It answers the same, in the same
// time, whether or not it does: past the abuse limits, which count typed
// logins whether or not they name an account, everything (the lookup, the
// token, the audit entry, the e-mail) happens in the background.
func (s *Service) RequestReset(ctx context.Context, login string, c Caller) error {
	l, ok := ParseLogin(login)
	if !ok {
		var v web.ValidationError
		v.Add("login", "hãy nhập email hoặc số điện thoại di động hợp lệ")
		return v.Err()
	}
	if err := s.take(ctx, counter{limitKey("reset", "ip", c.IP), s.opt.Limits.resetIP()},
		counter{limitKey("reset", "account", l.String()), s.opt.Limits.resetAccount()}); err != nil {
		return err
	}
	s.background(ctx, "password reset request", func(ctx context.Context) error { return s.sendReset(ctx, l, c) })
	return nil
}

// sendReset makes a reset token for the account of l, if there is one with
// an e-mail address, and mails it.
func (s *Service) sendReset(ctx context.Context, l Login, c Caller) error {
	u, _, err := s.store.UserByLogin(ctx, l)
	if errors.Is(err, ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Email == "" {
		// Text messages are not wired up yet; see the notes.
		s.log.InfoContext(ctx, "password reset requested for an account without e-mail", "user_id", u.ID)
		return nil
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(st Store) error {
		if err := st.CreateReset(ctx, hashToken(token), u.ID, now.Add(s.opt.ResetTTL), now); err != nil {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionResetRequest, &u.ID, nil, nil))
	})
	if err != nil {
		return err
	}
	if err := s.mailer.Send(ctx, resetMessage(u, s.opt.PublicOrigin, token, s.opt.ResetTTL)); err != nil {
		return fmt.Errorf("identity: send reset e-mail: %w", err)
	}
	return nil
}

// ResetPassword sets a new password with a token from a reset e-mail, uses
// up every reset token of the account, and signs the account out
// everywhere.
func (s *Service) ResetPassword(ctx context.Context, token, next string, c Caller) error {
	var v web.ValidationError
	v.Check(token != "", "token", "thiếu mã đặt lại mật khẩu")
	v.Check(next != "", "new_password", "hãy nhập mật khẩu mới")
	if err := v.Err(); err != nil {
		return err
	}
	ipKey := limitKey("reset-confirm", "ip", c.IP)
	if err := s.take(ctx, counter{ipKey, s.opt.Limits.loginIP()}); err != nil {
		return err
	}
	hash := hashToken(token)
	now := s.now()
	userID, err := s.store.ResetUser(ctx, hash, now)
	if err != nil {
		return err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if msg := checkPassword(next, s.opt.MinPasswordLength, u.Email, u.Phone, u.FullName); msg != "" {
		v.Add("new_password", msg)
		return v.Err()
	}
	newHash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(st Store) error {
		if err := st.UseResets(ctx, hash, userID, now); err != nil {
			return err
		}
		if err := st.SetPasswordHash(ctx, userID, newHash, now); err != nil {
			return err
		}
		if err := st.RevokeUserSessions(ctx, userID, uuid.Nil, now); err != nil {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionPasswordReset, &userID, nil, nil))
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "password reset", "user_id", userID)
	return s.store.ForgiveAttempt(ctx, ipKey, now)
}

// resetLinkPath is the page of the web application that reads the token
// from the URL fragment, which browsers never send to a server, so the
// token stays out of access logs and Referer headers.
const resetLinkPath = "/dat-lai-mat-khau#token="

func resetMessage(u User, origin, token string, ttl time.Duration) Message {
	return Message{
		To:      u.Email,
		Subject: "Đặt lại mật khẩu HTX Market",
		Text: fmt.Sprintf("Xin chào %s,\n\n"+
			"Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản HTX Market của bạn.\n"+
			"Mở liên kết dưới đây trong vòng %d phút để đặt mật khẩu mới:\n\n%s%s%s\n\n"+
			"Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu của bạn vẫn giữ nguyên.\n\n"+
			"HTX Market\n", u.FullName, int(ttl.Minutes()), origin, resetLinkPath, token),
	}
}
