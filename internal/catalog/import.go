package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/csvx"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
)

// Columns are the columns every catalog CSV has, in the order export
// writes them after ProductColumn. Import accepts them in any order.
var Columns = []string{"sku", "cooperative", "province", "name", "group", "unit", "price_vnd",
	"wholesale_min_qty", "wholesale_price_vnd", "stock", "ocop_stars", "certifications", "keywords", "description"}

// ProductColumn is the optional column of a product's key within its
// cooperative: the rows that share it are the packagings (variants) of one
// product, and must agree on productColumns. A row without it (a file
// without the column, or an empty cell) is a product of its own, as in the
// older 14-column files. Export writes it first.
const ProductColumn = "product"

// ExportColumns are the columns export writes, in order.
var ExportColumns = append([]string{ProductColumn}, Columns...)

// productColumns are the cells of a product rather than of one packaging.
var productColumns = []string{"name", "group", "province", "ocop_stars", "certifications", "keywords", "description"}

// productKeyPattern is what a product key may hold (the database checks
// it too): the slugs that export writes for products without a key fit.
var productKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Import limits. An upload through the API is also bounded by the server's
// body limit.
const (
	MaxImportBytes  = 32 << 20
	MaxImportRows   = 100_000
	maxReportErrors = 1000
)

// ImportRequest is one CSV import.
type ImportRequest struct {
	CSV    io.Reader
	DryRun bool
	// Cooperative (ID or slug) restricts the import to that cooperative's
	// rows: a manager's import, or the command line's --cooperative. Empty
	// means an administrator's import, which may create the cooperatives
	// the file names.
	Cooperative string
	// Viewer is the caller; nil for the command line, which is trusted.
	Viewer *auth.Principal
}

// ImportReport says what an import did or, in a dry run, would do.
type ImportReport struct {
	DryRun  bool `json:"dry_run"`
	Applied bool `json:"applied"`
	Rows    int  `json:"rows"`
	Created int  `json:"created"`
	Updated int  `json:"updated"`
	// Products counts the products the rows are packagings of; Merged the
	// products whose every packaging moved to another product of the file
	// (they are archived, and their address leads to that product).
	Products     int        `json:"products"`
	Merged       int        `json:"merged"`
	Cooperatives int        `json:"cooperatives"`
	ErrorCount   int        `json:"error_count"`
	Errors       []RowError `json:"errors"`
}

// RowError is a problem with one cell or line of the file.
type RowError struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// Errors of imports beyond those of their rows.
var (
	ErrImportBusy    = errors.New("một lần nhập CSV khác của hợp tác xã này đang chạy; hãy thử lại khi nó xong")
	ErrImportTimeout = errors.New("nhập CSV quá thời gian cho phép; hãy chia tệp thành nhiều tệp nhỏ hơn")
	// ErrCooperativeNotVerified refuses a manager's import before trade
	// staff have verified the cooperative: anyone may register one.
	ErrCooperativeNotVerified = errors.New("hợp tác xã chưa được xác minh nên chưa thể nhập sản phẩm từ CSV")
)

// ImportLimits bound what one import may hold of the database.
type ImportLimits struct {
	// StatementTimeout ends an import whose statement runs longer, with
	// ErrImportTimeout: an import holds its transaction open meanwhile.
	StatementTimeout time.Duration
	// LockWait is how long an import waits for another import of the same
	// cooperative to finish before it gives up with ErrImportBusy.
	LockWait time.Duration
}

// Default import limits. The import of 100,000 rows takes about 15 s, its
// longest statement a few seconds.
const (
	DefaultImportStatementTimeout = time.Minute
	DefaultImportLockWait         = 10 * time.Second
)

// WithImportLimits replaces the default import limits; zero fields keep
// the defaults.
func WithImportLimits(l ImportLimits) Option {
	return func(s *Service) { s.imports = l }
}

// withDefaults fills in the zero limits.
func (l ImportLimits) withDefaults() ImportLimits {
	if l.StatementTimeout <= 0 {
		l.StatementTimeout = DefaultImportStatementTimeout
	}
	if l.LockWait <= 0 {
		l.LockWait = DefaultImportLockWait
	}
	return l
}

