/*
 * iscam.h: the C API of iscam, Score-CAM, SS-CAM and IS-CAM class activation maps for ONNX image
 * classifiers (forward passes only, no gradients).
 *
 * Usage (error handling shortened; every call that can fail returns an iscam_status):
 *
 *     #include <iscam/iscam.h>
 *
 *     iscam_context *ctx = NULL;
 *     if (iscam_init_from_file("model.onnx", iscam_default_context_params(), &ctx) != ISCAM_OK) {
 *         fprintf(stderr, "iscam: %s\n", iscam_last_error());
 *         return 1;
 *     }
 *     iscam_explain_params params = iscam_default_explain_params();
 *     params.methods = ISCAM_METHOD_ISCAM;           // or several: ISCAM_METHOD_ALL
 *     iscam_result *r = NULL;
 *     if (iscam_explain_file(ctx, "cat.png", params, &r) == ISCAM_OK) {
 *         const float *map = iscam_result_map(r, ISCAM_METHOD_ISCAM);   // h × w values in [0, 1]
 *         printf("class %d (%s): %d×%d map\n", iscam_result_class(r), iscam_result_class_label(r),
 *                iscam_result_map_height(r), iscam_result_map_width(r));
 *         iscam_result_free(r);
 *     }
 *     iscam_free(ctx);
 *
 * Conventions:
 * - Parameters are plain structs passed by value: take them from iscam_default_*_params() and
 *   change the fields you need, so that fields added later keep their defaults in your code.
 * - Strings and buffers given to a call are copied or used only during the call.
 * - Objects are created by one call (iscam_init_*, iscam_explain_*) and freed by one call
 *   (iscam_free, iscam_result_free); freeing NULL does nothing. A result does not depend on its
 *   context: it may outlive it.
 * - Errors: a call returns ISCAM_OK or an error status, and iscam_last_error() says why in one
 *   line. Misuse (a NULL pointer, a buffer of the wrong size, a value out of range, an unknown
 *   layer or method) is an error, never a crash. Getters that cannot return a status return
 *   NULL, 0 or -1 on misuse and set iscam_last_error().
 * - Threads: a context must not be used by two threads at once; different contexts may be used
 *   by different threads at the same time (one context per thread, or a lock around each call).
 *   Results are read-only and may be read from any thread. iscam_last_error() is per thread.
 *
 * The library is versioned: ISCAM_VERSION_* here, iscam_version() at run time; the shared
 * library's SONAME changes whenever the ABI does (libiscam.so.0.MINOR while the major version is 0).
 */
#ifndef ISCAM_ISCAM_H
#define ISCAM_ISCAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define ISCAM_API
#elif defined(ISCAM_BUILDING_LIBRARY)
#define ISCAM_API __attribute__((visibility("default")))
#else
#define ISCAM_API
#endif

/* The enums have int's range in C++ too, so that any value a C caller stores in a field is valid
 * to read (and rejected as an error) rather than undefined behaviour. */
#ifdef __cplusplus
#define ISCAM_ENUM(name) enum name : int
#else
#define ISCAM_ENUM(name) enum name
#endif

#define ISCAM_VERSION_MAJOR 0
#define ISCAM_VERSION_MINOR 4
#define ISCAM_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status, errors, version ------------------------------------------------------------ */

typedef ISCAM_ENUM(iscam_status) {
    ISCAM_OK = 0,
    ISCAM_ERROR_ARGUMENT = 1,  /* a NULL pointer, a buffer of the wrong size, a value out of range */
    ISCAM_ERROR_INPUT = 2,     /* a model, image, tensor or file that cannot be used (the CLI's exit 2) */
    ISCAM_ERROR_CANCELLED = 3, /* the progress callback returned false */
    ISCAM_ERROR_MEMORY = 4,    /* out of memory */
    ISCAM_ERROR_INTERNAL = 5   /* a bug in iscam: please report it with the message */
} iscam_status;

/* The message of the last failed call on this thread ("" when none); valid until the next call
 * on this thread. */
ISCAM_API const char *iscam_last_error(void);
/* "ok", "argument", "input", "cancelled", "memory", "internal". */
ISCAM_API const char *iscam_status_name(iscam_status status);

