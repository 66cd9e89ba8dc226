package identity

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// Mailer delivers e-mail. SMTPMailer sends it; DevMailer keeps it in the
// database for tests and the demo.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// mailTimeout bounds one delivery.
const mailTimeout = 30 * time.Second

// background runs work, named what for the log, after the request that
// asked for it has been answered, so that the answer and its timing do not
// depend on whether an account exists (whose lookup, token and audit entry
// take a few queries) nor on the mail server. Drain waits for it. Failures
// are logged without the message, which may hold a one-time token.
func (s *Service) background(ctx context.Context, what string, work func(ctx context.Context) error) {
	s.mail.Add(1)
	go func() {
		defer s.mail.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailTimeout)
		defer cancel()
		if err := work(ctx); err != nil {
			s.log.ErrorContext(ctx, what+" failed", "err", err)
		}
	}()
}

// Mailbox returns the latest messages to an address in the development
// mailbox, waiting first for messages still being sent.
func (s *Service) Mailbox(ctx context.Context, to string) ([]StoredMessage, error) {
	s.Drain()
	e, _ := NormalizeEmail(to)
	return s.store.Messages(ctx, e, 20)
}

// DevMailer stores messages in the dev_mailbox table instead of sending them.
type DevMailer struct {
	Store interface {
		SaveMessage(ctx context.Context, m Message) error
	}
}

// Send stores m.
func (d DevMailer) Send(ctx context.Context, m Message) error { return d.Store.SaveMessage(ctx, m) }

// SMTPMailer sends e-mail through an SMTP server, with STARTTLS when the
// server offers it and PLAIN authentication when a username is set.
type SMTPMailer struct {
	Addr     string // host:port
	Username string
	Password string
	From     string // "Name <address>"
}

// Send delivers m as a plain-text UTF-8 message.
func (s SMTPMailer) Send(ctx context.Context, m Message) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("identity: MAIL_FROM: %w", err)
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("identity: SMTP_ADDR: %w", err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("identity: smtp dial: %w", err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("identity: smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(host)); err != nil {
			return fmt.Errorf("identity: smtp starttls: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("identity: smtp auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("identity: smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("identity: smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("identity: smtp DATA: %w", err)
	}
	if _, err := w.Write(formatMessage(from, m, time.Now())); err != nil {
		return fmt.Errorf("identity: smtp write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("identity: smtp DATA end: %w", err)
	}
	return c.Quit()
}

func tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}

// formatMessage renders m as RFC 5322 text with encoded headers.
func formatMessage(from *mail.Address, m Message, now time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", (&mail.Address{Address: m.To}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n"))
	return b.Bytes()
}