// importRow is one parsed line.
type importRow struct {
	line     int
	coopKey  string // folded name and province, or the fixed cooperative's ID
	coopName string
	// productKey is the row's product cell; groupKey is it within the
	// cooperative (its folded name or the fixed cooperative's ID), empty
	// for a row that is a product of its own.
	productKey, groupKey string
	product              Product
	variant              Variant
	coopID               uuid.UUID
	existing             bool // the variant exists
	newProduct           bool
	productID, variantI  uuid.UUID
}

// errDryRun rolls back a dry run's transaction after it has done
// everything an apply would.
var errDryRun = errors.New("catalog: dry run")

// Import reads a catalog CSV and creates or updates its products, all or
// nothing. Rows are keyed by cooperative and SKU, so importing a file twice
// updates what the first import created. Bad rows are all reported and
// nothing changes; a file that cannot be read as the catalog CSV at all is
// refused with ErrBadCSV or ErrImportTooLarge.
func (s *Service) Import(ctx context.Context, req ImportRequest) (ImportReport, error) {
	rep := ImportReport{DryRun: req.DryRun, Errors: []RowError{}}
	var fixed *Coop
	if req.Cooperative != "" {
		coop, err := s.coops.Cooperative(ctx, req.Cooperative)
		if err != nil {
			return rep, err
		}
		fixed = &coop
	}
	if req.Viewer != nil {
		switch {
		case fixed != nil:
			if err := allow(req.Viewer, fixed.ID, managers); err != nil {
				return rep, err
			}
			if !fixed.Verified && !req.Viewer.Has(auth.RoleAdmin) {
				return rep, ErrCooperativeNotVerified
			}
		case !req.Viewer.Has(auth.RoleAdmin):
			return rep, auth.ErrForbidden
		}
	}
	data, err := readCSV(req.CSV)
	if err != nil {
		return rep, err
	}
	groups, err := s.store.Groups(ctx, s.db)
	if err != nil {
		return rep, err
	}
	rows, err := s.parse(ctx, data, fixed, groups, &rep)
	if err != nil {
		return rep, err
	}
	rep.Rows = len(rows)
	if rep.ErrorCount > 0 {
		if req.DryRun {
			return rep, nil
		}
		return rep, ErrImportRejected
	}
	err = withFreeSlug(func() error {
		return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
			// A retried transaction starts again from the parsed rows:
			// apply fills in IDs, slugs and what exists, which the
			// rolled-back attempt may have seen otherwise.
			rep.Created, rep.Updated, rep.Cooperatives, rep.Products, rep.Merged = 0, 0, 0, 0, 0
			if err := s.apply(ctx, tx, slices.Clone(rows), fixed, &rep); err != nil {
				return err
			}
			if req.DryRun {
				return errDryRun
			}
			return nil
		})
	})
	if !req.DryRun {
		s.cache.forgetAll()
	}
	if err != nil && !errors.Is(err, errDryRun) {
		return rep, s.importError(ctx, err)
	}
	rep.Applied = !req.DryRun
	return rep, nil
}

// maxSlugAttempts bounds the attempts of a write whose new product's slug
// another transaction took first.
const maxSlugAttempts = 3

// withFreeSlug runs write again when another transaction took the slug of
// one of its new products first (another cooperative's import, a product
// created through the API): the unique index made it wait for that
// transaction's commit, so the next attempt sees the slug taken.
func withFreeSlug(write func() error) error {
	for attempt := 1; ; attempt++ {
		err := write()
		if attempt < maxSlugAttempts && db.Constraint(err) == "products_slug_key" {
			continue
		}
		return err
	}
}

