package identity_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web/webtest"
)

// origin is the PUBLIC_ORIGIN of test servers.
const origin = "http://localhost:8080"

type session struct {
	User      identity.User `json:"user"`
	CSRFToken string        `json:"csrf_token"`
	Token     string        `json:"token"`
}

// browser is a cookie jar for the test client.
type browser struct {
	t       *testing.T
	c       *webtest.Client
	cookies map[string]string
}

func newBrowser(t *testing.T, env *apptest.Env) *browser {
	return &browser{t: t, c: env.Client, cookies: map[string]string{}}
}

// do sends a same-origin request with the browser's cookies; csrf adds the
// X-CSRF-Token header from the htx_csrf cookie, as the web application does.
func (b *browser) do(method, path string, body any, csrf bool) *webtest.Response {
	b.t.Helper()
	var req *http.Request
	if body != nil {
		buf, _ := json.Marshal(body)
		req = httptest.NewRequest(method, path, bytes.NewReader(buf))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Origin", origin)
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if csrf {
		req.Header.Set(auth.HeaderCSRF, b.cookies[auth.CSRFCookie])
	}
	res := b.c.Do(req)
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return res
}

func wantStatus(t *testing.T, res *webtest.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
}

func TestBrowserRoundTrip(t *testing.T) {
	env := apptest.New(t, nil)
	b := newBrowser(t, env)

	res := b.do("POST", "/api/v1/auth/register", map[string]any{
		"email": "Lan@Example.vn", "password": "Chè Thái Nguyên ngon", "full_name": "Nguyễn Thị Lan"}, false)
	wantStatus(t, res, 201)
	var s session
	res.JSON(t, &s)
	if s.User.Email != "lan@example.vn" || s.CSRFToken == "" || s.Token != "" {
		t.Fatalf("session %+v", s)
	}
	var sessionCookie *http.Cookie
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == auth.SessionCookie {
			sessionCookie = c
		}
	}
	if sessionCookie == nil || !sessionCookie.HttpOnly || sessionCookie.SameSite != http.SameSiteLaxMode || sessionCookie.Secure {
		t.Fatalf("session cookie %+v (not Secure only outside production)", sessionCookie)
	}
	if b.cookies[auth.CSRFCookie] != s.CSRFToken {
		t.Fatal("the CSRF cookie and the body must agree")
	}

	res = b.do("GET", "/api/v1/me", nil, false)
	wantStatus(t, res, 200)
	var me session
	res.JSON(t, &me)
	if me.User.ID != s.User.ID || me.CSRFToken != s.CSRFToken {
		t.Fatalf("me %+v", me)
	}

	// State-changing requests need the CSRF token.
	change := map[string]string{"current_password": "Chè Thái Nguyên ngon", "new_password": "Cà phê Buôn Ma Thuột"}
	res = b.do("POST", "/api/v1/me/password", change, false)
	wantStatus(t, res, 403)
	if p := res.Problem(t); p.Type != "/problems/csrf" {
		t.Fatalf("problem %+v", p)
	}
	wantStatus(t, b.do("POST", "/api/v1/me/password", change, true), 204)

	res = b.do("POST", "/api/v1/auth/logout", nil, true)
	wantStatus(t, res, 204)
	if _, ok := b.cookies[auth.SessionCookie]; ok {
		t.Fatal("logout must clear the session cookie")
	}
	wantStatus(t, b.do("GET", "/api/v1/me", nil, false), 401)

	res = b.do("POST", "/api/v1/auth/login", map[string]string{"login": "LAN@example.vn", "password": "Cà phê Buôn Ma Thuột"}, false)
	wantStatus(t, res, 200)
	wantStatus(t, b.do("GET", "/api/v1/me", nil, false), 200)
}

