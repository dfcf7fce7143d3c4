#ifndef VIPS_SHIM_H
#define VIPS_SHIM_H

/// Fixed-argument wrappers over libvips' variadic calls, which Swift cannot make.

/// Starts libvips once per process; 0 on success.
int vips_shim_start(void);

/// Reads the width and height in pixels of the image at `path`; 0 on success.
int vips_shim_size(const char *path, int *width, int *height);

/// Resizes the image at `input` to `width` pixels wide (never larger than it is; the height
/// follows the aspect ratio) and saves it as `output`, whose suffix picks the format (`.webp`,
/// `.jpg`, `.png`; save options in brackets, e.g. `x.webp[Q=80]`). Writes the result's size to
/// `out_width`/`out_height`; 0 on success.
int vips_shim_resize(const char *input, const char *output, int width, int *out_width, int *out_height);

/// The last libvips error message (owned by a per-thread buffer until the next call), and clears it.
const char *vips_shim_error(void);

#endif
