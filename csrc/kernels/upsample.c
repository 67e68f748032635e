/* Separable resampling (see upsample.h): gathers and scatters with two taps
 * per axis, compiled once. */
#include "upsample.h"

#include <string.h>

static int bad_sizes(int64_t planes, int64_t height, int64_t width, int64_t out_height,
                     int64_t out_width) {
    return planes < 0 || height < 0 || width < 0 || out_height < 0 || out_width < 0 ||
           (out_height > 0 && height == 0) || (out_width > 0 && width == 0);
}

static int indices_in_range(const int64_t *idx, int64_t n, int64_t size) {
    for (int64_t i = 0; i < 2 * n; i++)
        if (idx[i] < 0 || idx[i] >= size)
            return 0;
    return 1;
}

#define T float
#define SFX f32
#include "upsample_typed.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "upsample_typed.h"
#undef T
#undef SFX
