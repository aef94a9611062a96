// keygate: a secret scanner and git pre-commit hook. Everything is in the library; see cli.cpp and
// process.hpp (and the stubs the link adds: static_stubs*.cpp, or tls_stub.cpp with a shared libgit2).
#include "cli/cli.hpp"
#include "cli/process.hpp"

int main(int argc, char** argv) { return keygate::finish_process(keygate::run(argc, argv)); }