/* The library's version, "MAJOR.MINOR.PATCH", and as MAJOR·10000 + MINOR·100 + PATCH. */
ISCAM_API const char *iscam_version(void);
ISCAM_API int iscam_version_number(void);

/* ---- Context: a model ready to explain -------------------------------------------------- */

typedef struct iscam_context iscam_context;

typedef ISCAM_ENUM(iscam_device) {
    ISCAM_DEVICE_CPU = 0,
    ISCAM_DEVICE_CUDA = 1 /* needs a build with the CUDA path, the provider and a GPU */
} iscam_device;

typedef ISCAM_ENUM(iscam_layout) {
    ISCAM_LAYOUT_AUTO = 0, /* N×H×W×C when the last dimension is 1 or 3 and the second is not */
    ISCAM_LAYOUT_NCHW = 1,
    ISCAM_LAYOUT_NHWC = 2
} iscam_layout;

typedef struct iscam_context_params {
    int threads;              /* ONNX Runtime intra-op threads; 0: one per core */
    iscam_device device;      /* ISCAM_DEVICE_CPU */
    const char *sidecar_path; /* labels and preprocessing (JSON); NULL: M.json next to M.onnx for
                                 iscam_init_from_file, none for iscam_init_from_buffer */
    const char *labels_path;  /* class names, a JSON array or one a line; NULL: the sidecar's (and
                                 the ImageNet names for a 1000-class model without any) */
    const char *preset;       /* "imagenet", "unit" ([0, 1]), "symmetric" ([-1, 1]) or "pixels" (0..255);
                                 NULL: the sidecar's preprocessing, else ImageNet's (pixels for a
                                 model with a uint8 input) */
    bool set_mean;            /* false: mean from the preset or sidecar */
    float mean[3];            /* per channel, after /255 */
    bool set_std;
    float std[3];
    int height, width;        /* input size for a model that does not fix it; 0: the sidecar's or 224 */
    const char *resize;       /* "stretch" (to height × width), "shorter" (keep the aspect ratio, the
                                 shorter side to the input's size, then the centre crop) or a number
                                 (the shorter side in pixels, then the centre crop, as torchvision's
                                 Resize(N) + CenterCrop); NULL: the sidecar's, else "stretch" */
    const char *crop;         /* "center" or "none"; NULL: the sidecar's */
    bool bgr;                 /* feed the channels in B, G, R order (mean and std in that order too) */
    const char *score_output; /* the graph output read as the class scores; NULL: by rule (the 2-D
                                 [N, classes] or 1-D float output; through a final Softmax to its logits) */
    iscam_layout layout;      /* the input's layout; ISCAM_LAYOUT_AUTO: from its shape */
    uint64_t max_image_pixels;/* images larger than this (width × height) are refused; 64 megapixels */
    /* How target layers are read where the rules should not decide (docs/math.md, "Token and
       channels-last layers"): */
    int extra_tokens;         /* token layers: the leading tokens left out of the map; -1: by rule (0, 1 or 2) */
    int grid_height, grid_width; /* token layers: the patch grid; 0, 0: the input's aspect ratio */
    iscam_layout layer_layout;/* 4-D layers; ISCAM_LAYOUT_AUTO: from the graph, then the shape */
} iscam_context_params;

/* The defaults: the model's sidecar, ONNX Runtime's threads, the CPU. */
ISCAM_API iscam_context_params iscam_default_context_params(void);

/* Loads an ONNX classifier (and its sidecar). On success *ctx is a new context to free with
 * iscam_free; on failure *ctx is NULL. */
ISCAM_API iscam_status iscam_init_from_file(const char *model_path, iscam_context_params params,
                                            iscam_context **ctx);
/* The same from model bytes in memory (copied). */
ISCAM_API iscam_status iscam_init_from_buffer(const void *data, size_t size, iscam_context_params params,
                                              iscam_context **ctx);
/* Frees the context and its model; results made with it stay valid. NULL: nothing. */
ISCAM_API void iscam_free(iscam_context *ctx);

