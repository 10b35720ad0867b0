#include "sandbox/executable.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace mg::sandbox {

namespace {

// Largest ELF header table we read; real executables have a dozen program headers.
constexpr std::size_t kMaxProgramHeaders = 256;

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  // access(X_OK) alone says yes to root for any file with one execute bit; ask for one too.
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & 0111) != 0 &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string Canonical(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(path, ec);
  return ec ? path : canonical.string();
}

bool ReadAt(int fd, void* buffer, std::size_t size, off_t offset) {
  return ::pread(fd, buffer, size, offset) == static_cast<ssize_t>(size);
}

// ELF-64 little or big endian, as the host: PT_INTERP's path, or empty (static, not ELF).
std::string ElfInterpreter(int fd) {
  Elf64_Ehdr header{};
  if (!ReadAt(fd, &header, sizeof(header), 0) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) ||
      header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_phentsize != sizeof(Elf64_Phdr) ||
      header.e_phnum > kMaxProgramHeaders) {
    return "";
  }
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr program{};
    const off_t offset = static_cast<off_t>(header.e_phoff + i * sizeof(Elf64_Phdr));
    if (!ReadAt(fd, &program, sizeof(program), offset)) return "";
    if (program.p_type != PT_INTERP) continue;
    if (program.p_filesz == 0 || program.p_filesz > 4096) return "";
    std::string interpreter(program.p_filesz, '\0');
    if (!ReadAt(fd, interpreter.data(), interpreter.size(), static_cast<off_t>(program.p_offset))) {
      return "";
    }
    interpreter.resize(std::strlen(interpreter.c_str()));
    return interpreter;
  }
  return "";
}

// binfmt_script: "#!" then optional blanks, the interpreter up to a blank or newline.
std::string ScriptInterpreter(int fd) {
  char line[256] = {};
  const ssize_t length = ::pread(fd, line, sizeof(line) - 1, 0);
  if (length < 3 || line[0] != '#' || line[1] != '!') return "";
  std::string_view rest(line + 2, static_cast<std::size_t>(length - 2));
  const std::size_t start = rest.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  rest.remove_prefix(start);
  return std::string(rest.substr(0, rest.find_first_of(" \t\n")));
}

void AddWithInterpreter(const std::string& path, std::vector<std::string>& chain, int depth) {
  const std::string canonical = Canonical(path);
  chain.push_back(canonical);
  const int fd = ::open(canonical.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string interpreter = ElfInterpreter(fd);
  const bool script = interpreter.empty();
  if (script) interpreter = ScriptInterpreter(fd);
  ::close(fd);
  if (interpreter.empty() || interpreter[0] != '/') return;
  if (!script) {
    chain.push_back(Canonical(interpreter));
  } else if (depth == 0) {
    AddWithInterpreter(interpreter, chain, depth + 1);
  }
}

}  // namespace

Result<std::string> ResolveCommand(const std::string& name, const std::string& search_path) {
  if (name.empty()) return Error{ErrorCode::kInvalidArgument, 0, "empty command"};
  if (name.find('/') != std::string::npos) {
    std::error_code ec;
    const std::string absolute = std::filesystem::absolute(name, ec).lexically_normal().string();
    if (ec || !IsExecutableFile(absolute)) {
      return Error{ErrorCode::kInvalidArgument, 0, "not an executable file: " + name};
    }
    return absolute;
  }
  std::size_t start = 0;
  while (start <= search_path.size()) {
    std::size_t colon = search_path.find(':', start);
    if (colon == std::string::npos) colon = search_path.size();
    const std::string dir = search_path.substr(start, colon - start);
    if (!dir.empty() && dir[0] == '/' && IsExecutableFile(dir + "/" + name)) {
      return dir + "/" + name;
    }
    start = colon + 1;
  }
  return Error{ErrorCode::kInvalidArgument, 0,
               "command not found in the sandbox's PATH (" + search_path + "): " + name};
}

std::vector<std::string> ExecutionChain(const std::string& path) {
  std::vector<std::string> chain;
  AddWithInterpreter(path, chain, 0);
  return chain;
}

}  // namespace mg::sandbox
