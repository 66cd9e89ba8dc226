package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/payment"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
)

// domains are the services the command line works with.
type domains struct {
	ids      *identity.Service
	coops    *cooperative.Service
	products *catalog.Service
}

func newDomains(cfg config.Config, env *Env, d *sqlx.DB) (domains, error) {
	ids, err := newIdentity(cfg, NewLogger(cfg, env.Stderr), d)
	if err != nil {
		return domains{}, err
	}
	provinces := geo.NewService(geo.NewStore(d))
	coops := cooperative.NewService(d, cooperative.NewStore(), provinces, coopAccounts{ids})
	return domains{ids: ids, coops: coops, products: newCatalog(d, coops, provinces)}, nil
}

// importCommand is `import [--dry-run] [--cooperative ID] FILE`: an
// administrator's CSV import, which creates the cooperatives the file
// names unless --cooperative restricts it to one cooperative's rows.
func importCommand() command {
	var dryRun bool
	var coop string
	return command{
		summary: "import a product catalog CSV (see README.md, CSV format)",
		usage:   "[--dry-run] [--cooperative ID|slug] FILE|-",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&dryRun, "dry-run", false, "check the file and report what would change, changing nothing")
			fs.StringVar(&coop, "cooperative", "", "import only rows of this cooperative (ID or slug)")
		},
		run: func(ctx context.Context, env *Env, args []string) error {
			if len(args) != 1 {
				fmt.Fprintln(env.Stderr, "Usage: htxmarket import [--dry-run] [--cooperative ID|slug] FILE|-")
				return ErrUsage
			}
			var in io.Reader = env.Stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			cfg, _, d, err := boot(ctx, env)
			if err != nil {
				return err
			}
			defer d.Close()
			dm, err := newDomains(cfg, env, d)
			if err != nil {
				return err
			}
			rep, err := dm.products.Import(ctx, catalog.ImportRequest{CSV: in, DryRun: dryRun, Cooperative: coop})
			printImportReport(env.Stdout, rep)
			if err == nil && rep.ErrorCount > 0 {
				err = catalog.ErrImportRejected
			}
			return err
		},
	}
}

func printImportReport(w io.Writer, rep catalog.ImportReport) {
	for _, e := range rep.Errors {
		if e.Column != "" {
			fmt.Fprintf(w, "dòng %d, cột %s: %s\n", e.Line, e.Column, e.Message)
		} else {
			fmt.Fprintf(w, "dòng %d: %s\n", e.Line, e.Message)
		}
	}
	if more := rep.ErrorCount - len(rep.Errors); more > 0 {
		fmt.Fprintf(w, "… và %d lỗi khác\n", more)
	}
	state := "đã lưu"
	switch {
	case rep.ErrorCount > 0:
		state = "không lưu gì vì có lỗi"
	case rep.DryRun:
		state = "chạy thử, không lưu gì"
	}
	fmt.Fprintf(w, "%d dòng: %d mới, %d cập nhật, %d hợp tác xã, %d lỗi (%s)\n",
		rep.Rows, rep.Created, rep.Updated, rep.Cooperatives, rep.ErrorCount, state)
}

// DemoPassword is the password of every demo account that seed creates.
const DemoPassword = "Chợ phiên HTX 2025"

// demoCoops are the sample cooperatives that demo accounts manage, each
// with a made-up bank account (a real bank's NAPAS BIN) so that a bank
// transfer order shows its VietQR code out of the box.
var demoCoops = []struct {
	name, province string
	bank           payment.BankAccount
}{
	{"HTX Nông nghiệp Diễn", "ha-noi", payment.BankAccount{BankBIN: "970436", AccountNumber: "1023456789", AccountName: "HTX NONG NGHIEP DIEN"}},
	{"HTX Mắm Châu Đốc", "an-giang", payment.BankAccount{BankBIN: "970405", AccountNumber: "6100205123456", AccountName: "HTX MAM CHAU DOC"}},
}

// demoAccounts are one account per role.
var demoAccounts = []struct {
	user identity.NewUser
	coop auth.Role // coop_manager or coop_staff of demoCoops[of]
	of   int
}{
	{user: identity.NewUser{Email: "nguoimua@demo.htxmarket.vn", FullName: "Nguyễn Thu Hà", Role: auth.RoleConsumer}},
	{user: identity.NewUser{Email: "daily@demo.htxmarket.vn", FullName: "Trần Văn Bình", Role: auth.RoleWholesaler,
		CompanyName: "Công ty TNHH Nông sản Sạch Miền Bắc", TaxCode: "0109876543"}},
	{user: identity.NewUser{Email: "quanly@demo.htxmarket.vn", FullName: "Lê Văn Diễn", Role: auth.RoleConsumer}, coop: auth.RoleCoopManager},
	{user: identity.NewUser{Email: "nhanvien@demo.htxmarket.vn", FullName: "Phạm Thị Mai", Role: auth.RoleConsumer}, coop: auth.RoleCoopStaff},
	{user: identity.NewUser{Email: "quanly2@demo.htxmarket.vn", FullName: "Nguyễn Văn Linh", Role: auth.RoleConsumer}, coop: auth.RoleCoopManager, of: 1},
	{user: identity.NewUser{Email: "xuctien.hanoi@demo.htxmarket.vn", FullName: "Đỗ Minh Tuấn", Role: auth.RoleTradeStaff, Province: "ha-noi"}},
	{user: identity.NewUser{Email: "xuctien@demo.htxmarket.vn", FullName: "Vũ Thị Lan", Role: auth.RoleTradeStaff}},
	{user: identity.NewUser{Email: "quantri@demo.htxmarket.vn", FullName: "Hoàng Quốc Việt", Role: auth.RoleAdmin}},
}