// importError gives the import's own meaning to a statement that ran past
// the import's timeouts.
func (s *Service) importError(ctx context.Context, err error) error {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) {
		return err
	}
	switch {
	case pqErr.Code == "55P03": // lock_not_available: lock_timeout
		return web.Detail(fmt.Errorf("catalog: import: %w: %w", ErrImportBusy, err),
			"Một lần nhập CSV khác của hợp tác xã này đang chạy; đã chờ %s mà chưa xong. Hãy thử lại sau ít phút.", s.imports.withDefaults().LockWait)
	case pqErr.Code == "57014" && ctx.Err() == nil: // query_canceled, by statement_timeout
		return web.Detail(fmt.Errorf("catalog: import: %w: %w", ErrImportTimeout, err),
			"Một bước của lần nhập chạy quá %s. Hãy chia tệp thành nhiều tệp nhỏ hơn rồi nhập lần lượt.", s.imports.withDefaults().StatementTimeout)
	}
	return err
}

// readCSV reads the whole file, refusing one that is too large or not
// UTF-8, and drops a byte order mark.
func readCSV(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: read csv: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, web.Detail(ErrImportTooLarge, "Tệp CSV quá lớn: tối đa %d MB hoặc %d dòng.", MaxImportBytes>>20, MaxImportRows)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		line := bytes.Count(data[:bad], []byte("\n")) + 1
		return nil, web.Detail(ErrBadCSV, "Tệp không được mã hoá UTF-8 (ký tự lỗi đầu tiên ở dòng %d). Hãy lưu lại tệp với mã hoá UTF-8 (trong Excel: “CSV UTF-8”).", line)
	}
	if nul := bytes.IndexByte(data, 0); nul >= 0 {
		// PostgreSQL's text refuses it; a CSV of text never holds one.
		line := bytes.Count(data[:nul], []byte("\n")) + 1
		return nil, web.Detail(ErrBadCSV, "Tệp có ký tự NUL (mã 0) ở dòng %d: tệp CSV chỉ chứa văn bản. Hãy lưu lại tệp dạng “CSV UTF-8”.", line)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, web.Detail(ErrBadCSV, "Tệp CSV trống.")
	}
	return data, nil
}

