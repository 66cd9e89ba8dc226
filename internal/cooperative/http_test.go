package cooperative_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web/webtest"
)

// world is a server with two cooperatives and people in every role.
type world struct {
	t   *testing.T
	env *apptest.Env
	// tokens and IDs by caller name.
	tokens map[string]string
	ids    map[string]uuid.UUID
	// A is verified (Thái Nguyên), B pending (Hà Nội).
	A, B cooperative.Cooperative
}

const password = "Mật-khẩu-đủ-dài-2025!"

func (w *world) user(name string, role auth.Role, province string) {
	w.t.Helper()
	ctx := context.Background()
	u, err := w.env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: name + "@htx.test", Password: password,
		FullName: "Người " + name, Role: role, Province: province}, identity.Caller{})
	if err != nil {
		w.t.Fatalf("user %s: %v", name, err)
	}
	s, err := w.env.Server.Identity.StartSession(ctx, u.ID, identity.KindBearer, identity.Caller{})
	if err != nil {
		w.t.Fatal(err)
	}
	w.tokens[name], w.ids[name] = s.Token, u.ID
}

// do sends a request as the named caller ("" for anonymous).
func (w *world) do(who, method, path string, body any) *webtest.Response {
	w.t.Helper()
	var req *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		req = httptest.NewRequest(method, path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+w.tokens[who])
	}
	return w.env.Client.Do(req)
}

func (w *world) ok(res *webtest.Response, status int, v any) {
	w.t.Helper()
	if res.Status != status {
		w.t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	if v != nil {
		res.JSON(w.t, v)
	}
}

func registration(name, number, province string) map[string]any {
	return map[string]any{"name": name, "registration_number": number, "province": province,
		"commune": "Xã Tân Cương", "phone": "0208 3855 123", "email": "lienhe@htx.vn", "founded_year": 2010,
		"member_count": 45, "story": "Chè búp hái tay.", "certifications": []string{"VietGAP", "OCOP 4 sao"}}
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, env: apptest.New(t, nil), tokens: map[string]string{}, ids: map[string]uuid.UUID{}}
	for _, u := range []struct {
		name     string
		role     auth.Role
		province string
	}{
		{"consumer", auth.RoleConsumer, ""}, {"mgrA", auth.RoleConsumer, ""}, {"staffA", auth.RoleConsumer, ""},
		{"mgrB", auth.RoleConsumer, ""}, {"tradeA", auth.RoleTradeStaff, "thai-nguyen"},
		{"delegA", auth.RoleTradeStaff, "thai-nguyen"}, {"tradeOther", auth.RoleTradeStaff, "ha-noi"},
		{"tradeNat", auth.RoleTradeStaff, ""}, {"admin", auth.RoleAdmin, ""},
	} {
		w.user(u.name, u.role, u.province)
	}
	w.ok(w.do("mgrA", "POST", "/api/v1/cooperatives", registration("Hợp tác xã Chè Tân Cương", "4600123456", "Thái Nguyên")), 201, &w.A)
	w.ok(w.do("mgrB", "POST", "/api/v1/cooperatives", registration("HTX Rau sạch Văn Đức", "0101234567-001", "ha-noi")), 201, &w.B)
	w.ok(w.do("tradeA", "POST", "/api/v1/cooperatives/"+w.A.Slug+"/verify", nil), 200, &w.A)
	w.ok(w.do("mgrA", "POST", "/api/v1/cooperatives/"+w.A.Slug+"/members", map[string]any{"login": "staffA@htx.test"}), 201, nil)
	w.accept("staffA", w.A.ID)
	w.ok(w.do("mgrA", "POST", "/api/v1/cooperatives/"+w.A.Slug+"/delegates", map[string]any{"login": "delegA@htx.test"}), 201, nil)
	w.accept("delegA", w.A.ID)
	return w
}

// invitation returns who's unanswered invitation to coop.
func (w *world) invitation(who string, coop uuid.UUID) cooperative.ReceivedInvitation {
	w.t.Helper()
	var list struct {
		Items []cooperative.ReceivedInvitation
	}
	w.ok(w.do(who, "GET", "/api/v1/me/invitations", nil), 200, &list)
	for _, inv := range list.Items {
		if inv.CooperativeID == coop {
			return inv
		}
	}
	w.t.Fatalf("%s has no invitation to %s: %+v", who, coop, list.Items)
	return cooperative.ReceivedInvitation{}
}

// accept accepts who's invitation to coop.
func (w *world) accept(who string, coop uuid.UUID) {
	w.t.Helper()
	w.ok(w.do(who, "POST", "/api/v1/me/invitations/"+w.invitation(who, coop).ID.String()+"/accept", nil), 204, nil)
}

