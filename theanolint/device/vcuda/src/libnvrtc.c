/*
 * theanolint virtual CUDA device: stand-in for NVRTC (libnvrtc).
 *
 * libgpuarray compiles every kernel with NVRTC at kernel-object creation
 * time (Theano does this when it builds a function).  We accept any source
 * and hand back a placeholder "PTX" text, so kernel objects can be built and
 * graphs analysed; the virtual libcuda refuses to launch anything.
 * Symbols: those of libgpuarray's src/loaders/libnvrtc.fn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcuda.h"

typedef int nvrtcResult;
enum {
  NVRTC_SUCCESS = 0,
  NVRTC_ERROR_OUT_OF_MEMORY = 1,
  NVRTC_ERROR_INVALID_INPUT = 3,
  NVRTC_ERROR_INVALID_PROGRAM = 4
};

struct vcuda_program {
  char *name;
  char *ptx;     /* NUL-terminated placeholder, valid after compile */
  char *log;
};
typedef struct vcuda_program *nvrtcProgram;

static const char LOG_TEXT[] =
    "theanolint virtual NVRTC: source accepted but not compiled "
    "(analysis only; kernels cannot run)\n";

VCUDA_EXPORT const char *nvrtcGetErrorString(nvrtcResult r) {
  switch (r) {
  case NVRTC_SUCCESS: return "NVRTC_SUCCESS";
  case NVRTC_ERROR_OUT_OF_MEMORY: return "NVRTC_ERROR_OUT_OF_MEMORY";
  case NVRTC_ERROR_INVALID_INPUT: return "NVRTC_ERROR_INVALID_INPUT";
  case NVRTC_ERROR_INVALID_PROGRAM: return "NVRTC_ERROR_INVALID_PROGRAM";
  default: return "NVRTC_ERROR (theanolint virtual NVRTC)";
  }
}

VCUDA_EXPORT nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src,
                                            const char *name, int nheaders,
                                            const char **headers,
                                            const char **include_names) {
  struct vcuda_program *p;
  (void)headers; (void)include_names;
  if (!prog || !src || nheaders < 0) return NVRTC_ERROR_INVALID_INPUT;
  p = calloc(1, sizeof(*p));
  if (!p) return NVRTC_ERROR_OUT_OF_MEMORY;
  p->name = strdup(name ? name : "default_program");
  if (!p->name) {
    free(p);
    return NVRTC_ERROR_OUT_OF_MEMORY;
  }
  *prog = p;
  return NVRTC_SUCCESS;
}

VCUDA_EXPORT nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog) {
  if (!prog || !*prog) return NVRTC_ERROR_INVALID_PROGRAM;
  free((*prog)->name);
  free((*prog)->ptx);
  free((*prog)->log);
  free(*prog);
  *prog = NULL;
  return NVRTC_SUCCESS;
}

/* "Compiles" by producing a PTX-looking comment block that names the
 * target architecture taken from the "-arch" option. */
VCUDA_EXPORT nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int nopt,
                                             const char **opts) {
  const char *arch = "unknown";
  int n;
  if (!prog) return NVRTC_ERROR_INVALID_PROGRAM;
  for (int i = 0; i + 1 < nopt; i++)
    if (opts[i] && strcmp(opts[i], "-arch") == 0 && opts[i + 1]) arch = opts[i + 1];
  for (int i = 0; i < nopt; i++)
    if (opts[i] && strncmp(opts[i], "--gpu-architecture=", 19) == 0) arch = opts[i] + 19;
  free(prog->ptx);
  free(prog->log);
  n = snprintf(NULL, 0,
               "// theanolint virtual PTX for %s (%s)\n// " VCUDA_NO_KERNELS_MSG "\n",
               prog->name, arch);
  prog->ptx = malloc((size_t)n + 1);
  prog->log = strdup(LOG_TEXT);
  if (!prog->ptx || !prog->log) return NVRTC_ERROR_OUT_OF_MEMORY;
  snprintf(prog->ptx, (size_t)n + 1,
           "// theanolint virtual PTX for %s (%s)\n// " VCUDA_NO_KERNELS_MSG "\n",
           prog->name, arch);
  return NVRTC_SUCCESS;
}

/* Sizes include the terminating NUL, as documented. */
VCUDA_EXPORT nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *sz) {
  if (!prog || !sz) return NVRTC_ERROR_INVALID_INPUT;
  if (!prog->ptx) return NVRTC_ERROR_INVALID_PROGRAM;
  *sz = strlen(prog->ptx) + 1;
  return NVRTC_SUCCESS;
}

VCUDA_EXPORT nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx) {
  if (!prog || !ptx) return NVRTC_ERROR_INVALID_INPUT;
  if (!prog->ptx) return NVRTC_ERROR_INVALID_PROGRAM;
  memcpy(ptx, prog->ptx, strlen(prog->ptx) + 1);
  return NVRTC_SUCCESS;
}

VCUDA_EXPORT nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *sz) {
  if (!prog || !sz) return NVRTC_ERROR_INVALID_INPUT;
  *sz = (prog->log ? strlen(prog->log) : 0) + 1;
  return NVRTC_SUCCESS;
}

VCUDA_EXPORT nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log) {
  if (!prog || !log) return NVRTC_ERROR_INVALID_INPUT;
  strcpy(log, prog->log ? prog->log : "");
  return NVRTC_SUCCESS;
}