// parse reads the header and every row, validating each cell; problems go
// into rep. Problems with the file as a whole are returned as errors.
func (s *Service) parse(ctx context.Context, data []byte, fixed *Coop, groups []string, rep *ImportReport) ([]importRow, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, web.Detail(ErrBadCSV, "Không đọc được dòng tiêu đề: %s.", csvReason(err))
	}
	col, err := columnIndex(header)
	if err != nil {
		return nil, err
	}
	var rows []importRow
	seen := map[string]int{}    // cooperative key + SKU → line
	firstOf := map[string]int{} // group key → index in rows of its first line
	_, keyed := col[ProductColumn]
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			// After a quoting error the reader cannot tell where rows
			// start; what follows is not checked.
			addRowError(rep, RowError{Line: line, Message: "lỗi cú pháp CSV: " + csvReason(err) + "; các dòng sau đó chưa được kiểm tra"})
			break
		}
		line, _ := r.FieldPos(0)
		if len(rows) >= MaxImportRows {
			return nil, web.Detail(ErrImportTooLarge, "Tệp CSV có quá nhiều dòng: tối đa %d dòng mỗi lần nhập.", MaxImportRows)
		}
		if len(rec) != len(header) {
			addRowError(rep, RowError{Line: line, Message: fmt.Sprintf("dòng có %d cột, cần đúng %d cột", len(rec), len(header))})
			continue
		}
		// Plain: the export neutralised cells a spreadsheet would take
		// for formulas; importing it must change nothing.
		cell := func(name string) string { return csvx.Plain(strings.TrimSpace(rec[col[name]])) }
		row, errs := s.parseRow(ctx, line, cell, fixed, groups)
		if row.coopKey != "" && row.variant.SKU != "" {
			key := row.coopKey + "\x00" + strings.ToLower(row.variant.SKU)
			if first, dup := seen[key]; dup {
				errs = append(errs, RowError{Line: line, Column: "sku", Message: fmt.Sprintf("mã SKU “%s” của hợp tác xã này đã có ở dòng %d", row.variant.SKU, first)})
			} else {
				seen[key] = line
			}
		}
		if keyed {
			errs = append(errs, groupRow(&row, cell(ProductColumn), rows, firstOf)...)
		}
		for _, e := range errs {
			addRowError(rep, e)
		}
		if row.groupKey != "" {
			if _, ok := firstOf[row.groupKey]; !ok {
				firstOf[row.groupKey] = len(rows)
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && rep.ErrorCount == 0 {
		return nil, web.Detail(ErrBadCSV, "Tệp CSV chỉ có dòng tiêu đề, không có sản phẩm nào.")
	}
	return rows, nil
}

// groupRow puts row in the group of its product key, checking the key and
// that the row's product cells agree with the group's first row.
func groupRow(row *importRow, key string, rows []importRow, firstOf map[string]int) []RowError {
	if key == "" {
		return nil
	}
	row.productKey = key
	if !productKeyPattern.MatchString(key) {
		return []RowError{{Line: row.line, Column: ProductColumn, Message: fmt.Sprintf(
			"mã sản phẩm “%s” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới, tối đa 100 ký tự", truncateRunes(key, 30))}}
	}
	if row.coopKey == "" {
		return nil // the cooperative is already reported
	}
	// The cooperative's name alone, not its key with the province: rows
	// of one product that disagree on the province are reported, not
	// taken for two cooperatives.
	coop, _, _ := strings.Cut(row.coopKey, "\x00")
	row.groupKey = coop + "\x00" + key
	i, ok := firstOf[row.groupKey]
	if !ok {
		return nil
	}
	first := rows[i]
	var errs []RowError
	for _, c := range productColumns {
		if !sameProductCell(c, first.product, row.product) {
			errs = append(errs, RowError{Line: row.line, Column: c, Message: fmt.Sprintf(
				"khác với dòng %d, cùng sản phẩm “%s”: các dòng của một sản phẩm là các cách đóng gói của nó, phải giống nhau ở cột %s",
				first.line, key, c)})
		}
	}
	return errs
}

func ocopStars(o *OCOPRating) int {
	if o == nil {
		return 0
	}
	return o.Stars
}

// sameProductCell says whether two rows' products agree on a product
// column.
func sameProductCell(column string, a, b Product) bool {
	switch column {
	case "name":
		return a.Name == b.Name
	case "group":
		return a.Group == b.Group
	case "province":
		return a.Province == b.Province
	case "ocop_stars":
		return ocopStars(a.OCOP) == ocopStars(b.OCOP)
	case "certifications":
		return slices.Equal(a.Certifications, b.Certifications)
	case "keywords":
		return slices.Equal(a.Keywords, b.Keywords)
	case "description":
		return a.Description == b.Description
	}
	return true
}

func addRowError(rep *ImportReport, e RowError) {
	rep.ErrorCount++
	if len(rep.Errors) < maxReportErrors {
		rep.Errors = append(rep.Errors, e)
	}
}

// columnIndex checks the header: every column, none unknown, in any order.
func columnIndex(header []string) (map[string]int, error) {
	col := map[string]int{}
	var unknown []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(ExportColumns, h) {
			unknown = append(unknown, strconv.Quote(h))
			continue
		}
		if _, dup := col[h]; dup {
			return nil, web.Detail(ErrBadCSV, "Cột “%s” xuất hiện hai lần trong dòng tiêu đề.", h)
		}
		col[h] = i
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 || len(unknown) > 0 {
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, "thiếu cột "+strings.Join(missing, ", "))
		}
		if len(unknown) > 0 {
			parts = append(parts, "cột không được hỗ trợ "+strings.Join(unknown, ", "))
		}
		return nil, web.Detail(ErrBadCSV, "Dòng tiêu đề không đúng (%s). Dòng tiêu đề phải là: %s (cột %s ở đầu là tuỳ chọn).",
			strings.Join(parts, "; "), strings.Join(ExportColumns, ","), ProductColumn)
	}
	return col, nil
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "dấu ngoặc kép không đúng chỗ (ô có dấu phẩy hoặc ngoặc kép phải được bao trong ngoặc kép, ngoặc kép bên trong viết thành \"\")"
	case errors.Is(err, io.EOF):
		return "tệp trống"
	}
	return err.Error()
}

// fieldColumns names the CSV column of a validation error's field.
var fieldColumns = map[string]string{
	"price_tiers[0].min_qty":        "wholesale_min_qty",
	"price_tiers[0].unit_price_vnd": "wholesale_price_vnd",
}

