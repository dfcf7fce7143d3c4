#include "vips_shim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libvips is opened with dlopen on first use instead of being linked: loading it and the ~100
// libraries it needs took 35 ms (measured), which every sitegen start would pay, image or not.
// Only the few entry points below are used, declared here from libvips 8's stable ABI
// (<vips/vips.h>): images are opaque pointers; the enums are VipsAccess and VipsSize.

typedef struct VipsImage VipsImage;
enum { ACCESS_SEQUENTIAL = 1 };  // VIPS_ACCESS_SEQUENTIAL
enum { SIZE_DOWN = 2 };          // VIPS_SIZE_DOWN
enum { FAIL_ON_TRUNCATED = 1 };  // VIPS_FAIL_ON_TRUNCATED (libvips 8.12)

static int (*vips_init_)(const char *);
static int (*vips_version_)(int);
static void (*vips_cache_set_max_)(int);
static VipsImage *(*vips_image_new_from_file_)(const char *, ...);
static VipsImage *(*vips_image_new_from_buffer_)(const void *, size_t, const char *, ...);
static VipsImage *(*vips_image_copy_memory_)(VipsImage *);
static int (*vips_image_get_width_)(const VipsImage *);
static int (*vips_image_get_height_)(const VipsImage *);
static const char *(*vips_version_string_)(void);
static char *(*vips_error_buffer_copy_)(void);
static void (*g_free_)(void *);
static int (*vips_image_remove_)(VipsImage *, const char *);
static char **(*vips_image_get_fields_)(VipsImage *);
static void (*g_strfreev_)(char **);
static int (*vips_image_get_string_)(const VipsImage *, const char *, const char **);
static unsigned long (*vips_image_get_typeof_)(const VipsImage *, const char *);
static int (*vips_thumbnail_image_)(VipsImage *, VipsImage **, int, ...);
static int (*vips_image_write_to_file_)(VipsImage *, const char *, ...);
static const char *(*vips_error_buffer_)(void);
static void (*g_object_unref_)(void *);

static _Thread_local char last_error[1024];

static int fail_with(const char *message) {
    snprintf(last_error, sizeof(last_error), "%s", message ? message : "unknown libvips error");
    return -1;
}

// libvips' error buffer is shared by every thread: take it and clear it in one step (under libvips' lock).
static int fail(void) {
    char *message = vips_error_buffer_copy_();
    int status = fail_with(message && *message ? message : NULL);
    g_free_(message);
    return status;
}

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int start_status = 0;
static char start_error[1024];

