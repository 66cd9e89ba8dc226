// Package authtest checks who may call a route. Check sends the same
// request as each kind of caller (anonymous, consumer, wholesaler, the
// managers and staff of a cooperative and of another one, trade staff of the
// cooperative's province, of another province and national, admin) and
// compares the status class with what the route's declaration promises:
//
//	authtest.Check(t, env, authtest.Only(authtest.Admin),
//		func(f *authtest.Fixture, a authtest.Actor) *http.Request {
//			return httptest.NewRequest("GET", "/api/v1/admin/audit-log", nil)
//		})
//
// Every actor must be given an outcome, so a new route's author decides for
// each one. Requests go through the apptest client, so every answer is also
// checked against the OpenAPI document. Each actor signs in with a fresh
// bearer token per Check, so a route that ends sessions does not disturb the
// next check.
package authtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
)

// Actor is a kind of caller.
type Actor string

// The actors every route is tried with.
const (
	Anonymous          Actor = "anonymous"
	Consumer           Actor = "consumer"
	Wholesaler         Actor = "wholesaler"
	CoopManager        Actor = "coop_manager"       // manager of Fixture.Coop
	OtherCoopManager   Actor = "other_coop_manager" // manager of Fixture.OtherCoop only
	CoopStaff          Actor = "coop_staff"         // staff of Fixture.Coop
	TradeStaff         Actor = "trade_staff"        // trade staff of Fixture.Coop's province
	OtherTradeStaff    Actor = "other_trade_staff"  // trade staff of another province
	NationalTradeStaff Actor = "national_trade_staff"
	Admin              Actor = "admin"
)

// Actors lists every actor, in the order Check tries them.
var Actors = []Actor{Anonymous, Consumer, Wholesaler, CoopManager, OtherCoopManager, CoopStaff,
	TradeStaff, OtherTradeStaff, NationalTradeStaff, Admin}

// Outcome is the expected class of a response.
type Outcome int

// Outcomes.
const (
	OK           Outcome = 200 // any 2xx
	Unauthorized Outcome = 401
	Forbidden    Outcome = 403
	NotFound     Outcome = 404
)

func (o Outcome) String() string {
	if o == OK {
		return "2xx"
	}
	return fmt.Sprint(int(o))
}

func (o Outcome) matches(status int) bool {
	if o == OK {
		return status >= 200 && status < 300
	}
	return status == int(o)
}

// Want is the expected outcome for each actor.
type Want map[Actor]Outcome

// With returns a copy of w with a's outcome set to o.
func (w Want) With(o Outcome, actors ...Actor) Want {
	out := Want{}
	for k, v := range w {
		out[k] = v
	}
	for _, a := range actors {
		out[a] = o
	}
	return out
}

// Everyone expects o for every actor, including the anonymous one.
func Everyone(o Outcome) Want {
	w := Want{}
	for _, a := range Actors {
		w[a] = o
	}
	return w
}

// Public routes answer everyone.
func Public() Want { return Everyone(OK) }

// SignedIn routes answer every signed-in actor and refuse the anonymous one.
func SignedIn() Want { return Everyone(OK).With(Unauthorized, Anonymous) }

// Only allows actors, refuses the anonymous caller with 401 and everyone
// else with 403.
func Only(actors ...Actor) Want {
	return Everyone(Forbidden).With(Unauthorized, Anonymous).With(OK, actors...)
}

// Password is the password of every fixture user.
const Password = "Cà phê sữa đá 2025"

// Coop is a cooperative of the fixture.
type Coop struct {
	ID       uuid.UUID
	Slug     string
	Name     string
	Province string
}

// Fixture is the world Check runs in, made once per server.
type Fixture struct {
	// Coop has CoopManager and CoopStaff as members and lies in the
	// province of TradeStaff; OtherCoop has OtherCoopManager and lies in
	// the province of OtherTradeStaff.
	Coop, OtherCoop Coop
	// Users holds the account of every actor but Anonymous.
	Users map[Actor]identity.User
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[*apptest.Env]*Fixture{}
)