// parseRow turns one line into a product with one variant, with the same
// rules as the API.
func (s *Service) parseRow(ctx context.Context, line int, cell func(string) string, fixed *Coop, groups []string) (importRow, []RowError) {
	var errs []RowError
	bad := func(column, msg string) { errs = append(errs, RowError{Line: line, Column: column, Message: msg}) }
	unreadable := map[string]bool{} // columns already reported; the rules below would only repeat them
	integer := func(column string, what string) int64 {
		v := cell(column)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			unreadable[column] = true
			bad(column, fmt.Sprintf("%s phải là số nguyên không dấu chấm, dấu phẩy (ví dụ 45000), không phải “%s”", what, truncateRunes(v, 30)))
			return 0
		}
		return n
	}
	row := importRow{line: line, coopName: cell("cooperative")}
	price := integer("price_vnd", "giá")
	wholesaleQty := integer("wholesale_min_qty", "số lượng sỉ tối thiểu")
	wholesalePrice := integer("wholesale_price_vnd", "giá sỉ")
	stock := integer("stock", "tồn kho")
	stars := integer("ocop_stars", "số sao OCOP")
	if cell("price_vnd") == "" {
		unreadable["price_vnd"] = true
		bad("price_vnd", "thiếu giá")
	}
	if unreadable["price_vnd"] {
		unreadable["wholesale_price_vnd"] = true // compared with the price
	}
	if (wholesaleQty == 0) != (wholesalePrice == 0) {
		bad("wholesale_price_vnd", "cần cả số lượng sỉ tối thiểu và giá sỉ, hoặc bỏ trống cả hai")
	}
	if stars != 0 && (stars < 3 || stars > 5) {
		bad("ocop_stars", "số sao OCOP phải là 0 (không có), 3, 4 hoặc 5")
	}

	p := Product{Summary: Summary{Name: cell("name"), Group: cell("group"), Province: cell("province"),
		Certifications: splitList(cell("certifications"), ";"), Status: StatusActive},
		Description: cell("description"), Keywords: splitList(cell("keywords"), ",")}
	if stars >= 3 && stars <= 5 {
		p.OCOP = &OCOPRating{Stars: int(stars)}
	}
	nv := NewVariant{SKU: cell("sku"), Unit: cell("unit"), PriceVND: price, Stock: int(min(max(stock, -1), maxStock+1))}
	if wholesaleQty > 0 && wholesalePrice > 0 {
		nv.WholesaleMinQty = int(min(wholesaleQty, maxStock))
		nv.PriceTiers = []PriceTier{{MinQty: nv.WholesaleMinQty, UnitPriceVND: wholesalePrice}}
	}
	var v web.ValidationError
	s.checkFields(ctx, &v, &p, groups)
	row.variant = checkNewVariant(&v, "", nv)
	row.product = p
	for _, f := range v.Fields {
		column := f.Field
		if c, ok := fieldColumns[column]; ok {
			column = c
		}
		if !unreadable[column] {
			bad(column, f.Message)
		}
	}

	switch {
	case row.coopName == "" || utf8.RuneCountInString(row.coopName) > 200:
		bad("cooperative", "tên hợp tác xã không được để trống, tối đa 200 ký tự")
	case fixed != nil:
		if geo.Fold(row.coopName) != geo.Fold(fixed.Name) && row.coopName != fixed.Slug {
			bad("cooperative", fmt.Sprintf("dòng này thuộc “%s”, không phải hợp tác xã “%s” đang nhập", truncateRunes(row.coopName, 60), fixed.Name))
		}
		row.coopKey = fixed.ID.String()
	default:
		row.coopKey = geo.Fold(row.coopName) + "\x00" + p.Province
	}
	return row, errs
}

