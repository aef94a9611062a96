// This file implements the libcurl wrapper (see http.hpp). libcurl is opened with dlopen so that only a run
// with --verify pays for loading it and its TLS libraries; the header gives the types and constants.
#include "verify/http.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "util/shared_library.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate::http {
namespace {

// The libcurl functions keygate calls, resolved once.
struct Curl {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// Finds `name` in libcurl, or throws Error saying it has no such function.
template <typename F>
void resolve(void* library, const char* name, F& out) {
  std::string why;
  if (!resolve_symbol(library, name, out, why, "libcurl")) throw Error("--verify: " + why);
}

const Curl& curl() {
  static std::once_flag once;
  static Curl c{};
  static std::string failure;
  std::call_once(once, [] {
    try {
      void* library = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
      if (library == nullptr) {
        throw Error(std::string("--verify needs libcurl (Debian package libcurl4): ") + ::dlerror());
      }
      resolve(library, "curl_global_init", c.global_init);
      resolve(library, "curl_easy_init", c.easy_init);
      resolve(library, "curl_easy_cleanup", c.easy_cleanup);
      resolve(library, "curl_easy_reset", c.easy_reset);
      resolve(library, "curl_easy_setopt", c.easy_setopt);
      resolve(library, "curl_easy_perform", c.easy_perform);
      resolve(library, "curl_easy_getinfo", c.easy_getinfo);
      resolve(library, "curl_easy_strerror", c.easy_strerror);
      resolve(library, "curl_slist_append", c.slist_append);
      resolve(library, "curl_slist_free_all", c.slist_free_all);
      // Not thread-safe in libcurl, so done here, once, before any thread makes a handle.
      if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw Error("--verify: libcurl failed to initialise");
    } catch (const Error& e) {
      failure = e.what();
    }
  });
  if (!failure.empty()) throw Error(failure);
  return c;
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\t')) ++start;
  return s.substr(start);
}

// Collects the header lines of the last answer (an interim 100 Continue or a proxy's answer starts over).
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
  } else if (const std::size_t colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    headers->emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return size * count;
}

// Keeps the first `max` bytes of the body (Request::max_body, else kMaxBody); the rest is read and dropped,
// so that the connection stays usable and a huge answer costs no memory.
struct KeptBody {
  Response* response;
  std::size_t max;
};
std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* kept = static_cast<KeptBody*>(user);
  std::string& body = kept->response->body;
  const std::size_t n = size * count;
  const std::size_t room = kept->max - std::min(kept->max, body.size());
  body.append(data, std::min(room, n));
  if (n > room) kept->response->body_cut = true;
  return n;
}

Failure failure_of(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::Timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return Failure::Connect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return Failure::Certificate;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return Failure::Dropped;
    default:
      return Failure::Other;
  }
}

}  // namespace

Client::Client() {
  handle_ = curl().easy_init();
  if (handle_ == nullptr) throw Error("--verify: libcurl cannot make a handle");
}

Client::~Client() {
  if (handle_ != nullptr) curl().easy_cleanup(static_cast<CURL*>(handle_));
}

Response Client::send(const Request& request) {
  const Curl& c = curl();
  CURL* h = static_cast<CURL*>(handle_);
  c.easy_reset(h);  // keeps open connections and the TLS session cache, forgets the last request's options
  Response response;
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const std::string& header : request.headers) {
    curl_slist* next = c.slist_append(headers.get(), header.c_str());
    if (next == nullptr) throw Error("--verify: out of memory");
    (void)headers.release();
    headers.reset(next);
  }
  char error[CURL_ERROR_SIZE] = "";
  c.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  c.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  c.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry the key to another host
  c.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);        // threads: no SIGALRM for DNS timeouts
  c.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  c.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!request.ca_file.empty()) c.easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());
  c.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, request.connect_timeout_ms);
  c.easy_setopt(h, CURLOPT_TIMEOUT_MS, request.total_timeout_ms);
  c.easy_setopt(h, CURLOPT_USERAGENT, "keygate/" KEYGATE_VERSION " (key verification)");
  c.easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  c.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  c.easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  KeptBody kept{&response, request.max_body > 0 ? request.max_body : kMaxBody};
  c.easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_body);
  c.easy_setopt(h, CURLOPT_WRITEDATA, &kept);
  c.easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  if (request.method == "HEAD") {
    c.easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "POST") {
    c.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    c.easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  } else if (request.method == "DELETE") {
    c.easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
  }
  const CURLcode code = c.easy_perform(h);
  c.easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);  // `error` is about to go out of scope
  c.easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) {
    response.failure = failure_of(code);
    response.error = error[0] != '\0' ? error : c.easy_strerror(code);
    response.headers.clear();
    response.body.clear();
    return response;
  }
  c.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

const std::string* find_header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace keygate::http
