package trace

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The batch's events as a GS1 EPCIS 2.0 JSON-LD document, for trading
// partners' systems. Processing becomes a TransformationEvent (the batch in,
// the processed batch out); everything else an ObjectEvent on the batch's
// class-level identifier (the GTIN and lot as a Digital Link URI, quantity
// in the batch's unit). Business steps and dispositions are CBV 2.0 URIs.
// An event that a later one corrects carries an errorDeclaration naming the
// correction, as EPCIS prescribes. Only public facts leave: no costs, no
// phone numbers. Each event also carries its link of the hash chain under
// the htx: prefix, so a partner can check it.

const (
	epcisContext = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
	cbvBizStep   = "https://ref.gs1.org/cbv/BizStep-"
	cbvDisp      = "https://ref.gs1.org/cbv/Disp-"
)

// epcisSteps maps a kind to its CBV business step and disposition.
var epcisSteps = map[Kind]struct{ step, disp, action string }{
	KindPlanted:   {"commissioning", "active", "ADD"},
	KindTreated:   {"holding", "in_progress", "OBSERVE"},
	KindHarvested: {"collecting", "in_progress", "OBSERVE"},
	KindProcessed: {"commissioning", "active", ""},
	KindPacked:    {"packing", "in_progress", "OBSERVE"},
	KindInspected: {"inspecting", "conformant", "OBSERVE"},
	KindShipped:   {"shipping", "in_transit", "OBSERVE"},
	KindReceived:  {"receiving", "in_progress", "OBSERVE"},
}

// uom is the UN/ECE Recommendation 20 code of common units, "" when unknown.
func uom(unit string) string {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "kg":
		return "KGM"
	case "g", "gram":
		return "GRM"
	case "tấn", "tan", "t":
		return "TNE"
	case "l", "lít", "lit":
		return "LTR"
	case "ml":
		return "MLT"
	}
	return ""
}

// geoURI is the RFC 5870 URI of a place with coordinates, "" without.
func geoURI(p Place) string {
	if p.Lat == nil || p.Lng == nil {
		return ""
	}
	return "geo:" + coord(p.Lat) + "," + coord(p.Lng)
}

// EPCIS builds the EPCIS 2.0 document of a batch and its events, at now.
func EPCIS(origin string, b Batch, events []Event, now time.Time) map[string]any {
	class := DigitalLink(origin, b.GTIN, b.Code)
	qty := map[string]any{"epcClass": class, "quantity": b.Quantity}
	if u := uom(b.Unit); u != "" {
		qty["uom"] = u
	}
	corrected := map[int]uuid.UUID{}
	for _, e := range events {
		if e.CorrectsSeq != nil {
			if _, seen := corrected[*e.CorrectsSeq]; !seen {
				corrected[*e.CorrectsSeq] = e.ID
			}
		}
	}
	list := make([]any, 0, len(events))
	for _, e := range events {
		m := epcisSteps[e.Kind]
		ev := map[string]any{
			"eventID":             "urn:uuid:" + e.ID.String(),
			"eventTime":           e.OccurredAt.UTC().Format(time.RFC3339),
			"eventTimeZoneOffset": "+07:00",
			"recordTime":          e.RecordedAt.UTC().Format(time.RFC3339Nano),
			"bizStep":             cbvBizStep + m.step,
			"disposition":         cbvDisp + m.disp,
			"htx:seq":             e.Seq,
			"htx:prevHash":        e.PrevHash,
			"htx:hash":            e.Hash,
		}
		if e.Kind == KindProcessed {
			ev["type"] = "TransformationEvent"
			ev["inputQuantityList"] = []any{qty}
			ev["outputQuantityList"] = []any{qty}
		} else {
			ev["type"] = "ObjectEvent"
			ev["action"] = m.action
			ev["quantityList"] = []any{qty}
		}
		if e.Kind == KindInspected && e.Result == "failed" {
			ev["disposition"] = cbvDisp + "non_conformant"
		}
		if g := geoURI(e.Place); g != "" {
			ev["readPoint"] = map[string]any{"id": g}
		} else if g := geoURI(b.Area); g != "" {
			ev["bizLocation"] = map[string]any{"id": g}
		}
		if by, ok := corrected[e.Seq]; ok {
			ev["errorDeclaration"] = map[string]any{
				"declarationTime":    e.RecordedAt.UTC().Format(time.RFC3339Nano),
				"reason":             "https://ref.gs1.org/cbv/ER-incorrect_data",
				"correctiveEventIDs": []any{"urn:uuid:" + by.String()},
			}
		}
		list = append(list, ev)
	}
	return map[string]any{
		"@context":      []any{epcisContext, map[string]any{"htx": origin + "/ns/trace#"}},
		"type":          "EPCISDocument",
		"schemaVersion": "2.0",
		"creationDate":  now.UTC().Format(time.RFC3339),
		"epcisBody":     map[string]any{"eventList": list},
		"htx:batch":     b.Code,
		"htx:batchHash": b.Hash,
		"htx:events":    strconv.Itoa(len(events)),
	}
}

// Export returns the EPCIS document of a batch.
func (s *Service) Export(ctx context.Context, id uuid.UUID) (map[string]any, error) {
	b, err := s.publicBatch(ctx, id)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.events(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return EPCIS(s.opt.Origin, b, evs, s.opt.Now()), nil
}
