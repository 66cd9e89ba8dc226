package ledger

import (
	"time"

	"github.com/google/uuid"
)

// Account is a ledger account. Every entry also names its cooperative, so
// each account has a balance per cooperative; platform_cash and
// commission_revenue summed over all cooperatives are the platform's.
type Account string

// The accounts. Amounts are signed: a debit is positive, a credit negative.
const (
	// PlatformCash is money the platform holds: card payments collected on
	// the cooperatives' behalf, less refunds and payouts (debit balance).
	PlatformCash Account = "platform_cash"
	// CoopPayable is what the platform owes a cooperative (credit balance:
	// negative in the books, shown positive in Balances). A card refund
	// after a payout can turn it the other way.
	CoopPayable Account = "coop_payable"
	// CoopReceivable is the commission a cooperative owes the platform on
	// sales it collected itself, cash on delivery or bank transfer (debit
	// balance).
	CoopReceivable Account = "coop_receivable"
	// CommissionRevenue is the platform's commission (credit balance).
	CommissionRevenue Account = "commission_revenue"
)

// Kind is the business event a journal records.
type Kind string

// The kinds of journal.
const (
	KindCardSale     Kind = "card_sale"     // a sub-order paid by card, delivered
	KindDirectSale   Kind = "direct_sale"   // a sub-order paid to the cooperative (COD, bank transfer), delivered
	KindCardRefund   Kind = "card_refund"   // money returned to the card by the platform
	KindDirectRefund Kind = "direct_refund" // money returned by the cooperative itself
	KindPayout       Kind = "payout"        // a bank transfer from the platform to the cooperative
	KindOffset       Kind = "offset"        // commission owed by the cooperative deducted from what it is owed
)

// Journal is one business event: entries that sum to zero.
type Journal struct {
	ID            uuid.UUID  `json:"id"`
	Key           string     `json:"key"`
	Kind          Kind       `json:"kind"`
	CooperativeID uuid.UUID  `json:"cooperative_id"`
	SubOrderID    *uuid.UUID `json:"sub_order_id"`
	// AmountVND is the event's gross amount (sale, refund, transfer), > 0.
	AmountVND int64 `json:"amount_vnd"`
	// CommissionBPS is the rate applied to a sale, nil for other kinds.
	CommissionBPS *int       `json:"commission_bps"`
	Reference     string     `json:"reference"`
	PaidOn        *time.Time `json:"paid_on"`
	CreatedBy     *uuid.UUID `json:"created_by"`
	PostedAt      time.Time  `json:"posted_at"`
	Entries       []Entry    `json:"entries"`
}

// Entry is one line of a journal.
type Entry struct {
	Account   Account `json:"account"`
	AmountVND int64   `json:"amount_vnd"` // debit > 0, credit < 0
}

// Balances are a cooperative's figures since its first sale, in VND, each
// shown with the sign a reader expects (what is owed is positive).
type Balances struct {
	CooperativeID uuid.UUID `json:"cooperative_id"`
	// PayableVND is what the platform owes the cooperative; negative when
	// card refunds after a payout left the cooperative owing.
	PayableVND int64 `json:"payable_vnd"`
	// ReceivableVND is the commission the cooperative owes the platform on
	// sales it collected itself, not yet offset.
	ReceivableVND int64 `json:"receivable_vnd"`
	// NetVND is PayableVND - ReceivableVND: what settles the account.
	NetVND int64 `json:"net_vnd"`
	// Gross sales by how they were paid, before refunds.
	CardSalesVND   int64 `json:"card_sales_vnd"`
	DirectSalesVND int64 `json:"direct_sales_vnd"`
	// CommissionVND is the commission kept: charged on sales less reversed
	// on refunds.
	CommissionVND int64 `json:"commission_vnd"`
	RefundsVND    int64 `json:"refunds_vnd"`
	PayoutsVND    int64 `json:"payouts_vnd"`
	OffsetsVND    int64 `json:"offsets_vnd"`
}

// StatementLine is one journal as a cooperative's statement shows it, with
// the balances after it. A statement starts with a line of KindOpening
// carrying the balances at its start.
type StatementLine struct {
	PostedAt   time.Time  `json:"posted_at"`
	Kind       Kind       `json:"kind"`
	SubOrderID *uuid.UUID `json:"sub_order_id"`
	Reference  string     `json:"reference"`
	PaidOn     *time.Time `json:"paid_on"`
	// AmountVND is the gross amount of the event; 0 on the opening line.
	AmountVND int64 `json:"amount_vnd"`
	// CommissionVND is the commission charged (> 0) or reversed (< 0).
	CommissionVND int64 `json:"commission_vnd"`
	// Changes of, and balances after the line of, what the platform owes
	// the cooperative and what the cooperative owes the platform.
	PayableChangeVND     int64 `json:"payable_change_vnd"`
	ReceivableChangeVND  int64 `json:"receivable_change_vnd"`
	PayableBalanceVND    int64 `json:"payable_balance_vnd"`
	ReceivableBalanceVND int64 `json:"receivable_balance_vnd"`
}

// KindOpening marks the first line of a statement: the balances brought
// forward. No journal has this kind.
const KindOpening Kind = "opening"