/* The input every image is turned into: shape[4] = {1, C, H, W}. */
ISCAM_API iscam_status iscam_input_shape(const iscam_context *ctx, int64_t shape[4]);
/* How many classes the model scores (runs the model once, the first time). */
ISCAM_API iscam_status iscam_class_count(iscam_context *ctx, size_t *count);
/* The name of class `index` ("" when the model has no labels); NULL when out of range. Valid
 * while the context lives. */
ISCAM_API const char *iscam_class_label(iscam_context *ctx, int index);

/* ---- Layers ----------------------------------------------------------------------------- */

typedef struct iscam_layer {
    const char *name;    /* the tensor's name; valid while the context lives */
    const char *op_type; /* the ONNX operator that makes it (Conv, Relu, MaxPool, ...) */
    int64_t channels, height, width; /* as read; 0 when the layer is not read */
    const char *reading; /* how it is read: "channels-first", "channels-last", "tokens: CLS + 4×4 grid", ...;
                            "" when not read */
    const char *problem; /* why it is not read without an override (one line); "" when it is read */
} iscam_layer;

/* The candidate target layers, in graph order: N×K×h×w and N×H×W×C maps and token sequences
 * [N, T, D] or [T, N, D] of a patch grid, and those only an override reads (problem says why).
 * The model runs once on zeros the first time; later calls reuse the list. */
ISCAM_API iscam_status iscam_layer_count(iscam_context *ctx, size_t *count);
ISCAM_API iscam_status iscam_layer_at(iscam_context *ctx, size_t index, iscam_layer *layer);
/* The default: the last layer read, as torch-cam picks it, or for token layers the last encoder
 * block's output. ISCAM_ERROR_INPUT when no layer is read. */
ISCAM_API iscam_status iscam_default_layer(iscam_context *ctx, const char **name);

/* ---- Predict ---------------------------------------------------------------------------- */

typedef struct iscam_prediction {
    int class_index;
    float logit;
    float probability; /* softmax over the logits */
    const char *label; /* "" when the model has no labels; valid while the context lives */
} iscam_prediction;

/* The top-k classes, most probable first, into out[0 .. *count - 1] (*count = min(k, classes);
 * count may be NULL). Inputs: an image file (PNG, JPEG, BMP, GIF); the bytes of such a file in
 * memory (iscam_predict_encoded, size bytes, decoded with the same limits); 8-bit RGB pixels, row after
 * row, rgb_size = width · height · 3 bytes; or a tensor already preprocessed to the model's input
 * shape (iscam_input_shape), float32, tensor_count values. */
ISCAM_API iscam_status iscam_predict_file(iscam_context *ctx, const char *image_path, size_t k,
                                          iscam_prediction *out, size_t *count);
ISCAM_API iscam_status iscam_predict_encoded(iscam_context *ctx, const void *data, size_t size, size_t k,
                                             iscam_prediction *out, size_t *count);
ISCAM_API iscam_status iscam_predict_rgb(iscam_context *ctx, const uint8_t *rgb, size_t rgb_size, int width,
                                         int height, size_t k, iscam_prediction *out, size_t *count);
ISCAM_API iscam_status iscam_predict_tensor(iscam_context *ctx, const float *tensor, size_t tensor_count,
                                            size_t k, iscam_prediction *out, size_t *count);

/* ---- Explain ---------------------------------------------------------------------------- */

/* Methods, as bits: several may be asked in one run (they share forward passes). */
#define ISCAM_METHOD_SCORECAM 1u
#define ISCAM_METHOD_SSCAM 2u
#define ISCAM_METHOD_ISCAM 4u
#define ISCAM_METHOD_ALL 7u

/* Called after each batch of forward passes: passes_done of passes_total (the plan is known up
 * front, so the ratio is exact) and the seconds since the run started. Return false to cancel:
 * the run stops after the current batch and the explain call returns ISCAM_ERROR_CANCELLED. */
typedef bool (*iscam_progress_callback)(size_t passes_done, size_t passes_total, double elapsed_s,
                                        void *user_data);