// TestRoleMatrix sends every route as every kind of caller. Where a caller
// is allowed, the request really succeeds, on a cooperative, member or
// delegate made for that caller alone.
func TestRoleMatrix(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	ctx := context.Background()
	a := "/api/v1/cooperatives/" + f.Coop.Slug
	n := 0
	// fresh makes a new account with role (trade staff of the fixture's
	// cooperative's province).
	fresh := func(role auth.Role) identity.User {
		n++
		u, err := env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: fmt.Sprintf("moi-%d@htx.test", n),
			Password: password, FullName: "Người mới", Role: role, Province: map[bool]string{true: f.Coop.Province}[role == auth.RoleTradeStaff]},
			identity.Caller{})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	manager := cooperative.Actor{Principal: &auth.Principal{UserID: f.Users[authtest.CoopManager].ID,
		Memberships: []auth.Membership{{CooperativeID: f.Coop.ID, Role: auth.RoleCoopManager}}}}
	pending := func() string {
		n++
		r := cooperative.Registration{Profile: cooperative.Profile{Name: ptr(fmt.Sprintf("HTX thứ %d", n)),
			RegistrationNumber: ptr(fmt.Sprintf("46%08d", n)), Province: ptr(f.Coop.Province), Commune: ptr("Xã Phúc Xuân")}}
		c, err := env.Server.Cooperatives.Register(ctx, manager, r)
		if err != nil {
			t.Fatal(err)
		}
		return "/api/v1/cooperatives/" + c.ID.String()
	}
	req := func(method, path string, body any) *http.Request {
		var r *http.Request
		if body == nil {
			r = httptest.NewRequest(method, path, nil)
		} else {
			b, _ := json.Marshal(body)
			r = httptest.NewRequest(method, path, bytes.NewReader(b))
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	get := func(path string) func(*authtest.Fixture, authtest.Actor) *http.Request {
		return func(*authtest.Fixture, authtest.Actor) *http.Request { return req("GET", path, nil) }
	}
	hidden := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous)
	managers := hidden.With(authtest.OK, authtest.CoopManager).With(authtest.Forbidden, authtest.CoopStaff)
	members := hidden.With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.Admin)
	reviewers := authtest.Only(authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin)

	routes := []struct {
		name  string
		want  authtest.Want
		build func(*authtest.Fixture, authtest.Actor) *http.Request
	}{
		{"directory", authtest.Public(), get("/api/v1/cooperatives?province=thai-nguyen")},
		{"register", authtest.SignedIn(), func(_ *authtest.Fixture, _ authtest.Actor) *http.Request {
			n++
			return req("POST", "/api/v1/cooperatives", registration(fmt.Sprintf("HTX số %d", n), fmt.Sprintf("01%08d", n), "ha-noi"))
		}},
		{"export csv", authtest.Public(), get("/api/v1/cooperatives/export.csv")},
		{"export json", authtest.Public(), get("/api/v1/cooperatives/export.json")},
		{"mine", authtest.SignedIn(), get("/api/v1/cooperatives/mine")},
		{"review queue", authtest.Only(authtest.TradeStaff, authtest.OtherTradeStaff, authtest.NationalTradeStaff, authtest.Admin),
			get("/api/v1/cooperatives/review")},
		{"storefront", authtest.Public(), get(a)},
		{"storefront of a pending cooperative", authtest.Everyone(authtest.NotFound), func(*authtest.Fixture, authtest.Actor) *http.Request {
			return req("GET", pending(), nil)
		}},
		{"edit", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			return req("PATCH", a, map[string]any{"story": "Chè búp hái tay, sao bằng chảo gang."})
		}},
		{"withdraw identity changes", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			// Something waits for each caller's try: a new story name.
			n++
			mgr := cooperative.Actor{Principal: &auth.Principal{UserID: f.Users[authtest.CoopManager].ID,
				Memberships: []auth.Membership{{CooperativeID: f.Coop.ID, Role: auth.RoleCoopManager}}}}
			if _, err := env.Server.Cooperatives.Update(ctx, mgr, f.Coop.Slug, cooperative.Profile{Name: ptr(fmt.Sprintf("HTX Chè Tân Cương %d", n))}); err != nil {
				t.Fatal(err)
			}
			return req("DELETE", a+"/pending-changes", nil)
		}},
		{"registration record", members.With(authtest.OK, authtest.TradeStaff, authtest.NationalTradeStaff).
			With(authtest.Forbidden, authtest.OtherTradeStaff), get(a + "/registration")},
		{"verify", reviewers, func(*authtest.Fixture, authtest.Actor) *http.Request { return req("POST", pending()+"/verify", nil) }},
		{"reject", reviewers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			return req("POST", pending()+"/reject", map[string]any{"reason": "Thiếu giấy chứng nhận đăng ký"})
		}},
		{"members", members, get(a + "/members")},
		{"invite member", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			return req("POST", a+"/members", map[string]any{"login": fresh(auth.RoleConsumer).Email})
		}},
		{"change a member's role", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			u := fresh(auth.RoleConsumer)
			if err := env.Server.Identity.AddMember(ctx, f.Coop.ID, u.ID, auth.RoleCoopStaff, identity.Caller{}); err != nil {
				t.Fatal(err)
			}
			return req("PATCH", a+"/members/"+u.ID.String(), map[string]any{"role": "coop_manager"})
		}},
		{"invitations", managers, get(a + "/invitations")},
		{"withdraw an invitation", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			inv, err := env.Server.Cooperatives.InviteMember(ctx, manager, f.Coop.Slug, fresh(auth.RoleConsumer).Email, "")
			if err != nil {
				t.Fatal(err)
			}
			return req("DELETE", a+"/invitations/"+inv.ID.String(), nil)
		}},
		{"my invitations", authtest.SignedIn(), get("/api/v1/me/invitations")},
		// Only the person invited answers; to everyone else the invitation
		// does not exist.
		{"accept someone else's invitation", hidden, func(*authtest.Fixture, authtest.Actor) *http.Request {
			inv, err := env.Server.Cooperatives.InviteMember(ctx, manager, f.Coop.Slug, fresh(auth.RoleConsumer).Email, "")
			if err != nil {
				t.Fatal(err)
			}
			return req("POST", "/api/v1/me/invitations/"+inv.ID.String()+"/accept", nil)
		}},
		{"decline someone else's invitation", hidden, func(*authtest.Fixture, authtest.Actor) *http.Request {
			inv, err := env.Server.Cooperatives.InviteDelegate(ctx, manager, f.Coop.Slug, fresh(auth.RoleTradeStaff).Email)
			if err != nil {
				t.Fatal(err)
			}
			return req("POST", "/api/v1/me/invitations/"+inv.ID.String()+"/decline", nil)
		}},
		{"remove member", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			u := fresh(auth.RoleConsumer)
			if err := env.Server.Identity.AddMember(ctx, f.Coop.ID, u.ID, auth.RoleCoopStaff, identity.Caller{}); err != nil {
				t.Fatal(err)
			}
			return req("DELETE", a+"/members/"+u.ID.String(), nil)
		}},
		{"delegates", members, get(a + "/delegates")},
		{"invite a delegate", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			return req("POST", a+"/delegates", map[string]any{"login": fresh(auth.RoleTradeStaff).Email})
		}},
		{"revoke delegation", managers, func(*authtest.Fixture, authtest.Actor) *http.Request {
			u := fresh(auth.RoleTradeStaff)
			inv, err := env.Server.Cooperatives.InviteDelegate(ctx, manager, f.Coop.Slug, u.Email)
			if err != nil {
				t.Fatal(err)
			}
			staff := cooperative.Actor{Principal: &auth.Principal{UserID: u.ID, Roles: []auth.Role{auth.RoleTradeStaff}, Province: f.Coop.Province}}
			if err := env.Server.Cooperatives.AnswerInvitation(ctx, staff, inv.ID, true); err != nil {
				t.Fatal(err)
			}
			return req("DELETE", a+"/delegates/"+u.ID.String(), nil)
		}},
	}
	for _, r := range routes {
		t.Run(r.name, func(t *testing.T) { authtest.Check(t, env, r.want, r.build) })
	}
}