// apply writes the parsed rows in tx: cooperatives first (an admin's
// import creates missing ones), then every product and variant through a
// staging table, their outbox records and the cooperatives' figures.
func (s *Service) apply(ctx context.Context, tx *sqlx.Tx, rows []importRow, fixed *Coop, rep *ImportReport) error {
	if err := s.importTimeouts(ctx, tx); err != nil {
		return err
	}
	// The cooperatives in the order of their keys: EnsureForImport locks
	// each name, and two imports then take those locks in one order.
	first := map[string]int{}
	for i, r := range rows {
		if _, ok := first[r.coopKey]; !ok {
			first[r.coopKey] = i
		}
	}
	coopIDs := map[string]uuid.UUID{}
	for _, key := range slices.Sorted(maps.Keys(first)) {
		if fixed != nil {
			coopIDs[key] = fixed.ID
			continue
		}
		r := rows[first[key]]
		c, err := s.coops.EnsureForImport(ctx, tx, r.coopName, r.product.Province)
		if err != nil {
			return fmt.Errorf("catalog: import line %d: %w", r.line, err)
		}
		coopIDs[key] = c.ID
	}
	for i := range rows {
		rows[i].coopID = coopIDs[rows[i].coopKey]
	}
	rep.Cooperatives = len(coopIDs)
	// One import at a time per cooperative, from before it reads what
	// exists: two imports of a new SKU would each insert it.
	if err := s.lockImports(ctx, tx, uniqueIDs(coopIDs)); err != nil {
		return err
	}

	keys := make([]variantKey, len(rows))
	for i, r := range rows {
		keys[i] = variantKey{CoopID: r.coopID, SKU: r.variant.SKU}
	}
	existing, err := s.store.ExistingVariants(ctx, tx, keys)
	if err != nil {
		return err
	}
	for i := range rows {
		if ids, ok := existing[keys[i]]; ok {
			rows[i].existing, rows[i].productID, rows[i].variantI = true, ids.ProductID, ids.VariantID
			rep.Updated++
		} else {
			rows[i].variantI = rows[i].variant.ID
			rep.Created++
		}
	}
	if err := s.placeGroups(ctx, tx, rows); err != nil {
		return err
	}
	// A new product's slug comes from its name; a product of several rows
	// gets one.
	var bases []string
	newIDs := map[uuid.UUID]string{}
	for i := range rows {
		r := &rows[i]
		if r.newProduct {
			if _, ok := newIDs[r.productID]; !ok {
				newIDs[r.productID] = ""
				bases = append(bases, Slugify(r.product.Name))
			}
		}
	}
	taken, err := s.store.TakenSlugs(ctx, tx, bases)
	if err != nil {
		return err
	}
	slugs := freeSlugs(bases, taken)
	products := map[uuid.UUID]bool{}
	for i := range rows {
		r := &rows[i]
		products[r.productID] = true
		if !r.newProduct {
			continue
		}
		if newIDs[r.productID] == "" {
			newIDs[r.productID], slugs = slugs[0], slugs[1:]
		}
		r.product.Slug = newIDs[r.productID]
	}
	rep.Products = len(products)
	merged, err := s.store.ImportRows(ctx, tx, rows)
	if err != nil {
		return err
	}
	rep.Merged = merged
	return s.refreshStats(ctx, tx, uniqueIDs(coopIDs))
}

