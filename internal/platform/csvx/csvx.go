// Package csvx writes the CSV files users download, so that spreadsheets
// open them safely: every export goes through its Writer, which
// neutralises the text cells a spreadsheet would run as a formula (CSV
// injection: a product named =HYPERLINK("http://…") becomes a link in the
// buyer's Excel). Plain undoes it for files read back, such as a catalog
// export imported again.
package csvx

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// triggers are the first characters that make a spreadsheet read a cell
// as a formula (OWASP's list): = + - @, and tab and carriage return, which
// some spreadsheets skip before looking at the next one.
const triggers = "=+-@\t\r"

// Safe neutralises a text cell: one that starts with a trigger gets a
// leading apostrophe, which Excel and LibreOffice show as text. A cell that
// already starts with apostrophes before a trigger gets one more, so that
// Plain(Safe(s)) == s for every s.
func Safe(cell string) string {
	if formulaLike(cell) {
		return "'" + cell
	}
	return cell
}

// Plain undoes Safe: a cell read back from an exported file loses the
// apostrophe Safe added, and nothing else.
func Plain(cell string) string {
	if strings.HasPrefix(cell, "'") && formulaLike(cell[1:]) {
		return cell[1:]
	}
	return cell
}

// formulaLike reports whether s, past any leading apostrophes, starts with
// a trigger.
func formulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.IndexByte(triggers, s[0]) >= 0
}

// number is a plain decimal number as the application writes one.
var number = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Options shape a Writer's output.
type Options struct {
	// CRLF ends lines with \r\n, as RFC 4180 and spreadsheets write them.
	CRLF bool
	// Numbers are the indexes of columns that hold numbers: a cell there
	// that is a plain decimal number, a negative one included, is written
	// as it is, so that the spreadsheet sums it; anything else in such a
	// column is neutralised as text.
	Numbers []int
}

// Writer writes records as CSV with every text cell neutralised.
type Writer struct {
	w       *csv.Writer
	numbers []int
	row     []string
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer, o Options) *Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = o.CRLF
	return &Writer{w: cw, numbers: slices.Clone(o.Numbers)}
}

// Write writes one record, neutralising its cells.
func (w *Writer) Write(record []string) error {
	w.row = w.row[:0]
	for i, cell := range record {
		if !(number.MatchString(cell) && slices.Contains(w.numbers, i)) {
			cell = Safe(cell)
		}
		w.row = append(w.row, cell)
	}
	if err := w.w.Write(w.row); err != nil {
		return fmt.Errorf("csvx: write: %w", err)
	}
	return nil
}

// Flush writes what is buffered and reports any error of the writes.
func (w *Writer) Flush() error {
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return fmt.Errorf("csvx: flush: %w", err)
	}
	return nil
}
