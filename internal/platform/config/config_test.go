package config

import (
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
}

func TestProductionDefaults(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{
		"APP_ENV":      "production",
		"DATABASE_URL": "postgres://app:secret@db:5432/htx",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AutoMigrate || c.LogFormat != "json" {
		t.Fatalf("production must default to JSON logs and no auto-migrate: %+v", c)
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
	bad := "postgres://app:s3cret@db:5432"
	_, err := FromLookup(lookup(map[string]string{"DATABASE_URL": bad}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error must name the variable without the password: %v", err)
	}
}
