package identity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/web"
)

// RequestLoginLink e-mails a one-time sign-in link when login names an
// account with an e-mail address. It lets the owner in while an attack
// spread over many addresses has the account's password log-in blocked
// (see Limits): no password guess touches the link's limits, which count
// requests per client IP and per typed login as password resets do. Like
// RequestReset it answers the same, in the same time, whether or not the
// account exists.
func (s *Service) RequestLoginLink(ctx context.Context, login string, c Caller) error {
	l, ok := ParseLogin(login)
	if !ok {
		var v web.ValidationError
		v.Add("login", "hãy nhập email hoặc số điện thoại di động hợp lệ")
		return v.Err()
	}
	if err := s.take(ctx, counter{limitKey("login-link", "ip", c.IP), s.opt.Limits.resetIP()},
		counter{limitKey("login-link", "account", l.String()), s.opt.Limits.resetAccount()}); err != nil {
		return err
	}
	s.background(ctx, "sign-in link request", func(ctx context.Context) error { return s.sendLoginLink(ctx, l) })
	return nil
}

// sendLoginLink makes a sign-in link for the account of l, if there is one
// with an e-mail address, and mails it.
func (s *Service) sendLoginLink(ctx context.Context, l Login) error {
	u, _, err := s.store.UserByLogin(ctx, l)
	if errors.Is(err, ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Email == "" {
		s.log.InfoContext(ctx, "sign-in link requested for an account without e-mail", "user_id", u.ID)
		return nil
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.store.CreateLoginLink(ctx, hashToken(token), u.ID, now.Add(s.loginLinkTTL()), now); err != nil {
		return err
	}
	if err := s.mailer.Send(ctx, loginLinkMessage(u, s.opt.PublicOrigin, token, s.loginLinkTTL())); err != nil {
		return fmt.Errorf("identity: send sign-in link: %w", err)
	}
	return nil
}

// LoginWithLink signs in with the token of a sign-in link, which it uses
// up. The password's abuse limits do not apply: holding the link proves
// the mailbox. Attempts with made-up tokens are limited per client IP.
func (s *Service) LoginWithLink(ctx context.Context, token, kind string, c Caller) (User, NewSession, error) {
	if token == "" || len(token) > 100 {
		var v web.ValidationError
		v.Add("token", "thiếu mã đăng nhập trong liên kết")
		return User{}, NewSession{}, v.Err()
	}
	ipKey := limitKey("login-link-confirm", "ip", c.IP)
	if err := s.take(ctx, counter{ipKey, s.opt.Limits.loginIP()}); err != nil {
		return User{}, NewSession{}, err
	}
	now := s.now()
	var userID uuid.UUID
	err := s.store.InTx(ctx, func(st Store) error {
		id, err := st.UseLoginLink(ctx, hashToken(token), now)
		if err != nil {
			return err
		}
		userID = id
		return st.AddAudit(ctx, audit(c, ActionLoginLink, &id, nil, nil))
	})
	if err != nil {
		return User{}, NewSession{}, err
	}
	if err := s.store.ForgiveAttempt(ctx, ipKey, now); err != nil {
		return User{}, NewSession{}, err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return User{}, NewSession{}, err
	}
	s.log.InfoContext(ctx, "signed in with a link", "user_id", u.ID)
	ns, err := s.StartSession(ctx, u.ID, kind, c)
	return u, ns, err
}

func (s *Service) loginLinkTTL() time.Duration {
	if s.opt.LoginLinkTTL <= 0 {
		return 15 * time.Minute
	}
	return s.opt.LoginLinkTTL
}

// loginLinkPath is the page of the web application that reads the token
// from the URL fragment (never sent to a server, so never in an access
// log) and signs in with it.
const loginLinkPath = "/dang-nhap-bang-lien-ket#token="

func loginLinkMessage(u User, origin, token string, ttl time.Duration) Message {
	return Message{
		To:      u.Email,
		Subject: "Liên kết đăng nhập HTX Market",
		Text: fmt.Sprintf("Xin chào %s,\n\n"+
			"Chúng tôi nhận được yêu cầu đăng nhập vào tài khoản HTX Market của bạn bằng liên kết.\n"+
			"Mở liên kết dưới đây trong vòng %d phút để đăng nhập (liên kết chỉ dùng được một lần):\n\n%s%s%s\n\n"+
			"Nếu bạn không yêu cầu, hãy bỏ qua thư này. Nếu bạn nhận được thư này nhiều lần mà không yêu cầu, "+
			"có thể ai đó đang thử mật khẩu của bạn: hãy đổi mật khẩu sau khi đăng nhập.\n\n"+
			"HTX Market\n", u.FullName, int(ttl.Minutes()), origin, loginLinkPath, token),
	}
}