typedef struct iscam_explain_params {
    unsigned methods;       /* ISCAM_METHOD_* bits; ISCAM_METHOD_ISCAM */
    const char *layer;      /* target layer; NULL: the default layer (iscam_default_layer) */
    int class_index;        /* class to explain; -1: the top-1 */
    int sscam_samples;      /* SS-CAM's N; 35 */
    float sscam_sigma;      /* SS-CAM's noise σ; 2.0 */
    uint64_t seed;          /* SS-CAM's noise seed; 0 */
    int iscam_samples;      /* IS-CAM's N; 10 */
    bool shortcuts;         /* skip all-zero channels and share the constant-channel pass (the map
                               is unchanged, see docs/math.md); true */
    int channels;           /* fast mode: score only `channels` channels, the others weigh 0 (chosen
                               as `select` says); 0: every channel, the exact map */
    int batch;              /* masked inputs per ONNX Runtime run, 1..4096; 32 (lowered to fit
                               memory_budget) */
    uint64_t memory_budget; /* bytes a batch may take; 0: half the memory available */
    int write_threads;      /* threads writing masked inputs; 0: one per core, at most 4 */
    iscam_progress_callback progress; /* NULL: none */
    void *progress_user_data;
    int contrast_class;     /* a contrastive map, "why class_index and not this class": every score
                               is f(·)_A − f(·)_B, the logit of class A (class_index) minus that of
                               class B (docs/math.md, "Contrastive maps"); must differ from A;
                               -1: none */
    int select;             /* how fast mode chooses its channels: ISCAM_SELECT_VARIANCE, the
                               `channels` of highest activation variance (Faster Score-CAM), or
                               ISCAM_SELECT_SCREEN: one γ = 1 pass (Score-CAM's score) for each of
                               the `screen_channels` of highest variance, the `channels` of them of
                               highest expected share of the map scored in full, the others' scores
                               predicted from their screening scores (docs/math.md, "Fast mode");
                               ISCAM_SELECT_VARIANCE */
    int screen_channels;    /* ISCAM_SELECT_SCREEN: the channels screened, more than `channels`;
                               0: 8 × channels, at least a tenth of the layer */
} iscam_explain_params;

#define ISCAM_SELECT_VARIANCE 0
#define ISCAM_SELECT_SCREEN 1

/* The defaults: IS-CAM (N = 10) of the top-1 class on the default layer, exact, batches of 32. */
ISCAM_API iscam_explain_params iscam_default_explain_params(void);

typedef struct iscam_result iscam_result;

/* Explains one class of one input (the four input forms of iscam_predict_*). On success
 * *result is a new result to free with iscam_result_free; on failure it is NULL. The context
 * keeps the explain session of the last layer used, so explaining many images on one layer
 * loads nothing again. */
ISCAM_API iscam_status iscam_explain_file(iscam_context *ctx, const char *image_path, iscam_explain_params params,
                                          iscam_result **result);
ISCAM_API iscam_status iscam_explain_encoded(iscam_context *ctx, const void *data, size_t size,
                                             iscam_explain_params params, iscam_result **result);
ISCAM_API iscam_status iscam_explain_rgb(iscam_context *ctx, const uint8_t *rgb, size_t rgb_size, int width,
                                         int height, iscam_explain_params params, iscam_result **result);
ISCAM_API iscam_status iscam_explain_tensor(iscam_context *ctx, const float *tensor, size_t tensor_count,
                                            iscam_explain_params params, iscam_result **result);
/* Frees the result and everything its getters handed out. NULL: nothing. */
ISCAM_API void iscam_result_free(iscam_result *result);

/* ---- Result ----------------------------------------------------------------------------- */

/* The methods computed, in the order ScoreCAM, SSCAM, ISCAM: method_at(i) for i < n_methods. */
ISCAM_API size_t iscam_result_n_methods(const iscam_result *result);
ISCAM_API unsigned iscam_result_method_at(const iscam_result *result, size_t index);
/* "scorecam", "sscam", "iscam" for one ISCAM_METHOD_* bit; NULL otherwise. */
ISCAM_API const char *iscam_method_name(unsigned method);

