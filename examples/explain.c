/* Explains an image with the C API: prints the result as JSON and writes the map over the image.
 *
 *     explain_c MODEL.onnx IMAGE OVERLAY.png [scorecam|sscam|iscam]
 */
#include <iscam/iscam.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned method_bit(const char *name) {
    const unsigned bits[] = {ISCAM_METHOD_SCORECAM, ISCAM_METHOD_SSCAM, ISCAM_METHOD_ISCAM};
    size_t i;
    for (i = 0; i < 3; ++i)
        if (strcmp(name, iscam_method_name(bits[i])) == 0) return bits[i];
    return 0;
}

int main(int argc, char **argv) {
    iscam_context *ctx = NULL;
    iscam_result *result = NULL;
    iscam_explain_params params = iscam_default_explain_params();
    unsigned method;
    int width, height, scale;
    uint8_t *overlay = NULL;
    size_t size;
    int status = 1;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s MODEL.onnx IMAGE OVERLAY.png [scorecam|sscam|iscam]\n", argv[0]);
        return 2;
    }
    method = method_bit(argc == 5 ? argv[4] : "iscam");
    if (!method) {
        fprintf(stderr, "unknown method '%s'\n", argv[4]);
        return 2;
    }
    if (iscam_init_from_file(argv[1], iscam_default_context_params(), &ctx) != ISCAM_OK) goto done;
    params.methods = method;
    if (iscam_explain_file(ctx, argv[2], params, &result) != ISCAM_OK) goto done;

    /* The overlay at the image's size, scaled up so that small images (28×28) stay visible. */
    width = iscam_result_image_width(result);
    height = iscam_result_image_height(result);
    scale = (width < height ? width : height) < 224 ? (224 + width - 1) / (width < height ? width : height) : 1;
    width *= scale;
    height *= scale;
    size = (size_t)width * (size_t)height * 3;
    overlay = malloc(size);
    if (!overlay) goto done;
    if (iscam_result_overlay(result, method, iscam_default_overlay_params(), width, height, overlay, size) != ISCAM_OK ||
        iscam_write_png(argv[3], overlay, size, width, height) != ISCAM_OK)
        goto done;

    printf("%s\n", iscam_result_json(result));
    fprintf(stderr, "class %d (%s), layer %s, %zu forward passes; overlay: %s\n", iscam_result_class(result),
            iscam_result_class_label(result), iscam_result_layer(result), iscam_result_total_forward_passes(result),
            argv[3]);
    status = 0;
done:
    if (status) fprintf(stderr, "explain_c: %s\n", iscam_last_error());
    free(overlay);
    iscam_result_free(result);
    iscam_free(ctx);
    return status;
}
