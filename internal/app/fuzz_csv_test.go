package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// csvSeed is a valid import of the fixture's cooperative: the header of
// the catalog format and two rows.
const csvSeed = "product,sku,cooperative,province,name,group,unit,price_vnd,wholesale_min_qty,wholesale_price_vnd,stock,ocop_stars,certifications,keywords,description\r\n" +
	"che-moc-cau,MC-100,HTX Chè Tân Cương,thai-nguyen,Chè móc câu,thuc-pham,gói 100 g,120000,10,100000,50,4,VietGAP,\"chè, trà\",Chè móc câu Tân Cương.\r\n" +
	"che-moc-cau,MC-500,HTX Chè Tân Cương,thai-nguyen,Chè móc câu,thuc-pham,gói 500 g,550000,,,20,4,VietGAP,\"chè, trà\",Chè móc câu Tân Cương.\r\n"

// randomCSV returns a mutated import file: cells replaced by nasty
// values, columns added or dropped, rows repeated, a BOM, another
// delimiter, broken quotes, or bytes mutated.
func randomCSV(r *rand.Rand) []byte {
	lines := strings.Split(strings.TrimSuffix(csvSeed, "\r\n"), "\r\n")
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = strings.Split(l, ",")
	}
	// Mostly cells of valid UTF-8, which pass the file's checks and reach
	// the rows' own.
	cell := func() string {
		if r.IntN(6) == 0 {
			return randomString(r)
		}
		return strings.ToValidUTF8(randomString(r), "?")
	}
	for range 1 + r.IntN(4) {
		row := rows[1+r.IntN(len(rows)-1)]
		if r.IntN(8) == 0 {
			row = rows[0]
		}
		switch r.IntN(6) {
		case 0, 1:
			row[r.IntN(len(row))] = cell()
		case 2:
			row[r.IntN(len(row))] = `"` + cell() // an unclosed quote
		case 3:
			rows = append(rows, append([]string(nil), rows[1+r.IntN(len(rows)-1)]...))
		case 4:
			for range r.IntN(300) {
				rows[0] = append(rows[0], cell())
			}
		case 5:
			i := r.IntN(len(rows[0]))
			rows[0] = append(rows[0][:i:i], rows[0][i+1:]...)
		}
	}
	var b strings.Builder
	if r.IntN(8) == 0 {
		b.WriteString("\ufeff")
	}
	sep, eol := ",", []string{"\r\n", "\n", "\r"}[r.IntN(3)]
	if r.IntN(10) == 0 {
		sep = ";"
	}
	for _, row := range rows {
		b.WriteString(strings.Join(row, sep) + eol)
	}
	out := []byte(b.String())
	if r.IntN(6) == 0 {
		out = mutate(r, out, 1<<20)
	}
	return out
}

// TestCSVImportProperty sends mutated catalog files to the manager's
// import and the admin's import, dry runs and real ones, as text/csv and
// as a multipart form: none answers 5xx, every 4xx is problem+json.
func TestCSVImportProperty(t *testing.T) {
	w := newFuzzWorld(t)
	r := fuzzRand(3)
	seen := statuses{}
	const n = 500
	for i := range n {
		data := randomCSV(r)
		if i == 0 {
			data = []byte(csvSeed)
		}
		target, token := "/api/v1/cooperatives/"+w.f.Coop.Slug+"/products/import", w.manager
		if r.IntN(3) == 0 {
			target, token = "/api/v1/products/import", w.admin
		}
		if i > 0 && r.IntN(4) != 0 {
			target += "?dry_run=true"
		}
		ct, body := "text/csv", data
		if r.IntN(3) == 0 {
			ct, body = multipartFile("file", "catalog.csv", data)
		}
		res := w.send(t, "POST", target, token, ct, body)
		checkImport(t, res, target, data)
		seen.add(res.Code)
		if t.Failed() {
			break
		}
	}
	seen.expectSomeOK(t)
	noErrorsLogged(t, w)
}

// FuzzCSVImport sends the fuzzer's file to the manager's import, as a dry run.
func FuzzCSVImport(f *testing.F) {
	f.Add([]byte(csvSeed))
	f.Add([]byte(strings.Replace(csvSeed, "Chè móc câu", "Chè\x00", 1)))
	f.Add([]byte(strings.Replace(csvSeed, "120000", "=HYPERLINK(\"x\")", 1)))
	f.Add([]byte("\xff\xfe,\"\n"))
	w := newFuzzWorld(f)
	target := "/api/v1/cooperatives/" + w.f.Coop.Slug + "/products/import?dry_run=true"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		checkImport(t, w.send(t, "POST", target, w.manager, "text/csv", data), target, data)
	})
}

// checkImport checks an import's answer: a file with bad rows is answered
// 422 with the import's report (application/json, listing the errors),
// anything else as check says.
func checkImport(t testing.TB, res *httptest.ResponseRecorder, target string, data []byte) {
	t.Helper()
	if res.Code == 422 && strings.HasPrefix(res.Header().Get("Content-Type"), "application/json") {
		var rep struct {
			ErrorCount int `json:"error_count"`
		}
		if err := json.Unmarshal(res.Body.Bytes(), &rep); err != nil || rep.ErrorCount == 0 {
			t.Errorf("POST %s answered 422 without errors in its report (%v) for the file %.300q: %.300s", target, err, data, res.Body)
		}
		return
	}
	check(t, res, "POST", target, fmt.Sprintf("the file %.300q", data))
}

// multipartFile returns a multipart form with one file part.
func multipartFile(field, name string, data []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = mw.WriteField("alt", "Ảnh sản phẩm")
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}
