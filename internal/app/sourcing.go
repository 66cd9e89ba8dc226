package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
	"htxmarket/internal/sourcing"
)

// newSourcing builds supply-demand matching and registers its routes.
func newSourcing(v1 fiber.Router, d *sqlx.DB, provinces *geo.Service, finder *search.Service, vocab sourcing.Vocabulary,
	buying *order.Service, accounts sourcing.Accounts, coops sourcing.CoopResolver) *sourcing.Service {
	s := sourcing.NewService(d, provinces, finder, vocab, buying)
	sourcing.Routes(v1, s, accounts, coops)
	return s
}

// sourcingNotifier tells cooperatives of the requests they were matched
// with, and buyers of the quotes they receive: in the app and by e-mail.
type sourcingNotifier struct {
	db      *sqlx.DB
	s       *sourcing.Service
	ids     *identity.Service
	coops   *cooperative.Store
	notes   *notify.Service
	mailer  identity.Mailer
	baseURL string
}

// sourcingNotifyConsumer is the consumer's name (subscribed by migration 00080).
const sourcingNotifyConsumer = "sourcing-notify"

func (n sourcingNotifier) consumer() outbox.Consumer {
	return outbox.Consumer{Name: sourcingNotifyConsumer, Topics: []string{sourcing.TopicMatched, sourcing.TopicQuoted},
		Handle: n.handle, BatchSize: 50}
}

// sourcingWorker is the worker's part of sourcing: its notifier and the
// expiry of requests and quotes.
func sourcingWorker(cfg config.Config, d *sqlx.DB, ids *identity.Service, coops *cooperative.Service, provinces *geo.Service) (outbox.Consumer, jobs.Job) {
	s := sourcing.NewService(d, provinces, nil, nil, nil)
	n := sourcingNotifier{db: d, s: s, ids: ids, coops: coops.Store(), notes: notify.NewService(d),
		mailer: newMailer(cfg, identity.NewStore(d)), baseURL: cfg.Auth.PublicOrigin}
	// Requests whose window passed and quotes past their validity expire;
	// dates change at midnight, an hour late at most.
	job := jobs.Job{Name: "sourcing.expire", Every: time.Hour, Run: func(ctx context.Context) error {
		_, _, err := s.Expire(ctx)
		return err
	}}
	return n.consumer(), job
}

func (n sourcingNotifier) handle(ctx context.Context, batch []outbox.Message) error {
	for _, m := range batch {
		var err error
		switch m.Topic {
		case sourcing.TopicMatched:
			var p sourcing.MatchedMessage
			if json.Unmarshal(m.Payload, &p) == nil {
				err = n.matched(ctx, m.ID, p)
			}
		case sourcing.TopicQuoted:
			var p sourcing.QuotedMessage
			if json.Unmarshal(m.Payload, &p) == nil {
				err = n.quoted(ctx, m.ID, p)
			}
		}
		if errors.Is(err, sourcing.ErrRequestNotFound) || errors.Is(err, sourcing.ErrQuoteNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sourcing notices: message %d: %w", m.ID, err)
		}
	}
	return nil
}

func quantityText(q float64, unit string) string {
	return strings.ReplaceAll(strconv.FormatFloat(q, 'f', -1, 64), ".", ",") + " " + unit
}

func (n sourcingNotifier) matched(ctx context.Context, msg int64, p sourcing.MatchedMessage) error {
	no, err := n.s.ForNotice(ctx, p.RequestID, p.Cooperatives)
	if err != nil {
		return err
	}
	r := no.Request
	title := "Yêu cầu báo giá mới: " + r.Text
	body := fmt.Sprintf("Cần %s, giao đến %s từ %s đến %s.", quantityText(r.Quantity, r.Unit), r.ProvinceName, r.WantedFrom, r.WantedTo)
	source := fmt.Sprintf("outbox:%d", msg)
	var notes []notify.Note
	for _, coop := range p.Cooperatives {
		ref, ok := no.Coops[coop]
		if !ok {
			continue
		}
		ms, err := n.coops.Members(ctx, n.db, coop)
		if err != nil {
			return err
		}
		link := "/nguon-hang/hop-tac-xa/" + ref.Slug
		for _, m := range ms {
			notes = append(notes, notify.Note{UserID: m.UserID, Source: source, Title: title, Body: body, Link: link})
		}
	}
	if err := n.notes.Post(ctx, n.db, notes); err != nil {
		return err
	}
	for _, note := range notes {
		if err := n.mail(ctx, note.UserID, title, body+"\n\nGửi báo giá: "+n.baseURL+note.Link); err != nil {
			return err
		}
	}
	return nil
}

func (n sourcingNotifier) quoted(ctx context.Context, msg int64, p sourcing.QuotedMessage) error {
	no, err := n.s.ForNotice(ctx, p.RequestID, nil)
	if err != nil {
		return err
	}
	q, err := n.s.QuoteForNotice(ctx, p.RequestID, p.QuoteID)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s gửi báo giá", q.Cooperative.Name)
	body := fmt.Sprintf("%s: %d %s, %s mỗi %s, giao ngày %s, hiệu lực đến %s.", no.Request.Text, q.Quantity, q.Unit,
		vnd(q.UnitPriceVND), q.Unit, q.DeliveryDate, q.ValidUntil)
	link := "/nguon-hang/yeu-cau/" + p.RequestID.String()
	note := notify.Note{UserID: no.BuyerID, Source: fmt.Sprintf("outbox:%d", msg), Title: title, Body: body, Link: link}
	if err := n.notes.Post(ctx, n.db, []notify.Note{note}); err != nil {
		return err
	}
	return n.mail(ctx, no.BuyerID, title, body+"\n\nSo sánh báo giá: "+n.baseURL+link)
}

// mail e-mails a user who has an address. A redelivered message may mail
// twice (as order notices do); the in-app note is written once.
func (n sourcingNotifier) mail(ctx context.Context, user uuid.UUID, subject, text string) error {
	if n.mailer == nil {
		return nil
	}
	u, err := n.ids.User(ctx, user)
	if err != nil {
		return err
	}
	if strings.TrimSpace(u.Email) == "" {
		return nil
	}
	return n.mailer.Send(ctx, identity.Message{To: u.Email, Subject: "HTX Market: " + subject, Text: text})
}
