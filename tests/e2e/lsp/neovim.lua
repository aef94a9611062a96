-- Driven by tests/e2e/lsp_neovim_client.sh: Neovim's built-in LSP client (the 0.7 API Debian bookworm
-- ships: vim.lsp.start_client and buf_attach_client; vim.lsp.start came in 0.8) runs `keygate lsp` on a
-- file of a repository, the test types a key into it, reads the diagnostics, applies keygate's code
-- actions and checks the buffer, the diagnostics after each edit and .keygateignore. Any failure quits
-- with an error status and a line on stderr naming the step.
local keygate, root, key, key2, key3 = os.getenv("KEYGATE"), os.getenv("REPO"), os.getenv("KEY"),
  os.getenv("KEY2"), os.getenv("KEY3")

local function fail(step)
  io.stderr:write("FAIL: " .. step .. "\n")
  vim.cmd("cquit 1")
end

local function check(ok, step)
  if not ok then fail(step) end
end

vim.cmd("edit " .. vim.fn.fnameescape(root .. "/app.py"))
vim.bo.filetype = "python"
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "keygate",
  cmd = { keygate, "lsp" },
  root_dir = root,
  flags = { debounce_text_changes = 20 },
})
check(client_id ~= nil, "start_client")
vim.lsp.buf_attach_client(buf, client_id)
check(vim.wait(10000, function()
  local c = vim.lsp.get_client_by_id(client_id)
  return c ~= nil and c.initialized
end, 10), "the server initialized")
local client = vim.lsp.get_client_by_id(client_id)
-- Neovim 0.7 offers no other encoding; later ones may offer utf-8, which keygate then picks.
local v = vim.version()
check(client.offset_encoding == "utf-16" or (v.major > 0 or v.minor > 7) and client.offset_encoding == "utf-8",
  "the negotiated positions: " .. tostring(client.offset_encoding))

local function keygate_diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == "keygate" then table.insert(out, d) end
  end
  return out
end

local function wait_for(count, step)
  check(vim.wait(10000, function() return #keygate_diagnostics() == count end, 10),
    step .. " (diagnostics: " .. #keygate_diagnostics() .. ", expected " .. count .. ")")
end

-- Type a line into the buffer in insert mode, keystroke by keystroke (incremental changes). The é before
-- the key is 2 bytes and 1 UTF-16 unit: the diagnostic's column proves the conversion. (Not a character
-- outside the BMP: Neovim 0.7's incremental sync drops the characters typed right after one, as its
-- didChange messages show; tests/lsp/test_document.cpp and test_server.cpp cover surrogate pairs.)
local line = 'greeting = "h\u{E9}llo"; api_key = "' .. key .. '"'
vim.api.nvim_feedkeys("Go" .. line .. "\27", "xt", false)
wait_for(1, "a diagnostic for the typed key")
local d = keygate_diagnostics()[1]
check(d.lnum == 1, "the diagnostic is on the typed line")
local byte_col = line:find(key, 1, true) - 1
check(d.col == byte_col and d.end_col == byte_col + #key,
  "the diagnostic covers the key (col " .. d.col .. "-" .. d.end_col .. ", expected " .. byte_col .. ")")
check(d.severity == vim.diagnostic.severity.ERROR, "a sure key is an error")
check(d.code == "together-api-key", "the code is the rule id")
check(d.message:find("together-api-key", 1, true) ~= nil, "the message names the rule")
check(d.message:find(key, 1, true) == nil, "the message never holds the whole key")
check(d.message:find(key:sub(-4), 1, true) ~= nil, "the message shows the redacted key")

-- The code actions at the key; the environment-variable one is applied as the client applies an edit.
local function actions_at(lnum, col)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} } -- keygate answers from its own findings at the range
  local results = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000)
  check(results ~= nil and results[client_id] ~= nil and results[client_id].result ~= nil, "codeAction answered")
  return results[client_id].result
end

local function find_action(actions, text)
  for _, a in ipairs(actions) do
    if a.title:find(text, 1, true) then return a end
  end
  fail("no code action titled " .. text)
end

local env = find_action(actions_at(d.lnum, d.col + 2), "from the environment")
vim.lsp.util.apply_workspace_edit(env.edit, client.offset_encoding)
local got = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
check(got == 'greeting = "h\u{E9}llo"; api_key = os.environ["API_KEY"]', "the environment edit: " .. got)
wait_for(0, "no diagnostic once the key is gone")

-- A second key, accepted with a keygate:allow comment.
vim.api.nvim_feedkeys("Go" .. 'token = "' .. key2 .. '"' .. "\27", "xt", false)
wait_for(1, "a diagnostic for the second key")
d = keygate_diagnostics()[1]
local allow = find_action(actions_at(d.lnum, d.col), "keygate:allow")
vim.lsp.util.apply_workspace_edit(allow.edit, client.offset_encoding)
got = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
check(got == 'token = "' .. key2 .. '"  # keygate:allow', "the allow comment: " .. got)
wait_for(0, "no diagnostic on an allowed line")

-- A third key, accepted into .keygateignore by the server's command.
vim.api.nvim_feedkeys("Go" .. 'secret = "' .. key3 .. '"' .. "\27", "xt", false)
wait_for(1, "a diagnostic for the third key")
d = keygate_diagnostics()[1]
local ignore = find_action(actions_at(d.lnum, d.col), ".keygateignore")
local done = client.request_sync("workspace/executeCommand", ignore.command, 10000, buf)
check(done ~= nil and done.err == nil, "the ignore command ran")
wait_for(0, "no diagnostic for an accepted fingerprint")
local f = io.open(root .. "/.keygateignore")
check(f ~= nil, ".keygateignore was written")
local ignored = f:read("*a")
f:close()
check(ignored:find("together-api-key:app.py:", 1, true) ~= nil, ".keygateignore holds the fingerprint")

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10)
io.stdout:write("neovim: ok\n")
vim.cmd("qall!")
