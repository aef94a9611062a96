# Writes OUT, a C++ file defining `extern const char NAME[]`: "sha256-" and the base64 SHA-256 of the bytes of
# IN, as a Content-Security-Policy source expression allowing exactly that inline script or style.
# Run as: cmake -DIN=... -DOUT=... -DNAME=... -P csp_hash.cmake
file(SHA256 "${IN}" hex)
set(alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
set(b64 "")
# 32 bytes: ten groups of three bytes (four base64 digits each), then two bytes and one '='.
foreach(at RANGE 0 60 6)
  string(SUBSTRING "${hex}" ${at} 6 group)
  string(LENGTH "${group}" n)
  if(n EQUAL 4)
    set(group "${group}00")
  endif()
  math(EXPR value "0x${group}")
  foreach(shift 18 12 6 0)
    if(n EQUAL 4 AND shift EQUAL 0)
      string(APPEND b64 "=")
    else()
      math(EXPR digit "(${value} >> ${shift}) & 63")
      string(SUBSTRING "${alphabet}" ${digit} 1 c)
      string(APPEND b64 "${c}")
    endif()
  endforeach()
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/csp_hash.cmake. Do not edit.\n"
     "namespace keygate {\nextern const char ${NAME}[];\nconst char ${NAME}[] = \"sha256-${b64}\";\n}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