func TestRevokedAndExpiredTokensAreRefused(t *testing.T) {
	env := apptest.New(t, nil)
	register(t, env, "lan@example.vn")
	login := func() string {
		res := env.Client.JSON("POST", "/api/v1/auth/login", map[string]string{
			"login": "lan@example.vn", "password": "Chè Thái Nguyên ngon", "client": "api"})
		wantStatus(t, res, 200)
		var s session
		res.JSON(t, &s)
		if s.Token == "" || s.CSRFToken != "" || res.Header.Get("Set-Cookie") != "" {
			t.Fatalf("an API client gets a token and no cookie: %+v", s)
		}
		return s.Token
	}
	me := func(token string) int {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return env.Client.Do(req).Status
	}

	revoked := login()
	req := httptest.NewRequest("POST", "/api/v1/auth/logout", nil)
	req.Header.Set("Authorization", "Bearer "+revoked)
	wantStatus(t, env.Client.Do(req), 204)

	expired, idle, live := login(), login(), login()
	for q, token := range map[string]string{
		`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = sha256($1::bytea)`:      expired,
		`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE token_hash = sha256($1::bytea)`: idle,
	} {
		if _, err := env.DB.Exec(q, []byte(token)); err != nil {
			t.Fatal(err)
		}
	}
	for name, token := range map[string]string{"revoked": revoked, "expired": expired, "idle": idle, "forged": live + "x"} {
		if got := me(token); got != 401 {
			t.Errorf("%s token: status %d, want 401", name, got)
		}
	}
	if got := me(live); got != 200 {
		t.Errorf("live token: %d", got)
	}
}

func register(t *testing.T, env *apptest.Env, email string) session {
	t.Helper()
	res := env.Client.JSON("POST", "/api/v1/auth/register", map[string]string{
		"email": email, "password": "Chè Thái Nguyên ngon", "full_name": "Nguyễn Thị Lan", "client": "api"})
	wantStatus(t, res, 201)
	var s session
	res.JSON(t, &s)
	return s
}

func TestWrongPasswordAndUnknownAccountGetTheSameAnswer(t *testing.T) {
	env := apptest.New(t, nil)
	register(t, env, "lan@example.vn")
	wrong := env.Client.JSON("POST", "/api/v1/auth/login", map[string]string{"login": "lan@example.vn", "password": "sai mật khẩu"})
	unknown := env.Client.JSON("POST", "/api/v1/auth/login", map[string]string{"login": "ai@example.vn", "password": "sai mật khẩu"})
	wantStatus(t, wrong, 401)
	wantStatus(t, unknown, 401)
	pw, pu := wrong.Problem(t), unknown.Problem(t)
	if pw.Type != "/problems/invalid-credentials" || pw.Type != pu.Type || pw.Detail != pu.Detail || pw.Title != pu.Title {
		t.Fatalf("answers differ: %+v / %+v", pw, pu)
	}
}

func TestLoginRateLimit(t *testing.T) {
	env := apptest.New(t, map[string]string{"LOGIN_LIMIT_ACCOUNT": "2", "LIMIT_BACKOFF": "90s"})
	register(t, env, "lan@example.vn")
	for _, login := range []string{"lan@example.vn", "ai@example.vn"} {
		for range 2 {
			res := env.Client.JSON("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": "sai"})
			wantStatus(t, res, 401)
		}
		res := env.Client.JSON("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": "Chè Thái Nguyên ngon"})
		wantStatus(t, res, 429)
		if p := res.Problem(t); p.Type != "/problems/too-many-attempts" {
			t.Fatalf("problem %+v", p)
		}
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 85 || s > 90 {
			t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
		}
	}
}

