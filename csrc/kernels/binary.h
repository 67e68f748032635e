/* Elementwise arithmetic on two operands: out[i] = a[i] op b[i].
 *
 * Each operand is either n contiguous elements (stride 1) or one element
 * repeated (stride 0: a scalar, or a broadcast view of one value). out may
 * be one of the operands (in place); it must not overlap them otherwise.
 * Float division by zero gives inf or NaN, as IEEE and PyTorch say.
 */
#ifndef HB_BINARY_H
#define HB_BINARY_H

#include <stdint.h>
#include "isa.h"

enum hb_binary_op { HB_BINARY_ADD = 0, HB_BINARY_SUB, HB_BINARY_MUL, HB_BINARY_DIV, HB_BINARY_COUNT };

enum hb_status hb_binary_f32(int op, const float *a, int64_t a_stride, const float *b,
                             int64_t b_stride, float *out, int64_t n);
enum hb_status hb_binary_f64(int op, const double *a, int64_t a_stride, const double *b,
                             int64_t b_stride, double *out, int64_t n);

#endif