// placeGroups chooses the product of every row. A row of its own keeps
// the product of its SKU, or is a new product. The rows that share a
// product key go to one product: the cooperative's product with that key
// (a product without a key answers to its slug, which export writes in its
// place), else the product of the group's first SKU that exists, unless an
// earlier group took it, else a new product. Rows whose SKU is a variant
// of another product take that variant along: it moves, with its ID, so
// that carts and orders keep pointing at it.
func (s *Service) placeGroups(ctx context.Context, tx *sqlx.Tx, rows []importRow) error {
	type group struct {
		ref  productKeyRef
		rows []int
	}
	var groups []*group
	byKey := map[string]*group{}
	for i := range rows {
		r := &rows[i]
		if r.groupKey == "" {
			continue
		}
		g, ok := byKey[r.groupKey]
		if !ok {
			g = &group{ref: productKeyRef{CoopID: r.coopID, Key: r.productKey}}
			byKey[r.groupKey] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, i)
	}
	refs := make([]productKeyRef, len(groups))
	for i, g := range groups {
		refs[i] = g.ref
	}
	found := map[productKeyRef]uuid.UUID{}
	if len(refs) > 0 {
		var err error
		if found, err = s.store.ProductsByKey(ctx, tx, refs); err != nil {
			return err
		}
	}
	target := make([]uuid.UUID, len(groups))
	taken := map[uuid.UUID]bool{}
	for i, g := range groups {
		if id, ok := found[g.ref]; ok && !taken[id] {
			target[i], taken[id] = id, true
		}
	}
	for i, g := range groups {
		if target[i] != uuid.Nil {
			continue
		}
		for _, j := range g.rows {
			if r := rows[j]; r.existing && !taken[r.productID] {
				target[i], taken[r.productID] = r.productID, true
				break
			}
		}
	}
	for i, g := range groups {
		for _, j := range g.rows {
			rows[j].productID, rows[j].newProduct = target[i], target[i] == uuid.Nil
		}
	}
	// New products get their IDs (UUIDv7, the order of creation) in the
	// order of the file.
	newIDs := map[string]uuid.UUID{}
	for i := range rows {
		r := &rows[i]
		switch {
		case r.groupKey == "" && !r.existing:
			r.newProduct = true
		case !r.newProduct:
			continue
		}
		if id, ok := newIDs[r.groupKey]; ok && r.groupKey != "" {
			r.productID = id
			continue
		}
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		r.productID, newIDs[r.groupKey] = id, id
	}
	return nil
}

// importTimeouts bounds the statements of the import's transaction.
func (s *Service) importTimeouts(ctx context.Context, tx *sqlx.Tx) error {
	const q = `SELECT set_config('statement_timeout', $1, true)`
	ms := s.imports.withDefaults().StatementTimeout.Milliseconds()
	if _, err := tx.ExecContext(ctx, q, strconv.FormatInt(max(ms, 1), 10)); err != nil {
		return fmt.Errorf("catalog: import timeout: %w", err)
	}
	return nil
}

// Import locks (transaction-scoped advisory locks): a shared hold of
// importLock by every import and one lock per cooperative
// (importLockSpace, 32 bits of its ID) — or, for an import of more than
// maxImportLocks cooperatives, importLock alone, exclusive, so that an
// administrator's import of the whole country does not fill the server's
// lock table.
const (
	importLock      = 73_961_320
	importLockSpace = 73_961_321
	maxImportLocks  = 256
)

// lockImports waits, at most the import's LockWait, until no other import
// of the cooperatives runs, and keeps them out until the transaction ends.
// The cooperatives are locked in sorted order, so that two imports that
// share several never wait for each other in a circle.
func (s *Service) lockImports(ctx context.Context, tx *sqlx.Tx, coops []uuid.UUID) error {
	const wait = `SELECT set_config('lock_timeout', $1, true)`
	ms := s.imports.withDefaults().LockWait.Milliseconds()
	if _, err := tx.ExecContext(ctx, wait, strconv.FormatInt(max(ms, 1), 10)); err != nil {
		return fmt.Errorf("catalog: import lock: %w", err)
	}
	if len(coops) > maxImportLocks {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, importLock); err != nil {
			return fmt.Errorf("catalog: import lock: %w", err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, importLock); err != nil {
			return fmt.Errorf("catalog: import lock: %w", err)
		}
		keys := make([]int64, len(coops))
		for i, id := range coops {
			keys[i] = int64(int32(binary.BigEndian.Uint32(id[12:])))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		// unnest yields the keys in the array's order, and the aggregate
		// takes the locks in the order its rows come.
		const q = `
SELECT count(pg_advisory_xact_lock($1, k))
FROM unnest($2::int[]) AS k`
		if _, err := tx.ExecContext(ctx, q, importLockSpace, pq.Array(keys)); err != nil {
			return fmt.Errorf("catalog: import lock: %w", err)
		}
	}
	// The rest of the import waits for rows as any write does.
	if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout TO DEFAULT`); err != nil {
		return fmt.Errorf("catalog: import lock: %w", err)
	}
	return nil
}

func uniqueIDs(m map[string]uuid.UUID) []uuid.UUID {
	seen := make(map[uuid.UUID]bool, len(m))
	out := make([]uuid.UUID, 0, len(m))
	for _, id := range m {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