func TestPasswordResetOverHTTP(t *testing.T) {
	env := apptest.New(t, map[string]string{"RESET_LIMIT_ACCOUNT": "2"})
	old := register(t, env, "lan@example.vn")
	b := newBrowser(t, env)
	for range 2 {
		wantStatus(t, b.do("POST", "/api/v1/auth/password-reset", map[string]string{"login": "lan@example.vn"}, false), 202)
	}
	res := b.do("POST", "/api/v1/auth/password-reset", map[string]string{"login": "lan@example.vn"}, false)
	wantStatus(t, res, 429)
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	unknown := b.do("POST", "/api/v1/auth/password-reset", map[string]string{"login": "ai@example.vn"}, false)
	wantStatus(t, unknown, 202)
	if len(unknown.Body) != 0 {
		t.Errorf("202 must have an empty body, got %q", unknown.Body)
	}

	box, err := env.Server.Identity.Mailbox(ctx, "lan@example.vn")
	if err != nil || len(box) != 2 || !strings.HasPrefix(box[0].Text, "Xin chào Nguyễn Thị Lan") {
		t.Fatalf("mailbox %+v, %v", box, err)
	}
	token := tokenRE.FindStringSubmatch(box[0].Text)[1]
	confirm := map[string]string{"token": token, "new_password": "Bánh cuốn Thanh Trì"}
	wantStatus(t, b.do("POST", "/api/v1/auth/password-reset/confirm", confirm, false), 204)
	res = b.do("POST", "/api/v1/auth/password-reset/confirm", confirm, false)
	wantStatus(t, res, 400)
	if p := res.Problem(t); p.Type != "/problems/invalid-reset-token" {
		t.Fatalf("reused token: %+v", p)
	}
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+old.Token)
	wantStatus(t, env.Client.Do(req), 401)
}

func TestDuplicateRegistration(t *testing.T) {
	env := apptest.New(t, nil)
	register(t, env, "lan@example.vn")
	wantStatus(t, env.Client.JSON("POST", "/api/v1/auth/register", map[string]string{
		"phone": "0912345678", "password": "Chè Thái Nguyên ngon", "full_name": "Lan"}), 201)
	for _, body := range []map[string]string{
		{"email": "LAN@example.vn"},
		{"phone": "84 91 234 5678"},
	} {
		body["password"], body["full_name"] = "Một mật khẩu khác hẳn", "Người khác"
		res := env.Client.JSON("POST", "/api/v1/auth/register", body)
		wantStatus(t, res, 409)
		if p := res.Problem(t); p.Type != "/problems/account-exists" {
			t.Fatalf("problem %+v", p)
		}
	}
}

func TestMalformedBodies(t *testing.T) {
	env := apptest.New(t, nil)
	tests := []struct {
		name, path, ctype, body string
		fields                  []string
		problem                 string
	}{
		{"not JSON", "/api/v1/auth/login", "application/json", `{"login":`, nil, "/problems/invalid-json"},
		{"wrong content type", "/api/v1/auth/login", "text/plain", `{}`, nil, "/problems/unsupported-media-type"},
		{"empty body", "/api/v1/auth/register", "application/json", ``, nil, "/problems/invalid-json"},
		{"unknown field", "/api/v1/auth/login", "application/json", `{"login":"a@b.vn","password":"x","role":"admin"}`,
			[]string{"role"}, ""},
		{"wrong type", "/api/v1/auth/login", "application/json", `{"login":84912345678,"password":"x"}`, []string{"login"}, ""},
		{"empty login", "/api/v1/auth/login", "application/json", `{"login":"","password":""}`, []string{"login", "password"}, ""},
		{"login that is neither", "/api/v1/auth/login", "application/json", `{"login":"lan","password":"x"}`, []string{"login"}, ""},
		{"bad client", "/api/v1/auth/login", "application/json", `{"login":"a@b.vn","password":"x","client":"app"}`, []string{"client"}, ""},
		{"register lists every field", "/api/v1/auth/register", "application/json",
			`{"email":"lan@","phone":"12345","password":"123","full_name":" "}`, []string{"email", "phone", "full_name", "password"}, ""},
		{"wholesaler needs its business", "/api/v1/auth/register", "application/json",
			`{"email":"a@b.vn","password":"Chè Thái Nguyên ngon","full_name":"Lan","account_type":"wholesaler"}`,
			[]string{"company_name", "tax_code"}, ""},
		{"reset without login", "/api/v1/auth/password-reset", "application/json", `{"login":""}`, []string{"login"}, ""},
		{"confirm without anything", "/api/v1/auth/password-reset/confirm", "application/json", `{}`,
			[]string{"token", "new_password"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.ctype)
			res := env.Client.Do(req)
			if res.Status != 400 && res.Status != 415 {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			p := res.Problem(t)
			if tt.problem != "" {
				if p.Type != tt.problem {
					t.Fatalf("type %s, want %s", p.Type, tt.problem)
				}
				return
			}
			if p.Type != "/problems/validation" || len(p.Errors) != len(tt.fields) {
				t.Fatalf("problem %+v, want fields %v", p, tt.fields)
			}
			for i, f := range tt.fields {
				if p.Errors[i].Field != f || p.Errors[i].Message == "" {
					t.Fatalf("errors %+v, want fields %v", p.Errors, tt.fields)
				}
			}
		})
	}
}