#define LOAD(handle, name) \
    if (!(*(void **)&name##_ = dlsym(handle, #name))) { \
        snprintf(start_error, sizeof(start_error), "libvips has no %s (libvips 8 is needed)", #name); \
        start_status = -1; \
        return; \
    }

static void start(void) {
    void *handle = dlopen("libvips.so.42", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(start_error, sizeof(start_error), "cannot load libvips (install Debian's libvips42, which scripts/setup.sh does): %s", dlerror());
        start_status = -1;
        return;
    }
    LOAD(handle, vips_init) LOAD(handle, vips_version) LOAD(handle, vips_cache_set_max)
    LOAD(handle, vips_image_new_from_file) LOAD(handle, vips_image_get_width) LOAD(handle, vips_image_get_height)
    LOAD(handle, vips_image_write_to_file) LOAD(handle, vips_error_buffer)
    LOAD(handle, g_object_unref) LOAD(handle, vips_image_new_from_buffer) LOAD(handle, vips_image_copy_memory) LOAD(handle, vips_thumbnail_image)
    LOAD(handle, vips_version_string) LOAD(handle, vips_error_buffer_copy) LOAD(handle, g_free)
    LOAD(handle, vips_image_remove) LOAD(handle, vips_image_get_fields) LOAD(handle, g_strfreev) LOAD(handle, vips_image_get_string) LOAD(handle, vips_image_get_typeof)
    if (vips_version_(0) != 8) {
        snprintf(start_error, sizeof(start_error), "libvips %d.%d is not libvips 8", vips_version_(0), vips_version_(1));
        start_status = -1;
        return;
    }
    // libvips' warnings go to stderr naming no file; what matters becomes an error naming it.
    setenv("VIPS_WARNING", "0", 0);
    if (vips_init_("sitegen")) {
        snprintf(start_error, sizeof(start_error), "%s", vips_error_buffer_());
        start_status = -1;
        return;
    }
    // Each call reads its file once and leaves nothing behind: no operation cache.
    vips_cache_set_max_(0);
}

int vips_shim_start(void) {
    pthread_once(&start_once, start);
    if (start_status != 0) return fail_with(start_error);
    return 0;
}

int vips_shim_size(const char *path, int *width, int *height) {
    VipsImage *image = vips_image_new_from_file_(path, "access", ACCESS_SEQUENTIAL, NULL);
    if (!image) return fail();
    *width = vips_image_get_width_(image);
    *height = vips_image_get_height_(image);
    g_object_unref_(image);
    return 0;
}

// Held in memory: the thumbnail reads its source once, in order; kept, it can be saved and shrunk again.
static VipsImage *kept(VipsImage *image) {
    VipsImage *copy = vips_image_copy_memory_(image);
    g_object_unref_(image);
    if (!copy) {
        fail();
        return NULL;
    }
    // No metadata travels into a copy: the "strip" save option does not reach WebP's EXIF in 8.14,
    // and savers rebuild an EXIF block from the parsed "exif-ifd…" fields.
    char **fields = vips_image_get_fields_(copy);
    for (char **field = fields; field && *field; field++) {
        if (strncmp(*field, "exif-", 5) == 0 || strcmp(*field, "xmp-data") == 0 || strcmp(*field, "iptc-data") == 0
            || strcmp(*field, "icc-profile-data") == 0 || strcmp(*field, "orientation") == 0)
            vips_image_remove_(copy, *field);
    }
    g_strfreev_(fields);
    return copy;
}

void *vips_shim_thumbnail(const void *bytes, size_t length, int width) {
    // The header first: a JPEG much wider than needed is decoded at 1/2, 1/4 or 1/8 of its size,
    // for a fraction of the work (both sides checked: the photo may be stored sideways).
    VipsImage *header = vips_image_new_from_buffer_(bytes, length, "", "access", ACCESS_SEQUENTIAL, NULL);
    if (!header) {
        fail();
        return NULL;
    }
    const char *loader = NULL;
    int jpeg = vips_image_get_string_(header, "vips-loader", &loader) == 0 && loader && strncmp(loader, "jpegload", 8) == 0;
    int side = vips_image_get_width_(header) < vips_image_get_height_(header) ? vips_image_get_width_(header) : vips_image_get_height_(header);
    g_object_unref_(header);
    int shrink = 1;
    while (jpeg && shrink < 8 && side / (shrink * 2) >= width) shrink *= 2;
    // A truncated or damaged file fails (libvips would otherwise fill the rest with grey and warn):
    // vips_thumbnail_buffer does not pass fail_on to its loader in 8.14, so the image is loaded here.
    VipsImage *image = jpeg
        ? vips_image_new_from_buffer_(bytes, length, "", "access", ACCESS_SEQUENTIAL, "fail_on", FAIL_ON_TRUNCATED, "shrink", shrink, NULL)
        : vips_image_new_from_buffer_(bytes, length, "", "access", ACCESS_SEQUENTIAL, "fail_on", FAIL_ON_TRUNCATED, NULL);
    if (!image) {
        fail();
        return NULL;
    }
    VipsImage *thumbnail = NULL;
    // Turned upright by its EXIF orientation; colours converted to sRGB from an embedded profile
    // (Display P3 photos) before the profile is removed. Without one the pixels are taken as sRGB
    // already: asking for the conversion anyway made a cold run of 1,000 covers 27 % slower.
    int status = vips_image_get_typeof_(image, "icc-profile-data") != 0
        ? vips_thumbnail_image_(image, &thumbnail, width, "height", 100000, "size", SIZE_DOWN, "export_profile", "srgb", NULL)
        : vips_thumbnail_image_(image, &thumbnail, width, "height", 100000, "size", SIZE_DOWN, NULL);
    g_object_unref_(image);
    if (status) {
        fail();
        return NULL;
    }
    return kept(thumbnail);
}

void *vips_shim_shrink(void *image, int width) {
    VipsImage *smaller = NULL;
    // The held image is sRGB already, its profile removed.
    if (vips_thumbnail_image_((VipsImage *)image, &smaller, width, "height", 100000, "size", SIZE_DOWN, NULL)) {
        fail();
        return NULL;
    }
    return kept(smaller);
}

int vips_shim_save(void *image, const char *output) {
    return vips_image_write_to_file_((VipsImage *)image, output, NULL) ? fail() : 0;
}

int vips_shim_width(void *image) { return vips_image_get_width_((VipsImage *)image); }

int vips_shim_height(void *image) { return vips_image_get_height_((VipsImage *)image); }

void vips_shim_release(void *image) { g_object_unref_(image); }

int vips_shim_render(const void *bytes, size_t length, const char *output, int *out_width, int *out_height) {
    VipsImage *image = vips_image_new_from_buffer_(bytes, length, "", NULL);
    if (!image) return fail();
    int status = vips_image_write_to_file_(image, output, NULL) ? fail() : 0;
    if (status == 0) {
        *out_width = vips_image_get_width_(image);
        *out_height = vips_image_get_height_(image);
    }
    g_object_unref_(image);
    return status;
}

const char *vips_shim_version(void) { return vips_version_string_(); }

const char *vips_shim_error(void) {
    return last_error;
}
