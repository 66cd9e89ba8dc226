// Package config reads the program's settings from environment variables,
// once, at start-up. Every variable has a documented default; a malformed
// value stops the program with one line naming the variable.
package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Environments the program knows.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
	EnvTest        = "test"
)

// DefaultDatabaseURL is used outside production when DATABASE_URL is unset:
// the local PostgreSQL that `make run` expects.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/htxmarket?sslmode=disable"

// Config is every setting of the program.
type Config struct {
	Env      string // APP_ENV
	LogLevel string // LOG_LEVEL
	// LogFormat is "json" or "text" (LOG_FORMAT; JSON in production, text otherwise).
	LogFormat string

	HTTP HTTP
	DB   DB
	Auth Auth
	Mail Mail
	// Media is where uploaded files (product images) are kept.
	Media Media
	// Search chooses and configures the product search engine.
	Search Search
	// Buying holds the rules of checkout and payment.
	Buying Buying

	// CatalogCacheTTL is how long product and list pages that anonymous
	// shoppers see are kept in memory (CATALOG_CACHE_TTL, default 5s; 0
	// disables the cache). Other instances see a change after at most this.
	CatalogCacheTTL time.Duration

	// WorkerAddr is where `worker` serves /metrics and /healthz
	// (WORKER_ADDR, default :9090; set but empty, it serves nothing).
	WorkerAddr string

	// OutboxMaxAttempts is how many failed attempts park an outbox message
	// (OUTBOX_MAX_ATTEMPTS, default 10): it is tried no more, so that it
	// blocks nothing, and listed for administrators.
	OutboxMaxAttempts int

	// AutoMigrate applies pending migrations when `serve` starts
	// (AUTO_MIGRATE; on by default in development).
	AutoMigrate bool
}

// HTTP holds the web server's settings.
type HTTP struct {
	Addr            string        // HTTP_ADDR
	ReadTimeout     time.Duration // HTTP_READ_TIMEOUT
	WriteTimeout    time.Duration // HTTP_WRITE_TIMEOUT
	IdleTimeout     time.Duration // HTTP_IDLE_TIMEOUT
	BodyLimit       int           // HTTP_BODY_LIMIT (bytes)
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT
	// TrustedProxies are the addresses and networks (IPs and CIDRs,
	// TRUSTED_PROXIES, comma-separated; none by default) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed: the client's
	// address is the first one from the right of X-Forwarded-For that is
	// not one of them. Without them a client could pick the address that
	// abuse limits count it under.
	TrustedProxies []string
}

// DB holds the PostgreSQL connection settings.
type DB struct {
	URL             string        // DATABASE_URL
	MaxOpenConns    int           // DB_MAX_OPEN_CONNS
	MaxIdleConns    int           // DB_MAX_IDLE_CONNS
	ConnMaxLifetime time.Duration // DB_CONN_MAX_LIFETIME
	ConnMaxIdleTime time.Duration // DB_CONN_MAX_IDLE_TIME
}

