// Package geo holds Vietnam's administrative geography as it stands since
// 2025: the 34 provincial units, the old provinces merged into each, and name
// folding so that "bac giang" finds Bắc Giang and maps it to Bắc Ninh.
package geo

// Province is one of the 34 provincial units.
type Province struct {
	Slug    string  `json:"slug"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"` // "city" (thành phố trực thuộc trung ương) or "province"
	Capital string  `json:"capital"`
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	// MergedFrom lists the former provinces merged into this one in 2025,
	// other than one of its own name.
	MergedFrom []string `json:"merged_from"`
}

// Resolution is the answer to "which province is this name?".
type Resolution struct {
	Query    string   `json:"query"`
	Matched  string   `json:"matched"`
	Match    string   `json:"match"` // "current", "merged" or "alias"
	Province Province `json:"province"`
}
