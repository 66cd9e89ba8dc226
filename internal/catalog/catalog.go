package catalog

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/web"
)

// Errors of the catalog; internal/app maps them to statuses.
var (
	ErrNotFound            = errors.New("không tìm thấy sản phẩm")
	ErrVariantNotFound     = errors.New("không tìm thấy phiên bản sản phẩm")
	ErrCooperativeNotFound = errors.New("không tìm thấy hợp tác xã")
	ErrDuplicateSKU        = errors.New("mã SKU này đã được dùng cho một sản phẩm khác của hợp tác xã")
	ErrBadCursor           = errors.New("con trỏ phân trang không hợp lệ, hãy tải lại danh sách từ đầu")
	ErrBadCSV              = errors.New("tệp CSV không hợp lệ")
	ErrImportTooLarge      = errors.New("tệp CSV quá lớn")
	ErrImportRejected      = errors.New("tệp CSV có dòng lỗi; chưa có thay đổi nào được lưu")
)

// TopicProductChanged is the outbox topic of every change to a product.
const TopicProductChanged = "catalog.product.changed"

// ChangeMessage is the outbox payload of TopicProductChanged. Consumers
// (the search index) read the product again by its ID.
type ChangeMessage struct {
	ProductID     uuid.UUID `json:"product_id"`
	CooperativeID uuid.UUID `json:"cooperative_id"`
	Change        string    `json:"change"` // created, updated, archived, stock, import, images, rating_expired
}

// Coop is what the catalog knows of a cooperative.
type Coop struct {
	ID       uuid.UUID
	Slug     string
	Name     string
	Province string
	Verified bool // by trade staff: its active products are public
}

// Cooperatives is what the catalog needs of the cooperative capability.
// The ext methods run inside the catalog's transaction.
type Cooperatives interface {
	// Cooperative returns the cooperative with this ID or slug, or an error
	// matching ErrCooperativeNotFound.
	Cooperative(ctx context.Context, idOrSlug string) (Coop, error)
	// EnsureForImport finds the cooperative by its name in the province, or
	// creates it verified (an administrator's import).
	EnsureForImport(ctx context.Context, ext sqlx.ExtContext, name, provinceSlug string) (Coop, error)
	// SetProductStats records what the cooperative's directory shows.
	SetProductStats(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, groups []string, products, ocopProducts int) error
}

// Provinces resolves the origin province of a product.
type Provinces interface {
	Get(ctx context.Context, slug string) (geo.Province, error)
	Resolve(ctx context.Context, name string) (geo.Resolution, error)
}

// Stats are a cooperative's product figures.
type Stats struct {
	Groups       []string
	Products     int
	OCOPProducts int
}

// Store is the catalog's persistence; every method runs on ext.
type Store interface {
	Get(ctx context.Context, ext sqlx.ExtContext, idOrSlug string, forUpdate bool) (Product, error)
	List(ctx context.Context, ext sqlx.ExtContext, f Filter, sc listScope) ([]Product, error)
	TakenSlugs(ctx context.Context, ext sqlx.ExtContext, bases []string) (map[string]bool, error)
	Insert(ctx context.Context, ext sqlx.ExtContext, p Product, coopID uuid.UUID) error
	Update(ctx context.Context, ext sqlx.ExtContext, p Product) error
	PutVariant(ctx context.Context, ext sqlx.ExtContext, productID, coopID uuid.UUID, v Variant, now time.Time) error
	RefreshPrices(ctx context.Context, ext sqlx.ExtContext, productIDs []uuid.UUID) error
	Stats(ctx context.Context, ext sqlx.ExtContext, coopIDs []uuid.UUID, today string) (map[uuid.UUID]Stats, error)
	Groups(ctx context.Context, ext sqlx.ExtContext) ([]string, error)
	importStore
	imageStore
	searchStore
	listingStore
}

// Service holds the catalog's rules.
type Service struct {
	db        *sqlx.DB
	store     Store
	coops     Cooperatives
	provinces Provinces
	now       func() time.Time
	cache     *Cache  // nil: no public read cache
	images    *images // nil: no image uploads (WithImages)
	auditor   Auditor // nil: delegates' actions are not recorded (WithAuditor)
	index     Index   // nil: public lists from PostgreSQL (WithIndex)
	imports   ImportLimits
	stmts     *db.Prepared // checkout's statements (stock.go), prepared once per connection
}

