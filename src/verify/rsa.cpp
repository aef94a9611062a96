// This file implements the libcrypto edge (see rsa.hpp): dlopen of libcrypto.so.3 on the first signature, and
// libcrypto's errors converted to one line here, once. The headers give the types only.
#include "verify/rsa.hpp"

#include <dlfcn.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <climits>
#include <memory>
#include <mutex>

#include "util/shared_library.hpp"

namespace keygate {
namespace {

// The libcrypto functions keygate calls, resolved once.
struct Crypto {
  BIO* (*bio_new_mem_buf)(const void*, int);
  int (*bio_free)(BIO*);
  EVP_PKEY* (*read_private_key)(BIO*, EVP_PKEY**, pem_password_cb*, void*);
  void (*pkey_free)(EVP_PKEY*);
  int (*pkey_base_id)(const EVP_PKEY*);
  EVP_MD_CTX* (*md_ctx_new)();
  void (*md_ctx_free)(EVP_MD_CTX*);
  const EVP_MD* (*sha256)();
  int (*digest_sign_init)(EVP_MD_CTX*, EVP_PKEY_CTX**, const EVP_MD*, ENGINE*, EVP_PKEY*);
  int (*digest_sign)(EVP_MD_CTX*, unsigned char*, size_t*, const unsigned char*, size_t);
  void (*clear_error)();
};

// libcrypto, or null with `why` set.
const Crypto* crypto(std::string& why) {
  static std::once_flag once;
  static Crypto c{};
  static std::string failure;
  std::call_once(once, [] {
    void* library = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) library = ::dlopen("libcrypto.so.1.1", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      failure = "signing needs OpenSSL's libcrypto (Debian package libssl3)";
      return;
    }
    std::string& w = failure;
    resolve_symbol(library, "BIO_new_mem_buf", c.bio_new_mem_buf, w, "libcrypto");
    resolve_symbol(library, "BIO_free", c.bio_free, w, "libcrypto");
    resolve_symbol(library, "PEM_read_bio_PrivateKey", c.read_private_key, w, "libcrypto");
    resolve_symbol(library, "EVP_PKEY_free", c.pkey_free, w, "libcrypto");
    c.pkey_base_id = reinterpret_cast<int (*)(const EVP_PKEY*)>(::dlsym(library, "EVP_PKEY_get_base_id"));
    resolve_symbol(library, "EVP_PKEY_base_id", c.pkey_base_id, w, "libcrypto");  // its name before OpenSSL 3
    resolve_symbol(library, "EVP_MD_CTX_new", c.md_ctx_new, w, "libcrypto");
    resolve_symbol(library, "EVP_MD_CTX_free", c.md_ctx_free, w, "libcrypto");
    resolve_symbol(library, "EVP_sha256", c.sha256, w, "libcrypto");
    resolve_symbol(library, "EVP_DigestSignInit", c.digest_sign_init, w, "libcrypto");
    resolve_symbol(library, "EVP_DigestSign", c.digest_sign, w, "libcrypto");
    resolve_symbol(library, "ERR_clear_error", c.clear_error, w, "libcrypto");
  });
  if (!failure.empty()) {
    why = failure;
    return nullptr;
  }
  return &c;
}

// Refuses every passphrase prompt: an encrypted key cannot be used without its owner, and a prompt on the
// terminal in the middle of a scan would hang it.
int no_passphrase(char*, int, int, void*) { return -1; }

}  // namespace

std::optional<std::string> rs256_sign(std::string_view pem, std::string_view message, std::string& why) {
  const Crypto* c = crypto(why);
  if (c == nullptr) return std::nullopt;
  if (pem.size() > INT_MAX) {
    why = "the private key is too long";
    return std::nullopt;
  }
  // libcrypto's error queue is per thread: left empty whatever happens.
  struct ClearErrors {
    const Crypto* c;
    ~ClearErrors() { c->clear_error(); }
  } const clear_errors{c};
  const std::unique_ptr<BIO, int (*)(BIO*)> bio(c->bio_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                c->bio_free);
  if (!bio) {
    why = "out of memory";
    return std::nullopt;
  }
  const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      c->read_private_key(bio.get(), nullptr, no_passphrase, nullptr), c->pkey_free);
  if (!key || c->pkey_base_id(key.get()) != EVP_PKEY_RSA) {
    why = "the private key is not an unencrypted RSA key in PEM";
    return std::nullopt;
  }
  const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(c->md_ctx_new(), c->md_ctx_free);
  std::size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
  if (!context || c->digest_sign_init(context.get(), nullptr, c->sha256(), nullptr, key.get()) != 1 ||
      c->digest_sign(context.get(), nullptr, &length, bytes, message.size()) != 1) {
    why = "libcrypto cannot sign with the private key";
    return std::nullopt;
  }
  std::string signature(length, '\0');
  if (c->digest_sign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     message.size()) != 1) {
    why = "libcrypto cannot sign with the private key";
    return std::nullopt;
  }
  signature.resize(length);
  return signature;
}

}  // namespace keygate
