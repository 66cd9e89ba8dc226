// Package web holds the HTTP foundations shared by every domain: RFC 9457
// problem+json errors, the one table that maps errors to statuses, JSON
// decoding with field errors, request IDs, access logs, panic recovery,
// security headers and serving the single-page application.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// ProblemContentType is the media type of every error response.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem details object. Detail is always readable
// by a Vietnamese user.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError says what is wrong with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every bad field of a request. Services return it so
// that the user can correct everything at once.
type ValidationError struct {
	Fields []FieldError
}

// Add records a problem with field.
func (v *ValidationError) Add(field, message string) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: message})
}

// Check records message for field when ok is false.
func (v *ValidationError) Check(ok bool, field, message string) {
	if !ok {
		v.Add(field, message)
	}
}

// Err returns v when it holds any field error, else nil.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "dữ liệu không hợp lệ: " + strings.Join(parts, "; ")
}

// Rule maps an error (matched with errors.Is) to a problem. Detail is the
// sentinel's own message unless Detail is set.
type Rule struct {
	Err error
	// Match, when set instead of Err, recognises errors that no sentinel
	// names, such as a driver's connection errors; Detail is then required.
	Match  func(error) bool
	Status int
	Type   string // short slug, e.g. "not-found"
	Detail string
	// RetryAfter, when set, tells the client when to try again (the
	// Retry-After header, in whole seconds).
	RetryAfter time.Duration
	// LogEvery, when set, logs the errors of this rule, which are expected
	// while a dependency is down, at most once per interval, with how many
	// requests they answered meanwhile: an outage is reported once, not
	// once per request.
	LogEvery time.Duration
}

func (r Rule) matches(err error) bool {
	if r.Match != nil {
		return r.Match(err)
	}
	return errors.Is(err, r.Err)
}

// rateLog logs at most once per interval.
type rateLog struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// allow reports whether to log now and how many calls were suppressed
// since the last line.
func (l *rateLog) allow(now time.Time, every time.Duration) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < every {
		l.suppressed++
		return false, 0
	}
	n := l.suppressed
	l.last, l.suppressed = now, 0
	return true, n
}

// TypeURI turns a problem slug into the problem's type URI.
func TypeURI(slug string) string { return "/problems/" + slug }

// DetailError is an error whose Vietnamese message is shown to the user as
// the problem's detail while it still matches its sentinel with errors.Is:
// web.Detail(ErrBadImport, "dòng 7: giá không hợp lệ").
type DetailError struct {
	Sentinel error
	Message  string
}

func (e *DetailError) Error() string { return e.Message }
func (e *DetailError) Unwrap() error { return e.Sentinel }

// Detail wraps sentinel with a message for the user.
func Detail(sentinel error, format string, args ...any) error {
	return &DetailError{Sentinel: sentinel, Message: fmt.Sprintf(format, args...)}
}

// Errors that the platform itself raises.
var (
	ErrInvalidJSON        = errors.New("dữ liệu JSON không hợp lệ")
	ErrUnsupportedMedia   = errors.New("nội dung phải có kiểu application/json")
	ErrInternal           = errors.New("đã có lỗi ở máy chủ, vui lòng thử lại sau")
	errPanic              = errors.New("panic")
	ErrServiceUnavailable = errors.New("dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau")
)

// platformRules come before the application's rules.
var platformRules = []Rule{
	{Err: ErrInvalidJSON, Status: http.StatusBadRequest, Type: "invalid-json"},
	{Err: ErrUnsupportedMedia, Status: http.StatusUnsupportedMediaType, Type: "unsupported-media-type"},
	{Err: ErrServiceUnavailable, Status: http.StatusServiceUnavailable, Type: "service-unavailable"},
}

// statusTexts gives Vietnamese details for the statuses Fiber raises itself.
var statusTexts = map[int]struct{ slug, detail string }{
	http.StatusBadRequest:            {"bad-request", "Yêu cầu không hợp lệ."},
	http.StatusUnauthorized:          {"unauthorized", "Bạn cần đăng nhập để tiếp tục."},
	http.StatusForbidden:             {"forbidden", "Bạn không có quyền thực hiện thao tác này."},
	http.StatusNotFound:              {"not-found", "Không tìm thấy đường dẫn được yêu cầu."},
	http.StatusMethodNotAllowed:      {"method-not-allowed", "Phương thức này không được hỗ trợ ở đường dẫn này."},
	http.StatusRequestTimeout:        {"request-timeout", "Yêu cầu gửi quá chậm, vui lòng thử lại."},
	http.StatusRequestEntityTooLarge: {"payload-too-large", "Dữ liệu gửi lên quá lớn."},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", "Kiểu nội dung không được hỗ trợ."},
	http.StatusTooManyRequests:       {"too-many-requests", "Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau."},
	http.StatusServiceUnavailable:    {"service-unavailable", "Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau."},
}

