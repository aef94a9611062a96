# Writes OUT, a C++ file defining `extern const char NAME[]` with the bytes of IN (a rule pack's TOML).
# Run as: cmake -DIN=... -DOUT=... -DNAME=... -P embed_text.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "(..)" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_text.cmake. Do not edit.\n"
     "namespace keygate {\nextern const char ${NAME}[];\nconst char ${NAME}[] = {${bytes}0x00};\n}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
