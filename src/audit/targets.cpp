// This file implements the audit's repository sources (see targets.hpp): list files, local sizes, and
// the GitHub and GitLab list APIs, page by page.
#include "audit/targets.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "core/error.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"
#include "verify/http.hpp"

namespace keygate::audit {
namespace {

// The largest API page keygate reads: 100 repositories of a few KB each.
constexpr std::size_t kMaxPageBytes = 32u << 20;

// `url` with any "user:password@" taken out: results and messages name repositories without credentials.
std::string without_credentials(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t host = scheme + 3;
  const std::size_t at = url.find('@', host);
  const std::size_t slash = url.find('/', host);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, host) + url.substr(at + 1);
}

// "https://host:port" of `url`.
std::string origin_of(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const std::size_t end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

bool local_host(const std::string& url) {
  const std::string origin = origin_of(url);
  for (const char* host : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    const std::string h = host;
    if (origin == h || origin.rfind(h + ":", 0) == 0) return true;
  }
  return false;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[n >> 18 & 63]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[n >> 6 & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[n & 63] : '=');
  }
  return out;
}

// The rel="next" URL of an RFC 8288 Link header, or empty.
std::string next_link(const std::string* link) {
  if (link == nullptr) return {};
  std::size_t at = 0;
  while ((at = link->find('<', at)) != std::string::npos) {
    const std::size_t end = link->find('>', at);
    if (end == std::string::npos) return {};
    const std::size_t next = link->find('<', end);
    const std::string params =
        link->substr(end + 1, next == std::string::npos ? std::string::npos : next - end - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return link->substr(at + 1, end - at - 1);
    at = end;
  }
  return {};
}

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// One page of the list: each repository's clone URL and size (bytes; 0 unknown).
std::vector<Target> read_page(Forge forge, const std::string& body, const std::string& url) {
  std::map<std::size_t, Target> items;
  JsonError error;
  bool array = false;
  const bool ok = walk_json(
      body,
      [&](const JsonValue& v) {
        if (v.depth == 0) array = body[v.begin] == '[';
        if (v.depth != 2 && v.depth != 3) return;
        const std::string_view pointer = v.pointer;
        const std::size_t slash = pointer.find('/', 1);
        const std::size_t index =
            std::strtoul(std::string(pointer.substr(1, slash - 1)).c_str(), nullptr, 10);
        const std::string_view field = pointer.substr(slash + 1);
        const bool string = body[v.begin] == '"';
        const bool number = !string && (std::isdigit(static_cast<unsigned char>(body[v.begin])) != 0);
        const char* url_field = forge == Forge::GitHub ? "clone_url" : "http_url_to_repo";
        if (field == url_field && string) {
          items[index].location = json_string(body, v);
        } else if (number &&
                   (forge == Forge::GitHub ? field == "size" : field == "statistics/repository_size")) {
          const std::uint64_t n =
              std::strtoull(std::string(body.substr(v.begin, v.end - v.begin)).c_str(), nullptr, 10);
          items[index].size = forge == Forge::GitHub ? n * 1024 : n;  // GitHub says kilobytes
        }
      },
      &error);
  if (!ok || !array)
    throw Error(url + ": not a repository list: " + (ok ? "not a JSON array" : std::string(error.what)));
  std::vector<Target> page;
  for (auto& [index, target] : items) {
    if (target.location.empty())
      throw Error(url + ": repository " + std::to_string(index) + " has no clone URL");
    target.remote = true;
    target.name = without_credentials(target.location);
    page.push_back(std::move(target));
  }
  return page;
}

}  // namespace

bool is_url(const std::string& word) {
  if (word.find("://") != std::string::npos) return true;
  // scp-like "user@host:path" (git's rule: a colon before any slash)
  const std::size_t colon = word.find(':');
  const std::size_t slash = word.find('/');
  return colon != std::string::npos && colon > 1 && (slash == std::string::npos || colon < slash) &&
         word.find('@') < colon;
}

Target target_for(const std::string& word) {
  Target t;
  t.location = word;
  t.remote = is_url(word);
  t.name = t.remote ? without_credentials(word) : word;
  while (!t.remote && t.name.size() > 1 && t.name.back() == '/') t.name.pop_back();
  return t;
}

std::vector<Target> read_target_list(const std::string& path) {
  const std::string text = load_file(path);
  std::vector<Target> targets;
  std::size_t line_number = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    const std::size_t blank = line.find_first_of(" \t");
    Target t = target_for(line.substr(0, blank));
    if (blank != std::string::npos) {
      const std::string size = line.substr(line.find_first_not_of(" \t", blank));
      char* stop = nullptr;
      t.size = std::strtoull(size.c_str(), &stop, 10);
      if (size.empty() || *stop != '\0' || size[0] == '-')
        throw Error(path + ":" + std::to_string(line_number) + ": not a size in bytes: \"" + size + "\"");
    }
    targets.push_back(std::move(t));
  }
  return targets;
}

