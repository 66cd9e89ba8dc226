package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := FromLookup(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != ":8080" || c.Env != EnvDevelopment || c.DB.URL != DefaultDatabaseURL {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if !c.AutoMigrate || c.LogFormat != "text" || c.HTTP.ShutdownTimeout != 15*time.Second {
		t.Fatalf("unexpected development defaults: %+v", c)
	}
	if c.Media.StorageDir != ".data/media" || c.Media.ImageMaxBytes != 8<<20 {
		t.Fatalf("unexpected media defaults: %+v", c.Media)
	}
}

func TestMedia(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Media
	}{
		{"set", map[string]string{"STORAGE_DIR": "/srv/media", "IMAGE_MAX_BYTES": "1048576", "IMAGE_DECODE_BUDGET": "134217728"},
			Media{"/srv/media", 1 << 20, 128 << 20}},
		// The whole form must fit the body limit, so the default follows a
		// smaller one.
		{"small body limit", map[string]string{"HTTP_BODY_LIMIT": "65536"}, Media{".data/media", 65536, 256 << 20}},
		{"large body limit", map[string]string{"HTTP_BODY_LIMIT": "67108864"}, Media{".data/media", 8 << 20, 256 << 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Media != tt.want {
				t.Fatalf("got %+v, want %+v", c.Media, tt.want)
			}
		})
	}
}

func TestCatalogCacheTTL(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want time.Duration
	}{
		{"default", nil, 5 * time.Second},
		{"set", map[string]string{"CATALOG_CACHE_TTL": "30s"}, 30 * time.Second},
		{"off", map[string]string{"CATALOG_CACHE_TTL": "0"}, 0},
		{"off with a unit", map[string]string{"CATALOG_CACHE_TTL": "0s"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.CatalogCacheTTL != tt.want {
				t.Fatalf("CatalogCacheTTL = %v, want %v", c.CatalogCacheTTL, tt.want)
			}
		})
	}
}

func TestWorkerAddr(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"default", nil, ":9090"},
		{"set", map[string]string{"WORKER_ADDR": "127.0.0.1:9100"}, "127.0.0.1:9100"},
		{"any free port", map[string]string{"WORKER_ADDR": "127.0.0.1:0"}, "127.0.0.1:0"},
		{"empty turns it off", map[string]string{"WORKER_ADDR": ""}, ""},
		{"blank turns it off", map[string]string{"WORKER_ADDR": "  "}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.WorkerAddr != tt.want {
				t.Fatalf("WorkerAddr = %q, want %q", c.WorkerAddr, tt.want)
			}
		})
	}
}