// Setup returns the fixture of env, creating its cooperatives and users
// the first time.
func Setup(t testing.TB, env *apptest.Env) *Fixture {
	t.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[env]; ok {
		return f
	}
	ctx := context.Background()
	ids := env.Server.Identity
	f := &Fixture{
		Coop:      newCoop(t, env, "HTX Chè Tân Cương", "thai-nguyen"),
		OtherCoop: newCoop(t, env, "HTX Cà phê Cầu Đất", "lam-dong"),
		Users:     map[Actor]identity.User{},
	}
	for _, a := range Actors[1:] {
		n := identity.NewUser{
			Email: string(a) + "@authtest.htxmarket.vn", Password: Password,
			FullName: "Người thử " + strings.ReplaceAll(string(a), "_", " "), Role: auth.RoleConsumer,
		}
		switch a {
		case Wholesaler:
			n.Role, n.CompanyName, n.TaxCode = auth.RoleWholesaler, "Công ty Thử nghiệm", "0101234567"
		case TradeStaff:
			n.Role, n.Province = auth.RoleTradeStaff, f.Coop.Province
		case OtherTradeStaff:
			n.Role, n.Province = auth.RoleTradeStaff, f.OtherCoop.Province
		case NationalTradeStaff:
			n.Role = auth.RoleTradeStaff
		case Admin:
			n.Role = auth.RoleAdmin
		}
		u, err := ids.CreateUser(ctx, n, identity.Caller{})
		if err != nil {
			t.Fatalf("authtest: create %s: %v", a, err)
		}
		var coop uuid.UUID
		var role auth.Role
		switch a {
		case CoopManager:
			coop, role = f.Coop.ID, auth.RoleCoopManager
		case CoopStaff:
			coop, role = f.Coop.ID, auth.RoleCoopStaff
		case OtherCoopManager:
			coop, role = f.OtherCoop.ID, auth.RoleCoopManager
		}
		if role != "" {
			if err := ids.AddMember(ctx, coop, u.ID, role, identity.Caller{}); err != nil {
				t.Fatalf("authtest: membership of %s: %v", a, err)
			}
			if u, err = ids.User(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		f.Users[a] = u
	}
	fixtures[env] = f
	return f
}

// newCoop makes a verified cooperative through the cooperative capability.
func newCoop(t testing.TB, env *apptest.Env, name, province string) Coop {
	t.Helper()
	ctx := context.Background()
	var c cooperative.Cooperative
	err := db.InTx(ctx, env.DB, func(tx *sqlx.Tx) (err error) {
		c, err = env.Server.Cooperatives.Store().EnsureForImport(ctx, tx, name, province)
		return err
	})
	if err != nil {
		t.Fatalf("authtest: cooperative %s: %v", name, err)
	}
	return Coop{ID: c.ID, Slug: c.Slug, Name: c.Name, Province: c.Province}
}

// Token signs actor in and returns a bearer token ("" for Anonymous).
func (f *Fixture) Token(t testing.TB, env *apptest.Env, a Actor) string {
	t.Helper()
	if a == Anonymous {
		return ""
	}
	ns, err := env.Server.Identity.StartSession(context.Background(), f.Users[a].ID, identity.KindBearer, identity.Caller{})
	if err != nil {
		t.Fatalf("authtest: session of %s: %v", a, err)
	}
	return ns.Token
}

// Check sends the request that build makes as every actor and checks each
// answer's status class against want, which must name every actor.
func Check(t testing.TB, env *apptest.Env, want Want, build func(f *Fixture, a Actor) *http.Request) {
	t.Helper()
	var missing []string
	for _, a := range Actors {
		if _, ok := want[a]; !ok {
			missing = append(missing, string(a))
		}
	}
	if len(missing) > 0 {
		t.Fatalf("authtest: no expected outcome for %s", strings.Join(missing, ", "))
	}
	f := Setup(t, env)
	for _, a := range Actors {
		req := build(f, a)
		if tok := f.Token(t, env, a); tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res := env.Client.Do(req)
		if !want[a].matches(res.Status) {
			t.Errorf("%s %s as %s: status %d, want %s: %s", req.Method, req.URL.Path, a, res.Status, want[a], res.Body)
			continue
		}
		if want[a] != OK {
			res.Problem(t)
		}
	}
}
