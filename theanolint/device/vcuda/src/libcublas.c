/*
 * theanolint virtual CUDA device: stand-in for cuBLAS (libcublas, v2 API).
 *
 * Device memory is host memory, so every routine libgpuarray 0.7.6 resolves
 * (src/loaders/libcublas.fn) is computed for real with plain loops: results
 * of constant folding or of Theano's start-up checks are therefore correct.
 * Matrices are column-major, as in BLAS.  Scalars (alpha, beta, dot results)
 * are read/written through the given pointer in both pointer modes, since
 * host and "device" share one address space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vcuda.h"

typedef int cublasStatus_t;
enum {
  CUBLAS_STATUS_SUCCESS = 0,
  CUBLAS_STATUS_NOT_INITIALIZED = 1,
  CUBLAS_STATUS_ALLOC_FAILED = 3,
  CUBLAS_STATUS_INVALID_VALUE = 7,
  CUBLAS_STATUS_NOT_SUPPORTED = 15
};
enum { OP_N = 0, OP_T = 1, OP_C = 2 };                /* cublasOperation_t */
enum { R_32F = 0, R_64F = 1, R_16F = 2 };             /* cudaDataType */

struct vcuda_blas { CUstream stream; int pointer_mode, atomics_mode; };
typedef struct vcuda_blas *cublasHandle_t;

/* ---- element access for the three real types we support ---------------- */

/* IEEE binary16 <-> binary32, round to nearest even. */
static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f,
           man = h & 0x3ff, bits;
  float f;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000 | (man << 13);
  } else if (exp == 0) {
    f = (float)man / 16777216.0f;  /* man * 2^-24 */
    return sign ? -f : f;
  } else {
    bits = sign | ((exp + 112) << 23) | (man << 13);
  }
  memcpy(&f, &bits, 4);
  return f;
}

static uint16_t float_to_half(float f) {
  uint32_t x, sign, man;
  int exp;
  memcpy(&x, &f, 4);
  sign = (x >> 16) & 0x8000;
  exp = (int)((x >> 23) & 0xff) - 127 + 15;
  man = x & 0x7fffff;
  if (((x >> 23) & 0xff) == 0xff)  /* inf / nan */
    return (uint16_t)(sign | 0x7c00 | (man ? 0x200 : 0));
  if (exp >= 0x1f) return (uint16_t)(sign | 0x7c00);  /* overflow */
  if (exp <= 0) {                                    /* subnormal or zero */
    uint32_t m, shift, r, half;
    if (exp < -10) return (uint16_t)sign;
    m = man | 0x800000;
    shift = (uint32_t)(14 - exp);
    r = m >> shift;
    half = 1u << (shift - 1);
    if ((m & ((half << 1) - 1)) > half || ((m & ((half << 1) - 1)) == half && (r & 1))) r++;
    return (uint16_t)(sign | r);
  }
  {
    uint32_t r = ((uint32_t)exp << 10) | (man >> 13), rem = man & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (r & 1))) r++;  /* may carry into exp */
    return (uint16_t)(sign | r);
  }
}

static inline double load(int t, const void *p, size_t i) {
  switch (t) {
  case R_32F: return ((const float *)p)[i];
  case R_64F: return ((const double *)p)[i];
  default: return half_to_float(((const uint16_t *)p)[i]);
  }
}

static inline void store(int t, void *p, size_t i, double v) {
  switch (t) {
  case R_32F: ((float *)p)[i] = (float)v; break;
  case R_64F: ((double *)p)[i] = v; break;
  default: ((uint16_t *)p)[i] = float_to_half((float)v);
  }
}

static int valid_type(int t) { return t == R_32F || t == R_64F || t == R_16F; }
static int valid_op(int op) { return op == OP_N || op == OP_T || op == OP_C; }

/* ---- core kernels -------------------------------------------------------- */

/* C = alpha * op(A) * op(B) + beta * C; C is m x n, k the inner dimension.
 * With beta == 0, C is not read (so NaN/garbage in C does not propagate). */