// TestRoleMatrix declares who may call every route of this package.
func TestRoleMatrix(t *testing.T) {
	env := apptest.New(t, map[string]string{"RESET_LIMIT_IP": "100", "LOGIN_LIMIT_IP": "100"})
	post := func(path string, body any) *http.Request {
		b, _ := json.Marshal(body)
		req := httptest.NewRequest("POST", path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	tests := []struct {
		name  string
		want  authtest.Want
		build func(f *authtest.Fixture, a authtest.Actor) *http.Request
	}{
		{"register", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return post("/api/v1/auth/register", map[string]string{"email": "new-" + string(a) + "@example.vn",
				"password": authtest.Password, "full_name": "Người mới", "client": "api"})
		}},
		{"login", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return post("/api/v1/auth/login", map[string]string{"login": f.Users[authtest.Consumer].Email,
				"password": authtest.Password, "client": "api"})
		}},
		{"logout", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("POST", "/api/v1/auth/logout", nil)
		}},
		{"password reset", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return post("/api/v1/auth/password-reset", map[string]string{"login": "reset-" + string(a) + "@example.vn"})
		}},
		{"password reset confirm", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			email := "confirm-" + string(a) + "@example.vn"
			_, err := env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: email, Password: authtest.Password,
				FullName: "Quên mật khẩu", Role: auth.RoleConsumer}, identity.Caller{})
			if err == nil {
				err = env.Server.Identity.RequestReset(ctx, email, identity.Caller{})
			}
			ms, err2 := env.Server.Identity.Mailbox(ctx, email)
			if err != nil || err2 != nil || len(ms) != 1 {
				t.Fatalf("reset mail: %v %v", err, err2)
			}
			return post("/api/v1/auth/password-reset/confirm", map[string]string{
				"token": tokenRE.FindStringSubmatch(ms[0].Text)[1], "new_password": "Một mật khẩu mới toanh"})
		}},
		{"me", authtest.SignedIn(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/me", nil)
		}},
		{"change password", authtest.SignedIn(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return post("/api/v1/me/password", map[string]string{"current_password": authtest.Password, "new_password": authtest.Password})
		}},
		{"list users", authtest.Only(authtest.Admin), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/admin/users?q=ngu", nil)
		}},
		{"get user", authtest.Only(authtest.Admin), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/admin/users/"+f.Users[authtest.Consumer].ID.String(), nil)
		}},
		{"grant role", authtest.Only(authtest.Admin), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			req := post("/api/v1/admin/users/"+f.Users[authtest.Consumer].ID.String()+"/roles/trade_staff",
				map[string]string{"province": "hue"})
			req.Method = "PUT"
			return req
		}},
		{"revoke role", authtest.Only(authtest.Admin), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("DELETE", "/api/v1/admin/users/"+f.Users[authtest.Consumer].ID.String()+"/roles/trade_staff", nil)
		}},
		{"audit log", authtest.Only(authtest.Admin), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/admin/audit-log?action=role.grant", nil)
		}},
		{"sign-in link", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return post("/api/v1/auth/login-link", map[string]string{"login": "link-" + string(a) + "@example.vn"})
		}},
		{"sign-in link confirm", authtest.Public(), func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			email := "link-confirm-" + string(a) + "@example.vn"
			_, err := env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: email, Password: authtest.Password,
				FullName: "Đăng nhập bằng liên kết", Role: auth.RoleConsumer}, identity.Caller{})
			if err == nil {
				err = env.Server.Identity.RequestLoginLink(ctx, email, identity.Caller{})
			}
			ms, err2 := env.Server.Identity.Mailbox(ctx, email)
			if err != nil || err2 != nil || len(ms) != 1 {
				t.Fatalf("sign-in link mail: %v %v", err, err2)
			}
			return post("/api/v1/auth/login-link/confirm", map[string]string{
				"token": tokenRE.FindStringSubmatch(ms[0].Text)[1], "client": "api"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { authtest.Check(t, env, tt.want, tt.build) })
	}
}

