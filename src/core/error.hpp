// Error: "this run cannot continue". Thrown by any stage, caught only in run() (cli.cpp), which prints it
// and exits 2. Messages are one line each and name the place (file:line, path, repository).
#pragma once

#include <stdexcept>
#include <string>

namespace keygate {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace keygate
