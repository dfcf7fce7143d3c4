#ifndef VIPS_SHIM_H
#define VIPS_SHIM_H

#include <stddef.h>

/// Fixed-argument wrappers over libvips' variadic calls, which Swift cannot make.

/// Starts libvips once per process; 0 on success.
int vips_shim_start(void);

/// Reads the width and height in pixels of the image at `path`; 0 on success.
int vips_shim_size(const char *path, int *width, int *height);

/// The image file held in `bytes` (`length` bytes) resized to `width` pixels wide (never larger than
/// it is; the height follows the aspect ratio; a JPEG much larger is shrunk while it is decoded),
/// turned upright by its EXIF orientation and converted to sRGB, held in memory: an image handle
/// for the calls below, or NULL on failure. `bytes` must outlive the handle. Release it with
/// `vips_shim_release`.
void *vips_shim_thumbnail(const void *bytes, size_t length, int width);

/// A held image resized down to `width` pixels wide (never enlarged), held in memory; NULL on failure.
void *vips_shim_shrink(void *image, int width);

/// Saves a held image as `output`, whose suffix picks the format (`.webp`, `.jpg`, `.png`; save
/// options in brackets, e.g. `x.webp[Q=80,strip]`); 0 on success.
int vips_shim_save(void *image, const char *output);

/// A held image's width and height in pixels.
int vips_shim_width(void *image);
int vips_shim_height(void *image);

/// Lets a held image go.
void vips_shim_release(void *image);

/// Decodes an image held in memory (`bytes`, `length` bytes: e.g. an SVG document, drawn with its
/// text by librsvg and pango) and saves it as `output`; writes its size; 0 on success.
int vips_shim_render(const void *bytes, size_t length, const char *output, int *out_width, int *out_height);

/// libvips' version, e.g. `8.14.1`.
const char *vips_shim_version(void);

/// The last libvips error message (owned by a per-thread buffer until the next call), and clears it.
const char *vips_shim_error(void);

#endif
