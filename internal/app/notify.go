package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/outbox"
)

// orderNotifier turns buying's outbox messages into in-app notifications
// for the buyer and the cooperative's members, and e-mails for the buyer.
// A redelivered message notifies nobody twice in the app (each note is
// keyed by the message); an e-mail may go twice if delivery failed after
// sending it.
type orderNotifier struct {
	db      *sqlx.DB
	buying  *order.Service
	coops   *cooperative.Store
	notes   *notify.Service
	mailer  identity.Mailer
	baseURL string
}

// orderNotifyConsumer is the consumer's name (subscribed by migration 00043).
const orderNotifyConsumer = "order-notify"

func (n orderNotifier) consumer() outbox.Consumer {
	return outbox.Consumer{Name: orderNotifyConsumer, Topics: []string{order.TopicOrderPlaced, order.TopicSubOrderMoved},
		Handle: n.handle, BatchSize: 50}
}

// statusText is how a sub-order's status reads to a person.
var statusText = map[order.Status]string{
	order.StatusPendingPayment: "chờ thanh toán", order.StatusConfirmed: "đã xác nhận", order.StatusPacked: "đã đóng gói",
	order.StatusShipped: "đang giao", order.StatusDelivered: "đã giao", order.StatusCompleted: "hoàn tất",
	order.StatusCancelled: "đã hủy", order.StatusRefunded: "đã hoàn tiền",
}

func (n orderNotifier) handle(ctx context.Context, batch []outbox.Message) error {
	for _, m := range batch {
		var err error
		switch m.Topic {
		case order.TopicOrderPlaced:
			var p order.OrderMessage
			if json.Unmarshal(m.Payload, &p) == nil {
				err = n.placed(ctx, m.ID, p)
			}
		case order.TopicSubOrderMoved:
			var p order.MoveMessage
			if json.Unmarshal(m.Payload, &p) == nil {
				err = n.moved(ctx, m.ID, p)
			}
		}
		if errors.Is(err, order.ErrNotFound) {
			continue // nothing to tell about an order that is gone
		}
		if err != nil {
			return fmt.Errorf("order notices: message %d: %w", m.ID, err)
		}
	}
	return nil
}

func vnd(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " ₫"
}

// members returns the cooperative's managers and staff.
func (n orderNotifier) members(ctx context.Context, coop uuid.UUID) ([]uuid.UUID, error) {
	ms, err := n.coops.Members(ctx, n.db, coop)
	if err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, m := range ms {
		if m.Role == auth.RoleCoopManager || m.Role == auth.RoleCoopStaff {
			ids = append(ids, m.UserID)
		}
	}
	return ids, nil
}

func (n orderNotifier) placed(ctx context.Context, msg int64, p order.OrderMessage) error {
	o, to, err := n.buying.ForNotice(ctx, p.OrderID)
	if err != nil {
		return err
	}
	source := fmt.Sprintf("outbox:%d", msg)
	link := "/don-hang/" + o.ID.String()
	var notes []notify.Note
	title := fmt.Sprintf("Đã nhận đơn %s", o.Number)
	body := fmt.Sprintf("Đơn %s gồm %d phần từ các hợp tác xã, tổng %s.", o.Number, len(o.SubOrders), vnd(o.TotalVND))
	if to.BuyerID != nil {
		notes = append(notes, notify.Note{UserID: *to.BuyerID, Source: source, Title: title, Body: body, Link: link})
	}
	for _, so := range o.SubOrders {
		ids, err := n.members(ctx, so.CooperativeID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			notes = append(notes, notify.Note{UserID: id, Source: source, Title: "Đơn mới " + so.Number,
				Body: fmt.Sprintf("%d dòng hàng, tổng %s, giao đến %s.", len(so.Lines), vnd(so.TotalVND), o.ProvinceName),
				Link: "/quan-ly/" + so.CooperativeSlug})
		}
	}
	if err := n.notes.Post(ctx, n.db, notes); err != nil {
		return err
	}
	return n.mail(ctx, to.Email, title, body+"\n\nXem đơn: "+n.baseURL+link+
		"\nTra cứu bằng số đơn và số điện thoại: "+n.baseURL+"/tra-cuu-don-hang")
}

func (n orderNotifier) moved(ctx context.Context, msg int64, p order.MoveMessage) error {
	o, to, err := n.buying.ForNotice(ctx, p.OrderID)
	if err != nil {
		return err
	}
	var so order.SubOrder
	for _, s := range o.SubOrders {
		if s.ID == p.SubOrderID {
			so = s
		}
	}
	if so.ID == uuid.Nil {
		return nil
	}
	source := fmt.Sprintf("outbox:%d", msg)
	title := fmt.Sprintf("Đơn %s %s", so.Number, statusText[p.To])
	body := fmt.Sprintf("Phần đơn của %s nay %s.", so.CooperativeName, statusText[p.To])
	if p.To == order.StatusShipped && so.Carrier != "" {
		body += fmt.Sprintf(" Đơn vị vận chuyển: %s, mã vận đơn %s.", so.Carrier, so.TrackingCode)
	}
	link := "/don-hang/" + o.ID.String()
	var notes []notify.Note
	if to.BuyerID != nil {
		notes = append(notes, notify.Note{UserID: *to.BuyerID, Source: source, Title: title, Body: body, Link: link})
	}
	// The cooperative hears of what it did not do itself: payment,
	// cancellation, receipt.
	if p.To == order.StatusConfirmed || p.To == order.StatusCancelled || p.To == order.StatusCompleted ||
		p.To == order.StatusRefunded || p.To == order.StatusDelivered {
		ids, err := n.members(ctx, so.CooperativeID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			notes = append(notes, notify.Note{UserID: id, Source: source, Title: title, Body: body, Link: "/quan-ly/" + so.CooperativeSlug})
		}
	}
	if err := n.notes.Post(ctx, n.db, notes); err != nil {
		return err
	}
	return n.mail(ctx, to.Email, title, body+"\n\nXem đơn: "+n.baseURL+link)
}

func (n orderNotifier) mail(ctx context.Context, to, subject, text string) error {
	if to == "" || n.mailer == nil {
		return nil
	}
	return n.mailer.Send(ctx, identity.Message{To: to, Subject: "HTX Market: " + subject, Text: text})
}
