#include "sandbox/scan_confinement.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <filesystem>

#include "core/sha256.h"

#if defined(__SANITIZE_ADDRESS__)
#define MODELGATE_LEAK_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MODELGATE_LEAK_SANITIZER 1
#endif
#endif
#ifdef MODELGATE_LEAK_SANITIZER
#include <sanitizer/lsan_interface.h>
#endif

namespace mg::sandbox {

namespace fs = std::filesystem;

namespace {

void AddOnce(std::vector<std::string>& paths, const fs::path& path) {
  const std::string text = path.string();
  if (std::find(paths.begin(), paths.end(), text) == paths.end()) paths.push_back(text);
}

}  // namespace

SelfConfinement ScanConfinement(const std::vector<std::string>& targets) {
  SelfConfinement confinement;
  for (const std::string& target : targets) {
    std::error_code error;
    const fs::path absolute = fs::absolute(target, error);
    if (error || !fs::exists(absolute, error)) continue;
    AddOnce(confinement.read_paths, absolute);
    if (fs::is_directory(absolute, error)) continue;
    // mlflow/model_folder.cpp reads an MLmodel's siblings; sparkml/folder.cpp reads the model
    // folder that holds metadata/. Reading stays read-only; the rest of the disk stays closed.
    const fs::path folder = absolute.parent_path();
    AddOnce(confinement.read_paths, folder);
    if (folder.filename() == "metadata" && folder.has_parent_path()) {
      AddOnce(confinement.read_paths, folder.parent_path());
    }
  }
  return confinement;
}

void PrepareForConfinement() {
  // OpenSSL 3 reads openssl.cnf and may load providers on first use; do it while it can.
  OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
  (void)Sha256Hex(ByteView(std::string_view("modelgate")));
#ifdef MODELGATE_LEAK_SANITIZER
  // Sanitizer builds only: LeakSanitizer's exit-time check stops the threads with ptrace,
  // which the filter denies, and would then fail the scan. Check now, once (this makes the
  // exit-time check a no-op); the parsers' leaks are still caught by the in-process tests.
  __lsan_do_leak_check();
#endif
}

Confinement ConfineScan(const std::vector<std::string>& targets) {
  PrepareForConfinement();
  const SelfConfinementResult result = ConfineSelf(ScanConfinement(targets));
  Confinement confinement;
  confinement.landlock_abi = result.landlock_abi;
  confinement.landlock = result.landlock;
  confinement.seccomp = result.seccomp;
  confinement.detail = result.error;
  if (confinement.detail.empty() && result.landlock_abi == 0) {
    confinement.detail = "the kernel offers no Landlock";
  }
  return confinement;
}

}  // namespace mg::sandbox
