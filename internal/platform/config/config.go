// Package config reads the program's settings from environment variables,
// once, at start-up. Every variable has a documented default; a malformed
// value stops the program with one line naming the variable.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
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
}

// DB holds the PostgreSQL connection settings.
type DB struct {
	URL             string        // DATABASE_URL
	MaxOpenConns    int           // DB_MAX_OPEN_CONNS
	MaxIdleConns    int           // DB_MAX_IDLE_CONNS
	ConnMaxLifetime time.Duration // DB_CONN_MAX_LIFETIME
	ConnMaxIdleTime time.Duration // DB_CONN_MAX_IDLE_TIME
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
	return c, r.err
}

// Masked returns key/value pairs for logging the configuration, with the
// database password hidden.
func (c Config) Masked() []any {
	return []any{
		"env", c.Env,
		"http_addr", c.HTTP.Addr,
		"database_url", MaskURL(c.DB.URL),
		"db_max_open_conns", c.DB.MaxOpenConns,
		"auto_migrate", c.AutoMigrate,
		"log_level", c.LogLevel,
	}
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
