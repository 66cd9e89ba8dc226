package trace

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// epcisSchema compiles the official EPCIS 2.0 JSON schema (testdata),
// asserting formats (uri, date-time) as well.
func epcisSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/EPCIS-JSON-Schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, doc any) error {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

func TestEPCISExportIsValidEPCIS2(t *testing.T) {
	schema := epcisSchema(t)
	b, evs := chain(t, 8) // one of each kind, processing among them
	evs[5].Result = "failed"
	seq := 2
	evs[7].CorrectsSeq = &seq
	lat, lng := 21.6, 105.8
	evs[0].Place = Place{Name: "Lô chè số 3", Province: "thai-nguyen", Lat: &lat, Lng: &lng}
	doc := EPCIS("https://htx.example", b, evs, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err := validate(t, schema, doc); err != nil {
		t.Fatalf("export is not valid EPCIS 2.0: %v", err)
	}

	raw, _ := json.Marshal(doc)
	body := string(raw)
	for _, want := range []string{`"type":"TransformationEvent"`, `"type":"ObjectEvent"`,
		`"bizStep":"https://ref.gs1.org/cbv/BizStep-inspecting"`, `"disposition":"https://ref.gs1.org/cbv/Disp-non_conformant"`,
		`"epcClass":"https://htx.example/01/08938505974019/10/` + b.Code + `"`, `"uom":"KGM"`,
		`"correctiveEventIDs":["urn:uuid:` + evs[7].ID.String() + `"]`, `"readPoint":{"id":"geo:21.600000,105.800000"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// Public facts only.
	for _, private := range []string{"0912345678", "cost", "1200000"} {
		if strings.Contains(body, private) {
			t.Errorf("export shows private data %q", private)
		}
	}
	if n := len(doc["epcisBody"].(map[string]any)["eventList"].([]any)); n != 8 {
		t.Fatalf("%d events exported, want 8", n)
	}
}

// The schema does refuse what is not EPCIS, so the test above can fail.
func TestEPCISSchemaRefusesABrokenDocument(t *testing.T) {
	schema := epcisSchema(t)
	b, evs := chain(t, 2)
	doc := EPCIS("https://htx.example", b, evs, time.Now())
	ev := doc["epcisBody"].(map[string]any)["eventList"].([]any)[0].(map[string]any)
	delete(ev, "eventTimeZoneOffset")
	if err := validate(t, schema, doc); err == nil {
		t.Fatal("an event without eventTimeZoneOffset passed")
	}
	ev["eventTimeZoneOffset"] = "+07:00"
	ev["bizStep"] = "picking the tea"
	if err := validate(t, schema, doc); err == nil {
		t.Fatal("a bizStep that is neither a CBV word nor a URI passed")
	}
}
