/*
 * theanolint virtual CUDA device: stand-in for the CUDA driver API (libcuda).
 *
 * Implements exactly the entry points libgpuarray 0.7.6 resolves with dlsym
 * (src/loaders/libcuda.fn), plus a few synchronous variants for other users.
 * One device, ordinal 0, described by environment variables read at cuInit:
 *   THEANOLINT_VCUDA_CC      compute capability "major.minor" (default 7.0)
 *   THEANOLINT_VCUDA_MEMORY  device memory in bytes (default 16 GiB)
 *   THEANOLINT_VCUDA_DRIVER  cuDriverGetVersion() value (default 10010)
 *   THEANOLINT_VCUDA_NAME    device name
 * Memory is host memory reserved lazily with mmap(MAP_NORESERVE), so a huge
 * "device" costs nothing until pages are touched.  Everything is synchronous:
 * streams and events are dummies.  Kernel launches always fail.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vcuda.h"

/* Attribute / option numbers from the driver API documentation. */
enum {
  ATTR_MAX_THREADS_PER_BLOCK = 1, ATTR_MAX_BLOCK_DIM_X = 2,
  ATTR_MAX_BLOCK_DIM_Y = 3, ATTR_MAX_BLOCK_DIM_Z = 4, ATTR_MAX_GRID_DIM_X = 5,
  ATTR_MAX_GRID_DIM_Y = 6, ATTR_MAX_GRID_DIM_Z = 7,
  ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8, ATTR_TOTAL_CONSTANT_MEMORY = 9,
  ATTR_WARP_SIZE = 10, ATTR_MAX_PITCH = 11, ATTR_MAX_REGISTERS_PER_BLOCK = 12,
  ATTR_CLOCK_RATE = 13, ATTR_TEXTURE_ALIGNMENT = 14, ATTR_GPU_OVERLAP = 15,
  ATTR_MULTIPROCESSOR_COUNT = 16, ATTR_CAN_MAP_HOST_MEMORY = 19,
  ATTR_CONCURRENT_KERNELS = 31, ATTR_MEMORY_CLOCK_RATE = 36,
  ATTR_GLOBAL_MEMORY_BUS_WIDTH = 37, ATTR_L2_CACHE_SIZE = 38,
  ATTR_MAX_THREADS_PER_MULTIPROCESSOR = 39, ATTR_ASYNC_ENGINE_COUNT = 40,
  ATTR_UNIFIED_ADDRESSING = 41, ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76,
  ATTR_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR = 81,
  ATTR_MAX_REGISTERS_PER_MULTIPROCESSOR = 82, ATTR_MANAGED_MEMORY = 83
};
enum { FUNC_MAX_THREADS_PER_BLOCK = 0, FUNC_NUM_REGS = 4,
       FUNC_PTX_VERSION = 5, FUNC_BINARY_VERSION = 6 };

/* ---- device profile ---------------------------------------------------- */

static int initialized;
static int cc_major = 7, cc_minor = 0;
static int driver_version = 10010;
static size_t total_mem = (size_t)16 << 30;
static char device_name[256] = "theanolint virtual CUDA device";

static void read_profile(void) {
  const char *s;
  if ((s = getenv("THEANOLINT_VCUDA_CC")) && *s) {
    int ma, mi;
    if (sscanf(s, "%d.%d", &ma, &mi) == 2 && ma > 0 && ma < 10 && mi >= 0 &&
        mi < 10) {
      cc_major = ma;
      cc_minor = mi;
    }
  }
  if ((s = getenv("THEANOLINT_VCUDA_MEMORY")) && *s) {
    unsigned long long v = strtoull(s, NULL, 10);
    if (v > 0) total_mem = (size_t)v;
  }
  if ((s = getenv("THEANOLINT_VCUDA_DRIVER")) && *s) {
    int v = atoi(s);
    if (v > 0) driver_version = v;
  }
  if ((s = getenv("THEANOLINT_VCUDA_NAME")) && *s)
    snprintf(device_name, sizeof(device_name), "%s", s);
}

#define CHECK_INIT() do { if (!initialized) return CUDA_ERROR_NOT_INITIALIZED; } while (0)
#define CHECK_DEV(d) do { if ((d) != 0) return CUDA_ERROR_INVALID_DEVICE; } while (0)