// ErrorHandler renders every error as problem+json using rules, the one table
// of the application's errors. Unknown errors are logged once, with the
// request ID, and become a generic 500.
func ErrorHandler(log *slog.Logger, bodyLimit int, rules []Rule) fiber.ErrorHandler {
	all := append(append([]Rule{}, platformRules...), rules...)
	logs := make([]rateLog, len(all))
	return func(c *fiber.Ctx, err error) error {
		p, i := toProblem(c, log, bodyLimit, all, err)
		if i >= 0 {
			r := &all[i]
			if r.RetryAfter > 0 {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(max(time.Second, r.RetryAfter)/time.Second)))
			}
			if r.LogEvery > 0 {
				if ok, n := logs[i].allow(time.Now(), r.LogEvery); ok {
					log.ErrorContext(c.UserContext(), "service unavailable", "problem", r.Type, "err", err,
						"request_id", RequestID(c), "refused_since_last_report", n)
				}
			}
		}
		p.Instance = c.Path()
		p.RequestID = RequestID(c)
		if p.Status == http.StatusMethodNotAllowed {
			// Fiber does not say which methods exist; the route table does.
			if allow := allowedMethods(c); allow != "" {
				c.Set(fiber.HeaderAllow, allow)
			}
		}
		return WriteProblem(c, p)
	}
}

// WriteProblem sends p as the response.
func WriteProblem(c *fiber.Ctx, p Problem) error {
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, ProblemContentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	body, err := c.App().Config().JSONEncoder(p)
	if err != nil {
		return err
	}
	return c.Send(body)
}

// toProblem finds the problem of err, and the index of the rule that
// matched it (-1 for none).
func toProblem(c *fiber.Ctx, log *slog.Logger, bodyLimit int, rules []Rule, err error) (Problem, int) {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return Problem{Type: TypeURI("validation"), Status: http.StatusBadRequest,
			Detail: "Dữ liệu gửi lên chưa hợp lệ, vui lòng kiểm tra các trường được liệt kê.", Errors: ve.Fields}, -1
	}
	for i, r := range rules {
		if r.matches(err) {
			detail := r.Detail
			var de *DetailError
			switch {
			case r.Err != nil && errors.As(err, &de) && errors.Is(de.Sentinel, r.Err):
				detail = de.Message
			case detail == "":
				detail = upperFirst(r.Err.Error())
			}
			return Problem{Type: TypeURI(r.Type), Status: r.Status, Detail: detail}, i
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if st, ok := statusTexts[fe.Code]; ok {
			detail := st.detail
			if fe.Code == http.StatusRequestEntityTooLarge && bodyLimit > 0 {
				detail = fmt.Sprintf("Dữ liệu gửi lên quá lớn (tối đa %s).", humanBytes(bodyLimit))
			}
			return Problem{Type: TypeURI(st.slug), Status: fe.Code, Detail: detail}, -1
		}
		if fe.Code < 500 {
			return Problem{Type: "about:blank", Status: fe.Code, Detail: "Yêu cầu không thể thực hiện."}, -1
		}
	}
	if !errors.Is(err, errPanic) { // a panic was logged, with its stack, where it was caught
		log.ErrorContext(c.UserContext(), "unhandled error", "err", err, "request_id", RequestID(c),
			"method", c.Method(), "path", c.Path())
	}
	return Problem{Type: TypeURI("internal"), Status: http.StatusInternalServerError, Detail: upperFirst(ErrInternal.Error())}, -1
}

func allowedMethods(c *fiber.Ctx) string {
	var allow []string
	seen := map[string]bool{}
	for _, r := range c.App().GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == fiber.MethodConnect || seen[r.Method] {
			continue
		}
		if pathMatches(r.Path, c.Path()) {
			seen[r.Method] = true
			allow = append(allow, r.Method)
		}
	}
	return strings.Join(allow, ", ")
}

// pathMatches compares a route pattern with a path segment by segment,
// treating :params and * as wildcards.
func pathMatches(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range ps {
		if p == "*" {
			return true
		}
		if i >= len(xs) {
			return false
		}
		if !strings.HasPrefix(p, ":") && p != xs[i] {
			return false
		}
	}
	return len(ps) == len(xs)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	out := string(r)
	if !strings.HasSuffix(out, ".") {
		out += "."
	}
	return out
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}