func ptr[T any](v T) *T { return &v }

func count(t *testing.T, env *apptest.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistrationAndReview(t *testing.T) {
	w := newWorld(t)
	before := count(t, w.env, `SELECT count(*) FROM cooperatives`)

	// Bad input lists every field and changes nothing.
	res := w.do("consumer", "POST", "/api/v1/cooperatives", map[string]any{
		"name": " ", "registration_number": "12345", "province": "Atlantis", "email": "không-phải-email",
		"founded_year": 1800, "logo_url": "javascript:alert(1)", "slug": "Có Dấu"})
	w.ok(res, 400, nil)
	var fields []string
	for _, f := range res.Problem(t).Errors {
		fields = append(fields, f.Field)
	}
	if got := strings.Join(fields, ","); got != "commune,name,registration_number,province,email,founded_year,logo_url,slug" {
		t.Errorf("field errors: %s", got)
	}
	if n := count(t, w.env, `SELECT count(*) FROM cooperatives`); n != before {
		t.Fatalf("a refused registration created a cooperative")
	}
	// The registration number and an explicit slug are unique.
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", registration("HTX khác", "4600123456", "ha-noi")), 409, nil)
	dup := registration("HTX khác", "4600999999", "ha-noi")
	dup["slug"] = w.B.Slug
	w.ok(w.do("consumer", "POST", "/api/v1/cooperatives", dup), 409, nil)
	if n := count(t, w.env, `SELECT count(*) FROM cooperatives`); n != before {
		t.Fatalf("a refused registration created a cooperative")
	}

	// The new cooperative: pending, derived slug, the caller its manager.
	if w.B.Status != cooperative.StatusPending || w.B.Slug != "htx-rau-sach-van-duc" || w.B.Province != "ha-noi" {
		t.Fatalf("registered %+v", w.B)
	}
	var mine struct{ Items []cooperative.Mine }
	w.ok(w.do("mgrB", "GET", "/api/v1/cooperatives/mine", nil), 200, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Role != auth.RoleCoopManager || mine.Items[0].ID != w.B.ID {
		t.Fatalf("mine: %+v", mine.Items)
	}

	// The queue of Hà Nội's staff; Thái Nguyên's may not look at it.
	var queue struct{ Items []cooperative.Cooperative }
	w.ok(w.do("tradeOther", "GET", "/api/v1/cooperatives/review?status=pending", nil), 200, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != w.B.ID {
		t.Fatalf("queue: %+v", queue.Items)
	}
	w.ok(w.do("tradeA", "GET", "/api/v1/cooperatives/review?province=ha-noi", nil), 403, nil)
	w.ok(w.do("tradeA", "GET", "/api/v1/cooperatives/review", nil), 200, &queue)
	if len(queue.Items) != 0 {
		t.Fatalf("Thái Nguyên's queue shows %d", len(queue.Items))
	}

	// Reject, correct, resubmit, verify.
	b := "/api/v1/cooperatives/" + w.B.ID.String()
	w.ok(w.do("tradeA", "POST", b+"/reject", map[string]any{"reason": "Thiếu giấy phép"}), 403, nil)
	var got cooperative.Cooperative
	w.ok(w.do("tradeOther", "POST", b+"/reject", map[string]any{"reason": "Mã số HTX không khớp giấy đăng ký"}), 200, &got)
	if got.Status != cooperative.StatusRejected || got.RejectionReason != "Mã số HTX không khớp giấy đăng ký" {
		t.Fatalf("rejected: %+v", got)
	}
	w.ok(w.do("mgrB", "GET", "/api/v1/cooperatives/mine", nil), 200, &mine)
	if mine.Items[0].Status != cooperative.StatusRejected || mine.Items[0].RejectionReason != "Mã số HTX không khớp giấy đăng ký" {
		t.Fatalf("the manager's list does not say why: %+v", mine.Items[0])
	}
	w.ok(w.do("mgrB", "PATCH", b, map[string]any{"founded_year": 3000}), 400, nil)
	w.ok(w.do("mgrB", "GET", b+"/registration", nil), 200, &got)
	if got.Status != cooperative.StatusRejected {
		t.Fatalf("a refused edit resubmitted the cooperative")
	}
	w.ok(w.do("mgrB", "PATCH", b, map[string]any{"registration_number": "0101234567", "province": "Hà Nội"}), 200, &got)
	if got.Status != cooperative.StatusPending || got.RegistrationNumber != "0101234567" {
		t.Fatalf("resubmitted: %+v", got)
	}
	w.ok(w.do("mgrB", "GET", "/api/v1/cooperatives/mine", nil), 200, &mine)
	if mine.Items[0].RejectionReason != "" {
		t.Fatalf("a resubmitted cooperative still shows the old reason: %+v", mine.Items[0])
	}
	w.ok(w.do("mgrB", "GET", "/api/v1/cooperatives/"+w.B.Slug, nil), 404, nil)
	w.ok(w.do("tradeNat", "POST", b+"/verify", nil), 200, &got)
	if got.Status != cooperative.StatusVerified || got.ReviewedAt == nil {
		t.Fatalf("verified: %+v", got)
	}
	var sf cooperative.Storefront
	w.ok(w.do("", "GET", "/api/v1/cooperatives/"+w.B.Slug, nil), 200, &sf)
	if sf.Name != "HTX Rau sạch Văn Đức" {
		t.Fatalf("storefront %+v", sf)
	}

	// Every change is in the outbox; every review in the audit log.
	if n := count(t, w.env, `SELECT count(*) FROM outbox WHERE topic = 'cooperative.changed' AND key = $1`, w.B.ID.String()); n != 4 {
		t.Errorf("%d outbox messages, want 4: register, reject, edit, verify (none for refused requests)", n)
	}
	if n := count(t, w.env, `SELECT count(*) FROM audit_log WHERE cooperative_id = $1 AND action LIKE 'cooperative.%'`, w.B.ID); n != 4 {
		t.Errorf("%d audit entries for the cooperative, want 4", n)
	}
}

func TestMembers(t *testing.T) {
	w := newWorld(t)
	a := "/api/v1/cooperatives/" + w.A.Slug
	var list struct{ Items []cooperative.Member }
	w.ok(w.do("staffA", "GET", a+"/members", nil), 200, &list)
	if len(list.Items) != 2 || list.Items[0].Role != auth.RoleCoopManager || list.Items[1].Role != auth.RoleCoopStaff {
		t.Fatalf("members: %+v", list.Items)
	}
	// The only manager can neither leave nor become staff.
	w.ok(w.do("mgrA", "DELETE", a+"/members/"+w.ids["mgrA"].String(), nil), 409, nil)
	w.ok(w.do("mgrA", "PATCH", a+"/members/"+w.ids["mgrA"].String(), map[string]any{"role": "coop_staff"}), 409, nil)
	w.ok(w.do("mgrA", "PATCH", a+"/members/"+w.ids["consumer"].String(), map[string]any{"role": "coop_staff"}), 404, nil)
	// Staff cannot remove others; a manager of another cooperative changes nothing here.
	w.ok(w.do("staffA", "DELETE", a+"/members/"+w.ids["mgrA"].String(), nil), 403, nil)
	w.ok(w.do("mgrB", "DELETE", a+"/members/"+w.ids["staffA"].String(), nil), 404, nil)
	w.ok(w.do("mgrA", "DELETE", a+"/members/"+w.ids["staffA"].String(), nil), 204, nil)
	w.ok(w.do("staffA", "GET", a+"/members", nil), 404, nil)
	if n := count(t, w.env, `SELECT count(*) FROM audit_log WHERE action LIKE 'membership.%' AND cooperative_id = $1`, w.A.ID); n != 3 {
		t.Errorf("%d membership audit entries, want 3 (manager, staff added, staff removed)", n)
	}
	// A member leaves on their own.
	w.ok(w.do("mgrA", "POST", a+"/members", map[string]any{"login": "staffA@htx.test"}), 201, nil)
	w.accept("staffA", w.A.ID)
	w.ok(w.do("staffA", "DELETE", a+"/members/"+w.ids["staffA"].String(), nil), 204, nil)
	w.ok(w.do("staffA", "GET", a+"/members", nil), 404, nil)
}

// TestInvitations: a membership is an invitation the person accepts; the
// manager's answer is the same for known and unknown logins and names
// nobody.
func TestInvitations(t *testing.T) {
	w := newWorld(t)
	a := "/api/v1/cooperatives/" + w.A.Slug
	// Known and unknown logins: the same status and fields, no name, no phone.
	known := w.do("mgrA", "POST", a+"/members", map[string]any{"login": " Consumer@HTX.test "})
	unknown := w.do("mgrA", "POST", a+"/members", map[string]any{"login": "ai-do@htx.test"})
	phone := w.do("mgrA", "POST", a+"/members", map[string]any{"login": "0912 345 678"})
	shape := func(res *webtest.Response) string {
		w.t.Helper()
		var m map[string]any
		w.ok(res, 201, &m)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return fmt.Sprint(keys, m["status"], m["role"], m["kind"])
	}
	if k, u, p := shape(known), shape(unknown), shape(phone); k != u || k != p {
		t.Errorf("answers differ: %s / %s / %s", k, u, p)
	}
	for _, res := range []*webtest.Response{known, unknown, phone} {
		body := string(res.Body)
		if strings.Contains(body, "Người consumer") || strings.Contains(body, w.ids["consumer"].String()) ||
			strings.Contains(body, "không tìm thấy") {
			t.Errorf("the invitation reveals the account: %s", body)
		}
	}
	var inv cooperative.Invitation
	known.JSON(t, &inv)
	if inv.Login != "consumer@htx.test" || inv.Status != "pending" {
		t.Errorf("invitation %+v", inv)
	}
	// Malformed logins are refused for their form, not their existence.
	for _, login := range []string{"", "không phải email", "a@b\u2029c.vn", strings.Repeat("a", 300) + "@htx.test"} {
		res := w.do("mgrA", "POST", a+"/members", map[string]any{"login": login})
		w.ok(res, 400, nil)
		if p := res.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "login" {
			t.Errorf("login %q: %+v", login, p)
		}
	}
	// Nobody is a member before accepting; the manager sees the three open invitations.
	var invs struct{ Items []cooperative.Invitation }
	w.ok(w.do("mgrA", "GET", a+"/invitations", nil), 200, &invs)
	if len(invs.Items) != 3 {
		t.Fatalf("invitations: %+v", invs.Items)
	}
	w.ok(w.do("consumer", "GET", a+"/members", nil), 404, nil)
	// The invitee is told in the app and lists it.
	if n := count(t, w.env, `SELECT count(*) FROM notifications WHERE user_id = $1 AND link = '/quan-ly'`, w.ids["consumer"]); n != 1 {
		t.Errorf("%d notifications to the invitee, want 1", n)
	}
	got := w.invitation("consumer", w.A.ID)
	if got.CooperativeName != w.A.Name || got.InvitedBy != "Người mgrA" || got.Kind != "member" {
		t.Errorf("received %+v", got)
	}
	// Another person cannot answer it.
	w.ok(w.do("mgrB", "POST", "/api/v1/me/invitations/"+got.ID.String()+"/accept", nil), 404, nil)
	w.ok(w.do("consumer", "POST", "/api/v1/me/invitations/"+got.ID.String()+"/accept", nil), 204, nil)
	w.ok(w.do("consumer", "POST", "/api/v1/me/invitations/"+got.ID.String()+"/accept", nil), 404, nil)
	var list struct{ Items []cooperative.Member }
	w.ok(w.do("consumer", "GET", a+"/members", nil), 200, &list)
	if len(list.Items) != 3 {
		t.Fatalf("members after accepting: %+v", list.Items)
	}
	// Declined, withdrawn: nothing changes.
	w.ok(w.do("mgrA", "POST", a+"/members", map[string]any{"login": "mgrB@htx.test", "role": "coop_manager"}), 201, nil)
	w.ok(w.do("mgrB", "POST", "/api/v1/me/invitations/"+w.invitation("mgrB", w.A.ID).ID.String()+"/decline", nil), 204, nil)
	w.ok(w.do("mgrB", "GET", a+"/members", nil), 404, nil)
	w.ok(w.do("mgrA", "GET", a+"/invitations", nil), 200, &invs)
	for _, i := range invs.Items {
		w.ok(w.do("mgrB", "DELETE", a+"/invitations/"+i.ID.String(), nil), 404, nil)
		w.ok(w.do("mgrA", "DELETE", a+"/invitations/"+i.ID.String(), nil), 204, nil)
	}
	w.ok(w.do("mgrA", "GET", a+"/invitations", nil), 200, &invs)
	if len(invs.Items) != 0 {
		t.Errorf("withdrawn invitations still listed: %+v", invs.Items)
	}

	// Staff who review the cooperative cannot be made members of it: they
	// may accept nothing that would block their role.
	for _, who := range []string{"admin", "tradeA", "tradeNat"} {
		w.ok(w.do("mgrA", "POST", a+"/members", map[string]any{"login": who + "@htx.test"}), 201, nil)
		w.ok(w.do(who, "POST", "/api/v1/me/invitations/"+w.invitation(who, w.A.ID).ID.String()+"/accept", nil), 409, nil)
	}
	w.ok(w.do("tradeA", "POST", "/api/v1/cooperatives/"+w.B.Slug+"/members", map[string]any{"login": "x@htx.test"}), 404, nil)
	// A pending cooperative's reviewer is unaffected by any invitation.
	w.ok(w.do("mgrB", "POST", "/api/v1/cooperatives/"+w.B.Slug+"/members", map[string]any{"login": "tradeOther@htx.test"}), 201, nil)
	w.ok(w.do("tradeOther", "POST", "/api/v1/cooperatives/"+w.B.Slug+"/verify", nil), 200, nil)

	// The number of open invitations is bounded.
	for i := range 60 {
		res := w.do("mgrA", "POST", a+"/members", map[string]any{"login": fmt.Sprintf("nguoi-%d@htx.test", i)})
		if res.Status == 409 {
			break
		}
		w.ok(res, 201, nil)
		if i == 59 {
			t.Fatal("60 open invitations accepted")
		}
	}
}

func TestDelegation(t *testing.T) {
	w := newWorld(t)
	a := "/api/v1/cooperatives/" + w.A.Slug
	// Only trade staff with authority over the province may be delegates:
	// checked when they accept, so that the manager learns nothing.
	for _, who := range []string{"consumer", "tradeOther"} {
		w.ok(w.do("mgrA", "POST", a+"/delegates", map[string]any{"login": who + "@htx.test"}), 201, nil)
		w.ok(w.do(who, "POST", "/api/v1/me/invitations/"+w.invitation(who, w.A.ID).ID.String()+"/accept", nil), 409, nil)
	}
	var mine struct{ Items []cooperative.Mine }
	w.ok(w.do("delegA", "GET", "/api/v1/cooperatives/mine", nil), 200, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Role != "coop_delegate" {
		t.Fatalf("the delegate's cooperatives: %+v", mine.Items)
	}
	var list struct{ Items []cooperative.Delegate }
	w.ok(w.do("mgrA", "GET", a+"/delegates", nil), 200, &list)
	if len(list.Items) != 1 || list.Items[0].UserID != w.ids["delegA"] || *list.Items[0].GrantedBy != w.ids["mgrA"] {
		t.Fatalf("delegates: %+v", list.Items)
	}
	// The delegate has the rights of coop_staff here, and only here.
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", a + "/registration", nil, 200},
		{"GET", a + "/members", nil, 200},
		{"PATCH", a, map[string]any{"story": "Do cán bộ sửa"}, 403},
		{"POST", a + "/members", map[string]any{"login": "consumer@htx.test"}, 403},
		{"POST", a + "/delegates", map[string]any{"login": "tradeA@htx.test"}, 403},
		// Trade staff of the province, but acting for this cooperative:
		// they may not judge it.
		{"POST", a + "/reject", map[string]any{"reason": "Hồ sơ thiếu"}, 403},
		{"POST", a + "/verify", nil, 403},
		{"GET", "/api/v1/cooperatives/" + w.B.Slug + "/members", nil, 404},
	} {
		if res := w.do("delegA", c.method, c.path, c.body); res.Status != c.status {
			t.Errorf("delegate %s %s: %d, want %d: %s", c.method, c.path, res.Status, c.status, res.Body)
		}
	}
	// The delegate steps down; the rights go with the row.
	w.ok(w.do("delegA", "DELETE", a+"/delegates/"+w.ids["delegA"].String(), nil), 204, nil)
	w.ok(w.do("delegA", "GET", a+"/members", nil), 404, nil)
	w.ok(w.do("mgrA", "DELETE", a+"/delegates/"+w.ids["delegA"].String(), nil), 404, nil)
	var actions []string
	if err := w.env.DB.Select(&actions, `SELECT action FROM audit_log WHERE cooperative_id = $1 AND action LIKE 'delegation.%' ORDER BY id`, w.A.ID); err != nil {
		t.Fatal(err)
	}
	if strings.Join(actions, ",") != "delegation.grant,delegation.revoke" {
		t.Errorf("audit: %v", actions)
	}
}

func TestExport(t *testing.T) {
	w := newWorld(t)
	res := w.do("", "GET", "/api/v1/cooperatives/export.csv", nil)
	w.ok(res, 200, nil)
	want := "name,slug,registration_number,province,province_name,product_groups,product_count,ocop_product_count\n" +
		"Hợp tác xã Chè Tân Cương,htx-che-tan-cuong,4600123456,thai-nguyen,Thái Nguyên,,0,0\n"
	if string(res.Body) != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", res.Body, want)
	}
	var rows struct{ Items []cooperative.ExportRow }
	w.ok(w.do("", "GET", "/api/v1/cooperatives/export.json", nil), 200, &rows)
	if len(rows.Items) != 1 || rows.Items[0].RegistrationNumber != "4600123456" {
		t.Errorf("JSON: %+v", rows.Items)
	}
}

// TestIdentityChangesReviewed: a verified cooperative's new name,
// registration number or province wait for trade staff; the public keeps
// the verified ones until a reviewer with authority over the old and the
// new province approves.
func TestIdentityChangesReviewed(t *testing.T) {
	w := newWorld(t)
	a := "/api/v1/cooperatives/" + w.A.ID.String()
	verifiedName := w.A.Name
	publicName := func() string {
		t.Helper()
		var sf cooperative.Storefront
		w.ok(w.do("", "GET", a, nil), 200, &sf)
		var dir struct{ Items []cooperative.Storefront }
		w.ok(w.do("", "GET", "/api/v1/cooperatives?province=thai-nguyen", nil), 200, &dir)
		if len(dir.Items) != 1 || dir.Items[0].Name != sf.Name {
			t.Fatalf("directory %+v, storefront %q", dir.Items, sf.Name)
		}
		var payload cooperative.Storefront
		var raw []byte
		if err := w.env.DB.Get(&raw, `SELECT payload FROM outbox WHERE topic = 'cooperative.changed' AND key = $1 ORDER BY id DESC LIMIT 1`, w.A.ID.String()); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &payload); err != nil || payload.Name != sf.Name {
			t.Fatalf("the search index is told %q, the storefront shows %q (%v)", payload.Name, sf.Name, err)
		}
		return sf.Name
	}

	// A new name and story: the story is public at once, the name waits.
	var got cooperative.Cooperative
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"name": "HTX Chè Đặc Sản Tân Cương", "story": "Chè sao tay."}), 200, &got)
	if got.Status != cooperative.StatusVerified || got.Name != verifiedName || got.Story != "Chè sao tay." ||
		got.PendingChanges == nil || got.PendingChanges.Name == nil || *got.PendingChanges.Name != "HTX Chè Đặc Sản Tân Cương" ||
		got.PendingChanges.Province != nil || got.PendingChanges.RegistrationNumber != nil {
		t.Fatalf("after the edit: %+v (pending %+v)", got, got.PendingChanges)
	}
	if n := publicName(); n != verifiedName {
		t.Fatalf("the public sees %q before review", n)
	}
	// The manager's list says what waits.
	var mine struct{ Items []cooperative.Mine }
	w.ok(w.do("mgrA", "GET", "/api/v1/cooperatives/mine", nil), 200, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Name != verifiedName || mine.Items[0].PendingChanges == nil ||
		*mine.Items[0].PendingChanges.Name != "HTX Chè Đặc Sản Tân Cương" {
		t.Fatalf("mine: %+v", mine.Items)
	}
	// The change is in the queue of the province's staff, with what changes.
	var queue struct{ Items []cooperative.Cooperative }
	w.ok(w.do("tradeA", "GET", "/api/v1/cooperatives/review", nil), 200, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != w.A.ID || queue.Items[0].PendingChanges == nil {
		t.Fatalf("queue: %+v", queue.Items)
	}
	// Another cooperative's registration number is refused at once.
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"registration_number": "0101234567-001"}), 409, nil)
	// Its delegate may not judge it; its province's staff may approve.
	w.ok(w.do("delegA", "POST", a+"/verify", nil), 403, nil)
	got = cooperative.Cooperative{}
	w.ok(w.do("tradeA", "POST", a+"/verify", nil), 200, &got)
	if got.Name != "HTX Chè Đặc Sản Tân Cương" || got.PendingChanges != nil || got.Status != cooperative.StatusVerified {
		t.Fatalf("approved: %+v", got)
	}
	if n := publicName(); n != "HTX Chè Đặc Sản Tân Cương" {
		t.Fatalf("the public sees %q after approval", n)
	}
	w.ok(w.do("tradeA", "POST", a+"/verify", nil), 409, nil)

	// A move to Hà Nội needs authority over both provinces.
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"province": "Hà Nội", "registration_number": "4600123457"}), 200, &got)
	if got.Province != "thai-nguyen" || got.PendingChanges == nil || got.PendingChanges.Province == nil ||
		*got.PendingChanges.Province != "ha-noi" || *got.PendingChanges.RegistrationNumber != "4600123457" {
		t.Fatalf("move pending: %+v %+v", got, got.PendingChanges)
	}
	// A form sends every field, the identity ones with their verified
	// values: that keeps what waits.
	got = cooperative.Cooperative{} // decoding leaves absent fields as they were
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"registration_number": "4600123456", "province": "thai-nguyen",
		"name": "HTX Chè Đặc Sản Tân Cương", "story": "Chè sao tay, đóng gói tại xã."}), 200, &got)
	if got.PendingChanges == nil || got.PendingChanges.RegistrationNumber == nil || got.PendingChanges.Province == nil {
		t.Fatalf("a form's resend lost the waiting change: %+v", got.PendingChanges)
	}
	// The manager withdraws it, then asks for the move alone.
	w.ok(w.do("staffA", "DELETE", a+"/pending-changes", nil), 403, nil)
	got = cooperative.Cooperative{}
	w.ok(w.do("mgrA", "DELETE", a+"/pending-changes", nil), 200, &got)
	if got.PendingChanges != nil || got.Province != "thai-nguyen" {
		t.Fatalf("withdrawn: %+v", got)
	}
	w.ok(w.do("mgrA", "DELETE", a+"/pending-changes", nil), 409, nil)
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"province": "ha-noi"}), 200, &got)
	w.ok(w.do("tradeA", "POST", a+"/verify", nil), 403, nil)
	w.ok(w.do("tradeOther", "POST", a+"/verify", nil), 403, nil)
	// Both provinces' staff may read the record they cannot decide alone.
	w.ok(w.do("tradeA", "GET", a+"/registration", nil), 200, nil)
	w.ok(w.do("tradeOther", "GET", a+"/registration", nil), 200, nil)
	for _, who := range []string{"tradeA", "tradeOther"} {
		w.ok(w.do(who, "GET", "/api/v1/cooperatives/review", nil), 200, &queue)
		for _, c := range queue.Items {
			if c.ID == w.A.ID {
				t.Errorf("%s's queue holds a move they may not approve", who)
			}
		}
	}
	var sf cooperative.Storefront
	w.ok(w.do("", "GET", a, nil), 200, &sf)
	if sf.Province != "thai-nguyen" {
		t.Fatalf("the storefront moved before review: %s", sf.Province)
	}
	// National staff reject the move: the verified identity stays.
	got = cooperative.Cooperative{}
	w.ok(w.do("tradeNat", "POST", a+"/reject", map[string]any{"reason": "Chưa có quyết định chuyển trụ sở"}), 200, &got)
	if got.Status != cooperative.StatusVerified || got.Province != "thai-nguyen" || got.PendingChanges != nil ||
		got.RejectionReason != "Chưa có quyết định chuyển trụ sở" {
		t.Fatalf("move rejected: %+v", got)
	}
	w.ok(w.do("", "GET", a, nil), 200, &sf)
	if sf.Province != "thai-nguyen" || sf.Name != "HTX Chè Đặc Sản Tân Cương" {
		t.Fatalf("storefront after the rejected move: %+v", sf)
	}
	// Approved by national staff, the move applies.
	w.ok(w.do("mgrA", "PATCH", a, map[string]any{"province": "ha-noi"}), 200, nil)
	got = cooperative.Cooperative{}
	w.ok(w.do("tradeNat", "POST", a+"/verify", nil), 200, &got)
	if got.Province != "ha-noi" || got.PendingChanges != nil {
		t.Fatalf("move approved: %+v", got)
	}
	var actions []string
	if err := w.env.DB.Select(&actions, `SELECT action FROM audit_log WHERE cooperative_id = $1 AND action IN ('cooperative.verify', 'cooperative.reject') ORDER BY id`, w.A.ID); err != nil {
		t.Fatal(err)
	}
	if strings.Join(actions, ",") != "cooperative.verify,cooperative.verify,cooperative.reject,cooperative.verify" {
		t.Errorf("audit: %v", actions)
	}
}