// Auth holds the settings of accounts, passwords, sessions and abuse limits.
type Auth struct {
	// Argon2 parameters of new password hashes (ARGON2_MEMORY_KIB,
	// ARGON2_TIME, ARGON2_THREADS). The production defaults, m=19 MiB, t=2,
	// p=1, are OWASP's first recommended argon2id setting; see
	// internal/identity/password.go for why they suit a 2-core server. With
	// APP_ENV=test the defaults are tiny so that the test suite stays fast.
	Argon2MemoryKiB int
	Argon2Time      int
	Argon2Threads   int
	// PasswordMinLength is the fewest characters a new password may have
	// (PASSWORD_MIN_LENGTH).
	PasswordMinLength int
	// SessionTTL bounds a session's whole life (SESSION_TTL); SessionIdleTTL
	// ends it after this long unused, renewed as it is used (SESSION_IDLE_TTL).
	SessionTTL     time.Duration
	SessionIdleTTL time.Duration
	// ResetTTL is how long a password reset link stays valid (PASSWORD_RESET_TTL).
	ResetTTL time.Duration
	// LoginLinkTTL is how long a sign-in link by e-mail stays valid
	// (LOGIN_LINK_TTL).
	LoginLinkTTL time.Duration
	// CookieSecure marks session cookies Secure (COOKIE_SECURE; on in production).
	CookieSecure bool
	// PublicOrigin is scheme://host[:port] that browsers load the site from
	// (PUBLIC_ORIGIN): the base of links in e-mails, and in production the
	// only Origin accepted on state-changing requests. Required in
	// production; elsewhere it defaults to http://localhost on the port of
	// HTTP_ADDR.
	PublicOrigin string
	// Origins are the origins accepted on state-changing requests (CSRF):
	// PublicOrigin alone in production. Elsewhere also http://localhost,
	// http://127.0.0.1 and http://[::1] on the port of HTTP_ADDR (and its
	// host, when it names one), so that a developer may open the site at
	// any of the names the server is reached at.
	Origins []string
	// Attempts allowed before back-off starts, per account and per client
	// IP, for log-in (LOGIN_LIMIT_ACCOUNT, LOGIN_LIMIT_IP) and for password
	// reset and sign-in link requests (RESET_LIMIT_ACCOUNT, RESET_LIMIT_IP).
	// A log-in's account limit counts the attempts on one account from one
	// client IP, so that an attacker elsewhere cannot lock its owner out;
	// LoginLimitAccountAll (LOGIN_LIMIT_ACCOUNT_ALL) counts them from every
	// address, a looser limit against attacks spread over many addresses,
	// while which the owner signs in with a link by e-mail.
	LoginLimitAccount    int
	LoginLimitAccountAll int
	LoginLimitIP         int
	ResetLimitAccount    int
	ResetLimitIP         int
	// LimitWindow is how long a counter is remembered after its last attempt
	// (LIMIT_WINDOW). Past the allowance each attempt blocks the next for
	// LimitBackoff, doubling up to LimitBackoffMax (LIMIT_BACKOFF,
	// LIMIT_BACKOFF_MAX).
	LimitWindow     time.Duration
	LimitBackoff    time.Duration
	LimitBackoffMax time.Duration
}

// Media holds the settings of uploaded files.
type Media struct {
	// StorageDir is the folder of the local-disk storage (STORAGE_DIR,
	// default .data/media), created when missing.
	StorageDir string
	// ImageMaxBytes is the largest image file accepted (IMAGE_MAX_BYTES,
	// default 8 MB, and never more than HTTP_BODY_LIMIT, which bounds the
	// whole upload form).
	ImageMaxBytes int
	// ImageDecodeBudget is the memory, in bytes, that the images being
	// decoded and resized at once may take together (IMAGE_DECODE_BUDGET,
	// default 256 MiB, a third of the deployment's 768 MiB).
	ImageDecodeBudget int
}

// Search holds the settings of product search. Without MEILI_URL the
// postgres engine answers alone; with it, Meilisearch answers and the
// postgres engine stands in while Meilisearch is unreachable.
type Search struct {
	MeiliURL    string // MEILI_URL, http(s)://host[:port]; empty = no Meilisearch
	MeiliAPIKey string // MEILI_API_KEY, never logged; required in production with MEILI_URL
	MeiliIndex  string // MEILI_INDEX, default products
	// MeiliTimeout bounds one query (MEILI_TIMEOUT, default 2s): past it the
	// shopper is answered by the postgres engine instead.
	MeiliTimeout time.Duration
	// MeiliTaskTimeout bounds one write, including the wait until
	// Meilisearch has indexed it (MEILI_TASK_TIMEOUT, default 1m).
	MeiliTaskTimeout time.Duration
	// CacheTTL is how long the postgres engine keeps a search's or a
	// suggestion's answer (SEARCH_CACHE_TTL, default 2s; 0 turns it off).
	CacheTTL time.Duration
}

// Mailers the program can send e-mail with.
const (
	MailerDev  = "dev"  // stores messages in the database (dev_mailbox)
	MailerSMTP = "smtp" // sends through an SMTP server
)

// Buying holds the rules of checkout and payment.
type Buying struct {
	// Unpaid card and bank-transfer orders hold their stock this long
	// (PAYMENT_CARD_DEADLINE 30m, PAYMENT_BANK_DEADLINE 24h).
	CardDeadline time.Duration
	BankDeadline time.Duration
	// Shipping fees of cooperatives that set none (SHIPPING_IN_PROVINCE_VND
	// 20000, SHIPPING_OTHER_PROVINCE_VND 35000, SHIPPING_FREE_OVER_VND
	// 500000; 0 = never free).
	ShippingInProvinceVND    int
	ShippingOtherProvinceVND int
	ShippingFreeOverVND      int
	// CommissionBPS is the platform's commission in basis points of each
	// sale (COMMISSION_BPS, default 500 = 5%).
	CommissionBPS int
	// Stripe: STRIPE_SECRET_KEY (unset: no card payments),
	// STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET, and STRIPE_API_URL to
	// send API calls elsewhere (stripe-mock in tests).
	StripeSecretKey      string
	StripePublishableKey string
	StripeWebhookSecret  string
	StripeAPIURL         string
	// BankWebhookSecret keys the HMAC-SHA256 of bank notifications
	// (BANK_WEBHOOK_SECRET; unset refuses them).
	BankWebhookSecret string
}

