package identity_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"htxmarket/internal/app"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
)

func TestUserCreateCommand(t *testing.T) {
	url := dbtest.NewURL(t)
	run := func(stdin string, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := app.Run(context.Background(), append([]string{"user", "create"}, args...), &app.Env{
			Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin),
			Lookup: func(k string) (string, bool) {
				v, ok := map[string]string{"APP_ENV": "test", "DATABASE_URL": url}[k]
				return v, ok
			},
		})
		return out.String(), errOut.String(), err
	}
	out, errOut, err := run("Bảo mật tuyệt đối 2025\n", "--email", "Admin@HTXMarket.vn", "--name", "Quản trị", "--role", "admin")
	if err != nil || !strings.Contains(out, "admin@htxmarket.vn") || !strings.Contains(out, "role admin") {
		t.Fatalf("create admin: %v\n%s%s", err, out, errOut)
	}
	if strings.Contains(out+errOut, "Bảo mật tuyệt đối 2025") {
		t.Fatal("the password was echoed")
	}
	_, errOut, err = run("", "--phone", "0912345678", "--password", "Cán bộ xúc tiến 1", "--name", "Trần Văn Cường",
		"--role", "trade_staff", "--province", "lao-cai")
	if err != nil {
		t.Fatalf("create trade staff: %v %s", err, errOut)
	}
	_, errOut, err = run("123\n", "--email", "bad", "--role", "root")
	if err == nil || !strings.Contains(errOut, "--role:") || !strings.Contains(errOut, "--email:") ||
		!strings.Contains(errOut, "--name:") || !strings.Contains(errOut, "--password:") {
		t.Fatalf("invalid input must name every bad flag: %v\n%s", err, errOut)
	}

	d, err := db.Open(context.Background(), url, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	store := identity.NewStore(d)
	u, _, err := store.UserByLogin(context.Background(), identity.Login{Email: "admin@htxmarket.vn"})
	if err != nil || len(u.Roles) != 1 || u.Roles[0] != auth.RoleAdmin {
		t.Fatalf("admin: %+v %v", u, err)
	}
	s, _, err := store.UserByLogin(context.Background(), identity.Login{Phone: "+84912345678"})
	if err != nil || s.TradeProvince != "lao-cai" {
		t.Fatalf("trade staff: %+v %v", s, err)
	}
	es, err := store.ListAudit(context.Background(), identity.AuditFilter{Action: identity.ActionUserCreate, Limit: 10})
	if err != nil || len(es) != 2 || es[0].ActorID != nil {
		t.Fatalf("audit of the command line: %+v %v", es, err)
	}
}