// Auditor records, in the caller's transaction, what trade staff acting as
// a cooperative's delegate do to its listings: assisted selling must leave
// a trail the cooperative and administrators can read.
type Auditor interface {
	Record(ctx context.Context, ext sqlx.ExtContext, actor uuid.UUID, action string, productID, coopID uuid.UUID) error
}

// WithAuditor records delegates' changes with a.
func WithAuditor(a Auditor) Option { return func(s *Service) { s.auditor = a } }

// Option sets an optional part of the service.
type Option func(*Service)

// NewService returns the catalog service.
func NewService(d *sqlx.DB, store Store, coops Cooperatives, provinces Provinces, opts ...Option) *Service {
	s := &Service{db: d, store: store, coops: coops, provinces: provinces, now: time.Now, stmts: db.NewPrepared(d)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// vietnam is the time zone of "today" for OCOP expiry and seasons.
var vietnam = time.FixedZone("ICT", 7*60*60)

func (s *Service) today() time.Time {
	n := s.now().In(vietnam)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// present fills what depends on today: the current rating and the season.
func present(p *Summary, ocop *OCOPRating, today time.Time) {
	p.OCOPStars = 0
	if ocop != nil {
		ocop.Current = ocop.ExpiresOn == "" || ocop.ExpiresOn >= today.Format(time.DateOnly)
		if ocop.Current {
			p.OCOPStars = ocop.Stars
		}
	}
	p.InSeason = len(p.SeasonMonths) == 0 || slices.Contains(p.SeasonMonths, int(today.Month()))
}

// public reports whether anyone may see the product.
func (p *Summary) public() bool { return p.Status == StatusActive && p.coopVerified }

// roleDelegate is trade staff to whom a cooperative's manager delegated its
// listings (internal/cooperative); it counts as the cooperative's staff.
const roleDelegate = auth.Role("coop_delegate")

// Roles that may do things to a cooperative's products, besides admins.
var (
	readers  = []auth.Role{auth.RoleCoopManager, auth.RoleCoopStaff, roleDelegate}
	editors  = readers
	managers = []auth.Role{auth.RoleCoopManager}
)

// allow applies the rule of internal/platform/auth to a product's
// cooperative: outsiders get 404, members without the role 403.
func allow(p *auth.Principal, coop uuid.UUID, roles []auth.Role) error {
	switch {
	case p == nil:
		return auth.ErrUnauthenticated
	case p.Has(auth.RoleAdmin):
		return nil
	case !p.MemberOf(coop):
		return auth.ErrNotFound
	case !p.MemberOf(coop, roles...):
		return auth.ErrForbidden
	}
	return nil
}

// List returns a page of public products.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	if page, ok, err := s.indexList(ctx, f); ok {
		return page, err
	}
	return s.list(ctx, f, listScope{Public: true})
}

// CoopList returns a page of one cooperative's products, drafts and
// archived ones included, for its members and admins.
func (s *Service) CoopList(ctx context.Context, viewer *auth.Principal, coopIDOrSlug string, f Filter) (Page, error) {
	coop, err := s.coops.Cooperative(ctx, coopIDOrSlug)
	if err != nil {
		return Page{}, err
	}
	if err := allow(viewer, coop.ID, readers); err != nil {
		return Page{}, err
	}
	return s.list(ctx, f, listScope{Cooperative: coop.ID})
}

// Page sizes.
const (
	defaultLimit = 24
	maxLimit     = 100
)

func (s *Service) list(ctx context.Context, f Filter, sc listScope) (Page, error) {
	f, err := normalize(f)
	if err != nil {
		return Page{}, err
	}
	after, err := decodeCursor(f.Cursor, f.Sort)
	if err != nil {
		return Page{}, err
	}
	today := s.today()
	sc.Today, sc.Month, sc.After = today, int(today.Month()), after
	rows, err := s.store.List(ctx, s.db, f, sc)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: make([]Summary, 0, min(len(rows), f.Limit))}
	for i := range rows {
		if i == f.Limit {
			last := page.Items[len(page.Items)-1]
			page.NextCursor = cursor{Sort: f.Sort, Key: sortKey(f.Sort, last), ID: last.ID}.encode()
			break
		}
		present(&rows[i].Summary, rows[i].OCOP, today)
		rows[i].ThumbURL = s.thumbURL(rows[i].thumbKey)
		page.Items = append(page.Items, rows[i].Summary)
	}
	return page, nil
}

