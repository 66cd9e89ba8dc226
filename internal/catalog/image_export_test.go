package catalog

// PNGHeader lends the external tests the pixel bomb of image_process_test.go.
var PNGHeader = pngHeader