std::uint64_t local_repository_size(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path objects = fs::path(path) / ".git" / "objects";
  if (!fs::is_directory(objects, ec)) objects = fs::path(path) / "objects";
  std::uint64_t total = 0;
  for (fs::recursive_directory_iterator it(objects, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

std::vector<Target> list_forge(Forge forge, const std::string& owner, const std::string& api_url) {
  const bool github = forge == Forge::GitHub;
  std::string api = api_url;
  if (api.empty()) {
    const char* env = std::getenv(github ? "GITHUB_API_URL" : "CI_API_V4_URL");
    api = env != nullptr && *env != '\0' ? env
          : github                       ? "https://api.github.com"
                                         : "https://gitlab.com/api/v4";
  }
  while (!api.empty() && api.back() == '/') api.pop_back();
  const char* token_env = std::getenv(github ? "GITHUB_TOKEN" : "GITLAB_TOKEN");
  const std::string token = token_env != nullptr ? token_env : "";
  if (!token.empty() && api.rfind("https://", 0) != 0 && !local_host(api))
    throw Error(api + ": a token is sent over https only (or plain http to this machine)");

  http::Request request;
  request.max_body = kMaxPageBytes;
  request.total_timeout_ms = 60000;
  if (github) {
    request.headers.push_back("Accept: application/vnd.github+json");
    request.headers.push_back("X-GitHub-Api-Version: 2022-11-28");
    if (!token.empty()) request.headers.push_back("Authorization: Bearer " + token);
  } else if (!token.empty()) {
    request.headers.push_back("PRIVATE-TOKEN: " + token);
  }
  request.url = github ? api + "/orgs/" + percent_encode(owner) + "/repos?per_page=100&type=all"
                       : api + "/groups/" + percent_encode(owner) +
                             "/projects?include_subgroups=true&per_page=100&archived=false";
  http::Client client;
  std::vector<Target> targets;
  for (int pages = 0; !request.url.empty(); ++pages) {
    if (pages >= 10000) throw Error(request.url + ": more than 10,000 pages");
    const http::Response response = client.send(request);
    if (response.failure != http::Failure::None) throw Error(request.url + ": " + response.error);
    if (response.status != 200)
      throw Error(
          request.url + ": HTTP " + std::to_string(response.status) +
          (response.status == 401 || response.status == 403 ? " (is the token set and allowed?)" : ""));
    if (response.body_cut)
      throw Error(request.url + ": a page larger than " + std::to_string(kMaxPageBytes) + " bytes");
    for (Target& t : read_page(forge, response.body, request.url)) targets.push_back(std::move(t));
    const std::string next = next_link(http::find_header(response, "link"));
    // The token goes to the API's own host only, whatever a Link header says.
    if (!next.empty() && origin_of(next) != origin_of(api))
      throw Error(request.url + ": the next page is on another host: " + origin_of(next));
    request.url = next;
  }
  if (!token.empty()) {
    const std::string header =
        "Authorization: Basic " + base64((github ? "x-access-token:" : "oauth2:") + token);
    for (Target& t : targets) {
      if (origin_of(t.location).empty()) continue;  // a path or scp-like URL: no HTTP header to send
      t.auth_header = header;
      t.auth_url = origin_of(t.location) + "/";
    }
  }
  return targets;
}

void sort_targets(std::vector<Target>& targets) {
  std::stable_sort(targets.begin(), targets.end(),
                   [](const Target& a, const Target& b) { return a.name < b.name; });
  targets.erase(std::unique(targets.begin(), targets.end(),
                            [](const Target& a, const Target& b) { return a.name == b.name; }),
                targets.end());
}

}  // namespace keygate::audit