func readBuying(r *reader) Buying {
	var b Buying
	b.CardDeadline = r.duration("PAYMENT_CARD_DEADLINE", 30*time.Minute)
	b.BankDeadline = r.duration("PAYMENT_BANK_DEADLINE", 24*time.Hour)
	b.ShippingInProvinceVND = r.intRange("SHIPPING_IN_PROVINCE_VND", 20_000, 0, 10_000_000)
	b.ShippingOtherProvinceVND = r.intRange("SHIPPING_OTHER_PROVINCE_VND", 35_000, 0, 10_000_000)
	b.ShippingFreeOverVND = r.intRange("SHIPPING_FREE_OVER_VND", 500_000, 0, 1_000_000_000)
	b.CommissionBPS = r.intRange("COMMISSION_BPS", 500, 0, 5000)
	b.StripeSecretKey, _ = r.get("STRIPE_SECRET_KEY")
	b.StripePublishableKey, _ = r.get("STRIPE_PUBLISHABLE_KEY")
	b.StripeWebhookSecret, _ = r.get("STRIPE_WEBHOOK_SECRET")
	if v, ok := r.get("STRIPE_API_URL"); ok {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.fail("STRIPE_API_URL", v, "want http(s)://host[:port]")
		} else {
			b.StripeAPIURL = strings.TrimSuffix(v, "/")
		}
	}
	if b.StripeSecretKey != "" && b.StripeWebhookSecret == "" && r.err == nil {
		r.err = fmt.Errorf("config: STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY")
	}
	b.BankWebhookSecret, _ = r.get("BANK_WEBHOOK_SECRET")
	return b
}

// Mail holds the outgoing e-mail settings.
type Mail struct {
	// Mailer is "dev" or "smtp" (MAILER; smtp in production, where dev is refused).
	Mailer       string
	SMTPAddr     string // SMTP_ADDR host:port, required with MAILER=smtp
	SMTPUsername string // SMTP_USERNAME
	SMTPPassword string // SMTP_PASSWORD, never logged
	From         string // MAIL_FROM
}

// Development reports whether the program runs on a developer's machine.
func (c Config) Development() bool { return c.Env == EnvDevelopment }

// Load reads the configuration from the process environment.
func Load() (Config, error) { return FromLookup(os.LookupEnv) }

