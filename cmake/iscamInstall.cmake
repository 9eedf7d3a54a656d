# `cmake --install <build> --prefix P` and CPack: the shared libiscam with its public headers, CMake
# package and pkg-config file; the iscam program; the ONNX Runtime library both load (found through
# RPATH $ORIGIN/../lib); the bundled data; the licences. P can be copied to another Debian 12 machine.
include(CMakePackageConfigHelpers)

set(ISCAM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/iscam)
file(RELATIVE_PATH _lib_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
set_target_properties(iscam PROPERTIES INSTALL_RPATH "$ORIGIN/${_lib_from_bin}")

install(TARGETS iscam RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS iscam_lib EXPORT iscamTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)
install(FILES native/include/iscam/iscam.h native/include/iscam/iscam.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/iscam COMPONENT development)

# ONNX Runtime, under its SONAME (and the provider bridge and CUDA provider where present).
get_filename_component(_ort_real ${ISCAM_ORT_DIR}/libonnxruntime.so.1 REALPATH)
install(FILES ${_ort_real} DESTINATION ${CMAKE_INSTALL_LIBDIR} RENAME libonnxruntime.so.1 COMPONENT runtime)
foreach(_provider libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so)
  if(EXISTS ${ISCAM_ORT_DIR}/${_provider})
    get_filename_component(_real ${ISCAM_ORT_DIR}/${_provider} REALPATH)
    install(FILES ${_real} DESTINATION ${CMAKE_INSTALL_LIBDIR} RENAME ${_provider} COMPONENT runtime)
  endif()
endforeach()

install(FILES web/models/imagenet-labels.json DESTINATION ${CMAKE_INSTALL_DATADIR}/iscam COMPONENT runtime)
# The bundled ImageNet network, its sidecar (labels, preprocessing), its licence and notice beside it.
install(FILES web/models/mobilenetv2-12-int8.onnx web/models/mobilenetv2-12-int8.json
              web/models/mobilenetv2-12-int8.LICENSE.txt web/models/mobilenetv2-12-int8.NOTICE.txt
        DESTINATION ${CMAKE_INSTALL_DATADIR}/iscam COMPONENT runtime)
install(FILES LICENSE docs/library.md docs/math.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
get_filename_component(_ort_package ${_ort_real} DIRECTORY)
foreach(_notice LICENSE ThirdPartyNotices.txt)
  foreach(_up ../../.. ..)  # the npm package's root, or an official release's
    if(EXISTS ${_ort_package}/${_up}/${_notice})
      install(FILES ${_ort_package}/${_up}/${_notice} DESTINATION ${CMAKE_INSTALL_DOCDIR}/onnxruntime COMPONENT runtime)
      break()
    endif()
  endforeach()
endforeach()

install(EXPORT iscamTargets NAMESPACE iscam:: DESTINATION ${ISCAM_CMAKE_DIR} COMPONENT development)
configure_package_config_file(cmake/iscamConfig.cmake.in ${CMAKE_BINARY_DIR}/iscamConfig.cmake
                              INSTALL_DESTINATION ${ISCAM_CMAKE_DIR})
# 0.x: a minor version may change the API, so find_package(iscam 0.4) accepts 0.4.* only.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/iscamConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/iscamConfig.cmake ${CMAKE_BINARY_DIR}/iscamConfigVersion.cmake
        DESTINATION ${ISCAM_CMAKE_DIR} COMPONENT development)
file(RELATIVE_PATH _pc_prefix_from_pcdir ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" _pc_prefix_from_pcdir "${_pc_prefix_from_pcdir}")
configure_file(cmake/iscam.pc.in ${CMAKE_BINARY_DIR}/iscam.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/iscam.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

# CPack: a .deb and a .tar.gz of the same tree (cpack -G DEB, cpack -G TGZ, in the build folder).
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_PACKAGE_NAME iscam)
set(CPACK_PACKAGE_VENDOR iscam)
set(CPACK_PACKAGE_CONTACT "iscam maintainers <iscam@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Score-CAM, SS-CAM and IS-CAM class activation maps for ONNX image classifiers")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-numpy")  # for the Python module
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_INSTALL_FULL_LIBDIR})
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
include(CPack)
