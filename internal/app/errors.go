package app

import (
	"net/http"
	"time"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/payment/ledger"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/storage"
	"htxmarket/internal/platform/web"
	"htxmarket/internal/search"
	"htxmarket/internal/sourcing"
	"htxmarket/internal/trace"
)

// errorRules is the one table that maps the domains' errors to HTTP
// statuses and problem types. Handlers just return errors; anything not
// listed here becomes a logged 500.
var errorRules = []web.Rule{
	{Err: geo.ErrUnknownProvince, Status: http.StatusNotFound, Type: "unknown-province"},
	{Err: geo.ErrEmptyName, Status: http.StatusBadRequest, Type: "validation"},

	{Err: auth.ErrUnauthenticated, Status: http.StatusUnauthorized, Type: "unauthorized"},
	{Err: auth.ErrForbidden, Status: http.StatusForbidden, Type: "forbidden"},
	{Err: auth.ErrNotFound, Status: http.StatusNotFound, Type: "not-found"},
	{Err: auth.ErrCSRF, Status: http.StatusForbidden, Type: "csrf"},

	{Err: identity.ErrInvalidCredentials, Status: http.StatusUnauthorized, Type: "invalid-credentials"},
	{Err: identity.ErrAccountExists, Status: http.StatusConflict, Type: "account-exists"},
	{Err: identity.ErrTooManyAttempts, Status: http.StatusTooManyRequests, Type: "too-many-attempts"},
	{Err: identity.ErrInvalidResetToken, Status: http.StatusBadRequest, Type: "invalid-reset-token"},
	{Err: identity.ErrInvalidLoginLink, Status: http.StatusBadRequest, Type: "invalid-login-link"},
	{Err: identity.ErrUserNotFound, Status: http.StatusNotFound, Type: "user-not-found"},
	{Err: identity.ErrCooperativeNotFound, Status: http.StatusNotFound, Type: "cooperative-not-found"},
	{Err: identity.ErrNotMember, Status: http.StatusNotFound, Type: "not-member"},
	{Err: identity.ErrLastAdmin, Status: http.StatusConflict, Type: "last-admin"},

	{Err: cooperative.ErrNotFound, Status: http.StatusNotFound, Type: "cooperative-not-found"},
	{Err: cooperative.ErrSlugTaken, Status: http.StatusConflict, Type: "slug-taken"},
	{Err: cooperative.ErrRegistrationTaken, Status: http.StatusConflict, Type: "registration-number-taken"},
	{Err: cooperative.ErrWrongStatus, Status: http.StatusConflict, Type: "wrong-status"},
	{Err: cooperative.ErrLastManager, Status: http.StatusConflict, Type: "last-manager"},
	{Err: cooperative.ErrNotMember, Status: http.StatusNotFound, Type: "not-member"},
	{Err: cooperative.ErrNotDelegate, Status: http.StatusNotFound, Type: "not-delegate"},
	{Err: cooperative.ErrOwnCooperative, Status: http.StatusForbidden, Type: "own-cooperative"},
	{Err: cooperative.ErrInvitationNotFound, Status: http.StatusNotFound, Type: "invitation-not-found"},
	{Err: cooperative.ErrTooManyInvitations, Status: http.StatusConflict, Type: "too-many-invitations"},
	{Err: cooperative.ErrReviewerMember, Status: http.StatusConflict, Type: "reviewer-member"},
	{Err: cooperative.ErrNotProvinceStaff, Status: http.StatusConflict, Type: "not-province-staff"},
	{Err: cooperative.ErrNoPendingChanges, Status: http.StatusConflict, Type: "no-pending-changes"},

	{Err: catalog.ErrNotFound, Status: http.StatusNotFound, Type: "product-not-found"},
	{Err: catalog.ErrVariantNotFound, Status: http.StatusNotFound, Type: "variant-not-found"},
	{Err: catalog.ErrCooperativeNotFound, Status: http.StatusNotFound, Type: "cooperative-not-found"},
	{Err: catalog.ErrDuplicateSKU, Status: http.StatusConflict, Type: "duplicate-sku"},
	{Err: catalog.ErrBadCursor, Status: http.StatusBadRequest, Type: "bad-cursor"},
	{Err: catalog.ErrBadCSV, Status: http.StatusBadRequest, Type: "bad-csv"},
	{Err: catalog.ErrImportTooLarge, Status: http.StatusRequestEntityTooLarge, Type: "import-too-large"},
	{Err: catalog.ErrImportRejected, Status: http.StatusUnprocessableEntity, Type: "import-rejected"},
	{Err: catalog.ErrImportBusy, Status: http.StatusConflict, Type: "import-in-progress"},
	{Err: catalog.ErrImportTimeout, Status: http.StatusServiceUnavailable, Type: "import-timeout"},
	{Err: catalog.ErrCooperativeNotVerified, Status: http.StatusForbidden, Type: "cooperative-not-verified"},
	{Err: catalog.ErrImageNotFound, Status: http.StatusNotFound, Type: "image-not-found"},
	{Err: catalog.ErrImageUnsupported, Status: http.StatusUnsupportedMediaType, Type: "unsupported-image-type"},
	{Err: catalog.ErrImageTooLarge, Status: http.StatusRequestEntityTooLarge, Type: "image-too-large"},
	{Err: catalog.ErrImageTooManyPixels, Status: http.StatusUnprocessableEntity, Type: "image-too-many-pixels"},
	{Err: catalog.ErrImageUnreadable, Status: http.StatusUnprocessableEntity, Type: "unreadable-image"},
	{Err: catalog.ErrTooManyImages, Status: http.StatusConflict, Type: "too-many-images"},
	{Err: catalog.ErrDuplicateImage, Status: http.StatusConflict, Type: "duplicate-image"},
	{Err: catalog.ErrImageBusy, Status: http.StatusServiceUnavailable, Type: "image-busy"},

	{Err: storage.ErrNotFound, Status: http.StatusNotFound, Type: "media-not-found"},

	{Err: search.ErrQueryTooLong, Status: http.StatusBadRequest, Type: "query-too-long"},
	{Err: search.ErrInvalidQuery, Status: http.StatusBadRequest, Type: "invalid-query"},
	{Err: search.ErrSynonymInvalid, Status: http.StatusBadRequest, Type: "validation"},
	{Err: search.ErrSynonymNotFound, Status: http.StatusNotFound, Type: "synonyms-not-found"},
	{Err: search.ErrEngineDown, Status: http.StatusServiceUnavailable, Type: "search-unavailable"},

	{Err: order.ErrNotFound, Status: http.StatusNotFound, Type: "order-not-found"},
	{Err: order.ErrLineNotFound, Status: http.StatusNotFound, Type: "cart-line-not-found"},
	{Err: order.ErrVariantNotFound, Status: http.StatusNotFound, Type: "variant-not-found"},
	{Err: order.ErrNotOnSale, Status: http.StatusConflict, Type: "not-on-sale"},
	{Err: order.ErrOutOfStock, Status: http.StatusConflict, Type: "out-of-stock"},
	{Err: order.ErrCartEmpty, Status: http.StatusConflict, Type: "cart-empty"},
	{Err: order.ErrCartFull, Status: http.StatusConflict, Type: "cart-full"},
	{Err: order.ErrWrongStatus, Status: http.StatusConflict, Type: "wrong-status"},
	{Err: order.ErrMoveForbidden, Status: http.StatusForbidden, Type: "forbidden"},
	{Err: order.ErrKeyReused, Status: http.StatusUnprocessableEntity, Type: "idempotency-key-reused"},
	{Err: order.ErrKeyMissing, Status: http.StatusBadRequest, Type: "idempotency-key-missing"},
	{Err: order.ErrNoBankAccount, Status: http.StatusConflict, Type: "no-bank-account"},
	{Err: order.ErrPaymentMethod, Status: http.StatusConflict, Type: "wrong-payment-method"},
	{Err: order.ErrAddressNotFound, Status: http.StatusNotFound, Type: "address-not-found"},

	{Err: payment.ErrCardsOff, Status: http.StatusConflict, Type: "cards-off"},
	{Err: payment.ErrNotCard, Status: http.StatusConflict, Type: "wrong-payment-method"},
	{Err: payment.ErrNotBank, Status: http.StatusConflict, Type: "wrong-payment-method"},
	{Err: payment.ErrAlreadyPaid, Status: http.StatusConflict, Type: "already-paid"},
	{Err: payment.ErrNotPaid, Status: http.StatusConflict, Type: "not-paid"},
	{Err: payment.ErrBadSignature, Status: http.StatusBadRequest, Type: "bad-signature"},
	{Err: payment.ErrNoBankAccount, Status: http.StatusNotFound, Type: "no-bank-account"},
	{Err: payment.ErrWebhooksOff, Status: http.StatusServiceUnavailable, Type: "webhooks-off"},
	{Err: payment.ErrStripeDown, Status: http.StatusServiceUnavailable, Type: "card-processor-unavailable"},
	{Err: ledger.ErrPayoutTooLarge, Status: http.StatusConflict, Type: "payout-too-large"},
	{Err: ledger.ErrKeyConflict, Status: http.StatusConflict, Type: "payout-reference-used"},
	{Err: ledger.ErrInvalidAmount, Status: http.StatusBadRequest, Type: "validation"},
	{Err: ledger.ErrInvalidKey, Status: http.StatusBadRequest, Type: "validation"},
	{Err: ledger.ErrInvalidPeriod, Status: http.StatusBadRequest, Type: "validation"},

	{Err: trace.ErrNotFound, Status: http.StatusNotFound, Type: "batch-not-found"},
	{Err: trace.ErrProductNotFound, Status: http.StatusNotFound, Type: "product-not-found"},
	{Err: trace.ErrLineNotFound, Status: http.StatusNotFound, Type: "order-line-not-found"},
	{Err: trace.ErrPhotoTooLarge, Status: http.StatusRequestEntityTooLarge, Type: "image-too-large"},
	{Err: trace.ErrPhotoType, Status: http.StatusUnsupportedMediaType, Type: "unsupported-image-type"},
	{Err: trace.ErrWrongStatus, Status: http.StatusConflict, Type: "wrong-status"},

	{Err: sourcing.ErrRequestNotFound, Status: http.StatusNotFound, Type: "sourcing-request-not-found"},
	{Err: sourcing.ErrOfferNotFound, Status: http.StatusNotFound, Type: "sourcing-offer-not-found"},
	{Err: sourcing.ErrQuoteNotFound, Status: http.StatusNotFound, Type: "quote-not-found"},
	{Err: sourcing.ErrRequestClosed, Status: http.StatusConflict, Type: "sourcing-request-closed"},
	{Err: sourcing.ErrQuoteAccepted, Status: http.StatusConflict, Type: "quote-accepted"},
	{Err: sourcing.ErrQuoteNotLive, Status: http.StatusConflict, Type: "quote-not-live"},
	{Err: sourcing.ErrNotInvited, Status: http.StatusForbidden, Type: "not-invited"},
	{Err: sourcing.ErrNotVerified, Status: http.StatusConflict, Type: "cooperative-not-verified"},
	{Err: sourcing.ErrKeyReused, Status: http.StatusUnprocessableEntity, Type: "idempotency-key-reused"},
	{Err: sourcing.ErrForbidden, Status: http.StatusForbidden, Type: "forbidden"},

	// Last: PostgreSQL cannot be reached (refused or broken connections,
	// a server starting or shutting down). The request may succeed later:
	// 503 with Retry-After, and one log line per minute of outage instead
	// of one per request.
	{Match: db.Unavailable, Status: http.StatusServiceUnavailable, Type: "service-unavailable",
		Detail:     "Hệ thống tạm thời không truy cập được cơ sở dữ liệu, vui lòng thử lại sau ít giây.",
		RetryAfter: 5 * time.Second, LogEvery: time.Minute},
}
