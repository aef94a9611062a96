// keygate: a secret scanner and git pre-commit hook. Everything is in the library; see cli.cpp (and
// tls_stub.cpp, the executable's one other file, present only when libgit2 links mbedTLS).
#include "cli.hpp"

int main(int argc, char** argv) { return keygate::run(argc, argv); }