func TestProductionDefaults(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{
		"APP_ENV":       "production",
		"DATABASE_URL":  "postgres://app:secret@db:5432/htx",
		"PUBLIC_ORIGIN": "https://htxmarket.vn",
		"SMTP_ADDR":     "smtp.example.vn:587",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AutoMigrate || c.LogFormat != "json" {
		t.Fatalf("production must default to JSON logs and no auto-migrate: %+v", c)
	}
}

func TestAuthAndMailDefaults(t *testing.T) {
	prod := map[string]string{
		"APP_ENV":       "production",
		"DATABASE_URL":  "postgres://app:secret@db:5432/htx",
		"PUBLIC_ORIGIN": "https://HTXMarket.vn/",
		"SMTP_ADDR":     "smtp.example.vn:587",
	}
	tests := []struct {
		name string
		env  map[string]string
		want func(c Config) bool
	}{
		{"development", nil, func(c Config) bool {
			return !c.Auth.CookieSecure && c.Auth.PublicOrigin == "http://localhost:8080" &&
				c.Mail.Mailer == MailerDev && c.Auth.Argon2MemoryKiB == 19*1024 && c.Auth.Argon2Time == 2 &&
				c.Auth.Argon2Threads == 1 && c.Auth.SessionIdleTTL < c.Auth.SessionTTL
		}},
		{"test is cheap", map[string]string{"APP_ENV": "test"}, func(c Config) bool {
			return c.Auth.Argon2MemoryKiB < 1024 && c.Auth.Argon2Time == 1
		}},
		{"production", prod, func(c Config) bool {
			return c.Auth.CookieSecure && c.Auth.PublicOrigin == "https://htxmarket.vn" &&
				c.Mail.Mailer == MailerSMTP && c.Mail.SMTPAddr == "smtp.example.vn:587"
		}},
		{"overrides", map[string]string{"ARGON2_MEMORY_KIB": "65536", "ARGON2_TIME": "1", "ARGON2_THREADS": "4",
			"SESSION_IDLE_TTL": "1h", "LOGIN_LIMIT_ACCOUNT": "3", "COOKIE_SECURE": "true"}, func(c Config) bool {
			return c.Auth.Argon2MemoryKiB == 65536 && c.Auth.Argon2Threads == 4 && c.Auth.SessionIdleTTL == time.Hour &&
				c.Auth.LoginLimitAccount == 3 && c.Auth.CookieSecure
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(c) {
				t.Fatalf("unexpected settings: %+v %+v", c.Auth, c.Mail)
			}
		})
	}
}

// TestOrigins: outside production the site accepts writes from the
// address it is reached at (its port on localhost, 127.0.0.1 and [::1]),
// whatever HTTP_ADDR says; production accepts PUBLIC_ORIGIN alone.
func TestOrigins(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantPublic string
		want       []string
	}{
		{"development", nil, "http://localhost:8080",
			[]string{"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"}},
		{"another port", map[string]string{"HTTP_ADDR": ":3000"}, "http://localhost:3000",
			[]string{"http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"}},
		{"loopback address", map[string]string{"HTTP_ADDR": "127.0.0.1:8081"}, "http://localhost:8081",
			[]string{"http://localhost:8081", "http://127.0.0.1:8081", "http://[::1]:8081"}},
		{"an address of the network", map[string]string{"HTTP_ADDR": "192.168.1.20:8080"}, "http://localhost:8080",
			[]string{"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "http://192.168.1.20:8080"}},
		{"a host name", map[string]string{"HTTP_ADDR": "HTX.local:8080"}, "http://localhost:8080",
			[]string{"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "http://htx.local:8080"}},
		{"public origin first", map[string]string{"PUBLIC_ORIGIN": "https://dev.htx.vn", "HTTP_ADDR": ":8080"}, "https://dev.htx.vn",
			[]string{"https://dev.htx.vn", "http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"}},
		{"public origin among them", map[string]string{"PUBLIC_ORIGIN": "http://127.0.0.1:8080"}, "http://127.0.0.1:8080",
			[]string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"}},
		{"test", map[string]string{"APP_ENV": "test", "HTTP_ADDR": ":9000"}, "http://localhost:9000",
			[]string{"http://localhost:9000", "http://127.0.0.1:9000", "http://[::1]:9000"}},
		{"port chosen at listen time", map[string]string{"HTTP_ADDR": "127.0.0.1:0"}, "http://localhost:8080",
			[]string{"http://localhost:8080"}},
		{"production is strict", map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://x@h:5432/db",
			"PUBLIC_ORIGIN": "https://HTXMarket.vn", "SMTP_ADDR": "smtp.x.vn:587", "HTTP_ADDR": ":8080"},
			"https://htxmarket.vn", []string{"https://htxmarket.vn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Auth.PublicOrigin != tt.wantPublic {
				t.Errorf("PublicOrigin = %q, want %q", c.Auth.PublicOrigin, tt.wantPublic)
			}
			if !slices.Equal(c.Auth.Origins, tt.want) {
				t.Errorf("Origins = %q, want %q", c.Auth.Origins, tt.want)
			}
		})
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad addr", map[string]string{"HTTP_ADDR": "8080"}, `HTTP_ADDR="8080" is invalid`},
		{"bad port", map[string]string{"HTTP_ADDR": ":99999"}, `HTTP_ADDR=":99999" is invalid`},
		{"bad duration", map[string]string{"HTTP_READ_TIMEOUT": "ten"}, `HTTP_READ_TIMEOUT="ten" is invalid`},
		{"negative duration", map[string]string{"SHUTDOWN_TIMEOUT": "-1s"}, "SHUTDOWN_TIMEOUT"},
		{"bad int", map[string]string{"DB_MAX_OPEN_CONNS": "0"}, "DB_MAX_OPEN_CONNS"},
		{"bad env", map[string]string{"APP_ENV": "prod"}, `APP_ENV="prod" is invalid: want one of development, production, test`},
		{"bad bool", map[string]string{"AUTO_MIGRATE": "maybe"}, "AUTO_MIGRATE"},
		{"bad db scheme", map[string]string{"DATABASE_URL": "mysql://x@h/db"}, "DATABASE_URL"},
		{"db without name", map[string]string{"DATABASE_URL": "postgres://x@h:5432"}, "DATABASE_URL"},
		{"missing db in production", map[string]string{"APP_ENV": "production"}, "DATABASE_URL is required in production"},
		{"missing origin in production", map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://x@h:5432/db"}, "PUBLIC_ORIGIN is required in production"},
		{"origin with a path", map[string]string{"PUBLIC_ORIGIN": "https://htx.vn/app"}, "PUBLIC_ORIGIN"},
		{"origin without scheme", map[string]string{"PUBLIC_ORIGIN": "htx.vn"}, "PUBLIC_ORIGIN"},
		{"smtp without address", map[string]string{"MAILER": "smtp"}, "SMTP_ADDR is required with MAILER=smtp"},
		{"dev mailer in production", map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://x@h:5432/db",
			"PUBLIC_ORIGIN": "https://htx.vn", "MAILER": "dev"}, `MAILER="dev" is invalid`},
		{"argon2 memory too small", map[string]string{"ARGON2_MEMORY_KIB": "8"}, "ARGON2_MEMORY_KIB"},
		{"idle longer than session", map[string]string{"SESSION_TTL": "1h", "SESSION_IDLE_TTL": "2h"}, "SESSION_IDLE_TTL"},
		{"bad sender", map[string]string{"MAIL_FROM": "not an address"}, "MAIL_FROM"},
		{"bad cache ttl", map[string]string{"CATALOG_CACHE_TTL": "5"}, `CATALOG_CACHE_TTL="5" is invalid`},
		{"negative cache ttl", map[string]string{"CATALOG_CACHE_TTL": "-5s"}, "CATALOG_CACHE_TTL"},
		{"bad worker addr", map[string]string{"WORKER_ADDR": "9090"}, `WORKER_ADDR="9090" is invalid`},
		{"bad worker port", map[string]string{"WORKER_ADDR": ":70000"}, "WORKER_ADDR"},
		{"bad image limit", map[string]string{"IMAGE_MAX_BYTES": "8MB"}, `IMAGE_MAX_BYTES="8MB" is invalid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromLookup(lookup(tt.env))
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error must be one line: %q", err)
			}
		})
	}
}

func TestMaskHidesPassword(t *testing.T) {
	got := MaskURL("postgres://app:s3cret@db:5432/htx")
	if strings.Contains(got, "s3cret") {
		t.Fatalf("password leaked: %s", got)
	}
	c, err := FromLookup(lookup(map[string]string{"MAILER": "smtp", "SMTP_ADDR": "smtp.x.vn:587", "SMTP_PASSWORD": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fmt.Sprint(c.Masked()...), "s3cret") {
		t.Fatalf("SMTP password leaked: %v", c.Masked())
	}
	bad := "postgres://app:s3cret@db:5432"
	_, err = FromLookup(lookup(map[string]string{"DATABASE_URL": bad}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error must name the variable without the password: %v", err)
	}
}

func TestSearch(t *testing.T) {
	prod := func(extra map[string]string) map[string]string {
		env := map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://x@h:5432/db",
			"PUBLIC_ORIGIN": "https://htx.vn", "SMTP_ADDR": "smtp.x.vn:587"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    Search
		wantErr string
	}{
		{name: "default: postgres only", want: Search{MeiliIndex: "products", MeiliTimeout: 2 * time.Second, MeiliTaskTimeout: time.Minute, CacheTTL: 2 * time.Second}},
		{name: "search cache off", env: map[string]string{"SEARCH_CACHE_TTL": "0"},
			want: Search{MeiliIndex: "products", MeiliTimeout: 2 * time.Second, MeiliTaskTimeout: time.Minute}},
		{name: "meili", env: map[string]string{"MEILI_URL": "http://meilisearch:7700/", "MEILI_API_KEY": "k3y",
			"MEILI_INDEX": "products_staging", "MEILI_TIMEOUT": "500ms", "MEILI_TASK_TIMEOUT": "5m"},
			want: Search{MeiliURL: "http://meilisearch:7700", MeiliAPIKey: "k3y", MeiliIndex: "products_staging",
				MeiliTimeout: 500 * time.Millisecond, MeiliTaskTimeout: 5 * time.Minute, CacheTTL: 2 * time.Second}},
		{name: "production with key", env: prod(map[string]string{"MEILI_URL": "https://search.htx.vn", "MEILI_API_KEY": "k"}),
			want: Search{MeiliURL: "https://search.htx.vn", MeiliAPIKey: "k", MeiliIndex: "products", MeiliTimeout: 2 * time.Second, MeiliTaskTimeout: time.Minute, CacheTTL: 2 * time.Second}},
		{name: "bad scheme", env: map[string]string{"MEILI_URL": "meilisearch:7700"}, wantErr: "MEILI_URL"},
		{name: "credentials in url", env: map[string]string{"MEILI_URL": "http://u:s3cret@meili:7700"}, wantErr: "MEILI_URL"},
		{name: "bad index", env: map[string]string{"MEILI_INDEX": "sản phẩm"}, wantErr: "MEILI_INDEX"},
		{name: "bad timeout", env: map[string]string{"MEILI_TIMEOUT": "0"}, wantErr: "MEILI_TIMEOUT"},
		{name: "production without key", env: prod(map[string]string{"MEILI_URL": "http://meili:7700"}),
			wantErr: "MEILI_API_KEY is required in production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "s3cret") {
					t.Fatalf("error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Search != tt.want {
				t.Fatalf("Search = %+v, want %+v", c.Search, tt.want)
			}
		})
	}
}

func TestMaskHidesMeiliKey(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{"MEILI_URL": "http://meili:7700", "MEILI_API_KEY": "s3cret-key"}))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(c.Masked()...)
	if strings.Contains(got, "s3cret-key") || !strings.Contains(got, "http://meili:7700") {
		t.Fatalf("Masked() = %v", got)
	}
}

func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    []string
		wantErr bool
	}{
		{"none by default", nil, nil, false},
		{"addresses and networks", map[string]string{"TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16,fd00::/8"},
			[]string{"10.0.0.1", "10.1.0.0/16", "fd00::/8"}, false},
		{"a host name", map[string]string{"TRUSTED_PROXIES": "proxy.local"}, nil, true},
		{"a bad network", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromLookup(lookup(tt.env))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
			if err == nil && !slices.Equal(c.HTTP.TrustedProxies, tt.want) {
				t.Fatalf("TrustedProxies = %q, want %q", c.HTTP.TrustedProxies, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
				t.Fatalf("the error does not name the variable: %v", err)
			}
		})
	}
}