// normalize validates a list's filter and fills in its defaults, so that
// equal requests have equal filters (the public cache's key).
func normalize(f Filter) (Filter, error) {
	var v web.ValidationError
	if f.Sort == "" {
		f.Sort = SortNewest
	}
	_, ok := sorts[f.Sort]
	v.Check(ok, "sort", "cách sắp xếp phải là newest, price_asc, price_desc hoặc stars")
	v.Check(f.Limit >= 0 && f.Limit <= maxLimit, "limit", fmt.Sprintf("số sản phẩm mỗi trang từ 1 đến %d", maxLimit))
	v.Check(f.MinStars == 0 || (f.MinStars >= 3 && f.MinStars <= 5), "stars", "số sao OCOP phải là 3, 4 hoặc 5")
	v.Check(f.MinPrice >= 0, "min_price", "giá không được âm")
	v.Check(f.MaxPrice >= 0 && (f.MaxPrice == 0 || f.MaxPrice >= f.MinPrice), "max_price", "giá tối đa phải lớn hơn hoặc bằng giá tối thiểu")
	v.Check(f.Status == "" || f.Status.valid(), "status", "trạng thái phải là draft, active hoặc archived")
	if f.Certification != "" {
		c, ok := canonicalCertification(f.Certification)
		v.Check(ok, "certification", "chứng nhận không được hỗ trợ")
		f.Certification = c
	}
	if err := v.Err(); err != nil {
		return Filter{}, err
	}
	if f.Limit == 0 {
		f.Limit = defaultLimit
	}
	return f, nil
}

func sortKey(sort string, p Summary) int64 {
	switch sort {
	case SortPriceAsc, SortPriceDesc:
		if p.PriceVND != nil {
			return *p.PriceVND
		}
	case SortStars:
		return int64(p.OCOPStars)
	}
	return 0
}

// Get returns a product by ID or slug. A product that is not public is
// shown only to its cooperative's members and admins; to anyone else it
// does not exist. Archived variants are shown only to them too.
func (s *Service) Get(ctx context.Context, viewer *auth.Principal, idOrSlug string) (Product, error) {
	p, err := s.store.Get(ctx, s.db, idOrSlug, false)
	if err != nil {
		return Product{}, err
	}
	insider := allow(viewer, p.Cooperative.ID, readers) == nil
	if !p.public() && !insider {
		return Product{}, fmt.Errorf("catalog: product %q is not public: %w", idOrSlug, ErrNotFound)
	}
	if !insider {
		p.Variants = slices.DeleteFunc(p.Variants, func(v Variant) bool { return v.Status != VariantActive })
	}
	present(&p.Summary, p.OCOP, s.today())
	s.withImageURLs(&p)
	return p, nil
}

