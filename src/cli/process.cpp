// This file implements the process-wide set-up (see process.hpp).
#include "cli/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "config/config.hpp"
#include "git/git.hpp"
#include "install/install.hpp"

namespace keygate {
namespace {

// Set by init_process() when a hook script handed over to keygate (KEYGATE_HOOK); null otherwise.
const HookSpec* g_hook = nullptr;

// The advice for a fatal signal, split around its number, written by the signal handler (which may only
// make async-signal-safe calls: no allocation, no stdio).
std::string* g_signal_advice_head = nullptr;  // "...check failed (signal "
std::string* g_signal_advice_tail = nullptr;  // "), so git is stopped here ..."

void write_all(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void on_fatal_signal(int signal_number) {
  char digits[8];
  std::size_t at = sizeof digits;
  for (int n = signal_number; at > 0 && (n > 0 || at == sizeof digits); n /= 10) digits[--at] = '0' + n % 10;
  write_all(g_signal_advice_head->data(), g_signal_advice_head->size());
  write_all(digits + at, sizeof digits - at);
  write_all(g_signal_advice_tail->data(), g_signal_advice_tail->size());
  // Die of the same signal, as before: git sees it, and a core dump is still possible.
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Takes KEYGATE_HOOK out of the environment (no child process of ours is a hook) and, when it names one
// of keygate's hooks, prepares what finish_process() and the fatal-signal handler print.
void take_hook_from_env() {
  const char* name = std::getenv("KEYGATE_HOOK");
  if (name == nullptr) return;
  for (const HookSpec& spec : known_hooks()) {
    if (spec.name == name) g_hook = &spec;
  }
  ::unsetenv("KEYGATE_HOOK");
  if (g_hook == nullptr) return;
  const std::string advice = hook_failure_advice(*g_hook, "signal \x01");
  const std::size_t mark = advice.find('\x01');
  g_signal_advice_head = new std::string(advice.substr(0, mark));
  g_signal_advice_tail = new std::string(advice.substr(mark + 1));
  // A stack of its own, so that the handler also runs when the stack itself overflowed.
  static char alternate_stack[64 * 1024];
  stack_t stack{};
  stack.ss_sp = alternate_stack;
  stack.ss_size = sizeof alternate_stack;
  ::sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (const int s : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::sigaction(s, &action, nullptr);
}

}  // namespace

void init_process() {
  static const bool once = [] {
    ::signal(SIGPIPE, SIG_IGN);
    git::take_work_tree_from_env();
    take_hook_from_env();
    return true;
  }();
  (void)once;
}

int finish_process(int status) {
  if (g_hook != nullptr && status != 0 && status != 1) {
    const std::string advice = hook_failure_advice(*g_hook, "exit " + std::to_string(status));
    write_all(advice.data(), advice.size());
  }
  return status;
}

bool run_by_hook() { return g_hook != nullptr; }

const KeywordIndex& builtin_keyword_index() {
  static const KeywordIndex index = KeywordIndex::deserialize(default_keyword_index_bytes(), true);
  return index;
}

}  // namespace keygate
