// This file implements the one step shared by the edges that load an optional library on first use with
// dlopen (verify/http.cpp: libcurl, archive/libarchive.cpp: libarchive, verify/rsa.cpp: libcrypto), so
// that a run which never needs the library never pays for loading it: finding each function by name.
#pragma once

#include <dlfcn.h>

#include <string>

namespace keygate {

// Sets `out` to the function `name` of `library` (a dlopen handle), unless `out` is set already (an
// earlier name for the same function). When the library has no such function, `out` stays null and, if
// `why` is still empty, `why` becomes "<what> has no <name> (too old?)". Returns whether `out` is set.
template <typename F>
bool resolve_symbol(void* library, const char* name, F& out, std::string& why, const char* what) {
  if (out == nullptr) out = reinterpret_cast<F>(::dlsym(library, name));
  if (out == nullptr && why.empty()) why = std::string(what) + " has no " + name + " (too old?)";
  return out != nullptr;
}

}  // namespace keygate