func TestAdminAPI(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	env.Client.Header.Set("Authorization", "Bearer "+f.Token(t, env, authtest.Admin))
	consumer := f.Users[authtest.Consumer]
	path := "/api/v1/admin/users/" + consumer.ID.String() + "/roles/"

	res := env.Client.JSON("PUT", path+"trade_staff", map[string]string{"province": "hue"})
	wantStatus(t, res, 200)
	var u identity.User
	res.JSON(t, &u)
	if u.TradeProvince != "hue" {
		t.Fatalf("user %+v", u)
	}
	wantStatus(t, env.Client.Do(httptest.NewRequest("PUT", path+"admin", nil)), 200)
	wantStatus(t, env.Client.JSON("PUT", path+"trade_staff", map[string]string{"province": "atlantis"}), 400)
	wantStatus(t, env.Client.JSON("PUT", path+"coop_manager", map[string]string{}), 400)
	wantStatus(t, env.Client.Do(httptest.NewRequest("DELETE", path+"admin", nil)), 200)
	wantStatus(t, env.Client.Do(httptest.NewRequest("DELETE", "/api/v1/admin/users/"+f.Users[authtest.Admin].ID.String()+"/roles/admin", nil)), 409)
	wantStatus(t, env.Client.Get("/api/v1/admin/users/not-a-uuid"), 404)

	res = env.Client.Get("/api/v1/admin/audit-log?limit=2")
	wantStatus(t, res, 200)
	var page struct {
		Items      []identity.AuditEntry `json:"items"`
		NextCursor *string               `json:"next_cursor"`
	}
	res.JSON(t, &page)
	if len(page.Items) != 2 || page.Items[0].Action != identity.ActionRoleRevoke || page.NextCursor == nil ||
		*page.Items[0].ActorID != f.Users[authtest.Admin].ID || *page.Items[0].SubjectID != consumer.ID {
		t.Fatalf("audit page %+v", page)
	}
	res = env.Client.Get("/api/v1/admin/audit-log?limit=2&cursor=" + *page.NextCursor)
	var next struct {
		Items []identity.AuditEntry `json:"items"`
	}
	res.JSON(t, &next)
	if len(next.Items) == 0 || next.Items[0].ID >= page.Items[1].ID {
		t.Fatalf("second page %+v", next)
	}
	wantStatus(t, env.Client.Get("/api/v1/admin/audit-log?limit=1000"), 400)

	res = env.Client.Get("/api/v1/admin/users?q=0912&role=trade_staff")
	wantStatus(t, res, 200)
	res = env.Client.Get("/api/v1/admin/users?role=coop_manager")
	var users struct {
		Items []identity.User `json:"items"`
	}
	res.JSON(t, &users)
	if len(users.Items) != 2 {
		t.Fatalf("coop managers: %+v", users.Items)
	}
	res = env.Client.Get("/api/v1/admin/users?q=ng%C6%B0%E1%BB%9Di%20th%E1%BB%AD%20admin")
	res.JSON(t, &users)
	if len(users.Items) != 1 || users.Items[0].ID != f.Users[authtest.Admin].ID {
		t.Fatalf("search by name: %+v", users.Items)
	}
}