// Create adds a product with its variants to a cooperative.
func (s *Service) Create(ctx context.Context, viewer *auth.Principal, coopIDOrSlug string, n NewProduct) (Product, error) {
	coop, err := s.coops.Cooperative(ctx, coopIDOrSlug)
	if err != nil {
		return Product{}, err
	}
	if err := allow(viewer, coop.ID, editors); err != nil {
		return Product{}, err
	}
	if n.Status == "" {
		n.Status = StatusDraft
	}
	now := s.now()
	id, err := uuid.NewV7()
	if err != nil {
		return Product{}, err
	}
	p := Product{Summary: Summary{ID: id, Name: n.Name, Group: n.Group, Province: n.Province,
		Certifications: n.Certifications, SeasonMonths: n.SeasonMonths, Status: n.Status,
		CreatedAt: now, UpdatedAt: now}, Description: n.Description, Keywords: n.Keywords}
	var v web.ValidationError
	if n.Status != StatusDraft && n.Status != StatusActive {
		v.Add("status", "sản phẩm mới phải ở trạng thái draft hoặc active")
	}
	p.OCOP = checkOCOP(&v, n.OCOP)
	if err := s.checkProduct(ctx, &v, &p); err != nil {
		return Product{}, err
	}
	v.Check(len(n.Variants) > 0, "variants", "cần ít nhất một quy cách đóng gói")
	if len(n.Variants) > maxVariants {
		v.Add("variants", fmt.Sprintf("tối đa %d quy cách đóng gói mỗi sản phẩm", maxVariants))
		n.Variants = nil
	}
	variants := make([]Variant, len(n.Variants))
	for i, nv := range n.Variants {
		variants[i] = checkNewVariant(&v, fmt.Sprintf("variants[%d].", i), nv)
	}
	if err := v.Err(); err != nil {
		return Product{}, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		base := Slugify(p.Name)
		taken, err := s.store.TakenSlugs(ctx, tx, []string{base})
		if err != nil {
			return err
		}
		p.Slug = nextFreeSlug(base, taken)
		if err := s.store.Insert(ctx, tx, p, coop.ID); err != nil {
			return err
		}
		for _, vr := range variants {
			if err := s.store.PutVariant(ctx, tx, p.ID, coop.ID, vr, now); err != nil {
				return err
			}
		}
		return s.changed(ctx, tx, viewer, p.ID, coop.ID, "created")
	})
	s.cache.forgetProduct(p.ID, p.Slug)
	if err != nil {
		return Product{}, err
	}
	return s.Get(ctx, viewer, p.ID.String())
}

