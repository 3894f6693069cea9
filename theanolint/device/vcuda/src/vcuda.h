/*
 * Shared declarations for the theanolint virtual CUDA device.
 *
 * These stand-ins for libcuda / libnvrtc / libcublas are written from the
 * public API documentation only.  We declare just the handful of types and
 * enum values libgpuarray 0.7.6 uses; every enum is passed as a plain int.
 *
 * Design: "device" memory is ordinary host memory, so a CUdeviceptr is simply
 * a host address.  Copies, memsets and BLAS calls therefore work for real.
 * Kernels are never executed: cuLaunchKernel always fails (see libcuda.c).
 */
#ifndef THEANOLINT_VCUDA_H
#define THEANOLINT_VCUDA_H

#include <stddef.h>

#define VCUDA_EXPORT __attribute__((visibility("default")))

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;  /* 64-bit only, like the real API */
typedef struct vcuda_ctx *CUcontext;
typedef struct vcuda_module *CUmodule;
typedef struct vcuda_function *CUfunction;
typedef struct vcuda_event *CUevent;
typedef struct vcuda_stream *CUstream;
typedef struct vcuda_link *CUlinkState;
typedef struct { char reserved[64]; } CUipcMemHandle;

/* CUresult codes we return (values from the CUDA driver API docs). */
enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NOT_INITIALIZED = 3,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_INVALID_IMAGE = 200,
  CUDA_ERROR_INVALID_CONTEXT = 201,
  CUDA_ERROR_INVALID_HANDLE = 400,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_NOT_SUPPORTED = 801
};

/* Text that reaches the user (via cuGetErrorString) when a kernel launch is
 * attempted.  Tests and the engine look for "analysis only". */
#define VCUDA_NO_KERNELS_MSG \
  "theanolint virtual CUDA device: kernels cannot run (analysis only)"

#endif
