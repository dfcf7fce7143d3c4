#include "vips_shim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// libvips is opened with dlopen on first use instead of being linked: loading it and the ~100
// libraries it needs took 35 ms (measured), which every sitegen start would pay, image or not.
// Only the few entry points below are used, declared here from libvips 8's stable ABI
// (<vips/vips.h>): images are opaque pointers; the enums are VipsAccess and VipsSize.

typedef struct VipsImage VipsImage;
enum { ACCESS_SEQUENTIAL = 1 };  // VIPS_ACCESS_SEQUENTIAL
enum { SIZE_DOWN = 2 };          // VIPS_SIZE_DOWN

static int (*vips_init_)(const char *);
static int (*vips_version_)(int);
static void (*vips_cache_set_max_)(int);
static VipsImage *(*vips_image_new_from_file_)(const char *, ...);
static VipsImage *(*vips_image_new_from_buffer_)(const void *, size_t, const char *, ...);
static VipsImage *(*vips_image_copy_memory_)(VipsImage *);
static int (*vips_image_get_width_)(const VipsImage *);
static int (*vips_image_get_height_)(const VipsImage *);
static int (*vips_thumbnail_)(const char *, VipsImage **, int, ...);
static int (*vips_thumbnail_image_)(VipsImage *, VipsImage **, int, ...);
static int (*vips_image_write_to_file_)(VipsImage *, const char *, ...);
static const char *(*vips_error_buffer_)(void);
static void (*vips_error_clear_)(void);
static void (*g_object_unref_)(void *);

static _Thread_local char last_error[1024];

static int fail_with(const char *message) {
    snprintf(last_error, sizeof(last_error), "%s", message ? message : "unknown libvips error");
    return -1;
}

static int fail(void) {
    int status = fail_with(vips_error_buffer_());
    vips_error_clear_();
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
    LOAD(handle, vips_thumbnail) LOAD(handle, vips_image_write_to_file) LOAD(handle, vips_error_buffer)
    LOAD(handle, vips_error_clear) LOAD(handle, g_object_unref) LOAD(handle, vips_image_new_from_buffer) LOAD(handle, vips_image_copy_memory) LOAD(handle, vips_thumbnail_image)
    if (vips_version_(0) != 8) {
        snprintf(start_error, sizeof(start_error), "libvips %d.%d is not libvips 8", vips_version_(0), vips_version_(1));
        start_status = -1;
        return;
    }
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

void *vips_shim_thumbnail(const char *input, int width) {
    VipsImage *thumbnail = NULL;
    if (vips_thumbnail_(input, &thumbnail, width, "height", 100000, "size", SIZE_DOWN, NULL)) {
        fail();
        return NULL;
    }
    // The thumbnail reads its source once, in order: kept in memory, it can be saved and shrunk again.
    VipsImage *kept = vips_image_copy_memory_(thumbnail);
    g_object_unref_(thumbnail);
    if (!kept) fail();
    return kept;
}

void *vips_shim_shrink(void *image, int width) {
    VipsImage *smaller = NULL;
    if (vips_thumbnail_image_((VipsImage *)image, &smaller, width, "height", 100000, "size", SIZE_DOWN, NULL)) {
        fail();
        return NULL;
    }
    VipsImage *kept = vips_image_copy_memory_(smaller);
    g_object_unref_(smaller);
    if (!kept) fail();
    return kept;
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

const char *vips_shim_error(void) {
    return last_error;
}