func TestProductionHardening(t *testing.T) {
	env := apptest.New(t, map[string]string{
		"APP_ENV": "production", "DATABASE_URL": "postgres://unused@127.0.0.1:5432/unused",
		"PUBLIC_ORIGIN": "https://htxmarket.vn", "SMTP_ADDR": "127.0.0.1:1",
		// Keep the suite fast; production's own defaults are benchmarked.
		"ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1",
	})
	wantStatus(t, env.Client.Get("/api/v1/dev/mailbox?to=lan@example.vn"), 404)

	req := httptest.NewRequest("POST", "/api/v1/auth/register", strings.NewReader(
		`{"email":"lan@example.vn","password":"Chè Thái Nguyên ngon","full_name":"Lan"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://htxmarket.vn")
	res := env.Client.Do(req)
	wantStatus(t, res, 201)
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if !c.Secure || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s must be Secure and SameSite=Lax in production: %+v", c.Name, c)
		}
	}
	req = httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"login":"lan@example.vn","password":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://localhost:8080")
	if p := env.Client.Do(req).Problem(t); p.Type != "/problems/csrf" {
		t.Fatalf("log-in from another origin: %+v", p)
	}
}

// TestNoSecretsInLogs signs up, logs in, changes a password and resets it,
// with the server logging at debug level, and looks for every password,
// token and reset code in what it logged.
func TestNoSecretsInLogs(t *testing.T) {
	env := apptest.New(t, nil)
	const first, second, third = "Phở bò Nam Định 1", "Bún chả Hà Nội 2", "Mì Quảng Đà Nẵng 3"
	b := newBrowser(t, env)
	res := b.do("POST", "/api/v1/auth/register", map[string]string{"email": "lan@example.vn", "password": first, "full_name": "Lan"}, false)
	wantStatus(t, res, 201)
	var s session
	res.JSON(t, &s)
	secrets := []string{first, second, third, s.CSRFToken, b.cookies[auth.SessionCookie]}

	wantStatus(t, b.do("POST", "/api/v1/auth/login", map[string]string{"login": "lan@example.vn", "password": "wrong " + first}, true), 401)
	res = b.do("POST", "/api/v1/auth/login", map[string]string{"login": "lan@example.vn", "password": first, "client": "api"}, true)
	wantStatus(t, res, 200)
	var api session
	res.JSON(t, &api)
	secrets = append(secrets, api.Token)
	wantStatus(t, b.do("POST", "/api/v1/me/password", map[string]string{"current_password": first, "new_password": second}, true), 204)
	wantStatus(t, b.do("POST", "/api/v1/auth/password-reset", map[string]string{"login": "lan@example.vn"}, true), 202)
	ms, err := env.Server.Identity.Mailbox(ctx, "lan@example.vn")
	if err != nil || len(ms) != 1 {
		t.Fatal(err)
	}
	token := tokenRE.FindStringSubmatch(ms[0].Text)[1]
	secrets = append(secrets, token)
	wantStatus(t, b.do("POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "new_password": third}, true), 204)
	res = b.do("POST", "/api/v1/auth/login", map[string]string{"login": "lan@example.vn", "password": third}, false)
	wantStatus(t, res, 200)
	secrets = append(secrets, b.cookies[auth.SessionCookie])

	logs := env.Logs.String()
	if !strings.Contains(logs, "/api/v1/auth/password-reset/confirm") {
		t.Fatal("the log capture saw nothing")
	}
	for _, secret := range secrets {
		if secret == "" {
			t.Fatal("a secret was not captured")
		}
		if strings.Contains(logs, secret) {
			t.Errorf("secret %.6s… appears in the logs", secret)
		}
	}
	if strings.Contains(logs, `"level":"ERROR"`) {
		t.Error("an error was logged")
	}
}
