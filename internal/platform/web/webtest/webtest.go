// Package webtest drives a Fiber application in tests through app.Test, with
// its real middleware, and checks every response of a documented route
// against the OpenAPI document: the document stays true because every test
// that calls the API checks it.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

// Client sends requests to a Fiber app and validates the responses.
type Client struct {
	t      testing.TB
	app    *fiber.App
	doc    *openapi3.T
	router routers.Router
	// Header is sent with every request (e.g. Authorization).
	Header http.Header
}

// New returns a client for app checked against the OpenAPI document spec
// (YAML or JSON).
func New(t testing.TB, app *fiber.App, spec []byte) *Client {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		t.Fatalf("webtest: load OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("webtest: invalid OpenAPI document: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("webtest: router: %v", err)
	}
	return &Client{t: t, app: app, doc: doc, router: router, Header: http.Header{}}
}

// Response is a buffered response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("webtest: decode %q: %v", r.Body, err)
	}
}

// Problem decodes a problem+json body, failing the test when the response
// is not one.
func (r *Response) Problem(t testing.TB) web.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != web.ProblemContentType {
		t.Fatalf("webtest: want %s, got %q (status %d, body %s)", web.ProblemContentType, ct, r.Status, r.Body)
	}
	var p web.Problem
	r.JSON(t, &p)
	if p.Status != r.Status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Fatalf("webtest: incomplete problem for status %d: %+v", r.Status, p)
	}
	return p
}

// Get sends a GET request.
func (c *Client) Get(path string) *Response {
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

// JSON sends body encoded as JSON with method.
func (c *Client) JSON(method, path string, body any) *Response {
	c.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		c.t.Fatalf("webtest: encode body: %v", err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return c.Do(req)
}

// Do sends req and, when it matches a documented route, validates the
// response against the document. A response to an /api route that the
// document does not describe fails the test, unless it is a 404 or 405.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	for k, vs := range c.Header {
		if req.Header.Get(k) == "" {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	}
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := c.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("webtest: %s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		c.t.Fatalf("webtest: read body: %v", err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: body}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	c.validate(req, out)
	return out
}

func (c *Client) validate(req *http.Request, res *Response) {
	c.t.Helper()
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	probe := req.Clone(context.Background())
	probe.URL = &u
	route, params, err := c.router.FindRoute(probe)
	if err != nil {
		documented := strings.HasPrefix(req.URL.Path, "/api/")
		if documented && res.Status != http.StatusNotFound && res.Status != http.StatusMethodNotAllowed {
			c.t.Errorf("webtest: %s %s answered %d but is not in the OpenAPI document", req.Method, req.URL.Path, res.Status)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.Status,
		Header: res.Header,
		Body:   io.NopCloser(bytes.NewReader(res.Body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true, // an undocumented status is an error
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.t.Errorf("webtest: %s %s → %d does not match the OpenAPI document: %v\nbody: %s",
			req.Method, req.URL.Path, res.Status, err, truncate(res.Body))
	}
}

// Paths returns the documented "METHOD /path" pairs, for tests that compare
// the document with the routes the app registers.
func (c *Client) Paths() map[string]bool {
	out := map[string]bool{}
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out[method+" "+path] = true
		}
	}
	return out
}

func truncate(b []byte) string {
	if len(b) > 500 {
		return string(b[:500]) + "…"
	}
	return string(b)
}