// FromLookup reads the configuration through lookup, so tests can pass a map.
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	r := reader{lookup: lookup}
	var c Config
	c.Env = r.oneOf("APP_ENV", EnvDevelopment, EnvDevelopment, EnvProduction, EnvTest)
	c.LogLevel = r.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error")
	defFormat := "text"
	if c.Env == EnvProduction {
		defFormat = "json"
	}
	c.LogFormat = r.oneOf("LOG_FORMAT", defFormat, "json", "text")

	c.HTTP.Addr = r.addr("HTTP_ADDR", ":8080")
	c.HTTP.ReadTimeout = r.duration("HTTP_READ_TIMEOUT", 10*time.Second)
	c.HTTP.WriteTimeout = r.duration("HTTP_WRITE_TIMEOUT", 30*time.Second)
	c.HTTP.IdleTimeout = r.duration("HTTP_IDLE_TIMEOUT", 60*time.Second)
	c.HTTP.BodyLimit = r.positiveInt("HTTP_BODY_LIMIT", 8<<20)
	c.HTTP.ShutdownTimeout = r.duration("SHUTDOWN_TIMEOUT", 15*time.Second)
	c.HTTP.TrustedProxies = r.networks("TRUSTED_PROXIES")
	c.WorkerAddr = r.addrOrOff("WORKER_ADDR", ":9090")
	c.OutboxMaxAttempts = r.intRange("OUTBOX_MAX_ATTEMPTS", 10, 1, 1000)

	if c.Env == EnvProduction {
		c.DB.URL = r.postgresURL("DATABASE_URL", "")
	} else {
		c.DB.URL = r.postgresURL("DATABASE_URL", DefaultDatabaseURL)
	}
	c.DB.MaxOpenConns = r.positiveInt("DB_MAX_OPEN_CONNS", 20)
	// Idle connections default to the open limit: closing and reopening
	// connections under load costs more than keeping them.
	c.DB.MaxIdleConns = r.positiveInt("DB_MAX_IDLE_CONNS", c.DB.MaxOpenConns)
	c.DB.ConnMaxLifetime = r.duration("DB_CONN_MAX_LIFETIME", 30*time.Minute)
	c.DB.ConnMaxIdleTime = r.duration("DB_CONN_MAX_IDLE_TIME", 5*time.Minute)

	c.AutoMigrate = r.boolean("AUTO_MIGRATE", c.Env == EnvDevelopment)
	c.CatalogCacheTTL = r.durationOrZero("CATALOG_CACHE_TTL", 5*time.Second)
	c.Auth = readAuth(&r, c.Env, c.HTTP.Addr)
	c.Mail = readMail(&r, c.Env)
	c.Media.StorageDir = r.str("STORAGE_DIR", ".data/media")
	c.Media.ImageMaxBytes = r.positiveInt("IMAGE_MAX_BYTES", min(8<<20, c.HTTP.BodyLimit))
	c.Media.ImageDecodeBudget = r.intRange("IMAGE_DECODE_BUDGET", 256<<20, 16<<20, 1<<40)
	c.Search = readSearch(&r, c.Env)
	c.Buying = readBuying(&r)
	return c, r.err
}

func readSearch(r *reader, env string) Search {
	var s Search
	if v, ok := r.get("MEILI_URL"); ok {
		u, err := url.Parse(strings.TrimSuffix(v, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
			r.fail("MEILI_URL", MaskURL(v), "want http(s)://host[:port] such as http://meilisearch:7700")
		} else {
			s.MeiliURL = u.String()
		}
	}
	s.MeiliAPIKey, _ = r.get("MEILI_API_KEY")
	if env == EnvProduction && s.MeiliURL != "" && s.MeiliAPIKey == "" && r.err == nil {
		r.err = fmt.Errorf("config: MEILI_API_KEY is required in production with MEILI_URL")
	}
	s.MeiliIndex = r.str("MEILI_INDEX", "products")
	if !validIndexUID(s.MeiliIndex) {
		r.fail("MEILI_INDEX", s.MeiliIndex, "want letters, digits, - and _ only, at most 100")
	}
	s.MeiliTimeout = r.duration("MEILI_TIMEOUT", 2*time.Second)
	s.CacheTTL = r.durationOrZero("SEARCH_CACHE_TTL", 2*time.Second)
	s.MeiliTaskTimeout = r.duration("MEILI_TASK_TIMEOUT", time.Minute)
	return s
}

// validIndexUID reports whether s is a Meilisearch index uid that leaves
// room for the rebuild's "_tmp_<timestamp>" suffix.
func validIndexUID(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func readAuth(r *reader, env, httpAddr string) Auth {
	var a Auth
	mem, iter := 19*1024, 2
	if env == EnvTest {
		mem, iter = 256, 1
	}
	a.Argon2MemoryKiB = r.intRange("ARGON2_MEMORY_KIB", mem, 64, 4<<20)
	a.Argon2Time = r.intRange("ARGON2_TIME", iter, 1, 100)
	a.Argon2Threads = r.intRange("ARGON2_THREADS", 1, 1, 64)
	a.PasswordMinLength = r.intRange("PASSWORD_MIN_LENGTH", 8, 6, 64)
	a.SessionTTL = r.duration("SESSION_TTL", 30*24*time.Hour)
	a.SessionIdleTTL = r.duration("SESSION_IDLE_TTL", 7*24*time.Hour)
	if a.SessionIdleTTL > a.SessionTTL {
		r.fail("SESSION_IDLE_TTL", a.SessionIdleTTL.String(), "want at most SESSION_TTL")
	}
	a.ResetTTL = r.duration("PASSWORD_RESET_TTL", time.Hour)
	a.LoginLinkTTL = r.duration("LOGIN_LINK_TTL", 15*time.Minute)
	a.CookieSecure = r.boolean("COOKIE_SECURE", env == EnvProduction)
	if env == EnvProduction {
		a.PublicOrigin = r.origin("PUBLIC_ORIGIN", "")
		a.Origins = []string{a.PublicOrigin}
	} else {
		local := localOrigins(httpAddr)
		def := "http://localhost:8080"
		if len(local) > 0 {
			def = local[0]
		}
		a.PublicOrigin = r.origin("PUBLIC_ORIGIN", def)
		a.Origins = []string{a.PublicOrigin}
		for _, o := range local {
			if o != a.PublicOrigin {
				a.Origins = append(a.Origins, o)
			}
		}
	}
	a.LoginLimitAccount = r.positiveInt("LOGIN_LIMIT_ACCOUNT", 5)
	a.LoginLimitAccountAll = r.positiveInt("LOGIN_LIMIT_ACCOUNT_ALL", 50)
	a.LoginLimitIP = r.positiveInt("LOGIN_LIMIT_IP", 30)
	a.ResetLimitAccount = r.positiveInt("RESET_LIMIT_ACCOUNT", 3)
	a.ResetLimitIP = r.positiveInt("RESET_LIMIT_IP", 10)
	a.LimitWindow = r.duration("LIMIT_WINDOW", 15*time.Minute)
	a.LimitBackoff = r.duration("LIMIT_BACKOFF", 30*time.Second)
	a.LimitBackoffMax = r.duration("LIMIT_BACKOFF_MAX", time.Hour)
	return a
}

// localOrigins are the origins of a server listening on addr as a browser
// on the same machine names it: localhost first, then the loopback
// addresses, then the host of addr when it names one. None when the port
// is chosen at listen time (":0").
func localOrigins(addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return nil
	}
	origins := []string{"http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		if o := "http://" + strings.ToLower(net.JoinHostPort(host, port)); !slices.Contains(origins, o) {
			origins = append(origins, o)
		}
	}
	return origins
}

