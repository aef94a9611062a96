#!/usr/bin/env python3
"""The table behind verify_providers.sh (issue 26, breadth): every [rules.verify] in patterns.toml, checked
with `keygate verify --rule ID` against verify_server.py answering live, dead, rate-limited and malformed.

usage: verify_providers.py KEYGATE PATTERNS.toml SERVER_URL SCENARIOS_OUT   (writes the scenarios, then
waits for SCENARIOS_OUT + ".go" before running keygate; prints one line per failure, exits 1 on any)

The answers are the providers' documented ones where the tables give them: DOCUMENTED (the body of a live
answer and the identity keygate must read from it), DOCUMENTED_DEAD (the answer to a wrong or revoked key)
and NOT_DEAD (an answer sharing a dead status that must read unknown: dead_if); elsewhere a body is built from
the verifier's own pointers, which tests the declaration's plumbing (URL, method, where the key goes, live_if,
dead_if, identity) but not the provider. The summary names the verifiers checked against documented answers.
"""
import json
import os
import random
import subprocess
import sys
import time
import tomllib

keygate, patterns, url, scenarios_out = sys.argv[1:5]
rules = [r for r in tomllib.load(open(patterns, "rb"))["rules"] if "verify" in r]

# rule id -> (documented live body, headers, the identity keygate must show, method, path)
DOCUMENTED = {
    "github-pat": ({"login": "octocat", "id": 1, "type": "User"}, {"X-OAuth-Scopes": "repo, gist"},
                   {"id": "1", "login": "octocat", "scopes": "repo, gist"}, "GET", "/user"),
    "gitlab-token": ({"id": 4, "name": "Test Token", "revoked": False, "scopes": ["api", "read_user"],
                      "user_id": 3, "active": True, "expires_at": "2026-12-31"}, {},
                     {"expires_at": "2026-12-31", "name": "Test Token", "scopes": "api, read_user", "user_id": "3"},
                     "GET", "/api/v4/personal_access_tokens/self"),
    "slack-token": ({"ok": True, "url": "https://subarachnoid.slack.com/", "team": "Subarachnoid Workspace",
                     "user": "grace", "team_id": "T12345678", "user_id": "W12345678"}, {},
                    {"team": "Subarachnoid Workspace", "url": "https://subarachnoid.slack.com/", "user": "grace"},
                    "GET", "/auth.test"),
    "stripe-secret-key": ({"id": "acct_1Nv0FGQ9RKHgCVdK", "object": "account", "country": "US",
                           "email": "jenny.rosen@example.com"}, {},
                          {"account": "acct_1Nv0FGQ9RKHgCVdK", "country": "US", "email": "jenny.rosen@example.com",
                           "mode": "live"}, "GET", "/v1/account"),
    "datadog-api-key": ({"valid": True}, {}, {}, "GET", "/api/v1/validate"),
    "mapbox-secret-token": ({"code": "TokenValid", "token": {"usage": "sk", "user": "mapbox"}}, {},
                            {"usage": "sk", "user": "mapbox"}, "GET", "/tokens/v2?access_token=<key>"),
    "telegram-bot-token": ({"ok": True, "result": {"id": 123456789, "is_bot": True, "username": "example_bot"}}, {},
                           {"bot": "example_bot", "id": "123456789"}, "GET", "/bot<key>/getMe"),
    "huggingface-access-token": ({"type": "user", "name": "julien", "auth": {"type": "access_token",
                                  "accessToken": {"displayName": "ci", "role": "write"}}}, {},
                                 {"name": "julien", "role": "write", "token": "ci", "type": "user"}, "GET",
                                 "/api/whoami-v2"),
    "cloudflare-api-token": ({"success": True, "errors": [], "messages": [],
                              "result": {"id": "ed17574386854bf78a67040be0a770b0", "status": "active"}}, {},
                             {"status": "active", "token_id": "ed17574386854bf78a67040be0a770b0"}, "GET",
                             "/client/v4/user/tokens/verify"),
    "anthropic-admin-key": ({"id": "12345678-1234-5678-1234-567812345678", "type": "organization",
                             "name": "Organization Name"}, {},
                            {"organization": "Organization Name",
                             "organization_id": "12345678-1234-5678-1234-567812345678"}, "GET",
                            "/v1/organizations/me"),
    "npm-access-token": ({"username": "npmuser"}, {}, {"username": "npmuser"}, "GET", "/-/whoami"),
    "digitalocean-token": ({"account": {"email": "sammy@digitalocean.com", "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
                                        "status": "active", "team": {"name": "My Team"}}}, {},
                           {"email": "sammy@digitalocean.com", "status": "active", "team": "My Team"}, "GET", "/v2/account"),
    "sendgrid-api-key": ({"scopes": ["mail.send", "alerts.read"]}, {}, {"scopes": "mail.send, alerts.read"}, "GET",
                         "/v3/scopes"),
    "airtable-pat": ({"id": "usrL2PNC5o3H4lBEi", "scopes": ["data.records:read"], "email": "foo@bar.com"}, {},
                     {"email": "foo@bar.com", "scopes": "data.records:read", "user": "usrL2PNC5o3H4lBEi"}, "GET",
                     "/v0/meta/whoami"),
    "twitch-api-token": ({"client_id": "wbmytr93xzw8zbg0p1izqyzzc5mbiz", "login": "twitchdev", "scopes": ["channel:read:subscriptions"],
                          "user_id": "141981764", "expires_in": 5520838}, {},
                         {"client_id": "wbmytr93xzw8zbg0p1izqyzzc5mbiz", "login": "twitchdev",
                          "scopes": "channel:read:subscriptions"}, "GET", "/oauth2/validate"),
    "linear-api-key": ({"data": {"viewer": {"id": "u1", "name": "Ada", "email": "ada@example.com"}}}, {},
                       {"email": "ada@example.com", "name": "Ada"}, "POST", "/graphql"),
    "together-api-key": ({"object": "list", "data": []}, {}, None, "GET", "/v1/models"),
    "anthropic-api-key": ({"data": [{"type": "model", "id": "claude-sonnet-4-20250514", "display_name": "Claude Sonnet 4",
                                     "created_at": "2025-02-19T00:00:00Z"}], "has_more": False,
                           "first_id": "claude-sonnet-4-20250514", "last_id": "claude-sonnet-4-20250514"}, {}, {},
                          "GET", "/v1/models"),
    "groq-api-key": ({"object": "list", "data": [{"id": "llama-3.3-70b-versatile", "object": "model", "created": 1693721698,
                                                  "owned_by": "Meta", "active": True, "context_window": 131072}]},
                     {}, {}, "GET", "/v1/models"),
    "mistral-api-key": ({"object": "list", "data": [{"id": "mistral-large-latest", "object": "model",
                                                     "created": 1717200000, "owned_by": "mistralai"}]}, {}, {},
                        "GET", "/v1/models"),
    "xai-api-key": ({"data": [{"id": "grok-4", "created": 1752019200, "object": "model", "owned_by": "xai"}],
                     "object": "list"}, {}, {}, "GET", "/v1/models"),
    "deepseek-api-key": ({"object": "list", "data": [{"id": "deepseek-chat", "object": "model", "owned_by": "deepseek"},
                                                     {"id": "deepseek-reasoner", "object": "model", "owned_by": "deepseek"}]},
                         {}, {}, "GET", "/v1/models"),
    "cohere-api-key": ({"models": [{"name": "command-r", "endpoints": ["generate", "chat"], "context_length": 128000}],
                        "next_page_token": None}, {}, {}, "GET", "/v1/models"),
    "google-api-key": ({"models": [{"name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash",
                                    "inputTokenLimit": 1048576}]}, {}, {},
                       "GET", "/v1beta/models?key=<key>"),
    "pinecone-api-key": ({"indexes": [{"name": "movie-recommendations", "dimension": 1536, "metric": "cosine",
                                       "status": {"ready": True, "state": "Ready"}}]}, {}, {}, "GET", "/indexes"),
    "replicate-api-token": ({"type": "organization", "username": "acme", "name": "Acme Corp, Inc.",
                             "github_url": "https://github.com/acme"}, {},
                            {"type": "organization", "username": "acme"}, "GET", "/v1/account"),
    "openrouter-api-key": ({"data": {"label": "Production", "limit": 100, "usage": 0.5, "is_free_tier": False}}, {},
                           {"label": "Production", "limit": "100", "usage": "0.5"}, "GET", "/v1/key"),
    "elevenlabs-api-key": ({"subscription": {"tier": "trial", "character_count": 17231, "character_limit": 100000},
                            "is_new_user": False, "first_name": "John", "user_id": "1234567890"}, {},
                           {"tier": "trial", "user": "1234567890"}, "GET", "/v1/user"),
    "heroku-api-key": ({"email": "username@example.com", "id": "01234567-89ab-cdef-0123-456789abcdef",
                        "name": "Tina Edmonds", "verified": True}, {},
                       {"email": "username@example.com", "id": "01234567-89ab-cdef-0123-456789abcdef"}, "GET", "/account"),
    "terraform-cloud-token": ({"data": {"id": "user-V3R563qtJNcExAkN", "type": "users",
                                        "attributes": {"username": "admin", "email": "admin@hashicorp.com",
                                                       "is-service-account": False}}}, {},
                              {"email": "admin@hashicorp.com", "username": "admin"}, "GET", "/api/v2/account/details"),
    "circleci-token": ({"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "login": "octocat", "name": "The Octocat"}, {},
                       {"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "login": "octocat"}, "GET", "/api/v2/me"),
    "square-access-token": ({"merchant": {"id": "DM7VKY8Q63GNP", "business_name": "Apple A Day", "country": "US",
                                          "language_code": "en-US", "currency": "USD", "status": "ACTIVE"}}, {},
                            {"country": "US", "merchant": "Apple A Day", "merchant_id": "DM7VKY8Q63GNP"}, "GET",
                            "/v2/merchants/me"),
    "discord-bot-token": ({"id": "80351110224678912", "username": "Nelly", "discriminator": "1337", "verified": True,
                           "email": "nelly@discord.com"}, {}, {"id": "80351110224678912", "username": "Nelly"}, "GET",
                          "/v10/users/@me"),
    "mailgun-api-key": ({"total_count": 1, "items": [{"name": "samples.mailgun.org", "state": "active",
                                                      "type": "custom"}]}, {}, {"domains": "1"}, "GET", "/v3/domains"),
    "postmark-server-token": ({"ID": 1, "Name": "Staging Testing", "Color": "red", "SmtpApiActivated": True}, {},
                              {"server": "Staging Testing", "server_id": "1"}, "GET", "/server"),
    "notion-integration-token": ({"object": "user", "id": "16d84278-ab0e-484c-9bdd-b35da3bd8905", "name": "pied piper",
                                  "avatar_url": None, "type": "bot",
                                  "bot": {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Pied Piper"}},
                                 {}, {"bot": "pied piper", "workspace": "Pied Piper"}, "GET", "/v1/users/me"),
    "figma-token": ({"id": "123", "email": "rowan@figma.com", "handle": "Rowan", "img_url": "https://example.com/a.png"},
                    {}, {"email": "rowan@figma.com", "handle": "Rowan"}, "GET", "/v1/me"),
    "postman-api-key": ({"user": {"id": 12345678, "username": "taylor-lee", "email": "taylor.lee@example.com",
                                  "fullName": "Taylor Lee", "isPublic": True, "teamId": 123, "teamName": "Test Team",
                                  "teamDomain": "test-team"}, "operations": []}, {},
                        {"team": "Test Team", "username": "taylor-lee"}, "GET", "/me"),
    "vercel-token": ({"user": {"id": "AEIIDYVk59zbFF2Sxfyxxmua", "email": "me@example.com", "name": "John Doe",
                               "username": "jdoe", "avatar": None, "defaultTeamId": None}}, {},
                     {"email": "me@example.com", "username": "jdoe"}, "GET", "/v2/user"),
    "netlify-pat": ({"id": "5c4b2a1d", "full_name": "Jane Netlify", "email": "jane@example.com", "site_count": 3}, {},
                    {"email": "jane@example.com", "name": "Jane Netlify"}, "GET", "/api/v1/user"),
    "asana-secret": ({"data": {"gid": "12345", "resource_type": "user", "name": "Greg Sanchez",
                               "email": "gsanchez@example.com"}}, {},
                     {"email": "gsanchez@example.com", "name": "Greg Sanchez"}, "GET", "/api/1.0/users/me"),
    "dropbox-token": ({"account_id": "dbid:AAH4f99T", "name": {"given_name": "Franz", "surname": "Ferdinand",
                                                               "display_name": "Franz Ferdinand (Personal)"},
                       "email": "franz@dropbox.com", "email_verified": True, "disabled": False}, {},
                      {"email": "franz@dropbox.com", "name": "Franz Ferdinand (Personal)"}, "POST",
                      "/2/users/get_current_account"),
    "intercom-access-token": ({"type": "admin", "id": "991267464", "name": "Ciaran Lee", "email": "admin1@email.com",
                               "app": {"type": "app", "name": "MyApp 1", "region": "US"}}, {},
                              {"app": "MyApp 1", "email": "admin1@email.com", "name": "Ciaran Lee"}, "GET", "/me"),
    "bitly-access-token": ({"login": "bitlyapioauthdemo", "name": "Bitly API Demo", "is_active": True,
                            "default_group_guid": "Ba1bc23dE4F"}, {},
                           {"login": "bitlyapioauthdemo", "name": "Bitly API Demo"}, "GET", "/v4/user"),
}
# rule id -> (status, body) of the provider's documented answer to a wrong or revoked key, from its API
# reference or error page (the message texts shortened where they quote the key). The dead scenario answers
# with it; without an entry it answers the verifier's first dead status with a made body.
OPENAI_STYLE = {"error": {"message": "Incorrect API key provided: kgt***abcd.", "type": "invalid_request_error",
                          "param": None, "code": "invalid_api_key"}}
GEMINI_DEAD = (400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                               "status": "INVALID_ARGUMENT",
                               "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                            "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}})
VERCEL_DEAD = (403, {"error": {"code": "forbidden", "message": "Not authorized", "invalidToken": True}})
DOCUMENTED_DEAD = {
    "github-pat": (401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
    "gitlab-token": (401, {"message": "401 Unauthorized"}),
    "slack-token": (200, {"ok": False, "error": "invalid_auth"}),
    "stripe-secret-key": (401, {"error": {"message": "Invalid API Key provided: sk_live_****abcd",
                                          "type": "invalid_request_error"}}),
    "openai-api-key": (401, OPENAI_STYLE),
    "together-api-key": (401, OPENAI_STYLE),
    "groq-api-key": (401, {"error": {"message": "Invalid API Key", "type": "invalid_request_error",
                                     "code": "invalid_api_key"}}),
    "anthropic-api-key": (401, {"type": "error", "error": {"type": "authentication_error",
                                                          "message": "invalid x-api-key"}}),
    "anthropic-admin-key": (401, {"type": "error", "error": {"type": "authentication_error",
                                                            "message": "invalid x-api-key"}}),
    "xai-api-key": (400, {"code": "Client specified an invalid argument",
                          "error": "Incorrect API key provided: kg***cd. You can obtain an API key from https://console.x.ai."}),
    "deepseek-api-key": (401, {"error": {"message": "Authentication Fails, Your api key: ****abcd is invalid",
                                         "type": "authentication_error", "param": None, "code": "invalid_request_error"}}),
    "mistral-api-key": (401, {"message": "Unauthorized", "request_id": "0a1b2c"}),
    "huggingface-access-token": (401, {"error": "Invalid credentials in Authorization header"}),
    "replicate-api-token": (401, {"title": "Unauthenticated", "detail": "You did not pass a valid authentication token",
                                  "status": 401}),
    "google-api-key": GEMINI_DEAD,
    "gcp-gemini-api-key": GEMINI_DEAD,
    "pinecone-api-key": (401, {"error": {"code": "UNAUTHENTICATED", "message": "Invalid API Key"}, "status": 401}),
    "elevenlabs-api-key": (401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}),
    "digitalocean-token": (401, {"id": "Unauthorized", "message": "Unable to authenticate you."}),
    "heroku-api-key": (401, {"id": "unauthorized", "message": "Invalid credentials provided."}),
    "cloudflare-api-token": (401, {"success": False, "errors": [{"code": 1000, "message": "Invalid API Token"}],
                                   "messages": [], "result": None}),
    "square-access-token": (401, {"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED",
                                              "detail": "This request could not be authorized."}]}),
    "discord-bot-token": (401, {"message": "401: Unauthorized", "code": 0}),
    "telegram-bot-token": (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
    "sendgrid-api-key": (401, {"errors": [{"field": None, "message": "authorization required"}]}),
    "mapbox-secret-token": (401, {"code": "TokenInvalid"}),
    "linear-api-key": (400, {"errors": [{"message": "Authentication required, not authenticated",
                                         "extensions": {"type": "authentication error", "code": "AUTHENTICATION_ERROR",
                                                        "userPresentableMessage": "You need to authenticate to access this operation."}}]}),
    "notion-integration-token": (401, {"object": "error", "status": 401, "code": "unauthorized",
                                       "message": "API token is invalid."}),
    "airtable-pat": (401, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"}}),
    "figma-token": (403, {"status": 403, "err": "Invalid token"}),
    "postman-api-key": (401, {"error": {"name": "AuthenticationError",
                                        "message": "Invalid API Key. Every request requires a valid API Key to be sent."}}),
    "sentry-token": (401, {"detail": "Invalid token"}),
    "datadog-api-key": (403, {"errors": ["Forbidden"]}),
    "twitch-api-token": (401, {"status": 401, "message": "invalid access token"}),
    "vercel-token": VERCEL_DEAD,
    "vercel-api-token-legacy": VERCEL_DEAD,
    "bitly-access-token": (403, {"message": "FORBIDDEN", "resource": "user",
                                 "description": "You are currently forbidden to access this resource."}),
}
DOCUMENTED_DEAD.update({
    "cohere-api-key": (401, {"message": "invalid api token"}),
    "openrouter-api-key": (401, {"error": {"message": "No auth credentials found", "code": 401}}),
    "fireworks-api-key": (401, {"error": {"object": "error", "type": "invalid_request_error",
                                          "message": "The API key you provided is invalid."}}),
    "cerebras-api-key": (401, {"message": "Wrong API Key", "type": "invalid_request_error", "param": "api_key",
                               "code": "wrong_api_key"}),
    "moonshot-api-key": (401, {"error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}}),
    "terraform-cloud-token": (401, {"errors": [{"status": "401", "title": "unauthorized"}]}),
    "circleci-token": (401, {"message": "You must log in first."}),
    "asana-secret": (401, {"errors": [{"message": "Not Authorized"}]}),
    "dropbox-token": (401, {"error_summary": "invalid_access_token/", "error": {".tag": "invalid_access_token"}}),
    "intercom-access-token": (401, {"type": "error.list", "request_id": "b3lrdxr9w1d8b6rq1v10",
                                    "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}),
    "mailgun-api-key": (401, "Forbidden"),
    "postmark-server-token": (401, {"ErrorCode": 10, "Message": "No Account or Server API tokens were supplied in "
                                                               "the HTTP headers. Please add a header for either "
                                                               "X-Postmark-Server-Token or X-Postmark-Account-Token."}),
    "wakatime-api-key": (401, {"error": "Unauthorized"}),
    "facebook-access-token": (400, {"error": {"message": "Error validating access token: Session has expired.",
                                              "type": "OAuthException", "code": 190, "error_subcode": 463,
                                              "fbtrace_id": "H2il2t5bn4e"}}),
})
DOCUMENTED.update({
    "wakatime-api-key": ({"data": {"id": "f7b0e3d2", "username": "alan", "display_name": "Alan Turing",
                                   "timezone": "Europe/London"}}, {}, {"username": "alan"}, "GET", "/api/v1/users/current"),
    "facebook-access-token": ({"name": "Jane Doe", "id": "10153424"}, {}, {"id": "10153424", "name": "Jane Doe"},
                              "GET", "/me?access_token=<key>"),
    "fireworks-api-key": ({"object": "list", "data": [{"id": "accounts/fireworks/models/llama-v3p1-8b-instruct",
                                                       "object": "model", "owned_by": "fireworks"}]}, {}, {}, "GET",
                          "/v1/models"),
    "cerebras-api-key": ({"object": "list", "data": [{"id": "llama3.1-8b", "object": "model", "owned_by": "Meta"}]},
                         {}, {}, "GET", "/v1/models"),
    "moonshot-api-key": ({"object": "list", "data": [{"id": "moonshot-v1-8k", "object": "model",
                                                      "owned_by": "moonshot"}]}, {}, {}, "GET", "/v1/models"),
})
DOCUMENTED_DEAD.update({
    "openweather-api-key": (401, {"cod": 401, "message": "Invalid API key. Please see "
                                                         "https://openweathermap.org/faq#error401 for more info."}),
    "nytimes-api-key": (401, {"fault": {"faultstring": "Invalid ApiKey",
                                        "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}}),
    "deepgram-api-key": (401, {"err_code": "INVALID_AUTH", "err_msg": "Invalid credentials.",
                               "request_id": "c2f3d1a0"}),
    "assemblyai-api-key": (401, {"error": "Authentication error, API token missing/invalid"}),
    "hubspot-private-app-token": (401, {"status": "error", "message": "Authentication credentials not found.",
                                        "correlationId": "a43683b0", "category": "INVALID_AUTHENTICATION"}),
    "launchdarkly-token": (401, {"code": "unauthorized", "message": "Invalid access token"}),
    "fastly-api-token": (401, {"msg": "Provided credentials are missing or invalid"}),
    "contentful-token": (401, {"sys": {"type": "Error", "id": "AccessTokenInvalid"},
                               "message": "The access token you sent could not be found or is invalid.",
                               "requestId": "5d6f1b2c"}),
    "brevo-api-key": (401, {"code": "unauthorized", "message": "Key not found"}),
    "honeycomb-api-key": (401, {"error": "unknown API key - check your credentials"}),
    "lichess-token": (401, {"error": "No such token"}),
    "klaviyo-private-key": (401, {"errors": [{"id": "e1d2", "status": 401, "code": "not_authenticated",
                                              "title": "Authentication credentials were not provided.",
                                              "detail": "Missing or invalid private key."}]}),
    "doppler-token": (401, {"messages": ["Invalid Auth token"], "success": False}),
    "posthog-personal-api-key": (401, {"type": "authentication_error", "code": "authentication_failed",
                                       "detail": "Personal API key found in request Authorization header is invalid.",
                                       "attr": None}),
    "tailscale-key": (401, {"message": "API token invalid"}),
    "buildkite-token": (401, {"message": "Authentication required. Please supply a valid API Access Token: "
                                         "https://buildkite.com/docs/apis/rest-api#authentication"}),
    "clerk-secret-key": (401, {"errors": [{"message": "Invalid authentication",
                                           "long_message": "Unable to authenticate the request, you need to supply "
                                                           "an active API key",
                                           "code": "authentication_invalid"}]}),
    "telnyx-api-key": (401, {"errors": [{"code": "10009", "title": "Authentication failed",
                                         "detail": "The API key looks malformed. Check that you copied it correctly."}]}),
    "pulumi-access-token": (401, {"code": 401, "message": "Unauthorized: No credentials provided or are invalid."}),
    "clickup-api-token": (401, {"err": "Token invalid", "ECODE": "OAUTH_025"}),
})

# Issue 26, the verifiers that were tested against their declaration only: the live bodies as the provider's
# reference (or, where it gives field names without an example, its published schema) shows them; the source
# of each is named above it.
DOCUMENTED.update({
    # https://developer.frame.io/api/reference/operation/getMe
    "frameio-api-token": ({"account_id": "bbbbbbbb-b12b-bbbb-bbbb-bbbbbbbbbbbb", "email": "jane@frame.io",
                           "id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "name": "Jane Doe"}, {},
                          {"email": "jane@frame.io", "name": "Jane Doe"}, "GET", "/v2/me"),
    # UserBrief in Cloudsmith's OpenAPI (cloudsmith-api docs/UserBrief.md; GET /user/self/)
    "cloudsmith-api-key": ({"authenticated": True, "email": "jane@example.com", "name": "Jane Doe",
                            "profile_url": "https://cloudsmith.io/~jane-doe/", "self_url": "https://api.cloudsmith.io/v1/users/profile/jane-doe/",
                            "slug": "jane-doe", "slug_perm": "Zx9yW8vU7tS6"}, {},
                           {"email": "jane@example.com", "user": "jane-doe"}, "GET", "/v1/user/self/"),
    # https://docs.apify.com/api/v2/users-me-get (UserPrivateInfo, UserPlan)
    "apify-api-token": ({"data": {"id": "YiKoxjkaS9gjGTqhF", "username": "myusername", "email": "bob@example.com",
                                  "isPaying": True, "createdAt": "2022-11-29T14:48:29.381Z",
                                  "plan": {"id": "STARTER", "description": "Starter plan", "isEnabled": True,
                                           "monthlyBasePriceUsd": 49}}}, {},
                        {"plan": "STARTER", "username": "myusername"}, "GET", "/v2/users/me"),
    # Account in pinterest/pinterest-python-generated-api-client docs/Account.md (GET /v5/user_account)
    "pinterest-access-token": ({"account_type": "BUSINESS", "id": "549755885175", "username": "pinterestdev",
                                "profile_image": "https://i.pinimg.com/280x280_RS/a.jpg", "website_url": "https://example.com",
                                "about": "", "business_name": "Pinterest Dev", "board_count": 12, "pin_count": 340,
                                "follower_count": 20, "following_count": 7, "monthly_views": 1000}, {},
                               {"type": "BUSINESS", "username": "pinterestdev"}, "GET", "/v5/user_account"),
    # https://docs.snyk.io/snyk-api/reference/users-v1 (Get My Details)
    "snyk-api-token": ({"id": "4a18d42f-0706-4ad0-b127-24078731fbed", "username": "jdoe", "email": "jdoe@example.com",
                        "orgs": []}, {}, {"email": "jdoe@example.com", "username": "jdoe"}, "GET", "/v1/user/me"),
    # Neon's GET /api/v2/users/me as https://withone.ai/knowledge/neon shows it from Neon's OpenAPI
    "neon-api-key": ({"active_seconds_limit": 3600, "auth_accounts": [{"email": "alex@example.com", "login": "alex@example.com",
                                                                      "name": "Alex Doe", "provider": "google"}],
                      "email": "alex@example.com", "id": "usr_123", "login": "alex@example.com", "name": "Alex",
                      "last_name": "Doe", "projects_limit": 10, "branches_limit": 50, "plan": "pro"}, {},
                     {"email": "alex@example.com", "user": "usr_123"}, "GET", "/api/v2/users/me"),
    # Render's GET /v1/owners as https://withone.ai/knowledge/render shows it (schema: schemas.apis.io/schemas/render/render-owner)
    "render-api-key": ([{"owner": {"id": "own_1234567890abcdef", "name": "Acme Team", "email": "team@acme.example",
                                   "ipAllowList": [], "type": "team"}, "cursor": "eyJvZmZzZXQiOjF9"}], {},
                       {"email": "team@acme.example", "owner": "Acme Team"}, "GET", "/v1/owners?limit=1"),
    # Stability's v1 REST reference, GET /v1/user/account (mirror: apifox.com/apidoc/docs-site/3757851/api-133522048)
    "stability-ai-api-key": ({"email": "example@stability.ai", "id": "user-1234", "organizations": [],
                              "profile_picture": "https://api.stability.ai/example.png"}, {},
                             {"email": "example@stability.ai", "user": "user-1234"}, "GET", "/v1/user/account"),
    # https://www.mintlify.com/antiwork/gumroad/api/user (from Gumroad's own repository)
    "gumroad-access-token": ({"success": True, "user": {"id": "abc123", "email": "jane@example.com", "name": "Jane Creator",
                                                        "url": "https://gumroad.com/janecreator"}}, {},
                             {"email": "jane@example.com", "name": "Jane Creator"}, "GET", "/v2/user"),
    # https://docs.rootly.com/api-reference/users/get-current-user
    "rootly-api-key": ({"data": {"id": "1057", "type": "users",
                                 "attributes": {"name": "Saundra Schulist", "email": "saundra@example.com",
                                                "first_name": "Saundra", "last_name": "Schulist",
                                                "time_zone": "Etc/UTC"}}}, {},
                       {"email": "saundra@example.com"}, "GET", "/v1/users/me"),
    # ProfileRetrieveResponse in val-town/sdk (generated from Val Town's OpenAPI); User example in its schema
    "val-town-api-token": ({"id": "00000000-0000-0000-0000-000000000000", "bio": "Hello world", "email": "tmcw@example.com",
                            "links": {"self": "https://api.val.town/v1/users/00000000-0000-0000-0000-000000000000"},
                            "profileImageUrl": None, "tier": "free", "type": "user", "url": "https://val.town/u/tmcw",
                            "username": "tmcw"}, {}, {"username": "tmcw"}, "GET", "/v1/me"),
    # https://docs.workato.com/workato-api/users.html
    "workato-api-token": ({"id": 17293, "name": "ACME-API", "created_at": "2019-06-19T19:53:16.886-07:00",
                           "plan_id": "oem_plan", "recipes_count": 49, "email": "acme@example.com",
                           "active_recipes_count": 1, "root_folder_id": 10294}, {}, {"name": "ACME-API"}, "GET",
                          "/api/users/me"),
    # https://developer.travis-ci.com/resource/user (standard representation), /format (the @ metadata)
    "travis-ci-token": ({"@type": "user", "@href": "/user/4549", "@representation": "standard", "@permissions": {"read": True},
                         "id": 4549, "login": "octocat", "name": "The Octocat", "github_id": 583231,
                         "avatar_url": "https://avatars.githubusercontent.com/u/583231", "education": False,
                         "is_syncing": False, "synced_at": "2024-05-01T10:00:00Z"}, {}, {"login": "octocat"}, "GET", "/user"),
    # UserInfoResponse in Aiven's OpenAPI (schemas.apis.io/schemas/aiven/aiven-user-info), fields as https://aiven.io/docs/tools/cli/user shows them
    "aiven-token": ({"message": "Completed", "user": {"user": "john.doe@example.com", "real_name": "John Doe",
                                                      "state": "active", "token_validity_begin": "2021-08-18T09:24:10.298796+00:00",
                                                      "projects": ["dev-sandbox", "prod-environment"], "auth": ["password"]}}, {},
                    {"user": "john.doe@example.com"}, "GET", "/v1/me"),
    # https://docs.easypost.com/docs/users (User object)
    "easypost-api-key": ({"id": "user_060ab38db3c", "object": "User", "parent_id": None, "name": "Jane Shipper",
                          "email": "jane@example.com", "phone_number": "5555555555", "balance": "0.00000",
                          "price_per_shipment": "0.00000", "recharge_amount": "100.00", "secondary_recharge_amount": "100.00",
                          "recharge_threshold": "0.00", "children": []}, {},
                         {"email": "jane@example.com", "user": "user_060ab38db3c"}, "GET", "/v2/users"),
    # https://docs.jumpcloud.com/api/1.0/index.html (systemusers_list; example output as docs.blinkops.com shows it)
    "jumpcloud-api-key": ({"results": [{"_id": "5c9a1b2e3d4f", "username": "jdoe", "email": "jdoe@example.com",
                                        "activated": True, "account_locked": False}], "totalCount": 1}, {}, None, "GET",
                          "/api/systemusers?limit=1"),
    # gitterHQ/docs 02.Authentication.md, "Check who you are authenticated as" (GET /v1/user/me)
    "gitter-access-token": ({"id": "553d437215522ed4b3df8c50", "username": "MadLittleMods", "displayName": "Eric Eastwood",
                             "url": "/MadLittleMods", "avatarUrl": "https://avatars-05.gitter.im/gh/uv/3/MadLittleMods",
                             "staff": True, "providers": ["github"], "v": 8, "gv": "3"}, {},
                            {"username": "MadLittleMods"}, "GET", "/v1/user/me"),
    # OrganizationInfoResponse in Samsara's OpenAPI (GET /me; the samsara_api gem's OrganizationInfoObject)
    "samsara-api-token": ({"data": {"id": "8514", "name": "Acme Trucking", "carrierSettings": {
        "carrierName": "Acme Trucking", "dotNumber": 1234567, "mainOfficeAddress": "1990 Alameda St, San Francisco, CA"}}},
                          {}, {"organization": "Acme Trucking"}, "GET", "/me"),
    # Applicants_list in Onfido's v3.6 OpenAPI (https://documentation.onfido.com)
    "onfido-api-token": ({"applicants": [{"id": "046b6c7f-0b8a-43b9-b35d-6489e6daee91", "created_at": "2000-01-23T04:56:07.000Z",
                                          "first_name": "Jane", "last_name": "Doe", "sandbox": True}]}, {}, None, "GET",
                         "/v3.6/applicants?per_page=1"),
})
DOCUMENTED_DEAD.update({
    # https://docs.goshippo.com/docs/guides_general/authentication
    "shippo-api-token": (401, {"detail": "Token does not exist"}),
    # as the live body
    "render-api-key": (401, {"id": "unauthorized", "message": "Authorization information is missing or invalid."}),
    # as the live body
    "gumroad-access-token": (401, {"success": False, "message": "Unauthorized"}),
    # https://developer.travis-ci.com/errors (login_required is 403)
    "travis-ci-token": (403, {"@type": "error", "error_type": "login_required", "error_message": "login required"}),
})

# Another rule of the same provider and endpoint answers the same (with GitHub's fine-grained and app user
# tokens, without the X-OAuth-Scopes header that only classic and OAuth tokens get).
for variant, primary in {"together-api-key-legacy": "together-api-key", "huggingface-org-token": "huggingface-access-token",
                         "github-oauth-token": "github-pat", "github-fine-grained-pat": "github-pat",
                         "github-app-token": "github-pat", "gitlab-routable-token": "gitlab-token",
                         "telegram-bot-token-named": "telegram-bot-token", "heroku-api-key-legacy": "heroku-api-key",
                         "pinecone-api-key-legacy": "pinecone-api-key", "netlify-token-named": "netlify-pat",
                         "vercel-api-token-legacy": "vercel-token", "wakatime-api-key-legacy": "wakatime-api-key",
                         "facebook-graph-app-token": "facebook-access-token"}.items():
    if primary in DOCUMENTED:
        DOCUMENTED[variant] = DOCUMENTED[primary]
    if primary in DOCUMENTED_DEAD:
        DOCUMENTED_DEAD[variant] = DOCUMENTED_DEAD[primary]
for token in ("github-fine-grained-pat", "github-app-token"):
    body, _, identity, method, path = DOCUMENTED[token]
    DOCUMENTED[token] = (body, {}, {k: v for k, v in identity.items() if k != "scopes"}, method, path)

# Answers with a dead status that do not mean a dead key (a missing scope, a bad query, a rate limit): for
# verifiers with dead_if they must read unknown.
NOT_DEAD = {
    "linear-api-key": (400, {"errors": [{"message": "Rate limit exceeded", "extensions": {"code": "RATELIMITED"}}]}),
    "vercel-token": (403, {"error": {"code": "forbidden", "message": "You don't have permission to access this scope"}}),
    "figma-token": (403, {"status": 403, "err": "Invalid scope(s): current_user:read. This endpoint requires the current_user:read scope"}),
    "google-api-key": (400, {"error": {"code": 400, "message": "Request contains an invalid argument.",
                                       "status": "INVALID_ARGUMENT"}}),
    "facebook-access-token": (400, {"error": {"message": "(#4) Application request limit reached",
                                              "type": "OAuthException", "code": 4, "fbtrace_id": "Fz9dA"}}),
    # https://developer.travis-ci.com/errors (insufficient_access, the same shape)
    "travis-ci-token": (403, {"@type": "error", "error_type": "insufficient_access",
                              "error_message": "operation requires read access to user"}),
}

# Identity answers asked from a second URL (identity_url), as documented.
DOCUMENTED_IDENTITY = {
    "together-api-key": ({"api_key_id": "key_1", "organization_id": "org_1", "organization_name": "Acme, Inc.",
                          "project_id": "proj_1", "project_name": "My Project", "project_slug": "my-project"},
                         {"key_id": "key_1", "organization": "Acme, Inc.", "organization_id": "org_1",
                          "project": "My Project", "project_id": "proj_1"}),
    "openai-api-key": ({"object": "user", "id": "user-1234", "email": "user@yourcompany.com",
                        "orgs": {"object": "list", "data": [{"object": "organization", "id": "org-abcd", "title": "Org 1 Name"}]}},
                       {"organization": "Org 1 Name", "organization_id": "org-abcd", "user": "user@yourcompany.com"}),
}
DOCUMENTED_IDENTITY["together-api-key-legacy"] = DOCUMENTED_IDENTITY["together-api-key"]


def set_pointer(root, pointer, value):
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = root
    for i, t in enumerate(tokens):
        last = i == len(tokens) - 1
        nxt = None if last else ([] if tokens[i + 1].isdigit() else {})
        if isinstance(node, list):
            while len(node) <= int(t):
                node.append(nxt if nxt is not None else None)
            if last:
                node[int(t)] = value
            elif not isinstance(node[int(t)], (list, dict)):
                node[int(t)] = nxt
            node = None if last else node[int(t)]
        else:
            if last:
                node[t] = value
            else:
                node = node.setdefault(t, nxt)
    return root


def made_answer(v):
    """A live body built from the verifier's pointers, its headers, and the identity expected from them."""
    pointers = [p for p in list(v.get("identity", {}).values()) + list(v.get("live_if", {})) if p.startswith("/")]
    root = [] if any(p.split("/")[1].isdigit() for p in pointers) else {}
    expected, headers = {}, {}
    for pointer, want in v.get("live_if", {}).items():
        set_pointer(root, pointer, True if want == "true" else want)
    for name, source in v.get("identity", {}).items():
        if source.startswith("/"):
            set_pointer(root, source, "v-" + name)
            expected[name] = "v-" + name
        elif source.startswith("header:"):
            headers[source[7:]] = "v-" + name
            expected[name] = "v-" + name
    return root, headers, expected


def prefix_identity(v, key):
    out = {}
    for name, source in v.get("identity", {}).items():
        if source.startswith("prefix:"):
            for item in source[7:].split(","):
                p, value = item.split("=")
                if key.startswith(p):
                    out[name] = value
                    break
    return out


rng = random.Random(2026)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
scenarios, plans = {}, []
for rule in rules:
    v, rid = rule["verify"], rule["id"]
    live_status = v["live"][0]
    prefix = "sk_live_" if rid == "stripe-secret-key" else "kgt"
    keys = {s: prefix + "".join(rng.choice(alphabet) for _ in range(40))
            for s in ("live", "dead", "limited", "malformed", "not_dead")}
    doc = DOCUMENTED.get(rid)
    body, headers, expected = made_answer(v)
    if doc:
        body, headers = doc[0], doc[1]
        if doc[2] is not None:
            expected = doc[2]
    by_path = {}
    identity_path = None
    if "identity_url" in v:
        identity_path = v["identity_url"].replace("{base}", "")
        ident_body, ident_expected = DOCUMENTED_IDENTITY.get(rid, (None, None))
        if ident_body is None:
            ident_body, _, ident_expected = made_answer({"identity": v["identity"]})
        by_path[identity_path] = {"status": 200, "body": ident_body}
        expected = ident_expected
    expected = dict(sorted({**expected, **prefix_identity(v, keys["live"])}.items()))
    live = {"status": live_status, "body": body, "headers": headers}
    if rid in DOCUMENTED_DEAD:
        dead = {"status": DOCUMENTED_DEAD[rid][0], "body": DOCUMENTED_DEAD[rid][1]}
    elif v.get("dead"):
        dead_body = {"error": "invalid key"}
        for pointer, want in v.get("dead_if", {}).items():
            set_pointer(dead_body, pointer, True if want == "true" else want)
        dead = {"status": v["dead"][0], "body": dead_body}
    else:  # answers 200 either way: the body tells (live_if)
        bad = json.loads(json.dumps(body))
        for pointer in v["live_if"]:
            set_pointer(bad, pointer, False)
        dead = {"status": live_status, "body": bad}
    garbage = {"status": live_status, "body": "<html>upstream error</html>"}
    scenarios[keys["live"]] = {"label": rid + ":live", "answers": [live], "by_path": by_path}
    scenarios[keys["dead"]] = {"label": rid + ":dead", "answers": [dead]}
    scenarios[keys["limited"]] = {"label": rid + ":limited", "answers": [
        {"status": 429, "headers": {"Retry-After": "0"}}, live], "by_path": by_path}
    if rid in NOT_DEAD:
        scenarios[keys["not_dead"]] = {"label": rid + ":not_dead", "answers": [
            {"status": NOT_DEAD[rid][0], "body": NOT_DEAD[rid][1]}]}
    malformed_by_path = {p: garbage for p in by_path}
    scenarios[keys["malformed"]] = {"label": rid + ":malformed", "answers": [garbage], "by_path": malformed_by_path}
    malformed_want = ("unknown: HTTP %d with a malformed answer" % live_status) if v.get("live_if") else "live"
    plans.append((rule, keys, expected, malformed_want, prefix_identity(v, keys["malformed"])))

with open(scenarios_out + ".tmp", "w") as f:
    json.dump(scenarios, f)
os.rename(scenarios_out + ".tmp", scenarios_out)
while not os.path.exists(scenarios_out + ".go"):
    time.sleep(0.05)
url = open(scenarios_out + ".go").read().strip()

env = dict(os.environ)
for rule in rules:
    provider = rule["verify"].get("provider", rule["id"])
    env["KEYGATE_VERIFY_" + provider.upper().replace("-", "_").replace(".", "_") + "_URL"] = url
failures = []
for rule, keys, expected, malformed_want, malformed_identity in plans:
    rid, v = rule["id"], rule["verify"]
    if not v["url"].startswith("{base}"):
        failures.append(f"{rid}: url does not start with {{base}}: the tests cannot reach it")
        continue
    order = ["live", "dead", "limited", "malformed"] + (["not_dead"] if rid in NOT_DEAD else [])
    run = subprocess.run([keygate, "verify", "--rule", rid, "--format", "json", "--verify-timeout", "5"],
                         input="\n".join(keys[s] for s in order) + "\n", capture_output=True, text=True, env=env)
    if run.returncode != 1:
        failures.append(f"{rid}: exit {run.returncode} (a live key: 1): {run.stderr.strip()}")
        continue
    got = json.loads(run.stdout)
    verdicts = {s: g["verification"] for s, g in zip(order, got)}
    want = {"live": "live", "dead": "dead", "limited": "live", "malformed": malformed_want}
    if rid in NOT_DEAD:
        want["not_dead"] = "unknown: HTTP %d, not the provider's answer to a dead key" % NOT_DEAD[rid][0]
    if verdicts != want:
        failures.append(f"{rid}: verdicts {verdicts}, expected {want}")
    for s, want_identity in (("live", expected), ("limited", expected), ("malformed", malformed_identity)):
        identity = next(g for g, o in zip(got, order) if o == s).get("identity", {})
        if identity != want_identity or list(identity) != sorted(identity):
            failures.append(f"{rid}: {s}: identity {identity}, expected {want_identity}")
    for k in keys.values():
        if k in run.stdout or k in run.stderr:
            failures.append(f"{rid}: a whole key in the output")
plans_by_label = {}
for line in open(os.environ["SERVER_LOG"]):
    r = json.loads(line)
    plans_by_label.setdefault(r["label"], []).append(r)
for rule, keys, *_ in plans:
    rid, v = rule["id"], rule["verify"]
    requests = plans_by_label.get(rid + ":live", [])
    first = requests[0] if requests else None
    method = v.get("method", "GET")
    if first is None or first["method"] != method or not first["where"]:
        failures.append(f"{rid}: first request {first}, expected {method} carrying the key")
        continue
    doc = DOCUMENTED.get(rid)
    if doc and (first["method"], first["path"]) != (doc[3], doc[4]):
        failures.append(f"{rid}: asked {first['method']} {first['path']}, documented {doc[3]} {doc[4]}")
    if len(plans_by_label.get(rid + ":limited", [])) < 2:
        failures.append(f"{rid}: a 429 was not retried")
for rid in list(DOCUMENTED_DEAD) + list(NOT_DEAD) + list(DOCUMENTED):
    if not any(rule["id"] == rid for rule, *_ in plans):
        failures.append(f"{rid}: in the documented table but has no verifier")
print("\n".join(failures))
documented = sorted(set(DOCUMENTED) | set(DOCUMENTED_DEAD))
print(f"{len(plans)} verifiers checked, {len(failures)} failures; against documented answers: {len(documented)}: "
      + " ".join(documented), file=sys.stderr)
sys.exit(1 if failures else 0)