VCUDA_EXPORT CUresult cuInit(unsigned int flags) {
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (!initialized) {
    read_profile();
    initialized = 1;
  }
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDriverGetVersion(int *v) {
  if (!v) return CUDA_ERROR_INVALID_VALUE;
  if (!initialized) read_profile();  /* allowed before cuInit */
  *v = driver_version;
  return CUDA_SUCCESS;
}

/* ---- errors ------------------------------------------------------------- */

static const struct { int code; const char *name, *text; } errors[] = {
  {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
  {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
  {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY",
   "out of memory (theanolint virtual CUDA device)"},
  {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
  {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
  {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
  {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
  {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
  {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
  {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
  /* The only error a correct program sees: a kernel launch. */
  {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", VCUDA_NO_KERNELS_MSG},
};

static int find_error(CUresult e) {
  for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
    if (errors[i].code == e) return (int)i;
  return -1;
}

VCUDA_EXPORT CUresult cuGetErrorName(CUresult e, const char **p) {
  int i = find_error(e);
  if (!p) return CUDA_ERROR_INVALID_VALUE;
  *p = i < 0 ? "CUDA_ERROR_UNKNOWN" : errors[i].name;
  return i < 0 ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuGetErrorString(CUresult e, const char **p) {
  int i = find_error(e);
  if (!p) return CUDA_ERROR_INVALID_VALUE;
  *p = i < 0 ? "unknown error (theanolint virtual CUDA device)" : errors[i].text;
  return i < 0 ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

/* ---- device queries ----------------------------------------------------- */

VCUDA_EXPORT CUresult cuDeviceGetCount(int *n) {
  CHECK_INIT();
  if (!n) return CUDA_ERROR_INVALID_VALUE;
  *n = 1;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDeviceGet(CUdevice *d, int ordinal) {
  CHECK_INIT();
  if (!d) return CUDA_ERROR_INVALID_VALUE;
  CHECK_DEV(ordinal);
  *d = 0;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDeviceGetName(char *name, int len, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!name || len <= 0) return CUDA_ERROR_INVALID_VALUE;
  snprintf(name, (size_t)len, "%s", device_name);
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDeviceGetPCIBusId(char *bus, int len, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!bus || len <= 0) return CUDA_ERROR_INVALID_VALUE;
  snprintf(bus, (size_t)len, "0000:00:00.0");
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!bytes) return CUDA_ERROR_INVALID_VALUE;
  *bytes = total_mem;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDeviceComputeCapability(int *ma, int *mi, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!ma || !mi) return CUDA_ERROR_INVALID_VALUE;
  *ma = cc_major;
  *mi = cc_minor;
  return CUDA_SUCCESS;
}

/* Limits of a Volta-class part; only the compute capability is profiled. */
VCUDA_EXPORT CUresult cuDeviceGetAttribute(int *v, int attr, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!v) return CUDA_ERROR_INVALID_VALUE;
  switch (attr) {
  case ATTR_MAX_THREADS_PER_BLOCK: *v = 1024; break;
  case ATTR_MAX_BLOCK_DIM_X: case ATTR_MAX_BLOCK_DIM_Y: *v = 1024; break;
  case ATTR_MAX_BLOCK_DIM_Z: *v = 64; break;
  case ATTR_MAX_GRID_DIM_X: *v = 2147483647; break;
  case ATTR_MAX_GRID_DIM_Y: case ATTR_MAX_GRID_DIM_Z: *v = 65535; break;
  case ATTR_MAX_SHARED_MEMORY_PER_BLOCK: *v = 49152; break;
  case ATTR_TOTAL_CONSTANT_MEMORY: *v = 65536; break;
  case ATTR_WARP_SIZE: *v = 32; break;
  case ATTR_MAX_PITCH: *v = 2147483647; break;
  case ATTR_MAX_REGISTERS_PER_BLOCK: *v = 65536; break;
  case ATTR_CLOCK_RATE: *v = 1530000; break;
  case ATTR_TEXTURE_ALIGNMENT: *v = 512; break;
  case ATTR_GPU_OVERLAP: case ATTR_CAN_MAP_HOST_MEMORY:
  case ATTR_CONCURRENT_KERNELS: case ATTR_UNIFIED_ADDRESSING:
  case ATTR_MANAGED_MEMORY: *v = 1; break;
  case ATTR_MULTIPROCESSOR_COUNT: *v = 80; break;
  case ATTR_MEMORY_CLOCK_RATE: *v = 877000; break;
  case ATTR_GLOBAL_MEMORY_BUS_WIDTH: *v = 4096; break;
  case ATTR_L2_CACHE_SIZE: *v = 6 << 20; break;
  case ATTR_MAX_THREADS_PER_MULTIPROCESSOR: *v = 2048; break;
  case ATTR_ASYNC_ENGINE_COUNT: *v = 2; break;
  case ATTR_CC_MAJOR: *v = cc_major; break;
  case ATTR_CC_MINOR: *v = cc_minor; break;
  case ATTR_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: *v = 98304; break;
  case ATTR_MAX_REGISTERS_PER_MULTIPROCESSOR: *v = 65536; break;
  default:
    if (attr <= 0 || attr > 120) return CUDA_ERROR_INVALID_VALUE;
    *v = 0;  /* a feature we do not model: report "absent" */
  }
  return CUDA_SUCCESS;
}

/* ---- contexts: one primary context, per-thread current-context stack ---- */

struct vcuda_ctx { int dummy; };
static struct vcuda_ctx primary_ctx;
static int primary_refs;
static unsigned int primary_flags;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define CTX_STACK_MAX 64
static __thread CUcontext ctx_stack[CTX_STACK_MAX];
static __thread int ctx_depth;

VCUDA_EXPORT CUresult cuDevicePrimaryCtxGetState(CUdevice d, unsigned int *flags,
                                                 int *active) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!flags || !active) return CUDA_ERROR_INVALID_VALUE;
  pthread_mutex_lock(&lock);
  *flags = primary_flags;
  *active = primary_refs > 0;
  pthread_mutex_unlock(&lock);
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDevicePrimaryCtxSetFlags(CUdevice d, unsigned int flags) {
  CHECK_INIT();
  CHECK_DEV(d);
  primary_flags = flags;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  if (!c) return CUDA_ERROR_INVALID_VALUE;
  pthread_mutex_lock(&lock);
  primary_refs++;
  pthread_mutex_unlock(&lock);
  *c = &primary_ctx;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuDevicePrimaryCtxRelease(CUdevice d) {
  CHECK_INIT();
  CHECK_DEV(d);
  pthread_mutex_lock(&lock);
  if (primary_refs > 0) primary_refs--;
  pthread_mutex_unlock(&lock);
  return CUDA_SUCCESS;
}

/* Non-primary contexts are the same single context (for other clients). */
VCUDA_EXPORT CUresult cuCtxCreate_v2(CUcontext *c, unsigned int flags, CUdevice d) {
  CUresult r = cuDevicePrimaryCtxRetain(c, d);
  (void)flags;
  if (r == CUDA_SUCCESS && ctx_depth < CTX_STACK_MAX) ctx_stack[ctx_depth++] = *c;
  return r;
}

VCUDA_EXPORT CUresult cuCtxDestroy_v2(CUcontext c) {
  (void)c;
  if (ctx_depth > 0) ctx_depth--;
  return cuDevicePrimaryCtxRelease(0);
}

VCUDA_EXPORT CUresult cuCtxPushCurrent_v2(CUcontext c) {
  CHECK_INIT();
  if (c != &primary_ctx) return CUDA_ERROR_INVALID_CONTEXT;
  if (ctx_depth >= CTX_STACK_MAX) return CUDA_ERROR_INVALID_VALUE;
  ctx_stack[ctx_depth++] = c;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuCtxPopCurrent_v2(CUcontext *c) {
  CHECK_INIT();
  if (ctx_depth == 0) return CUDA_ERROR_INVALID_CONTEXT;
  ctx_depth--;
  if (c) *c = ctx_stack[ctx_depth];
  return CUDA_SUCCESS;
}

/* Lenient: there is only one device, so answer even without a current ctx. */
VCUDA_EXPORT CUresult cuCtxGetDevice(CUdevice *d) {
  CHECK_INIT();
  if (!d) return CUDA_ERROR_INVALID_VALUE;
  *d = 0;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuCtxSynchronize(void) { CHECK_INIT(); return CUDA_SUCCESS; }

/* ---- memory --------------------------------------------------------------
 * Each cuMemAlloc is its own anonymous MAP_NORESERVE mapping: pages cost RAM
 * only when written.  A small list remembers sizes for cuMemFree and for the
 * "used" figure that cuMemGetInfo subtracts from the profile's total.      */

struct alloc { void *p; size_t sz; struct alloc *next; };
static struct alloc *allocs;
static size_t used_mem;

VCUDA_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *dp, size_t sz) {
  void *p;
  struct alloc *a;
  CHECK_INIT();
  if (!dp || sz == 0) return CUDA_ERROR_INVALID_VALUE;
  pthread_mutex_lock(&lock);
  if (sz > total_mem - used_mem) {
    pthread_mutex_unlock(&lock);
    return CUDA_ERROR_OUT_OF_MEMORY;
  }
  p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  a = p == MAP_FAILED ? NULL : malloc(sizeof(*a));
  if (!a) {
    if (p != MAP_FAILED) munmap(p, sz);
    pthread_mutex_unlock(&lock);
    return CUDA_ERROR_OUT_OF_MEMORY;
  }
  a->p = p;
  a->sz = sz;
  a->next = allocs;
  allocs = a;
  used_mem += sz;
  pthread_mutex_unlock(&lock);
  *dp = (CUdeviceptr)(uintptr_t)p;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuMemFree_v2(CUdeviceptr dp) {
  struct alloc **pa, *a;
  CHECK_INIT();
  if (dp == 0) return CUDA_SUCCESS;
  pthread_mutex_lock(&lock);
  for (pa = &allocs; *pa; pa = &(*pa)->next) {
    if ((*pa)->p == (void *)(uintptr_t)dp) {
      a = *pa;
      *pa = a->next;
      used_mem -= a->sz;
      pthread_mutex_unlock(&lock);
      munmap(a->p, a->sz);
      free(a);
      return CUDA_SUCCESS;
    }
  }
  pthread_mutex_unlock(&lock);
  return CUDA_ERROR_INVALID_VALUE;
}

VCUDA_EXPORT CUresult cuMemGetInfo_v2(size_t *free_b, size_t *total_b) {
  CHECK_INIT();
  pthread_mutex_lock(&lock);
  if (free_b) *free_b = total_mem - used_mem;
  if (total_b) *total_b = total_mem;
  pthread_mutex_unlock(&lock);
  return CUDA_SUCCESS;
}

/* Page-locked host memory is plain host memory (it is also "mapped": the
 * device pointer of a host buffer is its address, as with unified addressing). */
VCUDA_EXPORT CUresult cuMemAllocHost_v2(void **pp, size_t sz) {
  CHECK_INIT();
  if (!pp) return CUDA_ERROR_INVALID_VALUE;
  if (posix_memalign(pp, 256, sz ? sz : 1) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuMemAllocHost(void **pp, unsigned int sz) {
  return cuMemAllocHost_v2(pp, sz);
}

VCUDA_EXPORT CUresult cuMemFreeHost(void *p) {
  CHECK_INIT();
  free(p);
  return CUDA_SUCCESS;
}

#define PTR(d) ((void *)(uintptr_t)(d))

/* All copies are synchronous; memmove because DtoD ranges may overlap. */
VCUDA_EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t n) {
  CHECK_INIT();
  if (n) memmove(PTR(dst), src, n);
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t n) {
  CHECK_INIT();
  if (n) memmove(dst, PTR(src), n);
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) {
  CHECK_INIT();
  if (n) memmove(PTR(dst), PTR(src), n);
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src,
                                           size_t n, CUstream s) {
  (void)s;
  return cuMemcpyHtoD_v2(dst, src, n);
}
VCUDA_EXPORT CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t n,
                                           CUstream s) {
  (void)s;
  return cuMemcpyDtoH_v2(dst, src, n);
}
VCUDA_EXPORT CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src,
                                           size_t n, CUstream s) {
  (void)s;
  return cuMemcpyDtoD_v2(dst, src, n);
}
VCUDA_EXPORT CUresult cuMemcpyPeerAsync(CUdeviceptr dst, CUcontext dc,
                                        CUdeviceptr src, CUcontext sc, size_t n,
                                        CUstream s) {
  (void)dc; (void)sc; (void)s;
  return cuMemcpyDtoD_v2(dst, src, n);
}

VCUDA_EXPORT CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char v, size_t n) {
  CHECK_INIT();
  if (n) memset(PTR(dst), v, n);
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char v, size_t n,
                                      CUstream s) {
  (void)s;
  return cuMemsetD8_v2(dst, v, n);
}
VCUDA_EXPORT CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int v, size_t n) {
  unsigned int *p = PTR(dst);
  CHECK_INIT();
  if ((uintptr_t)p % 4) return CUDA_ERROR_INVALID_VALUE;
  for (size_t i = 0; i < n; i++) p[i] = v;
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int v, size_t n,
                                       CUstream s) {
  (void)s;
  return cuMemsetD32_v2(dst, v, n);
}

/* IPC would need a second process sharing our mappings: not modelled. */
VCUDA_EXPORT CUresult cuIpcGetMemHandle(CUipcMemHandle *h, CUdeviceptr p) {
  (void)h; (void)p;
  return CUDA_ERROR_NOT_SUPPORTED;
}
VCUDA_EXPORT CUresult cuIpcOpenMemHandle(CUdeviceptr *p, CUipcMemHandle h,
                                         unsigned int fl) {
  (void)p; (void)h; (void)fl;
  return CUDA_ERROR_NOT_SUPPORTED;
}
VCUDA_EXPORT CUresult cuIpcCloseMemHandle(CUdeviceptr p) {
  (void)p;
  return CUDA_ERROR_NOT_SUPPORTED;
}

/* ---- streams and events: everything already happened synchronously ----- */

struct vcuda_stream { int dummy; };
struct vcuda_event { int dummy; };

VCUDA_EXPORT CUresult cuStreamCreate(CUstream *s, unsigned int fl) {
  (void)fl;
  CHECK_INIT();
  if (!s) return CUDA_ERROR_INVALID_VALUE;
  *s = calloc(1, sizeof(**s));
  return *s ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}
VCUDA_EXPORT CUresult cuStreamDestroy_v2(CUstream s) { free(s); return CUDA_SUCCESS; }
VCUDA_EXPORT CUresult cuStreamSynchronize(CUstream s) { (void)s; return CUDA_SUCCESS; }
VCUDA_EXPORT CUresult cuStreamWaitEvent(CUstream s, CUevent e, unsigned int fl) {
  (void)s; (void)e; (void)fl;
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuEventCreate(CUevent *e, unsigned int fl) {
  (void)fl;
  CHECK_INIT();
  if (!e) return CUDA_ERROR_INVALID_VALUE;
  *e = calloc(1, sizeof(**e));
  return *e ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}
VCUDA_EXPORT CUresult cuEventDestroy_v2(CUevent e) { free(e); return CUDA_SUCCESS; }
VCUDA_EXPORT CUresult cuEventRecord(CUevent e, CUstream s) {
  (void)e; (void)s;
  return CUDA_SUCCESS;
}
VCUDA_EXPORT CUresult cuEventSynchronize(CUevent e) { (void)e; return CUDA_SUCCESS; }

/* ---- linking and modules ------------------------------------------------
 * Our NVRTC emits a placeholder "PTX"; linking just copies it, and loading a
 * module accepts any image so that libgpuarray can build kernel objects.
 * Nothing is ever executed.                                                 */

struct vcuda_link { void *data; size_t sz; };
struct vcuda_function { char *name; struct vcuda_function *next; };
struct vcuda_module { struct vcuda_function *funcs; };

VCUDA_EXPORT CUresult cuLinkCreate(unsigned int nopt, int *opts, void **vals,
                                   CUlinkState *st) {
  (void)nopt; (void)opts; (void)vals;
  CHECK_INIT();
  if (!st) return CUDA_ERROR_INVALID_VALUE;
  *st = calloc(1, sizeof(**st));
  return *st ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}

VCUDA_EXPORT CUresult cuLinkAddData(CUlinkState st, int type, void *data,
                                    size_t sz, const char *name,
                                    unsigned int nopt, int *opts, void **vals) {
  void *p;
  (void)type; (void)name; (void)nopt; (void)opts; (void)vals;
  if (!st || (!data && sz)) return CUDA_ERROR_INVALID_VALUE;
  p = realloc(st->data, st->sz + sz);
  if (!p && st->sz + sz) return CUDA_ERROR_OUT_OF_MEMORY;
  if (sz) memcpy((char *)p + st->sz, data, sz);
  st->data = p;
  st->sz += sz;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuLinkComplete(CUlinkState st, void **out, size_t *sz) {
  if (!st || !out || !sz) return CUDA_ERROR_INVALID_VALUE;
  *out = st->data;  /* owned by st, valid until cuLinkDestroy */
  *sz = st->sz;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuLinkDestroy(CUlinkState st) {
  if (st) free(st->data);
  free(st);
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuModuleLoadData(CUmodule *m, const void *image) {
  CHECK_INIT();
  if (!m || !image) return CUDA_ERROR_INVALID_VALUE;
  *m = calloc(1, sizeof(**m));
  return *m ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}

VCUDA_EXPORT CUresult cuModuleLoadDataEx(CUmodule *m, const void *image,
                                         unsigned int nopt, int *opts,
                                         void **vals) {
  (void)nopt; (void)opts; (void)vals;
  return cuModuleLoadData(m, image);
}

VCUDA_EXPORT CUresult cuModuleUnload(CUmodule m) {
  struct vcuda_function *f, *n;
  if (!m) return CUDA_ERROR_INVALID_HANDLE;
  for (f = m->funcs; f; f = n) {
    n = f->next;
    free(f->name);
    free(f);
  }
  free(m);
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuModuleGetFunction(CUfunction *fp, CUmodule m,
                                          const char *name) {
  struct vcuda_function *f;
  if (!fp || !m || !name) return CUDA_ERROR_INVALID_VALUE;
  f = calloc(1, sizeof(*f));
  if (!f || !(f->name = strdup(name))) {
    free(f);
    return CUDA_ERROR_OUT_OF_MEMORY;
  }
  f->next = m->funcs;  /* freed with the module, as in CUDA */
  m->funcs = f;
  *fp = f;
  return CUDA_SUCCESS;
}

VCUDA_EXPORT CUresult cuFuncGetAttribute(int *v, int attr, CUfunction f) {
  if (!v || !f) return CUDA_ERROR_INVALID_VALUE;
  switch (attr) {
  case FUNC_MAX_THREADS_PER_BLOCK: *v = 1024; break;
  case FUNC_NUM_REGS: *v = 32; break;
  case FUNC_PTX_VERSION: case FUNC_BINARY_VERSION: *v = cc_major * 10 + cc_minor; break;
  default: *v = 0;
  }
  return CUDA_SUCCESS;
}

/* The guard: nothing compiled for this device may run.  Failing loudly keeps
 * Theano's constant folding from ever storing made-up values, and makes a
 * compiled function raise "... kernels cannot run (analysis only)". */
/* Counts refused launches; the Python side reads it to tell "a kernel was
 * refused" apart from other errors when a compiled function fails. */
VCUDA_EXPORT volatile int theanolint_vcuda_refused_launches;

VCUDA_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy,
                                     unsigned int gz, unsigned int bx,
                                     unsigned int by, unsigned int bz,
                                     unsigned int shmem, CUstream s,
                                     void **params, void **extra) {
  (void)f; (void)gx; (void)gy; (void)gz; (void)bx; (void)by; (void)bz;
  (void)shmem; (void)s; (void)params; (void)extra;
  __atomic_add_fetch(&theanolint_vcuda_refused_launches, 1, __ATOMIC_RELAXED);
  return CUDA_ERROR_NOT_SUPPORTED;
}

/* Marker so real_cuda_usable() can never mistake this stub for a driver. */
VCUDA_EXPORT const int theanolint_vcuda = 1;
