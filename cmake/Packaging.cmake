# This file implements installation and packaging: the man page (docs/keygate.1.scd, built with scdoc),
# shell completions, the copyright file, and `cpack -G DEB`. Included by the top CMakeLists.txt.
include(GNUInstallDirs)

# The man page, from its one source.
find_program(SCDOC scdoc)
if(SCDOC)
  set(KEYGATE_MAN ${CMAKE_CURRENT_BINARY_DIR}/keygate.1)
  add_custom_command(
    OUTPUT ${KEYGATE_MAN}
    COMMAND ${SCDOC} < ${CMAKE_CURRENT_SOURCE_DIR}/docs/keygate.1.scd > ${KEYGATE_MAN}
    COMMAND gzip -9nc ${KEYGATE_MAN} > ${KEYGATE_MAN}.gz
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/docs/keygate.1.scd
    COMMENT "Building the man page with scdoc")
  add_custom_target(keygate_man ALL DEPENDS ${KEYGATE_MAN})
  install(FILES ${KEYGATE_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
else()
  message(WARNING "scdoc not found (Debian package scdoc): the man page is not built")
endif()

# Completions, where each shell looks. bash-completion says where its directory is; a prefix other than
# its own (e.g. /usr/local) keeps the same layout under that prefix.
find_package(PkgConfig)
set(KEYGATE_BASH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
if(PKG_CONFIG_FOUND)
  pkg_get_variable(BASH_COMPLETION_DIR bash-completion completionsdir)
  pkg_get_variable(BASH_COMPLETION_PREFIX bash-completion prefix)
  if(BASH_COMPLETION_DIR AND BASH_COMPLETION_PREFIX)
    file(RELATIVE_PATH KEYGATE_BASH_COMPLETION_DIR ${BASH_COMPLETION_PREFIX} ${BASH_COMPLETION_DIR})
  endif()
endif()
install(FILES completions/keygate.bash DESTINATION ${KEYGATE_BASH_COMPLETION_DIR} RENAME keygate)
install(FILES completions/_keygate DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/keygate.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB: Depends computed by dpkg-shlibdeps from the binary, not written by hand.
set(CPACK_PACKAGE_NAME keygate)
set(CPACK_PACKAGE_VENDOR "keygate")
set(CPACK_PACKAGE_CONTACT "keygate maintainers <keygate@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find secrets in files and git history; block them in a pre-commit hook")
set(CPACK_PACKAGE_DESCRIPTION
    "keygate scans files, staged changes and git history for API keys, tokens and other secrets, and\n\
installs itself as a git pre-commit hook that blocks a commit adding one. Reports in text, JSON, SARIF and\n\
GitLab's secret detection format; secrets are never printed whole.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# libarchive13: loaded with dlopen on the first archive met (src/archive/libarchive.cpp), so dpkg-shlibdeps
# cannot see it; without it an archive is not read and the scan is incomplete (exit 2).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git, libarchive13")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
# The package installs to /usr whatever prefix the build was configured with.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