// Update changes a product's fields. Only a manager may archive it by
// setting its status.
func (s *Service) Update(ctx context.Context, viewer *auth.Principal, idOrSlug string, u ProductUpdate) (Product, error) {
	return s.edit(ctx, viewer, idOrSlug, editors, "updated", func(p *Product, v *web.ValidationError) error {
		set(&p.Name, u.Name)
		set(&p.Description, u.Description)
		set(&p.Group, u.Group)
		set(&p.Province, u.Province)
		set(&p.Certifications, u.Certifications)
		set(&p.Keywords, u.Keywords)
		set(&p.SeasonMonths, u.SeasonMonths)
		if u.OCOP != nil {
			p.OCOP = checkOCOP(v, u.OCOP)
		}
		if u.Status != nil {
			v.Check(u.Status.valid(), "status", "trạng thái phải là draft, active hoặc archived")
			// Archiving and bringing back what was archived are the
			// managers' (and admins'): staff and delegates edit, but do
			// not undo a manager's decision to stop selling.
			leaving := p.Status == StatusArchived && *u.Status != StatusArchived
			if (*u.Status == StatusArchived || leaving) && !viewer.Has(auth.RoleAdmin) && !viewer.MemberOf(p.Cooperative.ID, managers...) {
				return auth.ErrForbidden
			}
			p.Status = *u.Status
		}
		return s.checkProduct(ctx, v, p)
	})
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Archive takes a product out of sale (the soft delete). Only a manager
// of the cooperative or an admin may.
func (s *Service) Archive(ctx context.Context, viewer *auth.Principal, idOrSlug string) (Product, error) {
	return s.edit(ctx, viewer, idOrSlug, managers, "archived", func(p *Product, _ *web.ValidationError) error {
		p.Status = StatusArchived
		return nil
	})
}

// AddVariant adds a packaging to a product.
func (s *Service) AddVariant(ctx context.Context, viewer *auth.Principal, idOrSlug string, n NewVariant) (Product, error) {
	return s.editVariants(ctx, viewer, idOrSlug, editors, func(p *Product, v *web.ValidationError) (Variant, error) {
		v.Check(len(p.Variants) < maxVariants, "variants",
			fmt.Sprintf("mỗi sản phẩm có tối đa %d quy cách đóng gói, kể cả quy cách đã ngừng bán", maxVariants))
		return checkNewVariant(v, "", n), nil
	})
}

// UpdateVariant changes a variant's fields.
func (s *Service) UpdateVariant(ctx context.Context, viewer *auth.Principal, idOrSlug string, variantID uuid.UUID, u VariantUpdate) (Product, error) {
	return s.editVariants(ctx, viewer, idOrSlug, editors, func(p *Product, v *web.ValidationError) (Variant, error) {
		cur, err := findVariant(p, variantID)
		if err != nil {
			return Variant{}, err
		}
		n := NewVariant{SKU: cur.SKU, Unit: cur.Unit, PriceVND: cur.PriceVND, Stock: cur.Stock, WeightGrams: cur.WeightGrams,
			WholesaleMinQty: cur.WholesaleMinQty, PriceTiers: cur.PriceTiers}
		set(&n.Unit, u.Unit)
		set(&n.PriceVND, u.PriceVND)
		set(&n.Stock, u.Stock)
		set(&n.WeightGrams, u.WeightGrams)
		set(&n.WholesaleMinQty, u.WholesaleMinQty)
		set(&n.PriceTiers, u.PriceTiers)
		out := checkNewVariant(v, "", n)
		out.ID, out.Status = cur.ID, cur.Status
		return out, nil
	})
}

// SetStock sets a variant's stock, as counted in the warehouse.
func (s *Service) SetStock(ctx context.Context, viewer *auth.Principal, idOrSlug string, variantID uuid.UUID, stock int) (Product, error) {
	return s.editVariants(ctx, viewer, idOrSlug, editors, func(p *Product, v *web.ValidationError) (Variant, error) {
		cur, err := findVariant(p, variantID)
		if err != nil {
			return Variant{}, err
		}
		v.Check(stock >= 0 && stock <= maxStock, "stock", "tồn kho phải từ 0 đến 1.000.000.000")
		cur.Stock = stock
		return cur, nil
	})
}

// ArchiveVariant takes a packaging out of sale. Only a manager may.
func (s *Service) ArchiveVariant(ctx context.Context, viewer *auth.Principal, idOrSlug string, variantID uuid.UUID) (Product, error) {
	return s.editVariants(ctx, viewer, idOrSlug, managers, func(p *Product, _ *web.ValidationError) (Variant, error) {
		cur, err := findVariant(p, variantID)
		if err != nil {
			return Variant{}, err
		}
		cur.Status = VariantArchived
		return cur, nil
	})
}

func findVariant(p *Product, id uuid.UUID) (Variant, error) {
	for _, v := range p.Variants {
		if v.ID == id {
			return v, nil
		}
	}
	return Variant{}, fmt.Errorf("catalog: variant %s of %s: %w", id, p.ID, ErrVariantNotFound)
}

// edit loads and locks a product, checks the caller, applies change and
// writes the product with its outbox record in one transaction.
func (s *Service) edit(ctx context.Context, viewer *auth.Principal, idOrSlug string, roles []auth.Role, change string,
	apply func(p *Product, v *web.ValidationError) error) (Product, error) {
	return s.write(ctx, viewer, idOrSlug, roles, change, func(p *Product, v *web.ValidationError) (*Variant, error) {
		return nil, apply(p, v)
	})
}

// editVariants is edit for one variant: apply returns it as it should be.
func (s *Service) editVariants(ctx context.Context, viewer *auth.Principal, idOrSlug string, roles []auth.Role,
	apply func(p *Product, v *web.ValidationError) (Variant, error)) (Product, error) {
	return s.write(ctx, viewer, idOrSlug, roles, "updated", func(p *Product, v *web.ValidationError) (*Variant, error) {
		vr, err := apply(p, v)
		return &vr, err
	})
}

// write is edit and editVariants: apply changes the product and may return
// a variant to write with it.
func (s *Service) write(ctx context.Context, viewer *auth.Principal, idOrSlug string, roles []auth.Role, change string,
	apply func(p *Product, v *web.ValidationError) (*Variant, error)) (Product, error) {
	var id uuid.UUID
	var slug string
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.lock(ctx, tx, viewer, idOrSlug, roles)
		if err != nil {
			return err
		}
		var v web.ValidationError
		vr, err := apply(&p, &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		if vr != nil {
			if err := s.store.PutVariant(ctx, tx, p.ID, p.Cooperative.ID, *vr, p.UpdatedAt); err != nil {
				return err
			}
		}
		if err := s.store.Update(ctx, tx, p); err != nil {
			return err
		}
		id, slug = p.ID, p.Slug
		return s.changed(ctx, tx, viewer, p.ID, p.Cooperative.ID, change)
	})
	// After the commit, and even after an error (the commit may have been
	// made): this instance must not serve what it has just replaced.
	if id != uuid.Nil {
		s.cache.forgetProduct(id, slug)
	}
	if err != nil {
		return Product{}, err
	}
	return s.Get(ctx, viewer, id.String())
}