ISCAM_API int iscam_result_class(const iscam_result *result);               /* the class explained */
ISCAM_API const char *iscam_result_class_label(const iscam_result *result); /* "" when unlabelled */
ISCAM_API const char *iscam_result_layer(const iscam_result *result);
ISCAM_API float iscam_result_class_score(const iscam_result *result);       /* f(X)_c, the logit; with a
                                                                               contrast f(X)_A − f(X)_B */
ISCAM_API int iscam_result_contrast_class(const iscam_result *result);      /* B; -1 when not contrastive */

/* The map of one method: map_height × map_width values in [0, 1], row after row, at the layer's
 * resolution (step 5 of docs/math.md). NULL when the method was not computed. */
ISCAM_API int iscam_result_map_height(const iscam_result *result);
ISCAM_API int iscam_result_map_width(const iscam_result *result);
ISCAM_API const float *iscam_result_map(const iscam_result *result, unsigned method);
/* Per channel (n_channels values): the weights w_k (NaN for channels skipped as all-zero) and
 * the scores s_k. */
ISCAM_API size_t iscam_result_n_channels(const iscam_result *result);
ISCAM_API const float *iscam_result_weights(const iscam_result *result, unsigned method);
ISCAM_API const float *iscam_result_scores(const iscam_result *result, unsigned method);
/* Forward passes whose score fed this method; of the whole run, the baseline pass included. */
ISCAM_API size_t iscam_result_forward_passes(const iscam_result *result, unsigned method);
ISCAM_API size_t iscam_result_total_forward_passes(const iscam_result *result);

typedef struct iscam_timings {
    double inference_ms; /* inside ONNX Runtime */
    double other_ms;     /* everything else: masked inputs, the engine */
    double total_ms;
} iscam_timings;
ISCAM_API iscam_timings iscam_result_timings(const iscam_result *result);

/* The result as JSON, the document of the CLI's --json (one object for one method, {"results":
 * [...]} for several); valid while the result lives. */
ISCAM_API const char *iscam_result_json(iscam_result *result);

/* The size of the image explained, the part the model saw (its centre crop when the
 * preprocessing crops); 0 when the input was a tensor. */
ISCAM_API int iscam_result_image_width(const iscam_result *result);
ISCAM_API int iscam_result_image_height(const iscam_result *result);

/* The map upsampled (bilinear, half-pixel: step 2 of docs/math.md) to width × height floats; out_count must
 * be width · height. */
ISCAM_API iscam_status iscam_result_upsampled_map(const iscam_result *result, unsigned method, int width,
                                                  int height, float *out, size_t out_count);

typedef ISCAM_ENUM(iscam_colormap) {
    ISCAM_COLORMAP_JET = 0,
    ISCAM_COLORMAP_TURBO = 1,
    ISCAM_COLORMAP_VIRIDIS = 2,
    ISCAM_COLORMAP_INFERNO = 3,
    ISCAM_COLORMAP_GRAY = 4
} iscam_colormap;

typedef struct iscam_overlay_params {
    iscam_colormap colormap; /* ISCAM_COLORMAP_JET */
    float alpha;             /* the heatmap's opacity over the image, 0..1; 0.5 */
} iscam_overlay_params;

/* The defaults: jet, alpha 0.5 (the CLI's). */
ISCAM_API iscam_overlay_params iscam_default_overlay_params(void);

/* The upsampled map coloured: width × height RGB pixels (out_size = width · height · 3). */
ISCAM_API iscam_status iscam_result_heatmap(const iscam_result *result, unsigned method, iscam_overlay_params params,
                                            int width, int height, uint8_t *out, size_t out_size);
/* The coloured map blended over the image explained (the part the model saw), both at
 * width × height (the image is resized; iscam_result_image_width/height give its own size).
 * ISCAM_ERROR_ARGUMENT for a result explained from a tensor. */
ISCAM_API iscam_status iscam_result_overlay(const iscam_result *result, unsigned method, iscam_overlay_params params,
                                            int width, int height, uint8_t *out, size_t out_size);

/* Writes width × height RGB pixels (rgb_size = width · height · 3) as a PNG file. */
ISCAM_API iscam_status iscam_write_png(const char *path, const uint8_t *rgb, size_t rgb_size, int width, int height);

#ifdef __cplusplus
}
#endif

#endif /* ISCAM_ISCAM_H */
