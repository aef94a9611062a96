// This file implements libgit2's SSH transport's view of libssh2 when libgit2 is linked statically
// (KEYGATE_STATIC, the default; see static_stubs.cpp for the rest): a libssh2 that cannot make a session.
// keygate never contacts a remote through libgit2, and libssh2 brings OpenSSL's libcrypto with it: 4.5 MB
// of the binary, and 0.2 ms of every start (OpenSSL's CPU probing, and 100 pages of pointer tables the
// loader relocates). So libssh2_init succeeds (git_libgit2_init needs it), libssh2_session_init_ex fails,
// which libgit2 reports as "failed to initialize SSH session" for an ssh:// remote, and every other
// function libgit2 names, never reached without a session, fails too.
#include <libssh2.h>

extern "C" {

int libssh2_init(int /*flags*/) { return 0; }
void libssh2_exit() {}

LIBSSH2_SESSION* libssh2_session_init_ex(LIBSSH2_ALLOC_FUNC((* /*alloc*/)), LIBSSH2_FREE_FUNC((* /*free*/)),
                                         LIBSSH2_REALLOC_FUNC((* /*realloc*/)), void* /*abstract*/) {
  return nullptr;
}

// Unreachable without a session: each answers as libssh2 does for an unusable one.
void** libssh2_session_abstract(LIBSSH2_SESSION* /*session*/) { return nullptr; }
int libssh2_session_free(LIBSSH2_SESSION* /*session*/) { return LIBSSH2_ERROR_BAD_USE; }
int libssh2_session_handshake(LIBSSH2_SESSION* /*session*/, libssh2_socket_t /*sock*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_session_disconnect_ex(LIBSSH2_SESSION* /*session*/, int /*reason*/, const char* /*description*/,
                                  const char* /*lang*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
const char* libssh2_session_hostkey(LIBSSH2_SESSION* /*session*/, size_t* len, int* type) {
  if (len != nullptr) *len = 0;
  if (type != nullptr) *type = LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
  return nullptr;
}
int libssh2_session_last_error(LIBSSH2_SESSION* /*session*/, char** errmsg, int* errmsg_len,
                               int /*want_buf*/) {
  static char message[] = "keygate is built without SSH";
  if (errmsg != nullptr) *errmsg = message;
  if (errmsg_len != nullptr) *errmsg_len = static_cast<int>(sizeof message - 1);
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_session_method_pref(LIBSSH2_SESSION* /*session*/, int /*method_type*/, const char* /*prefs*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
void libssh2_session_set_blocking(LIBSSH2_SESSION* /*session*/, int /*blocking*/) {}
const char* libssh2_hostkey_hash(LIBSSH2_SESSION* /*session*/, int /*hash_type*/) { return nullptr; }

LIBSSH2_CHANNEL* libssh2_channel_open_ex(LIBSSH2_SESSION* /*session*/, const char* /*channel_type*/,
                                         unsigned int /*channel_type_len*/, unsigned int /*window_size*/,
                                         unsigned int /*packet_size*/, const char* /*message*/,
                                         unsigned int /*message_len*/) {
  return nullptr;
}
int libssh2_channel_process_startup(LIBSSH2_CHANNEL* /*channel*/, const char* /*request*/,
                                    unsigned int /*request_len*/, const char* /*message*/,
                                    unsigned int /*message_len*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
ssize_t libssh2_channel_read_ex(LIBSSH2_CHANNEL* /*channel*/, int /*stream_id*/, char* /*buf*/,
                                size_t /*buflen*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL* /*channel*/, int /*stream_id*/, const char* /*buf*/,
                                 size_t /*buflen*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
void libssh2_channel_set_blocking(LIBSSH2_CHANNEL* /*channel*/, int /*blocking*/) {}
int libssh2_channel_close(LIBSSH2_CHANNEL* /*channel*/) { return LIBSSH2_ERROR_BAD_USE; }
int libssh2_channel_free(LIBSSH2_CHANNEL* /*channel*/) { return LIBSSH2_ERROR_BAD_USE; }

LIBSSH2_KNOWNHOSTS* libssh2_knownhost_init(LIBSSH2_SESSION* /*session*/) { return nullptr; }
int libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS* /*hosts*/, const char* /*filename*/, int /*type*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS* /*hosts*/, const char* /*host*/, int /*port*/,
                             const char* /*key*/, size_t /*keylen*/, int /*typemask*/,
                             struct libssh2_knownhost** /*knownhost*/) {
  return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
}
void libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS* /*hosts*/) {}

LIBSSH2_AGENT* libssh2_agent_init(LIBSSH2_SESSION* /*session*/) { return nullptr; }
int libssh2_agent_connect(LIBSSH2_AGENT* /*agent*/) { return LIBSSH2_ERROR_BAD_USE; }
int libssh2_agent_list_identities(LIBSSH2_AGENT* /*agent*/) { return LIBSSH2_ERROR_BAD_USE; }
int libssh2_agent_get_identity(LIBSSH2_AGENT* /*agent*/, struct libssh2_agent_publickey** /*store*/,
                               struct libssh2_agent_publickey* /*prev*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_agent_userauth(LIBSSH2_AGENT* /*agent*/, const char* /*username*/,
                           struct libssh2_agent_publickey* /*identity*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_agent_disconnect(LIBSSH2_AGENT* /*agent*/) { return LIBSSH2_ERROR_BAD_USE; }
void libssh2_agent_free(LIBSSH2_AGENT* /*agent*/) {}

char* libssh2_userauth_list(LIBSSH2_SESSION* /*session*/, const char* /*username*/,
                            unsigned int /*username_len*/) {
  return nullptr;
}
int libssh2_userauth_authenticated(LIBSSH2_SESSION* /*session*/) { return 0; }
int libssh2_userauth_password_ex(LIBSSH2_SESSION* /*session*/, const char* /*username*/,
                                 unsigned int /*username_len*/, const char* /*password*/,
                                 unsigned int /*password_len*/,
                                 LIBSSH2_PASSWD_CHANGEREQ_FUNC((* /*passwd_change_cb*/))) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_keyboard_interactive_ex(
    LIBSSH2_SESSION* /*session*/, const char* /*username*/, unsigned int /*username_len*/,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((* /*response_callback*/))) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey(LIBSSH2_SESSION* /*session*/, const char* /*username*/,
                               const unsigned char* /*pubkeydata*/, size_t /*pubkeydata_len*/,
                               LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((* /*sign_callback*/)),
                               void** /*abstract*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION* /*session*/, const char* /*username*/,
                                           unsigned int /*username_len*/, const char* /*publickey*/,
                                           const char* /*privatekey*/, const char* /*passphrase*/) {
  return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey_frommemory(LIBSSH2_SESSION* /*session*/, const char* /*username*/,
                                          size_t /*username_len*/, const char* /*publickeyfiledata*/,
                                          size_t /*publickeyfiledata_len*/,
                                          const char* /*privatekeyfiledata*/,
                                          size_t /*privatekeyfiledata_len*/, const char* /*passphrase*/) {
  return LIBSSH2_ERROR_BAD_USE;
}

}  // extern "C"