// lock reads a product for update and checks that viewer may change it.
// To an outsider a product that is not public does not exist.
func (s *Service) lock(ctx context.Context, tx *sqlx.Tx, viewer *auth.Principal, idOrSlug string, roles []auth.Role) (Product, error) {
	p, err := s.store.Get(ctx, tx, idOrSlug, true)
	if err != nil {
		return Product{}, err
	}
	if err := allow(viewer, p.Cooperative.ID, roles); err != nil {
		if errors.Is(err, auth.ErrNotFound) && !p.public() {
			return Product{}, fmt.Errorf("catalog: product %q: %w", idOrSlug, ErrNotFound)
		}
		return Product{}, err
	}
	return p, nil
}

// changed refreshes what depends on a product (its lowest price, its
// cooperative's figures), records the change in the outbox and, when a
// delegate made it, in the audit log, in the transaction that made it.
func (s *Service) changed(ctx context.Context, tx *sqlx.Tx, viewer *auth.Principal, productID, coopID uuid.UUID, change string) error {
	if err := s.store.RefreshPrices(ctx, tx, []uuid.UUID{productID}); err != nil {
		return err
	}
	if m, ok := viewer.Membership(coopID.String()); ok && m.Role == auth.RoleCoopDelegate && s.auditor != nil {
		if err := s.auditor.Record(ctx, tx, viewer.UserID, "catalog.product."+change, productID, coopID); err != nil {
			return err
		}
	}
	if err := s.refreshStats(ctx, tx, []uuid.UUID{coopID}); err != nil {
		return err
	}
	return outbox.Write(ctx, tx, TopicProductChanged, productID.String(),
		ChangeMessage{ProductID: productID, CooperativeID: coopID, Change: change})
}

// refreshStats hands the cooperatives' product figures to their owner.
func (s *Service) refreshStats(ctx context.Context, ext sqlx.ExtContext, coopIDs []uuid.UUID) error {
	stats, err := s.store.Stats(ctx, ext, coopIDs, s.today().Format(time.DateOnly))
	if err != nil {
		return err
	}
	for _, id := range coopIDs {
		st := stats[id]
		if err := s.coops.SetProductStats(ctx, ext, id, st.Groups, st.Products, st.OCOPProducts); err != nil {
			return err
		}
	}
	return nil
}

// Limits of product fields. Lists are counted before their items are
// looked at: a list of 100,000 items is refused at once.
const (
	maxName           = 200
	maxDescription    = 20000
	maxKeywords       = 30
	maxKeywordLen     = 50 // characters
	maxCertifications = 20
	maxVariants       = 50 // packagings of one product, archived ones included
	maxPriceTiers     = 10
	maxPrice          = 1_000_000_000_000 // 1 000 tỷ đồng
	maxStock          = 1_000_000_000
)

// checkProduct validates and normalises a product's own fields, resolving
// the province and rendering the description.
func (s *Service) checkProduct(ctx context.Context, v *web.ValidationError, p *Product) error {
	groups, err := s.store.Groups(ctx, s.db)
	if err != nil {
		return err
	}
	s.checkFields(ctx, v, p, groups)
	return nil
}

