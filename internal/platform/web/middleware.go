package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

const (
	// HeaderRequestID carries the request ID in both directions.
	HeaderRequestID = "X-Request-ID"
	localRequestID  = "request_id"
	localRoute      = "metrics_route"
	localClientIP   = "client_ip"
)

// RequestID returns the ID of the current request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// RequestIDMiddleware keeps a well-formed incoming X-Request-ID (from a
// proxy) or makes a new one, and echoes it in the response.
func RequestIDMiddleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Get(HeaderRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Locals(localRequestID, id)
		c.Set(HeaderRequestID, id)
		return c.Next()
	}
}

func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ClientIP returns the caller's address, as RealIP found it: the peer's,
// or the one a trusted proxy forwarded.
func ClientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(localClientIP).(string); ok {
		return ip
	}
	return peerAddr(c).String()
}

// RealIP finds the client's address for ClientIP. A request from one of
// the trusted proxies (IP addresses and CIDR networks) is forwarded: its
// X-Forwarded-For lists the addresses it came through, each proxy adding
// the one it saw on the right, and the client is the first address from
// the right that is not a trusted proxy. Anything left of it was written
// by the client, who may write what it likes there; a request from any
// other peer is the client's own.
func RealIP(trusted []string) (fiber.Handler, error) {
	var nets []netip.Prefix
	for _, t := range trusted {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			a, aerr := netip.ParseAddr(t)
			if aerr != nil {
				return nil, fmt.Errorf("web: trusted proxy %q: %w", t, err)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		nets = append(nets, p.Masked())
	}
	isTrusted := func(a netip.Addr) bool {
		for _, n := range nets {
			if n.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(c *fiber.Ctx) error {
		client := peerAddr(c)
		if len(nets) > 0 && isTrusted(client) {
			client = forwardedFor(c, client, isTrusted)
		}
		c.Locals(localClientIP, client.String())
		return c.Next()
	}, nil
}

// forwardedFor walks X-Forwarded-For from the right, from the trusted
// peer, to the first address that is not a trusted proxy. A malformed
// entry stops the walk: the last trusted hop is then the client.
func forwardedFor(c *fiber.Ctx, peer netip.Addr, isTrusted func(netip.Addr) bool) netip.Addr {
	var hops []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(v), ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		client = a
		if !isTrusted(a) {
			break
		}
	}
	return client
}

// parseHop reads an address of X-Forwarded-For, with or without a port.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func peerAddr(c *fiber.Ctx) netip.Addr {
	a, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return a.Unmap()
}

// HTTPMetrics are the Prometheus collectors of the HTTP server.
type HTTPMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewHTTPMetrics registers request count and latency by route on reg.
func NewHTTPMetrics(reg prometheus.Registerer) *HTTPMetrics {
	m := &HTTPMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "htxmarket_http_requests_total",
			Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "htxmarket_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// SetRoute names the route of the current request for metrics and logs, for
// handlers mounted with Use whose pattern says nothing (the SPA fallback).
func SetRoute(c *fiber.Ctx, name string) { c.Locals(localRoute, name) }

// Observe is the outermost middleware after the request ID: it renders errors
// returned by the chain through the app's ErrorHandler (so that it sees the
// final status), writes one access-log line and records metrics.
func Observe(log *slog.Logger, m *HTTPMetrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		elapsed := time.Since(start)
		status := c.Response().StatusCode()
		route, _ := c.Locals(localRoute).(string)
		if route == "" {
			route = c.Route().Path
			if status == fiber.StatusNotFound || status == fiber.StatusMethodNotAllowed {
				route = "unmatched" // keeps label cardinality bounded
			}
		}
		if m != nil {
			m.requests.WithLabelValues(c.Method(), route, strconv.Itoa(status)).Inc()
			m.latency.WithLabelValues(c.Method(), route).Observe(elapsed.Seconds())
		}
		level := slog.LevelInfo
		switch {
		case status == fiber.StatusServiceUnavailable:
			// A dependency is down: its rule logs the outage once, and
			// every refused request is not an error of its own.
			level = slog.LevelWarn
		case status >= 500:
			level = slog.LevelError
		case route == "/healthz" || route == "/readyz" || route == "/metrics":
			level = slog.LevelDebug
		}
		log.LogAttrs(c.UserContext(), level, "request",
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int("bytes", len(c.Response().Body())),
			slog.String("ip", ClientIP(c)),
			slog.String("request_id", RequestID(c)),
		)
		return nil
	}
}

// Recover turns a panic in a handler into a 500 problem, logging the panic
// and its stack once.
func Recover(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(c.UserContext(), "panic", "panic", fmt.Sprint(r),
					"request_id", RequestID(c), "path", c.Path(), "stack", string(debug.Stack()))
				err = errPanic
			}
		}()
		return c.Next()
	}
}

// SecurityHeaders sets the headers every response carries. The content
// security policy allows only the application's own scripts and styles.
func SecurityHeaders(secure bool) fiber.Handler { return SecurityHeadersWith(secure, CSPSources{}) }

// CSPSources are third-party origins the Content-Security-Policy admits
// besides the site's own: a card processor's script, frames and API.
type CSPSources struct {
	Script, Frame, Connect []string
}

// SecurityHeadersWith is SecurityHeaders admitting extra sources.
func SecurityHeadersWith(secure bool, extra CSPSources) fiber.Handler {
	with := func(base string, more []string) string {
		for _, m := range more {
			base += " " + m
		}
		return base
	}
	csp := "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
		with("script-src 'self'", extra.Script) + "; " + with("connect-src 'self'", extra.Connect) + "; " +
		with("frame-src 'self'", extra.Frame) + "; font-src 'self' data:; object-src 'none'; " +
		"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(c *fiber.Ctx) error {
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		c.Set("Content-Security-Policy", csp)
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if secure {
			c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return c.Next()
	}
}
