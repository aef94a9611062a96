// Fuzz target: the object formats history reads itself. git's delta format (pack_reader.cpp apply_delta):
// any delta against any base is applied or refused, and an applied one has the size it announced. Tree
// objects (history_walk.cpp RawTree): any bytes are parsed or refused with Error, never read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "git/history_walk.hpp"
#include "git/pack_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
  const std::string_view base = std::string_view(input).substr(0, split);
  const std::string_view delta = std::string_view(input).substr(split);
  std::string out;
  if (keygate::apply_delta(base, delta, out) && out.size() > (std::size_t{1} << 40)) std::abort();

  git_oid id{};
  try {
    const keygate::RawTree tree(std::make_shared<const std::string>(input), GIT_OBJECT_TREE, id);
    std::size_t names = 0;
    tree.for_each([&](const keygate::TreeEntry& e) { names += e.name.size(); });
    if (names > size) std::abort();
    if (tree.count() > 0 && tree.same_run(0, tree, 0) != tree.count()) std::abort();
  } catch (const keygate::Error&) {
  }
  return 0;
}
