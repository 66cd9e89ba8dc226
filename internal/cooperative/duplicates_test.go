package cooperative_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"htxmarket/internal/app/authtest"
	"htxmarket/internal/cooperative"
)

func TestReviewCheckFindsDuplicates(t *testing.T) {
	w := newWorld(t)
	var sameName, otherProvince, sameBase, unrelated cooperative.Cooperative
	// B is "HTX Rau sạch Văn Đức", 0101234567-001, Hà Nội, registered by mgrB.
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("Hợp tác xã Rau sạch Văn Đức", "0109999999", "ha-noi")), 201, &sameName)
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("HTX Rau sạch Văn Đức", "4600000001", "thai-nguyen")), 201, &otherProvince)
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("HTX Mây tre đan Phú Vinh", "0101234567", "ha-noi")), 201, &sameBase)
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("HTX Nông nghiệp Đông Anh", "0105555555", "ha-noi")), 201, &unrelated)

	var rc cooperative.ReviewCheck
	w.ok(w.do("tradeOther", "GET", "/api/v1/cooperatives/"+w.B.Slug+"/review-check", nil), 200, &rc)
	if rc.Applicant == nil || rc.Applicant.UserID != w.ids["mgrB"] || rc.Applicant.Email != "mgrb@htx.test" || rc.Applicant.FullName != "Người mgrB" {
		t.Errorf("applicant: %+v", rc.Applicant)
	}
	var got []string
	for _, d := range rc.Duplicates {
		got = append(got, d.Slug)
	}
	want := []string{sameBase.Slug, sameName.Slug}
	if !slices.Equal(got, want) {
		t.Fatalf("duplicates %v, want %v (%+v)", got, want, rc.Duplicates)
	}
	if d := rc.Duplicates[0]; !d.SameRegistration || d.RegistrationNumber != "0101234567" || d.Status != cooperative.StatusPending {
		t.Errorf("same registration: %+v", d)
	}
	if d := rc.Duplicates[1]; d.SameRegistration || d.NameSimilarity < 0.6 || d.NameSimilarity > 1 || d.Province != "ha-noi" {
		t.Errorf("similar name: %+v", d)
	}

	// Seen from the other side: the same registration base finds B.
	w.ok(w.do("admin", "GET", "/api/v1/cooperatives/"+sameBase.ID.String()+"/review-check", nil), 200, &rc)
	if len(rc.Duplicates) != 1 || rc.Duplicates[0].ID != w.B.ID || !rc.Duplicates[0].SameRegistration {
		t.Errorf("duplicates of %s: %+v", sameBase.Slug, rc.Duplicates)
	}
	// A cooperative with nothing like it.
	w.ok(w.do("admin", "GET", "/api/v1/cooperatives/"+w.A.Slug+"/review-check", nil), 200, &rc)
	if len(rc.Duplicates) != 0 || rc.Applicant == nil || rc.Applicant.UserID != w.ids["mgrA"] {
		t.Errorf("review check of %s: %+v", w.A.Slug, rc)
	}

	// A verified cooperative's identity change waiting for review is what
	// is compared: A, in Thái Nguyên, asks to become B's name in Hà Nội.
	w.ok(w.do("mgrA", "PATCH", "/api/v1/cooperatives/"+w.A.Slug, map[string]any{"name": "HTX Rau sạch Văn Đức", "province": "ha-noi"}), 200, nil)
	w.ok(w.do("admin", "GET", "/api/v1/cooperatives/"+w.A.Slug+"/review-check", nil), 200, &rc)
	got = got[:0]
	for _, d := range rc.Duplicates {
		got = append(got, d.Slug)
	}
	if !slices.Contains(got, w.B.Slug) || !slices.Contains(got, sameName.Slug) || slices.Contains(got, otherProvince.Slug) {
		t.Errorf("duplicates of %s's proposed identity: %v", w.A.Slug, got)
	}

	// Trade staff of another province may not look; an unknown cooperative is 404.
	w.ok(w.do("tradeA", "GET", "/api/v1/cooperatives/"+w.B.Slug+"/review-check", nil), 403, nil)
	w.ok(w.do("admin", "GET", "/api/v1/cooperatives/khong-co/review-check", nil), 404, nil)
}

func TestAdminCooperatives(t *testing.T) {
	w := newWorld(t)
	var c cooperative.Cooperative
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("HTX Rau an toàn Đông Anh", "0107777777", "ha-noi")), 201, &c)

	list := func(query string) []string {
		t.Helper()
		var page struct {
			Items []cooperative.Cooperative
		}
		w.ok(w.do("admin", "GET", "/api/v1/admin/cooperatives"+query, nil), 200, &page)
		var slugs []string
		for _, it := range page.Items {
			slugs = append(slugs, it.Slug)
		}
		return slugs
	}
	for _, tc := range []struct {
		name  string
		query string
		want  []string
	}{
		{"every status, newest first", "", []string{c.Slug, w.B.Slug, w.A.Slug}},
		{"one status", "?status=verified", []string{w.A.Slug}},
		{"province", "?province=ha-noi", []string{c.Slug, w.B.Slug}},
		{"text without accents", "?q=RAU%20an%20toan", []string{c.Slug}},
		{"text with accents", "?q=%C4%90%C3%B4ng%20Anh", []string{c.Slug}},
		{"registration number prefix", "?q=460012", []string{w.A.Slug}},
		{"a LIKE wildcard is text", "?q=%25", nil},
		{"status and province", "?status=pending&province=thai-nguyen", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
			}
		})
	}

	// Pages follow one another without repeating.
	var page struct {
		Items      []cooperative.Cooperative
		NextCursor *string `json:"next_cursor"`
	}
	var seen []string
	query := "?limit=2"
	for i := 0; i < 3; i++ {
		w.ok(w.do("admin", "GET", "/api/v1/admin/cooperatives"+query, nil), 200, &page)
		for _, it := range page.Items {
			seen = append(seen, it.Slug)
		}
		if page.NextCursor == nil {
			break
		}
		query = "?limit=2&cursor=" + *page.NextCursor
	}
	if !slices.Equal(seen, []string{c.Slug, w.B.Slug, w.A.Slug}) {
		t.Errorf("pages: %v", seen)
	}

	// Bad filters are field errors.
	for _, q := range []string{"?status=deleted", "?province=atlantis", "?cursor=abc", "?q=" + strings.Repeat("a", 201), "?limit=0", "?q=%E1%BB", "?q=a%00b", "?province=ha%00noi"} {
		res := w.do("admin", "GET", "/api/v1/admin/cooperatives"+q, nil)
		w.ok(res, 400, nil)
		if len(res.Problem(t).Errors) == 0 {
			t.Errorf("%s: no field error", q)
		}
	}
}

func TestStaffRoutesRoleMatrix(t *testing.T) {
	env := newWorld(t).env
	f := authtest.Setup(t, env)
	get := func(path string) func(*authtest.Fixture, authtest.Actor) *http.Request {
		return func(*authtest.Fixture, authtest.Actor) *http.Request { return httptest.NewRequest("GET", path, nil) }
	}
	t.Run("review check", func(t *testing.T) {
		authtest.Check(t, env, authtest.Only(authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			get("/api/v1/cooperatives/"+f.Coop.Slug+"/review-check"))
	})
	t.Run("admin list", func(t *testing.T) {
		authtest.Check(t, env, authtest.Only(authtest.Admin), get("/api/v1/admin/cooperatives?province="+f.Coop.Province))
	})
}
