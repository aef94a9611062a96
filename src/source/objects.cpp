// This file implements the objects source (see core/source.hpp: read_ref_objects): what refs name that is
// not a commit walk — annotated tags' messages along a ref's chain of tags, and the blobs and trees that
// a ref or a tag points at (a tag of a file, notes pointing at a blob). History and the push checks both
// read them, so no object a ref reaches goes unjudged.
#include <git2.h>

#include <string>

#include "archive/reader.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "filter/history_attribute.hpp"
#include "git/git.hpp"
#include "util/utf16.hpp"

namespace keygate {
namespace {

std::string hex(const git_oid& id) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &id);
  return buffer;
}

// One blob's content as a fragment of `origin`, as history reads a blob: UTF-16 decoded, binary skipped.
void scan_blob(git_repository* repo, const git_oid& id, Origin origin, Scanner& scanner) {
  git_blob* raw = nullptr;
  git::check(git_blob_lookup(&raw, repo, &id), "cannot read blob " + hex(id));
  const git::Blob blob(raw);
  const auto size = static_cast<std::uint64_t>(git_blob_rawsize(raw));
  const std::uint64_t limit = scanner.settings().max_file_size;
  if (limit != 0 && size > limit) {
    if (scanner.settings().oversize == Oversize::Incomplete) {
      scanner.warn(origin.path + ": blob " + hex(id) + " not scanned: " + std::to_string(size) +
                   " bytes is over the size limit (" + std::to_string(limit) + " bytes; --max-file-size)");
    } else {
      scanner.note(origin.path, "skipped: blob over --max-file-size");
    }
    return;
  }
  Fragment fragment;
  fragment.text = std::string_view(static_cast<const char*>(git_blob_rawcontent(raw)), size);
  if (archive::is_container(fragment.text.substr(0, 8000), scanner.settings().max_archive_depth)) {
    scanner.scan_name(origin);
    scanner.add(archive::read_container(fragment.text, origin, scanner));
    return;
  }
  fragment.origin = std::move(origin);
  std::string decoded;
  if (decode_utf16(fragment.text, decoded)) fragment.text = decoded;
  scanner.scan_name(fragment.origin);  // path rules report binary blobs too (a .p12 keystore)
  if (looks_binary(fragment.text.substr(0, 8000))) {
    scanner.note(fragment.origin.path, "skipped: binary blob");
    return;
  }
  scanner.scan(fragment);
}

struct TreeWalk {
  git_repository* repo;
  Scanner& scanner;
  std::shared_ptr<const CommitInfo> info;
  std::string prefix;
};

int visit_tree_entry(const char* root, const git_tree_entry* entry, void* payload) {
  auto& walk = *static_cast<TreeWalk*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  Origin origin;
  origin.kind = SourceKind::Commit;
  origin.path = walk.prefix + root + git_tree_entry_name(entry);
  origin.commit = walk.info;
  try {
    scan_blob(walk.repo, *git_tree_entry_id(entry), std::move(origin), walk.scanner);
  } catch (const Error& e) {
    walk.scanner.warn(e.what());
  }
  return 0;
}

}  // namespace

void read_ref_objects(git_repository* repo, const std::vector<NamedObject>& objects, Scanner& scanner) {
  for (const NamedObject& named : objects) {
    git_object* raw = nullptr;
    git::check(git_object_lookup(&raw, repo, &named.id, GIT_OBJECT_ANY),
               named.name + ": cannot read object " + hex(named.id));
    git::Object object(raw);
    // Along the chain of tags: each message, then whatever the last one points at.
    while (git_object_type(object.get()) == GIT_OBJECT_TAG) {
      auto* tag = reinterpret_cast<git_tag*>(object.get());
      const char* message = git_tag_message(tag);
      if (message != nullptr && *message != '\0') {
        auto info = std::make_shared<CommitInfo>();
        info->id = hex(*git_object_id(object.get()));
        info->summary = git_tag_name(tag) != nullptr ? git_tag_name(tag) : named.name;
        if (const git_signature* tagger = git_tag_tagger(tag); tagger != nullptr) {
          info->author = tagger->name != nullptr ? tagger->name : "";
          info->email = tagger->email != nullptr ? tagger->email : "";
        }
        Fragment fragment;
        fragment.text = message;
        fragment.origin.kind = SourceKind::TagMessage;
        fragment.origin.commit = std::move(info);
        scanner.scan(fragment);
      }
      git_object* target = nullptr;
      git::check(git_tag_target(&target, tag),
                 named.name + ": cannot read the target of tag " + hex(named.id));
      object.reset(target);
    }
    const git_object_t type = git_object_type(object.get());
    if (type != GIT_OBJECT_BLOB && type != GIT_OBJECT_TREE) continue;  // commits: the caller's walk
    auto info = std::make_shared<CommitInfo>();
    info->id = hex(*git_object_id(object.get()));
    info->summary = named.name;
    if (type == GIT_OBJECT_BLOB) {
      Origin origin;
      origin.kind = SourceKind::Commit;
      origin.path = named.name;
      origin.commit = std::move(info);
      scan_blob(repo, *git_object_id(object.get()), std::move(origin), scanner);
    } else {
      TreeWalk walk{repo, scanner, std::move(info), named.name + ":"};
      git::check(
          git_tree_walk(reinterpret_cast<git_tree*>(object.get()), GIT_TREEWALK_PRE, visit_tree_entry, &walk),
          named.name + ": cannot walk tree " + hex(named.id));
    }
  }
}

}  // namespace keygate
