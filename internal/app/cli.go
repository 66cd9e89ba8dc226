package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
	"htxmarket/migrations"
)

// Version is set at build time with -ldflags "-X htxmarket/internal/app.Version=…".
var Version = "dev"

// command is one subcommand of the htxmarket binary.
type command struct {
	summary string
	usage   string // arguments after the command name
	// flags, when set, declares the command's flags before they are parsed.
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, env *Env, args []string) error
	// daemon marks the commands that run until stopped (serve, worker):
	// they log the configuration at info, the short ones at debug, so that
	// `make run` shows it once per long-lived process.
	daemon bool
}

// Env is what every subcommand works with.
type Env struct {
	Stdout, Stderr io.Writer
	// Stdin supplies input such as a password; nil reads nothing.
	Stdin io.Reader
	// Lookup reads environment variables (os.LookupEnv outside tests).
	Lookup func(string) (string, bool)
	// configLevel is the level boot logs the configuration at: info unless
	// Run starts a short command.
	configLevel slog.Level
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {summary: "run the HTTP server (migrates first in development)", run: cmdServe, daemon: true},
		"worker":  {summary: "run background jobs until stopped", run: cmdWorker, daemon: true},
		"migrate": {summary: "apply or roll back database migrations", usage: "up|down|status", run: cmdMigrate},
		"user": {summary: "manage accounts: create one with any role", usage: "create --email|--phone … --name … --role …",
			run: cmdUser},
		"import": importCommand(),
		"seed":   {summary: "load the demo catalog and one demo account per role (development only)", run: cmdSeed},
		"search": {summary: "manage the product search index", usage: "reindex", run: cmdSearch},
		"version": {summary: "print the version", run: func(_ context.Context, env *Env, _ []string) error {
			fmt.Fprintln(env.Stdout, "htxmarket", Version)
			return nil
		}},
	}
}

// ErrUsage reports a command line that does not parse; usage was printed.
var ErrUsage = errors.New("usage")

// Run executes the subcommand named in args (os.Args[1:]).
func Run(ctx context.Context, args []string, env *Env) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stdout, cmds)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	name := args[0]
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "htxmarket: unknown command %q\n\n", name)
		printUsage(env.Stderr, cmds)
		return ErrUsage
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stdout)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: htxmarket %s %s\n\n%s.\n\nConfiguration comes from environment variables; see README.md.\n",
			name, cmd.usage, upper(cmd.summary))
		fs.PrintDefaults()
	}
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return ErrUsage
	}
	if !cmd.daemon {
		short := *env
		short.configLevel = slog.LevelDebug
		env = &short
	}
	return cmd.run(ctx, env, fs.Args())
}

func printUsage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Usage: htxmarket <command> [arguments]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'htxmarket <command> --help' for details.")
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// NewLogger returns the program's logger: JSON in production, text otherwise.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// boot reads the configuration, makes the logger and opens the database,
// creating it first in development so that a fresh machine needs no setup.
func boot(ctx context.Context, env *Env) (config.Config, *slog.Logger, *sqlx.DB, error) {
	cfg, err := config.FromLookup(env.Lookup)
	if err != nil {
		return cfg, nil, nil, err
	}
	log := NewLogger(cfg, env.Stderr)
	log.Log(ctx, env.configLevel, "starting htxmarket", append([]any{"version", Version}, cfg.Masked()...)...)
	if cfg.Development() {
		if err := db.EnsureDatabase(ctx, cfg.DB.URL); err != nil {
			return cfg, log, nil, fmt.Errorf("database %s: %w", config.MaskURL(cfg.DB.URL), err)
		}
	}
	d, err := db.Open(ctx, cfg.DB.URL, db.Options{
		MaxOpenConns:    cfg.DB.MaxOpenConns,
		MaxIdleConns:    cfg.DB.MaxIdleConns,
		ConnMaxLifetime: cfg.DB.ConnMaxLifetime,
		ConnMaxIdleTime: cfg.DB.ConnMaxIdleTime,
	})
	if err != nil {
		return cfg, log, nil, err
	}
	return cfg, log, d, nil
}

func cmdServe(ctx context.Context, env *Env, _ []string) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	if err := autoMigrate(ctx, cfg, log, d); err != nil {
		d.Close()
		return err
	}
	srv, err := NewServer(cfg, log, d, Options{})
	if err != nil {
		d.Close()
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		d.Close()
		return fmt.Errorf("listen on HTTP_ADDR=%s: %w", cfg.HTTP.Addr, err)
	}
	return srv.Run(ctx, ln)
}

func cmdMigrate(ctx context.Context, env *Env, args []string) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		fmt.Fprintln(env.Stderr, "Usage: htxmarket migrate up|down|status")
		return ErrUsage
	}
	_, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		log.Info("migrations applied", "count", n)
	case "down":
		if err := m.Down(ctx); err != nil {
			return err
		}
		log.Info("rolled back one migration")
	case "status":
		return m.Status(ctx, env.Stdout)
	}
	return nil
}

// OSEnv is the Env of the real process.
func OSEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Lookup: os.LookupEnv}
}

// cmdUser runs `user create`: it opens an account with any global role,
// which is how the first administrator comes to be. The password is read
// from the first line of standard input unless --password is given (which
// other users of the machine can see in the process list).
func cmdUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.Stderr, "Usage: htxmarket user create --email|--phone … --name … --role consumer|wholesaler|trade_staff|admin")
		return ErrUsage
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var n identity.NewUser
	var role string
	fs.StringVar(&n.Email, "email", "", "e-mail address")
	fs.StringVar(&n.Phone, "phone", "", "Vietnamese mobile number")
	fs.StringVar(&n.FullName, "name", "", "full name")
	fs.StringVar(&n.Password, "password", "", "password (default: the first line of standard input)")
	fs.StringVar(&role, "role", string(auth.RoleConsumer), "consumer, wholesaler, trade_staff or admin")
	fs.StringVar(&n.Province, "province", "", "province slug of a trade_staff account (none: national)")
	fs.StringVar(&n.CompanyName, "company", "", "company name of a wholesaler")
	fs.StringVar(&n.TaxCode, "tax-code", "", "tax code of a wholesaler")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return ErrUsage
	}
	n.Role = auth.Role(role)
	if n.Password == "" && env.Stdin != nil {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		n.Password = strings.TrimRight(line, "\r\n")
	}
	cfg, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	ids, err := newIdentity(cfg, log, d)
	if err != nil {
		return err
	}
	u, err := ids.CreateUser(ctx, n, identity.Caller{})
	if err != nil {
		var v *web.ValidationError
		if errors.As(err, &v) {
			for _, f := range v.Fields {
				fmt.Fprintf(env.Stderr, "--%s: %s\n", flagName(f.Field), f.Message)
			}
			return errors.New("user not created")
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s) with role %s\n", u.ID, firstNonEmpty(u.Email, u.Phone), n.Role)
	return nil
}

// flagName names the flag of a validation error's field.
func flagName(field string) string {
	switch field {
	case "full_name":
		return "name"
	case "company_name":
		return "company"
	case "tax_code":
		return "tax-code"
	}
	return field
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// autoMigrate applies pending migrations when AUTO_MIGRATE is on (the
// default in development), so that serve and seed work on a fresh database.
func autoMigrate(ctx context.Context, cfg config.Config, log *slog.Logger, d *sqlx.DB) error {
	if !cfg.AutoMigrate {
		return nil
	}
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err != nil {
		return err
	}
	n, err := m.Up(ctx)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "count", n)
	return nil
}