static cublasStatus_t gemm(int ta, int tb, int m, int n, int k, double alpha,
                           int at, const void *A, int lda, int bt, const void *B,
                           int ldb, double beta, int ct, void *C, int ldc) {
  if (!valid_op(ta) || !valid_op(tb) || m < 0 || n < 0 || k < 0 ||
      lda < (ta == OP_N ? m : k) || lda < 1 || ldb < (tb == OP_N ? k : n) ||
      ldb < 1 || ldc < m || ldc < 1)
    return CUBLAS_STATUS_INVALID_VALUE;
  for (int j = 0; j < n; j++) {
    for (int i = 0; i < m; i++) {
      double acc = 0;
      size_t ci = (size_t)i + (size_t)j * ldc;
      if (alpha != 0) {
        for (int l = 0; l < k; l++) {
          size_t ai = ta == OP_N ? (size_t)i + (size_t)l * lda : (size_t)l + (size_t)i * lda;
          size_t bi = tb == OP_N ? (size_t)l + (size_t)j * ldb : (size_t)j + (size_t)l * ldb;
          acc += load(at, A, ai) * load(bt, B, bi);
        }
      }
      store(ct, C, ci, alpha * acc + (beta != 0 ? beta * load(ct, C, ci) : 0));
    }
  }
  return CUBLAS_STATUS_SUCCESS;
}

/* BLAS vector indexing: a negative increment walks the vector backwards. */
static inline size_t vidx(int i, int len, int inc) {
  return inc > 0 ? (size_t)i * inc : (size_t)(len - 1 - i) * (size_t)(-inc);
}

/* y = alpha * op(A) * x + beta * y, A is m x n. */
static cublasStatus_t gemv(int t, int trans, int m, int n, double alpha,
                           const void *A, int lda, const void *x, int incx,
                           double beta, void *y, int incy) {
  int ylen, xlen;
  if (!valid_op(trans) || m < 0 || n < 0 || lda < m || lda < 1 || incx == 0 ||
      incy == 0)
    return CUBLAS_STATUS_INVALID_VALUE;
  ylen = trans == OP_N ? m : n;
  xlen = trans == OP_N ? n : m;
  for (int i = 0; i < ylen; i++) {
    double acc = 0;
    size_t yi = vidx(i, ylen, incy);
    for (int l = 0; l < xlen && alpha != 0; l++) {
      size_t ai = trans == OP_N ? (size_t)i + (size_t)l * lda : (size_t)l + (size_t)i * lda;
      acc += load(t, A, ai) * load(t, x, vidx(l, xlen, incx));
    }
    store(t, y, yi, alpha * acc + (beta != 0 ? beta * load(t, y, yi) : 0));
  }
  return CUBLAS_STATUS_SUCCESS;
}

/* A += alpha * x * y^T, A is m x n. */
static cublasStatus_t ger(int t, int m, int n, double alpha, const void *x,
                          int incx, const void *y, int incy, void *A, int lda) {
  if (m < 0 || n < 0 || incx == 0 || incy == 0 || lda < m || lda < 1)
    return CUBLAS_STATUS_INVALID_VALUE;
  for (int j = 0; j < n; j++) {
    double yj = alpha * load(t, y, vidx(j, n, incy));
    for (int i = 0; i < m; i++) {
      size_t ai = (size_t)i + (size_t)j * lda;
      store(t, A, ai, load(t, A, ai) + load(t, x, vidx(i, m, incx)) * yj);
    }
  }
  return CUBLAS_STATUS_SUCCESS;
}

static cublasStatus_t dot(int t, int n, const void *x, int incx, const void *y,
                          int incy, void *result) {
  double acc = 0;
  if (!result) return CUBLAS_STATUS_INVALID_VALUE;
  for (int i = 0; i < n; i++)
    acc += load(t, x, vidx(i, n, incx)) * load(t, y, vidx(i, n, incy));
  store(t, result, 0, acc);
  return CUBLAS_STATUS_SUCCESS;
}

/* ---- handle management --------------------------------------------------- */

#define CHECK_H(h) do { if (!(h)) return CUBLAS_STATUS_NOT_INITIALIZED; } while (0)

VCUDA_EXPORT cublasStatus_t cublasCreate_v2(cublasHandle_t *h) {
  if (!h) return CUBLAS_STATUS_INVALID_VALUE;
  *h = calloc(1, sizeof(**h));
  return *h ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_ALLOC_FAILED;
}
VCUDA_EXPORT cublasStatus_t cublasDestroy_v2(cublasHandle_t h) {
  CHECK_H(h);
  free(h);
  return CUBLAS_STATUS_SUCCESS;
}
VCUDA_EXPORT cublasStatus_t cublasSetStream_v2(cublasHandle_t h, CUstream s) {
  CHECK_H(h);
  h->stream = s;
  return CUBLAS_STATUS_SUCCESS;
}
VCUDA_EXPORT cublasStatus_t cublasSetPointerMode_v2(cublasHandle_t h, int mode) {
  CHECK_H(h);
  if (mode != 0 && mode != 1) return CUBLAS_STATUS_INVALID_VALUE;
  h->pointer_mode = mode;
  return CUBLAS_STATUS_SUCCESS;
}
VCUDA_EXPORT cublasStatus_t cublasGetPointerMode_v2(cublasHandle_t h, int *mode) {
  CHECK_H(h);
  if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
  *mode = h->pointer_mode;
  return CUBLAS_STATUS_SUCCESS;
}
VCUDA_EXPORT cublasStatus_t cublasSetAtomicsMode(cublasHandle_t h, int mode) {
  CHECK_H(h);
  h->atomics_mode = mode;
  return CUBLAS_STATUS_SUCCESS;
}