// cmdSeed loads the demo data into the configured database: the sample
// catalog (its cooperatives verified) and one account per role. Running
// it again changes nothing. It refuses to run in production.
func cmdSeed(ctx context.Context, env *Env, _ []string) error {
	cfg, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	if cfg.Env == config.EnvProduction {
		return errors.New("seed loads demo accounts with a published password; it does not run with APP_ENV=production")
	}
	if err := autoMigrate(ctx, cfg, log, d); err != nil {
		return err
	}
	dm, err := newDomains(cfg, env, d)
	if err != nil {
		return err
	}
	rep, err := dm.products.Import(ctx, catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)})
	if err != nil {
		printImportReport(env.Stderr, rep)
		return fmt.Errorf("seed: sample catalog: %w", err)
	}
	// A database seeded with the sample of before packagings had each
	// boxed packaging as a product of its own: the import merges it into
	// its product (see catalog.ImportRows), and its old address redirects.
	fmt.Fprintf(env.Stdout, "Danh mục mẫu: %d sản phẩm, %d cách đóng gói, của %d hợp tác xã (%d mới, %d cập nhật",
		rep.Products, rep.Rows, rep.Cooperatives, rep.Created, rep.Updated)
	if rep.Merged > 0 {
		fmt.Fprintf(env.Stdout, "; %d sản phẩm cũ đã gộp vào sản phẩm của chúng", rep.Merged)
	}
	fmt.Fprintln(env.Stdout, ").")

	// Bank accounts are set once: a manager's own change survives the next seed.
	banks := payment.NewService(d, nil, nil, nil, payment.Options{}, log)
	coops := make([]cooperative.Cooperative, len(demoCoops))
	fmt.Fprintln(env.Stdout, "\nTài khoản ngân hàng (giả) của hợp tác xã demo, cho mã VietQR:")
	for i, dc := range demoCoops {
		err = db.InTx(ctx, d, func(tx *sqlx.Tx) (err error) {
			coops[i], err = dm.coops.Store().EnsureForImport(ctx, tx, dc.name, dc.province)
			return err
		})
		if err != nil {
			return fmt.Errorf("seed: %s: %w", dc.name, err)
		}
		acct, err := banks.BankAccountOf(ctx, coops[i].ID)
		if errors.Is(err, payment.ErrNoBankAccount) {
			acct, err = banks.SetBankAccount(ctx, coops[i].ID, dc.bank)
		}
		if err != nil {
			return fmt.Errorf("seed: bank account of %s: %w", dc.name, err)
		}
		fmt.Fprintf(env.Stdout, "  %-34s %s %s %s\n", coops[i].Slug, acct.BankBIN, acct.AccountNumber, acct.AccountName)
	}

	fmt.Fprintf(env.Stdout, "\nTài khoản demo (chỉ dùng khi phát triển), mật khẩu: %s\n", DemoPassword)
	for _, a := range demoAccounts {
		n := a.user
		n.Password = DemoPassword
		u, err := ensureUser(ctx, dm.ids, n)
		if err != nil {
			return fmt.Errorf("seed: %s: %w", n.Email, err)
		}
		role := string(n.Role)
		if a.coop != "" {
			coop := coops[a.of]
			if err := dm.ids.AddMember(ctx, coop.ID, u.ID, a.coop, identity.Caller{}); err != nil {
				return fmt.Errorf("seed: membership of %s: %w", n.Email, err)
			}
			role = fmt.Sprintf("%s của %s (%s)", a.coop, coop.Name, coop.Slug)
		} else if n.Role == auth.RoleTradeStaff {
			role += " " + map[bool]string{true: "toàn quốc", false: "tỉnh " + n.Province}[n.Province == ""]
		}
		fmt.Fprintf(env.Stdout, "  %-34s %s\n", n.Email, role)
	}
	if err := seedTrace(ctx, cfg, log, d, env, coops[0]); err != nil {
		return err
	}
	return seedSourcing(ctx, d, dm)
}

// ensureUser creates the account, or finds it when it exists.
func ensureUser(ctx context.Context, ids *identity.Service, n identity.NewUser) (identity.User, error) {
	u, err := ids.CreateUser(ctx, n, identity.Caller{})
	if !errors.Is(err, identity.ErrAccountExists) {
		return u, err
	}
	users, err := ids.Users(ctx, identity.UserFilter{Query: n.Email, Limit: 10})
	if err != nil {
		return identity.User{}, err
	}
	for _, u := range users {
		if u.Email == n.Email {
			return u, nil
		}
	}
	return identity.User{}, fmt.Errorf("account %s exists but was not found", n.Email)
}
