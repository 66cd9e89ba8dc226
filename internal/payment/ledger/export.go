package ledger

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"htxmarket/internal/platform/csvx"
)

// statementHeader is the first row of a statement CSV.
var statementHeader = []string{
	"Ngày ghi sổ",
	"Loại giao dịch",
	"Mã đơn hàng",
	"Tham chiếu",
	"Ngày chuyển khoản",
	"Số tiền (VND)",
	"Hoa hồng (VND)",
	"Thay đổi phải trả cho HTX (VND)",
	"Thay đổi phải thu từ HTX (VND)",
	"Số dư phải trả cho HTX (VND)",
	"Số dư phải thu từ HTX (VND)",
}

// kindLabels name the kinds on statements.
var kindLabels = map[Kind]string{
	KindOpening:      "Số dư đầu kỳ",
	KindCardSale:     "Bán hàng – thanh toán thẻ",
	KindDirectSale:   "Bán hàng – HTX thu trực tiếp (COD, chuyển khoản)",
	KindCardRefund:   "Hoàn tiền về thẻ",
	KindDirectRefund: "Hoàn tiền do HTX trả",
	KindPayout:       "Chi trả cho HTX",
	KindOffset:       "Bù trừ hoa hồng phải thu",
}

// utf8BOM lets Excel open the file as UTF-8 rather than the system's code
// page, which would garble Vietnamese.
const utf8BOM = "\uFEFF"

// WriteStatementCSV writes lines as a CSV that Excel opens as is: UTF-8
// with a byte-order mark, CRLF line ends, Vietnamese headers, dates in
// Vietnam's time and VND as plain integers (negative for a decrease). Text
// that a spreadsheet could take for a formula is neutralised (csvx); the
// amounts, columns 5 to 10, stay numbers. Bank references are typed by
// staff, and refund keys come from outside.
func (s *Service) WriteStatementCSV(w io.Writer, lines []StatementLine) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("ledger: write statement: %w", err)
	}
	cw := csvx.NewWriter(w, csvx.Options{CRLF: true, Numbers: []int{5, 6, 7, 8, 9, 10}})
	if err := cw.Write(statementHeader); err != nil {
		return fmt.Errorf("ledger: write statement: %w", err)
	}
	for _, l := range lines {
		sub, paidOn := "", ""
		if l.SubOrderID != nil {
			sub = l.SubOrderID.String()
		}
		if l.PaidOn != nil {
			paidOn = l.PaidOn.Format(time.DateOnly)
		}
		label, ok := kindLabels[l.Kind]
		if !ok {
			label = string(l.Kind)
		}
		row := []string{
			l.PostedAt.In(vietnam).Format("2006-01-02 15:04"),
			label,
			sub,
			l.Reference,
			paidOn,
			vnd(l.AmountVND),
			vnd(l.CommissionVND),
			vnd(l.PayableChangeVND),
			vnd(l.ReceivableChangeVND),
			vnd(l.PayableBalanceVND),
			vnd(l.ReceivableBalanceVND),
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("ledger: write statement: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("ledger: write statement: %w", err)
	}
	return nil
}

func vnd(n int64) string { return strconv.FormatInt(n, 10) }
