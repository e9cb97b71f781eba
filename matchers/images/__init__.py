"""Reading pictures: the copy and logo indexes, the Hamming indexes under them, the pixel check, OCR,
and the marks' reference images."""
