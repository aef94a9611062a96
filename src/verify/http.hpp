// This file declares a thin RAII wrapper over libcurl for verification (verify.cpp): one HTTP(S) request at a
// time per Client, certificates verified as libcurl always does. libcurl's errors become values here, once.
// libcurl is loaded when the first Client is made, never before: linking it costs every keygate start
// (the pre-commit hook's too) about 8 ms to load its 30 libraries, and only `--verify` needs it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace keygate::http {

struct Request {
  std::string method = "GET";        // GET, HEAD, POST or DELETE
  std::string url;                   // http:// or https://; redirects are never followed
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent with POST (empty: an empty body)
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 10000;
  std::string ca_file;       // trust these certificates instead of the system's; empty: the system's
  std::size_t max_body = 0;  // keep up to this many bytes of the body (audit's API listings); 0: kMaxBody
};

enum class Failure {
  None,         // an HTTP answer arrived (any status)
  Timeout,      // connect or total timeout
  Connect,      // DNS, refused, unreachable
  Certificate,  // the server's certificate is not trusted, or does not name the host
  Dropped,      // the connection closed before a whole answer
  Other,
};

struct Response {
  Failure failure = Failure::None;
  std::string error;  // what went wrong, one line, when failure != None (libcurl's words; no header values)
  long status = 0;    // when failure == None
  std::vector<std::pair<std::string, std::string>> headers;  // of the final answer; names lower-cased
  std::string body;       // its first Request::max_body (or kMaxBody) bytes
  bool body_cut = false;  // the body was longer: the rest was read and dropped
};

// The most of an answer's body kept: identity answers are small; a huge one is not read further.
inline constexpr std::size_t kMaxBody = 256 * 1024;

class Client {
 public:
  // Loads libcurl on first use. Throws Error when it cannot (the libcurl4 package is missing).
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request and waits for the whole answer (the body past Request::max_body or kMaxBody is dropped:
  // Response::body_cut). Never throws for a network or server failure: that is a Response with `failure` set.
  Response send(const Request& request);

 private:
  void* handle_ = nullptr;  // CURL*
};

// The value of header `name` (lower-case) in `response`, or null.
const std::string* find_header(const Response& response, const std::string& name);

}  // namespace keygate::http