/* ---- level 1 / 2 ---------------------------------------------------------- */

VCUDA_EXPORT cublasStatus_t cublasSdot_v2(cublasHandle_t h, int n, const float *x,
                                          int incx, const float *y, int incy,
                                          float *r) {
  CHECK_H(h);
  return dot(R_32F, n, x, incx, y, incy, r);
}
VCUDA_EXPORT cublasStatus_t cublasDdot_v2(cublasHandle_t h, int n, const double *x,
                                          int incx, const double *y, int incy,
                                          double *r) {
  CHECK_H(h);
  return dot(R_64F, n, x, incx, y, incy, r);
}
VCUDA_EXPORT cublasStatus_t cublasSgemv_v2(cublasHandle_t h, int tr, int m, int n,
                                           const float *alpha, const float *A,
                                           int lda, const float *x, int incx,
                                           const float *beta, float *y, int incy) {
  CHECK_H(h);
  return gemv(R_32F, tr, m, n, *alpha, A, lda, x, incx, *beta, y, incy);
}
VCUDA_EXPORT cublasStatus_t cublasDgemv_v2(cublasHandle_t h, int tr, int m, int n,
                                           const double *alpha, const double *A,
                                           int lda, const double *x, int incx,
                                           const double *beta, double *y, int incy) {
  CHECK_H(h);
  return gemv(R_64F, tr, m, n, *alpha, A, lda, x, incx, *beta, y, incy);
}
VCUDA_EXPORT cublasStatus_t cublasSger_v2(cublasHandle_t h, int m, int n,
                                          const float *alpha, const float *x,
                                          int incx, const float *y, int incy,
                                          float *A, int lda) {
  CHECK_H(h);
  return ger(R_32F, m, n, *alpha, x, incx, y, incy, A, lda);
}
VCUDA_EXPORT cublasStatus_t cublasDger_v2(cublasHandle_t h, int m, int n,
                                          const double *alpha, const double *x,
                                          int incx, const double *y, int incy,
                                          double *A, int lda) {
  CHECK_H(h);
  return ger(R_64F, m, n, *alpha, x, incx, y, incy, A, lda);
}

/* ---- level 3 -------------------------------------------------------------- */

VCUDA_EXPORT cublasStatus_t cublasSgemm_v2(cublasHandle_t h, int ta, int tb, int m,
                                           int n, int k, const float *alpha,
                                           const float *A, int lda, const float *B,
                                           int ldb, const float *beta, float *C,
                                           int ldc) {
  CHECK_H(h);
  return gemm(ta, tb, m, n, k, *alpha, R_32F, A, lda, R_32F, B, ldb, *beta,
              R_32F, C, ldc);
}
VCUDA_EXPORT cublasStatus_t cublasDgemm_v2(cublasHandle_t h, int ta, int tb, int m,
                                           int n, int k, const double *alpha,
                                           const double *A, int lda,
                                           const double *B, int ldb,
                                           const double *beta, double *C, int ldc) {
  CHECK_H(h);
  return gemm(ta, tb, m, n, k, *alpha, R_64F, A, lda, R_64F, B, ldb, *beta,
              R_64F, C, ldc);
}

/* Mixed precision gemm (libgpuarray uses it for float16 with float32 math). */
VCUDA_EXPORT cublasStatus_t cublasSgemmEx(cublasHandle_t h, int ta, int tb, int m,
                                          int n, int k, const float *alpha,
                                          const void *A, int at, int lda,
                                          const void *B, int bt, int ldb,
                                          const float *beta, void *C, int ct,
                                          int ldc) {
  CHECK_H(h);
  if (!(at == R_16F || at == R_32F) || !(bt == R_16F || bt == R_32F) ||
      !(ct == R_16F || ct == R_32F))
    return CUBLAS_STATUS_NOT_SUPPORTED;
  return gemm(ta, tb, m, n, k, *alpha, at, A, lda, bt, B, ldb, *beta, ct, C, ldc);
}