// checkFields is checkProduct with the OCOP groups at hand.
func (s *Service) checkFields(ctx context.Context, v *web.ValidationError, p *Product, groups []string) {
	p.Name = strings.TrimSpace(p.Name)
	v.Check(p.Name != "" && utf8.RuneCountInString(p.Name) <= maxName, "name", "tên sản phẩm không được để trống và tối đa 200 ký tự")
	v.Check(!web.Invisible(p.Name), "name", "tên sản phẩm "+web.InvisibleMessage)
	v.Check(utf8.RuneCountInString(p.Description) <= maxDescription, "description", "mô tả tối đa 20.000 ký tự")
	v.Check(slices.Contains(groups, p.Group), "group", "nhóm sản phẩm OCOP phải là một trong: "+strings.Join(groups, ", "))
	if slug, msg := s.province(ctx, p.Province); msg != "" {
		v.Add("province", msg)
	} else {
		p.Province = slug
	}
	if len(p.Certifications) > maxCertifications {
		v.Add("certifications", fmt.Sprintf("tối đa %d chứng nhận", maxCertifications))
		p.Certifications = nil
	}
	certs, msg := canonicalCertifications(p.Certifications)
	v.Check(msg == "", "certifications", msg)
	p.Certifications = certs
	if len(p.Keywords) > maxKeywords {
		v.Add("keywords", fmt.Sprintf("tối đa %d từ khoá", maxKeywords))
		p.Keywords = nil
	}
	p.Keywords = cleanKeywords(p.Keywords)
	for _, k := range p.Keywords {
		if utf8.RuneCountInString(k) > maxKeywordLen || web.Invisible(k) {
			v.Add("keywords", fmt.Sprintf("mỗi từ khoá tối đa %d ký tự, không chứa ký tự điều khiển hay ký tự ẩn", maxKeywordLen))
			break
		}
	}
	if len(p.SeasonMonths) > 12 {
		v.Add("season_months", "tối đa 12 tháng")
		p.SeasonMonths = nil
	}
	months := slices.Clone(p.SeasonMonths)
	slices.Sort(months)
	p.SeasonMonths = slices.Compact(months)
	if p.SeasonMonths == nil {
		p.SeasonMonths = []int{}
	}
	for _, m := range p.SeasonMonths {
		if m < 1 || m > 12 {
			v.Add("season_months", "tháng phải từ 1 đến 12")
			break
		}
	}
	html, err := renderMarkdown(p.Description)
	if err != nil {
		v.Add("description", "không đọc được mô tả Markdown")
	}
	p.DescriptionHTML = html
}

