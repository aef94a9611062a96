# A local stand-in for the GitHub and GitLab list APIs, answering as they document: GitHub's
# GET /orgs/{org}/repos and GitLab's GET /groups/{id}/projects, a JSON array per page and an RFC 8288 Link
# header with rel="next" (two repositories a page, to exercise pagination). Usage: forge_server.py PORTFILE
# LOG REPO... ; the repositories' paths are the clone URLs. Requests without the expected token get 401.
import http.server, json, os, sys, urllib.parse

port_file, log, repos = sys.argv[1], sys.argv[2], sys.argv[3:]
PAGE = 2


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        page = int(query.get("page", ["1"])[0])
        with open(log, "a") as f:
            f.write(f"{url.path} page={page} auth={self.headers.get('Authorization', '')} "
                    f"private={self.headers.get('PRIVATE-TOKEN', '')}\n")
        if url.path == "/orgs/acme/repos":
            if self.headers.get("Authorization") != "Bearer " + os.environ["GITHUB_TOKEN"]:
                return self.answer(401, [])
            items = [{"full_name": "acme/" + os.path.basename(r), "clone_url": r, "size": 10 + i}
                     for i, r in enumerate(repos)]
        elif url.path == "/api/v4/groups/acme/sub/projects" or url.path == "/api/v4/groups/acme%2Fsub/projects":
            if self.headers.get("PRIVATE-TOKEN") != os.environ["GITLAB_TOKEN"]:
                return self.answer(401, [])
            items = [{"path_with_namespace": "acme/sub/" + os.path.basename(r), "http_url_to_repo": r}
                     for r in repos]
        elif url.path == "/orgs/elsewhere/repos":
            return self.answer(200, [], 'http://127.0.0.2:1/orgs/elsewhere/repos?page=2')
        else:
            return self.answer(404, {"message": "Not Found"})
        chunk = items[(page - 1) * PAGE:page * PAGE]
        more = page * PAGE < len(items)
        next_url = None
        if more:
            query["page"] = [str(page + 1)]
            next_url = f"http://127.0.0.1:{self.server.server_port}{url.path}?" + urllib.parse.urlencode(query, doseq=True)
        self.answer(200, chunk, next_url)

    def answer(self, status, body, next_url=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if next_url:
            self.send_header("Link", f'<{next_url}>; rel="next", <http://127.0.0.1/last>; rel="last"')
        self.end_headers()
        self.wfile.write(data)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
