package trace

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"
)

// chain builds a batch and n events linked as AddEvent links them.
func chain(t *testing.T, n int) (Batch, []Event) {
	t.Helper()
	lat, lng := 21.59, 105.84
	cost := int64(1_200_000)
	b := Batch{ID: newID(), CooperativeID: newID(), ProductID: newID(), Code: newCode(), GTIN: "08938505974019",
		Quantity: 500, Unit: "kg", ProducedOn: "2025-05-01", ExpiresOn: "2026-05-01",
		Area:      Place{Name: "Đồi chè Tân Cương", Commune: "Phúc Xuân", Province: "thai-nguyen", Lat: &lat, Lng: &lng},
		Inputs:    []Input{{Kind: "fertiliser", Name: "Phân hữu cơ vi sinh", Amount: "200 kg", AppliedOn: "2025-03-02", CostVND: &cost}},
		createdBy: newID()}
	h := BatchHash(b)
	b.Hash = hex.EncodeToString(h[:])
	prev := h
	start := time.Date(2025, 3, 1, 7, 30, 0, 123456000, time.UTC)
	events := make([]Event, n)
	for i := range events {
		e := Event{ID: newID(), BatchID: b.ID, Seq: i + 1, Kind: Kinds[i%len(Kinds)],
			OccurredAt: start.Add(time.Duration(i) * time.Hour), RecordedAt: start.Add(time.Duration(i)*time.Hour + time.Minute),
			ActorName: "Tổ sản xuất số 2", ActorPhone: "0912345678", RecordedBy: b.createdBy,
			Notes: "Hái một tôm hai lá", Photos: []string{}, PrevHash: hex.EncodeToString(prev[:])}
		got := EventHash(prev, e)
		e.Hash = hex.EncodeToString(got[:])
		events[i], prev = e, got
	}
	return b, events
}

func TestVerifyACleanChain(t *testing.T) {
	b, evs := chain(t, 5)
	v := Verify(b, evs)
	if !v.Valid || v.BrokenAt != nil || v.Events != 5 || v.Head != evs[4].Hash {
		t.Fatalf("clean chain: %+v", v)
	}
	if v := Verify(b, nil); !v.Valid || v.Head != b.Hash {
		t.Fatalf("a batch without events: %+v", v)
	}
}

func TestVerifyNamesTheFirstBrokenLink(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(b *Batch, evs []Event)
		wantSeq int // 0: the batch
	}{
		{"notes of the third event", func(_ *Batch, evs []Event) { evs[2].Notes = "Hái máy" }, 3},
		{"time of the first event", func(_ *Batch, evs []Event) { evs[0].OccurredAt = evs[0].OccurredAt.Add(time.Microsecond) }, 1},
		{"a private cost", func(_ *Batch, evs []Event) { c := int64(5); evs[3].CostVND = &c }, 4},
		{"a staff phone", func(_ *Batch, evs []Event) { evs[4].ActorPhone = "0987654321" }, 5},
		{"a photo added", func(_ *Batch, evs []Event) { evs[1].Photos = []string{"trace/x/y.jpg"} }, 2},
		{"a rehashed event breaks the next link", func(_ *Batch, evs []Event) {
			evs[1].Notes = "sửa lén"
			var prev [32]byte
			p, _ := hex.DecodeString(evs[1].PrevHash)
			copy(prev[:], p)
			h := EventHash(prev, evs[1])
			evs[1].Hash = hex.EncodeToString(h[:])
		}, 3},
		{"an event removed", func(_ *Batch, evs []Event) { copy(evs[2:], evs[3:]) }, 4},
		{"the batch's quantity", func(b *Batch, _ []Event) { b.Quantity = 5000 }, 0},
		{"the batch's input cost", func(b *Batch, _ []Event) { c := int64(1); b.Inputs[0].CostVND = &c }, 0},
		{"the batch's coordinates", func(b *Batch, _ []Event) { lat := 21.590001; b.Area.Lat = &lat }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, evs := chain(t, 5)
			tc.tamper(&b, evs)
			if tc.name == "an event removed" {
				evs = evs[:4]
			}
			v := Verify(b, evs)
			if v.Valid || v.BrokenAt == nil {
				t.Fatalf("tampering not found: %+v", v)
			}
			if v.BrokenAt.Seq != tc.wantSeq {
				t.Fatalf("broken at %+v, want seq %d", v.BrokenAt, tc.wantSeq)
			}
			if tc.wantSeq == 0 && v.BrokenAt.Link != "batch" {
				t.Fatalf("broken link %q, want batch", v.BrokenAt.Link)
			}
			if tc.wantSeq > 0 && (v.BrokenAt.Link != "event" || v.BrokenAt.EventID == nil || *v.BrokenAt.EventID == uuid.Nil) {
				t.Fatalf("broken link %+v does not name an event", v.BrokenAt)
			}
		})
	}
}

func TestCanonicalJSONIsStable(t *testing.T) {
	a := canonical(map[string]any{"b": 1, "a": []any{"Đà Lạt <3 & chè \"x\"\n\x01"}, "c": map[string]any{"z": nil, "y": int64(12345678901234)}})
	want := `{"a":["Đà Lạt <3 & chè \"x\"\n\u0001"],"b":1,"c":{"y":12345678901234,"z":null}}`
	if string(a) != want {
		t.Fatalf("canonical = %s, want %s", a, want)
	}
}

func BenchmarkVerify1000Events(b *testing.B) {
	t := &testing.T{}
	batch, evs := chain(t, 1000)
	b.ResetTimer()
	for range b.N {
		if v := Verify(batch, evs); !v.Valid {
			b.Fatal("invalid")
		}
	}
}

// The canonical form is a format: stored hashes depend on it, so it must
// not change by accident.
func TestCanonicalEventIsPinned(t *testing.T) {
	lat := 21.5
	cost := int64(2350000)
	seq := 1
	e := Event{ID: uuid.MustParse("01900000-0000-7000-8000-000000000001"), BatchID: uuid.MustParse("01900000-0000-7000-8000-000000000002"),
		Seq: 2, Kind: KindPacked, OccurredAt: time.Date(2025, 5, 1, 6, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
		RecordedAt: time.Date(2025, 5, 1, 0, 0, 0, 1000, time.UTC), Place: Place{Name: "Xưởng", Province: "ha-noi", Lat: &lat, Lng: &lat},
		ActorName: "Tổ 1", ActorPhone: "0912345678", RecordedBy: uuid.MustParse("01900000-0000-7000-8000-000000000003"),
		Notes: "Đóng \"thùng\"\n10 kg", CostVND: &cost, CorrectsSeq: &seq}
	want := `{"actor_name":"Tổ 1","actor_phone":"0912345678","batch_id":"01900000-0000-7000-8000-000000000002",` +
		`"corrects_seq":1,"cost_vnd":2350000,"id":"01900000-0000-7000-8000-000000000001","inspector":"","kind":"packed",` +
		`"notes":"Đóng \"thùng\"\n10 kg","occurred_at":"2025-04-30T23:30:00.000000Z",` +
		`"photos":[],"place":{"commune":"","lat":"21.500000","lng":"21.500000","name":"Xưởng","province":"ha-noi"},` +
		`"recorded_at":"2025-05-01T00:00:00.000001Z","recorded_by":"01900000-0000-7000-8000-000000000003","result":"","seq":2}`
	if got := string(canonical(eventContent(e))); got != want {
		t.Fatalf("canonical event:\n got %s\nwant %s", got, want)
	}
}
