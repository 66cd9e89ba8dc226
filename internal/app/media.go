package app

import (
	"context"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
)

// coopPictures gives cooperatives' logos and covers the catalog's image
// pipeline: its limits, its decode budget (shared with product images) and
// its metadata stripping.
type coopPictures struct{ products *catalog.Service }

var _ cooperative.Pictures = coopPictures{}

func (p coopPictures) Process(ctx context.Context, data []byte) (small, large cooperative.ImageFile, err error) {
	pic, err := p.products.ProcessPicture(ctx, data)
	if err != nil {
		return cooperative.ImageFile{}, cooperative.ImageFile{}, err
	}
	return cooperative.ImageFile(pic.Thumb), cooperative.ImageFile(pic.Medium), nil
}

func (p coopPictures) MaxBytes() int { return p.products.ImageMaxBytes() }