func readMail(r *reader, env string) Mail {
	var m Mail
	if env == EnvProduction {
		m.Mailer = r.oneOf("MAILER", MailerSMTP, MailerSMTP)
	} else {
		m.Mailer = r.oneOf("MAILER", MailerDev, MailerDev, MailerSMTP)
	}
	if m.Mailer == MailerSMTP {
		m.SMTPAddr = r.addr("SMTP_ADDR", "")
		if m.SMTPAddr == "" && r.err == nil {
			r.err = fmt.Errorf("config: SMTP_ADDR is required with MAILER=smtp")
		}
	}
	m.SMTPUsername, _ = r.get("SMTP_USERNAME")
	m.SMTPPassword, _ = r.get("SMTP_PASSWORD")
	m.From = r.mailbox("MAIL_FROM", "HTX Market <no-reply@htxmarket.vn>")
	return m
}

// Masked returns key/value pairs for logging the configuration, with the
// passwords and keys hidden.
func (c Config) Masked() []any {
	return []any{
		"env", c.Env,
		"http_addr", c.HTTP.Addr,
		"trusted_proxies", strings.Join(c.HTTP.TrustedProxies, ","),
		"worker_addr", c.WorkerAddr,
		"outbox_max_attempts", c.OutboxMaxAttempts,
		"database_url", MaskURL(c.DB.URL),
		"db_max_open_conns", c.DB.MaxOpenConns,
		"auto_migrate", c.AutoMigrate,
		"log_level", c.LogLevel,
		"public_origin", c.Auth.PublicOrigin,
		"origins", strings.Join(c.Auth.Origins, " "),
		"cookie_secure", c.Auth.CookieSecure,
		"argon2", fmt.Sprintf("m=%d,t=%d,p=%d", c.Auth.Argon2MemoryKiB, c.Auth.Argon2Time, c.Auth.Argon2Threads),
		"session_ttl", c.Auth.SessionTTL.String(),
		"session_idle_ttl", c.Auth.SessionIdleTTL.String(),
		"catalog_cache_ttl", c.CatalogCacheTTL.String(),
		"storage_dir", c.Media.StorageDir,
		"image_max_bytes", c.Media.ImageMaxBytes,
		"image_decode_budget", c.Media.ImageDecodeBudget,
		"mailer", c.Mail.Mailer,
		"smtp_addr", c.Mail.SMTPAddr,
		"smtp_username", c.Mail.SMTPUsername,
		"smtp_password", mask(c.Mail.SMTPPassword),
		"meili_url", MaskURL(c.Search.MeiliURL),
		"meili_api_key", mask(c.Search.MeiliAPIKey),
		"meili_index", c.Search.MeiliIndex,
		"commission_bps", c.Buying.CommissionBPS,
		"stripe_secret_key", mask(c.Buying.StripeSecretKey),
		"stripe_webhook_secret", mask(c.Buying.StripeWebhookSecret),
		"stripe_api_url", c.Buying.StripeAPIURL,
		"bank_webhook_secret", mask(c.Buying.BankWebhookSecret),
	}
}

