/* The C API from C (C99, -Wall -Wextra -pedantic -Werror): the header is plain C, a run works,
 * and misuse returns an error status. Exits 1 with a line per failed check. */
#include <iscam/iscam.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                    iscam_last_error());                                          \
            ++failures;                                                           \
        }                                                                         \
    } while (0)

int main(void) {
    const char *model = ISCAM_SOURCE_DIR "/web/models/fashion-cnn.onnx";
    const char *image = ISCAM_SOURCE_DIR "/web/samples/fashion-0-ankle-boot.png";
    iscam_context *ctx = NULL;
    iscam_result *r = NULL;
    iscam_explain_params p = iscam_default_explain_params();
    iscam_prediction top[2];
    size_t n = 0;
    float up[4];

    CHECK(iscam_init_from_file(NULL, iscam_default_context_params(), &ctx) == ISCAM_ERROR_ARGUMENT);
    CHECK(strstr(iscam_last_error(), "model_path") != NULL);
    CHECK(iscam_init_from_file(model, iscam_default_context_params(), &ctx) == ISCAM_OK);
    if (!ctx) return 1;

    CHECK(iscam_predict_file(ctx, image, 2, top, &n) == ISCAM_OK && n == 2 && top[0].class_index == 9);
    p.methods = ISCAM_METHOD_SCORECAM | ISCAM_METHOD_ISCAM;
    p.iscam_samples = 3;
    CHECK(iscam_explain_file(ctx, image, p, &r) == ISCAM_OK);
    CHECK(iscam_result_n_methods(r) == 2);
    CHECK(iscam_result_map(r, ISCAM_METHOD_ISCAM) != NULL);
    CHECK(iscam_result_map(r, ISCAM_METHOD_SSCAM) == NULL);
    CHECK(iscam_result_upsampled_map(r, ISCAM_METHOD_ISCAM, 2, 2, up, 3) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_result_json(r) != NULL && strstr(iscam_result_json(r), "\"results\"") != NULL);
    iscam_result_free(r);

    p.methods = 0;
    r = NULL;
    CHECK(iscam_explain_file(ctx, image, p, &r) == ISCAM_ERROR_ARGUMENT && r == NULL);
    CHECK(iscam_explain_rgb(ctx, NULL, 0, 0, 0, iscam_default_explain_params(), &r) == ISCAM_ERROR_ARGUMENT);
    CHECK(iscam_explain_tensor(ctx, up, 4, iscam_default_explain_params(), &r) == ISCAM_ERROR_ARGUMENT);
    iscam_free(ctx);
    iscam_free(NULL);
    iscam_result_free(NULL);
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
