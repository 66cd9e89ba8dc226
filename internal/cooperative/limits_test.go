package cooperative_test

import (
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/platform/auth"
)

// TestProfileInputIsBounded registers cooperatives with a list of 100,000
// certifications, whose duplicate check cost 9 s of CPU before the "at
// most 20" check, and with names that hide what they say.
func TestProfileInputIsBounded(t *testing.T) {
	w := &world{t: t, env: apptest.New(t, nil), tokens: map[string]string{}, ids: map[string]uuid.UUID{}}
	w.user("consumer", auth.RoleConsumer, "")
	certs := make([]string, 100_000)
	for i := range certs {
		certs[i] = "VietGAP"
	}
	tests := []struct {
		name   string
		change func(map[string]any)
		field  string
	}{
		{"100,000 certifications", func(r map[string]any) { r["certifications"] = certs }, "certifications"},
		{"21 certifications", func(r map[string]any) { r["certifications"] = certs[:21] }, "certifications"},
		{"certification with a control character", func(r map[string]any) { r["certifications"] = []string{"Viet\x07GAP"} }, "certifications"},
		{"name with a right-to-left override", func(r map[string]any) { r["name"] = "HTX \u202eđắt" }, "name"},
		{"name with a zero-width joiner", func(r map[string]any) { r["name"] = "HTX\u200dChè" }, "name"},
		{"commune with an escape", func(r map[string]any) { r["commune"] = "Xã\x1b[2J" }, "commune"},
		{"email with a paragraph separator", func(r map[string]any) { r["email"] = "lienhe\u2029@htx.vn" }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := registration("HTX Chè Tân Cương", "4600123456", "thai-nguyen")
			tt.change(r)
			res := w.do("consumer", "POST", "/api/v1/cooperatives", r)
			w.ok(res, 400, nil)
			if p := res.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Fatalf("want one error on %s: %+v", tt.field, p.Errors)
			}
		})
	}
	if n := count(t, w.env, `SELECT count(*) FROM cooperatives`); n != 0 {
		t.Fatalf("%d cooperatives registered", n)
	}
}