// province resolves a slug, or a current or former name, to a province
// slug; it returns a message for the user when it cannot.
func (s *Service) province(ctx context.Context, in string) (string, string) {
	in = strings.TrimSpace(in)
	if in == "" {
		return "", "hãy chọn tỉnh, thành phố xuất xứ"
	}
	if p, err := s.provinces.Get(ctx, in); err == nil {
		return p.Slug, ""
	}
	r, err := s.provinces.Resolve(ctx, in)
	if err != nil {
		return "", fmt.Sprintf("không tìm thấy tỉnh, thành phố “%s”", truncateRunes(in, 60))
	}
	return r.Province.Slug, ""
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func cleanKeywords(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, k := range in {
		k = strings.TrimSpace(k)
		if k == "" || seen[strings.ToLower(k)] {
			continue
		}
		seen[strings.ToLower(k)] = true
		out = append(out, k)
	}
	return out
}

// Certifications are the recognised quality certifications, as written.
var Certifications = []string{"VietGAP", "GlobalGAP", "Hữu cơ", "HACCP", "ISO 22000", "ISO 9001",
	"FSSC 22000", "BRCGS", "Halal", "Fairtrade", "Rainforest Alliance", "USDA Organic", "EU Organic", "JAS"}

// canonicalCertification matches a certification however it is written
// ("huu co", "iso 22000") to its canonical form.
func canonicalCertification(s string) (string, bool) {
	f := geo.Fold(s)
	for _, c := range Certifications {
		if geo.Fold(c) == f {
			return c, true
		}
	}
	return "", false
}

func canonicalCertifications(in []string) ([]string, string) {
	out := []string{}
	for _, c := range in {
		if strings.TrimSpace(c) == "" {
			continue
		}
		canon, ok := canonicalCertification(c)
		if !ok {
			return nil, fmt.Sprintf("chứng nhận “%s” không được hỗ trợ; dùng: %s", truncateRunes(c, 40), strings.Join(Certifications, ", "))
		}
		if !slices.Contains(out, canon) {
			out = append(out, canon)
		}
	}
	slices.Sort(out)
	return out, ""
}

// checkOCOP validates a rating given through the API, which needs the
// certificate's number and expiry; stars 0 removes the rating.
func checkOCOP(v *web.ValidationError, in *OCOPInput) *OCOPRating {
	if in == nil || in.Stars == 0 {
		return nil
	}
	v.Check(in.Stars >= 3 && in.Stars <= 5, "ocop.stars", "hạng OCOP phải là 3, 4 hoặc 5 sao")
	cert := strings.TrimSpace(in.Certificate)
	v.Check(cert != "" && len(cert) <= 64, "ocop.certificate", "hãy nhập số giấy chứng nhận OCOP (tối đa 64 ký tự)")
	_, err := time.Parse(time.DateOnly, in.ExpiresOn)
	v.Check(err == nil, "ocop.expires_on", "ngày hết hạn phải có dạng YYYY-MM-DD")
	return &OCOPRating{Stars: in.Stars, Certificate: cert, ExpiresOn: in.ExpiresOn}
}

var skuPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// checkNewVariant validates a variant; field names carry prefix.
func checkNewVariant(v *web.ValidationError, prefix string, n NewVariant) Variant {
	n.SKU, n.Unit = strings.TrimSpace(n.SKU), strings.TrimSpace(n.Unit)
	v.Check(skuPattern.MatchString(n.SKU), prefix+"sku", "mã SKU gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 64 ký tự)")
	v.Check(n.Unit != "" && utf8.RuneCountInString(n.Unit) <= 40, prefix+"unit", "đơn vị tính không được để trống, tối đa 40 ký tự")
	v.Check(!web.Invisible(n.Unit), prefix+"unit", "đơn vị tính "+web.InvisibleMessage)
	v.Check(n.PriceVND > 0 && n.PriceVND <= maxPrice, prefix+"price_vnd", "giá phải là số đồng lớn hơn 0")
	v.Check(n.Stock >= 0 && n.Stock <= maxStock, prefix+"stock", "tồn kho phải từ 0 đến 1.000.000.000")
	v.Check(n.WeightGrams >= 0 && n.WeightGrams <= 10_000_000, prefix+"weight_grams", "khối lượng (gam) không hợp lệ")
	v.Check(n.WholesaleMinQty == 0 || n.WholesaleMinQty >= 2, prefix+"wholesale_min_qty", "đơn sỉ tối thiểu phải từ 2 trở lên")
	if len(n.PriceTiers) > maxPriceTiers {
		v.Add(prefix+"price_tiers", fmt.Sprintf("tối đa %d bậc giá sỉ", maxPriceTiers))
		n.PriceTiers = nil
	}
	if len(n.PriceTiers) > 0 && n.WholesaleMinQty == 0 {
		n.WholesaleMinQty = n.PriceTiers[0].MinQty
	}
	for i, t := range n.PriceTiers {
		field := fmt.Sprintf("%sprice_tiers[%d]", prefix, i)
		switch {
		case t.MinQty < max(2, n.WholesaleMinQty):
			v.Add(field+".min_qty", "số lượng của bậc giá sỉ không được nhỏ hơn đơn sỉ tối thiểu")
		case i > 0 && t.MinQty <= n.PriceTiers[i-1].MinQty:
			v.Add(field+".min_qty", "các bậc giá sỉ phải xếp theo số lượng tăng dần")
		case t.UnitPriceVND <= 0 || t.UnitPriceVND > n.PriceVND:
			v.Add(field+".unit_price_vnd", "giá sỉ phải lớn hơn 0 và không cao hơn giá lẻ")
		case i > 0 && t.UnitPriceVND > n.PriceTiers[i-1].UnitPriceVND:
			v.Add(field+".unit_price_vnd", "giá sỉ không được tăng khi số lượng tăng")
		}
	}
	id, _ := uuid.NewV7()
	return Variant{ID: id, SKU: n.SKU, Unit: n.Unit, PriceVND: n.PriceVND, Stock: n.Stock, WeightGrams: n.WeightGrams,
		WholesaleMinQty: n.WholesaleMinQty, PriceTiers: nonNilTiers(n.PriceTiers), Status: VariantActive}
}