/* alpha/beta have the compute type; the algorithm hint is irrelevant here. */
VCUDA_EXPORT cublasStatus_t cublasGemmEx(cublasHandle_t h, int ta, int tb, int m,
                                         int n, int k, const void *alpha,
                                         const void *A, int at, int lda,
                                         const void *B, int bt, int ldb,
                                         const void *beta, void *C, int ct,
                                         int ldc, int compute, int algo) {
  (void)algo;
  CHECK_H(h);
  if (!valid_type(at) || !valid_type(bt) || !valid_type(ct) ||
      !valid_type(compute))
    return CUBLAS_STATUS_NOT_SUPPORTED;
  return gemm(ta, tb, m, n, k, load(compute, alpha, 0), at, A, lda, bt, B, ldb,
              load(compute, beta, 0), ct, C, ldc);
}

VCUDA_EXPORT cublasStatus_t cublasSgemmBatched(cublasHandle_t h, int ta, int tb,
                                               int m, int n, int k,
                                               const float *alpha,
                                               const float *const A[], int lda,
                                               const float *const B[], int ldb,
                                               const float *beta, float *const C[],
                                               int ldc, int count) {
  CHECK_H(h);
  if (count < 0) return CUBLAS_STATUS_INVALID_VALUE;
  for (int b = 0; b < count; b++) {
    cublasStatus_t s = gemm(ta, tb, m, n, k, *alpha, R_32F, A[b], lda, R_32F, B[b],
                            ldb, *beta, R_32F, C[b], ldc);
    if (s) return s;
  }
  return CUBLAS_STATUS_SUCCESS;
}
VCUDA_EXPORT cublasStatus_t cublasDgemmBatched(cublasHandle_t h, int ta, int tb,
                                               int m, int n, int k,
                                               const double *alpha,
                                               const double *const A[], int lda,
                                               const double *const B[], int ldb,
                                               const double *beta,
                                               double *const C[], int ldc,
                                               int count) {
  CHECK_H(h);
  if (count < 0) return CUBLAS_STATUS_INVALID_VALUE;
  for (int b = 0; b < count; b++) {
    cublasStatus_t s = gemm(ta, tb, m, n, k, *alpha, R_64F, A[b], lda, R_64F, B[b],
                            ldb, *beta, R_64F, C[b], ldc);
    if (s) return s;
  }
  return CUBLAS_STATUS_SUCCESS;
}

static cublasStatus_t strided(int t, int ta, int tb, int m, int n, int k,
                              double alpha, const void *A, int lda, long long sa,
                              const void *B, int ldb, long long sb, double beta,
                              void *C, int ldc, long long sc, int count) {
  size_t es = t == R_64F ? 8 : t == R_32F ? 4 : 2;
  if (count < 0) return CUBLAS_STATUS_INVALID_VALUE;
  for (int b = 0; b < count; b++) {
    cublasStatus_t s = gemm(ta, tb, m, n, k, alpha, t,
                            (const char *)A + (size_t)(b * sa) * es, lda, t,
                            (const char *)B + (size_t)(b * sb) * es, ldb, beta, t,
                            (char *)C + (size_t)(b * sc) * es, ldc);
    if (s) return s;
  }
  return CUBLAS_STATUS_SUCCESS;
}

VCUDA_EXPORT cublasStatus_t cublasHgemmStridedBatched(
    cublasHandle_t h, int ta, int tb, int m, int n, int k, const uint16_t *alpha,
    const uint16_t *A, int lda, long long sa, const uint16_t *B, int ldb,
    long long sb, const uint16_t *beta, uint16_t *C, int ldc, long long sc,
    int count) {
  CHECK_H(h);
  return strided(R_16F, ta, tb, m, n, k, half_to_float(*alpha), A, lda, sa, B, ldb,
                 sb, half_to_float(*beta), C, ldc, sc, count);
}
VCUDA_EXPORT cublasStatus_t cublasSgemmStridedBatched(
    cublasHandle_t h, int ta, int tb, int m, int n, int k, const float *alpha,
    const float *A, int lda, long long sa, const float *B, int ldb, long long sb,
    const float *beta, float *C, int ldc, long long sc, int count) {
  CHECK_H(h);
  return strided(R_32F, ta, tb, m, n, k, *alpha, A, lda, sa, B, ldb, sb, *beta, C,
                 ldc, sc, count);
}
VCUDA_EXPORT cublasStatus_t cublasDgemmStridedBatched(
    cublasHandle_t h, int ta, int tb, int m, int n, int k, const double *alpha,
    const double *A, int lda, long long sa, const double *B, int ldb,
    long long sb, const double *beta, double *C, int ldc, long long sc,
    int count) {
  CHECK_H(h);
  return strided(R_64F, ta, tb, m, n, k, *alpha, A, lda, sa, B, ldb, sb, *beta, C,
                 ldc, sc, count);
}
