// This file declares `keygate revoke`: a leaked key is switched off with its provider's documented
// revocation API (GitHub's credential revocation API, Slack auth.revoke, GitLab's token self-revocation,
// Dropbox and Google OAuth token revocation), and for any other provider the exact steps and dashboard
// link are printed. Nothing is sent without a typed confirmation on the terminal or --yes.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "verify/one_key.hpp"

namespace keygate {

enum class Confirmation { Ask, Given };  // Given: --yes

// How to switch off a key of `rule_id` by hand: the steps and where, or a general line when keygate knows
// no better. Never empty.
std::string revocation_steps(const std::string& rule_id);

// True iff keygate can revoke a key of `rule_id` through an API.
bool can_revoke(const std::string& rule_id);

// `keygate revoke`. Refuses (Error) inside a git hook. Lists the keys; unless `confirmation` is Given,
// asks the terminal (/dev/tty, since standard input carried the keys) for the word "revoke", and refuses
// without a terminal. Then revokes each key that has an API and prints the steps for the others. Returns
// 0 when every key was revoked (or was already invalid), 1 when some need the printed steps, 2 when a
// revocation failed.
int revoke_keys(const std::vector<KeyInput>& keys, const VerifySettings& settings, Confirmation confirmation,
                std::FILE* out);

}  // namespace keygate
