# GPU tests, included by tests/CMakeLists.txt when ISCAM_CUDA. Without a CUDA device they print
# "SKIPPED: no CUDA device" and exit 77, which ctest reports as skipped.
iscam_test(test_cuda_batch_maker iscam_native iscam_cuda)
set_target_properties(test_cuda_batch_maker PROPERTIES BUILD_RPATH ${ISCAM_ORT_DIR})
set_tests_properties(test_cuda_batch_maker PROPERTIES SKIP_RETURN_CODE 77)
