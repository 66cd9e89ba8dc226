package trace

import (
	"time"

	"github.com/google/uuid"
)

// Kind is what happened to a batch.
type Kind string

// The kinds of trace events.
const (
	KindPlanted   Kind = "planted"
	KindTreated   Kind = "treated"
	KindHarvested Kind = "harvested"
	KindProcessed Kind = "processed"
	KindPacked    Kind = "packed"
	KindInspected Kind = "inspected"
	KindShipped   Kind = "shipped"
	KindReceived  Kind = "received"
)

// Kinds lists every kind, in the order things usually happen.
var Kinds = []Kind{KindPlanted, KindTreated, KindHarvested, KindProcessed, KindPacked, KindInspected, KindShipped, KindReceived}

// kindNames are the kinds as the public trace page says them.
var kindNames = map[Kind]string{
	KindPlanted: "Gieo trồng", KindTreated: "Chăm sóc, xử lý", KindHarvested: "Thu hoạch",
	KindProcessed: "Chế biến", KindPacked: "Đóng gói", KindInspected: "Kiểm tra",
	KindShipped: "Xuất hàng", KindReceived: "Nhận hàng",
}

// Place is where a batch grew or was made, or where an event happened.
type Place struct {
	Name     string   `json:"name"`
	Commune  string   `json:"commune"`
	Province string   `json:"province"`
	Lat      *float64 `json:"lat"`
	Lng      *float64 `json:"lng"`
}

// Input is something used on a batch: fertiliser, feed, a treatment. Its
// cost is the cooperative's business and never public.
type Input struct {
	Kind      string `json:"kind"` // fertiliser, feed, treatment, other
	Name      string `json:"name"`
	Amount    string `json:"amount"`     // "20 kg", "2 lần"
	AppliedOn string `json:"applied_on"` // YYYY-MM-DD or ""
	CostVND   *int64 `json:"cost_vnd"`
}

// Certification is a certificate the batch was produced under (VietGAP,
// organic …), with the photo of the document when one was uploaded.
type Certification struct {
	Name       string `json:"name"`
	Number     string `json:"number"`
	Issuer     string `json:"issuer"`
	ValidUntil string `json:"valid_until"` // YYYY-MM-DD or ""
	Document   string `json:"document"`    // a storage key from UploadPhoto, or ""
}

// Batch is one lot of a product.
type Batch struct {
	ID             uuid.UUID       `json:"id"`
	CooperativeID  uuid.UUID       `json:"cooperative_id"`
	ProductID      uuid.UUID       `json:"product_id"`
	ProductName    string          `json:"product_name"`
	ProductSlug    string          `json:"product_slug"`
	Code           string          `json:"code"`
	GTIN           string          `json:"gtin"` // "" without one
	Quantity       int             `json:"quantity"`
	Unit           string          `json:"unit"`
	ProducedOn     string          `json:"produced_on"`
	ExpiresOn      string          `json:"expires_on"` // "" without one
	Area           Place           `json:"area"`
	Inputs         []Input         `json:"inputs"`
	Certifications []Certification `json:"certifications"`
	Hash           string          `json:"hash"` // hex
	EventCount     int             `json:"event_count"`
	ScanCount      int64           `json:"scan_count"`
	TraceURL       string          `json:"trace_url"` // what the QR code carries
	CreatedAt      time.Time       `json:"created_at"`
	createdBy      uuid.UUID
}

// NewBatch is what a cooperative member fills in to start a batch.
type NewBatch struct {
	ProductID      string          `json:"product_id"`
	GTIN           string          `json:"gtin"`
	Quantity       int             `json:"quantity"`
	Unit           string          `json:"unit"`
	ProducedOn     string          `json:"produced_on"`
	ExpiresOn      string          `json:"expires_on"`
	Area           Place           `json:"area"`
	Inputs         []Input         `json:"inputs"`
	Certifications []Certification `json:"certifications"`
}

// Event is one thing that happened to a batch. ActorPhone and CostVND are
// private: the public trace never shows them.
type Event struct {
	ID          uuid.UUID `json:"id"`
	BatchID     uuid.UUID `json:"batch_id"`
	Seq         int       `json:"seq"`
	Kind        Kind      `json:"kind"`
	OccurredAt  time.Time `json:"occurred_at"`
	Place       Place     `json:"place"`
	ActorName   string    `json:"actor_name"`
	ActorPhone  string    `json:"actor_phone"`
	RecordedBy  uuid.UUID `json:"recorded_by"`
	Notes       string    `json:"notes"`
	Inspector   string    `json:"inspector"`
	Result      string    `json:"result"` // inspected: passed or failed
	CostVND     *int64    `json:"cost_vnd"`
	Photos      []string  `json:"photos"` // storage keys
	PhotoURLs   []string  `json:"photo_urls"`
	CorrectsSeq *int      `json:"corrects_seq"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// NewEvent is what a cooperative member records.
type NewEvent struct {
	Kind        Kind     `json:"kind"`
	OccurredAt  string   `json:"occurred_at"` // RFC 3339; "" means now
	Place       Place    `json:"place"`
	ActorName   string   `json:"actor_name"`
	ActorPhone  string   `json:"actor_phone"`
	Notes       string   `json:"notes"`
	Inspector   string   `json:"inspector"`
	Result      string   `json:"result"`
	CostVND     *int64   `json:"cost_vnd"`
	Photos      []string `json:"photos"`
	CorrectsSeq *int     `json:"corrects_seq"`
}

// Verification is the result of recomputing a batch's hash chain.
type Verification struct {
	BatchID uuid.UUID `json:"batch_id"`
	Valid   bool      `json:"valid"`
	Events  int       `json:"events"`
	// BrokenAt names the first link whose stored hash does not match its
	// content: "batch" for the batch's own facts, else the event's.
	BrokenAt *BrokenLink `json:"broken_at"`
	// Head is the hash of the last link, the chain's fingerprint.
	Head string `json:"head"`
}

// BrokenLink is the first link of a chain that fails verification.
type BrokenLink struct {
	Link    string     `json:"link"` // "batch" or "event"
	EventID *uuid.UUID `json:"event_id"`
	Seq     int        `json:"seq"` // 0 for the batch
	Reason  string     `json:"reason"`
}

// Assignment says which batch one order line was packed from.
type Assignment struct {
	LineID    uuid.UUID `json:"line_id"`
	BatchID   uuid.UUID `json:"batch_id"`
	BatchCode string    `json:"batch_code"`
	TraceURL  string    `json:"trace_url"`
}