// mask shows only whether a secret is set.
func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "xxxxx"
}

// MaskURL hides the password of a URL.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// reader keeps the first error, so Load stays a flat list of settings.
type reader struct {
	lookup func(string) (string, bool)
	err    error
}

func (r *reader) get(name string) (string, bool) {
	v, ok := r.lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (r *reader) fail(name, value, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("config: %s=%q is invalid: %s", name, value, want)
	}
}

func (r *reader) str(name, def string) string {
	if v, ok := r.get(name); ok {
		return v
	}
	return def
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, v, "want one of "+strings.Join(allowed, ", "))
	return def
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, v, "want a positive duration such as 10s or 2m")
		return def
	}
	return d
}

// durationOrZero is duration where 0 (turning something off) is allowed.
func (r *reader) durationOrZero(name string, def time.Duration) time.Duration {
	if v, ok := r.get(name); ok {
		if d, err := time.ParseDuration(v); err == nil && d == 0 {
			return 0
		}
	}
	return r.duration(name, def)
}

func (r *reader) positiveInt(name string, def int) int {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.fail(name, v, "want a positive whole number")
		return def
	}
	return n
}

func (r *reader) intRange(name string, def, lo, hi int) int {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, v, fmt.Sprintf("want a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, v, "want true or false")
		return def
	}
	return b
}

func (r *reader) addr(name, def string) string {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	_, port, err := net.SplitHostPort(v)
	if err == nil {
		var p int
		p, err = strconv.Atoi(port)
		if err == nil && (p < 0 || p > 65535) {
			err = fmt.Errorf("port out of range")
		}
	}
	if err != nil {
		r.fail(name, v, "want host:port such as :8080 or 127.0.0.1:8080")
		return def
	}
	return v
}

// networks reads a comma-separated list of IP addresses and CIDR networks
// (10.0.0.1, 10.0.0.0/8, fd00::/8); nothing set is an empty list.
func (r *reader) networks(name string) []string {
	v, ok := r.get(name)
	if !ok {
		return nil
	}
	var out []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if _, err := netip.ParseAddr(part); err != nil {
			if _, err := netip.ParsePrefix(part); err != nil {
				r.fail(name, v, fmt.Sprintf("%q is neither an IP address nor a CIDR network such as 10.0.0.0/8", part))
				return nil
			}
		}
		out = append(out, part)
	}
	return out
}

// addrOrOff is addr where a variable set to nothing (WORKER_ADDR=) turns
// the listener off.
func (r *reader) addrOrOff(name, def string) string {
	if v, ok := r.lookup(name); ok && strings.TrimSpace(v) == "" {
		return ""
	}
	return r.addr(name, def)
}

// origin reads scheme://host[:port] with nothing after it, as browsers send
// in the Origin header.
func (r *reader) origin(name, def string) string {
	v, ok := r.get(name)
	if !ok {
		if def == "" && r.err == nil {
			r.err = fmt.Errorf("config: %s is required in production", name)
		}
		return def
	}
	v = strings.TrimSuffix(v, "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		r.fail(name, v, "want scheme://host[:port] such as https://htxmarket.vn")
		return def
	}
	return strings.ToLower(v)
}

func (r *reader) mailbox(name, def string) string {
	v, ok := r.get(name)
	if !ok {
		return def
	}
	if _, err := mail.ParseAddress(v); err != nil {
		r.fail(name, v, "want an address such as HTX Market <no-reply@example.vn>")
		return def
	}
	return v
}

func (r *reader) postgresURL(name, def string) string {
	v, ok := r.get(name)
	if !ok {
		if def == "" {
			if r.err == nil {
				r.err = fmt.Errorf("config: %s is required in production", name)
			}
		}
		return def
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" || strings.Trim(u.Path, "/") == "" {
		r.fail(name, MaskURL(v), "want postgres://user@host:port/dbname")
		return def
	}
	return v
}
