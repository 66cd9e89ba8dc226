package catalog

import (
	"context"
	"io"
	"strconv"
	"strings"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/csvx"
)

// Export writes a cooperative's catalog as CSV in the import format: one
// line per active variant of every product that is not archived, the
// product's key first (its slug when it has none), so that the file
// imported again changes nothing. Only the first wholesale tier of
// a variant fits the format. Text a spreadsheet would run as a formula is
// neutralised (csvx), and the import undoes it.
func (s *Service) Export(ctx context.Context, viewer *auth.Principal, coopIDOrSlug string, w io.Writer) error {
	coop, err := s.coops.Cooperative(ctx, coopIDOrSlug)
	if err != nil {
		return err
	}
	if viewer != nil {
		if err := allow(viewer, coop.ID, readers); err != nil {
			return err
		}
	}
	// CRLF: RFC 4180, as spreadsheets write it. The prices, quantities,
	// stock and stars stay numbers.
	cw := csvx.NewWriter(w, csvx.Options{CRLF: true, Numbers: []int{7, 8, 9, 10, 11}})
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	err = s.store.ExportRows(ctx, s.db, coop.ID, func(r exportRow) error {
		return cw.Write([]string{r.Product, r.SKU, r.Cooperative, r.Province, r.Name, r.Group, r.Unit,
			strconv.FormatInt(r.PriceVND, 10), optionalInt(r.WholesaleMinQty.Int64), optionalInt(r.WholesalePrice.Int64),
			strconv.FormatInt(r.Stock, 10), strconv.FormatInt(r.OCOPStars.Int64, 10),
			strings.Join(r.Certifications, ";"), strings.Join(r.Keywords, ", "), r.Description})
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

func optionalInt(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
