#include "sandbox/plan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "sandbox/environment.h"
#include "sandbox/executable.h"

namespace mg::sandbox {

namespace {

namespace fs = std::filesystem;
namespace ll = landlock;

Error SetupError(std::string message) {
  return Error{ErrorCode::kInvalidArgument, 0, std::move(message)};
}

bool IsSystemPath(const std::string& canonical) { return canonical.rfind("/usr/", 0) == 0; }

// The system folders in both modes (read; execute too in --observe).
void AddSystemRules(Plan& plan, bool observe) {
  const std::uint64_t system = observe ? ll::kReadExec : ll::kRead;
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    plan.child.landlock_rules.push_back({dir, system, true});
  }
  for (const char* node :
       {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}) {
    plan.child.landlock_rules.push_back({node, ll::kDevice, true});
  }
  plan.child.landlock_rules.push_back({"/proc", ll::kRead, false});
  for (const char* topology : {"/sys/devices/system/cpu", "/sys/devices/system/node"}) {
    plan.child.landlock_rules.push_back({topology, ll::kRead, true});
    plan.monitor.open_allowed.emplace_back(topology);
  }
}

Result<std::vector<ModelMount>> CheckModels(const RunConfig& config) {
  std::vector<ModelMount> models;
  for (const ModelMount& model : config.models) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(model.host_path, ec);
    if (ec) return SetupError("--model: cannot open " + model.host_path + ": " + ec.message());
    std::string inside = model.inside;
    if (inside.empty()) inside = "/model/" + canonical.filename().string();
    if (inside.size() < 2 || inside[0] != '/' ||
        fs::path(inside).lexically_normal().string() != inside) {
      return SetupError("--model-at: the destination must be an absolute normal path: " + inside);
    }
    for (const ModelMount& other : models) {
      if (other.inside == inside) return SetupError("two models at " + inside);
    }
    models.push_back({canonical.string(), inside});
  }
  return models;
}

// Namespaces: every path below is as the command sees it inside the new root.
void PlanNamespaces(const RunConfig& config, const std::vector<std::string>& chain, Plan& plan) {
  ChildPlan& child = plan.child;
  const bool observe = config.mode == Mode::kObserve;
  child.root.tmp_size = config.limits.tmp_size;
  std::vector<std::string> allowed = {"/usr", "/bin", "/sbin", "/lib", "/lib64",
                                      "/etc", "/dev", "/proc", "/tmp"};
  // The executed file is visible where it is when it is a system file, else bound read-only.
  const std::string& canonical = chain.front();
  std::string exec_path = child.exec_path;
  if (!IsSystemPath(canonical)) {
    exec_path = std::string(kCommandDirInside) + "/" + fs::path(canonical).filename().string();
    child.root.binds.push_back({canonical, exec_path, false});
    child.landlock_rules.push_back({exec_path, ll::kReadFile | ll::kExecute, false});
    allowed.push_back(kCommandDirInside);
  }
  child.exec_path = exec_path;
  child.workdir = "/tmp";
  for (std::size_t i = IsSystemPath(canonical) ? 0 : 1; i < chain.size(); ++i) {
    child.landlock_rules.push_back({chain[i], ll::kReadFile | ll::kExecute, false});
  }
  AddSystemRules(plan, observe);
  child.landlock_rules.push_back({"/etc", ll::kRead, false});
  child.landlock_rules.push_back({"/tmp", ll::kReadWrite, false});
  for (const ModelMount& model : plan.report.models) {
    child.root.binds.push_back({model.host_path, model.inside, false});
    child.landlock_rules.push_back({model.inside, ll::kRead, false});
    allowed.push_back(model.inside);
  }
  if (!config.output_dir.empty()) {
    child.root.binds.push_back({plan.report.output_dir, kOutputInside, true});
    child.landlock_rules.push_back({kOutputInside, ll::kReadWrite, false});
    allowed.push_back(kOutputInside);
  }
  // Listing "/" reveals only what we put there.
  child.landlock_rules.push_back({"/", ll::kReadDir, false});
  allowed.emplace_back("/");
  plan.monitor.open_allowed.insert(plan.monitor.open_allowed.end(), allowed.begin(), allowed.end());
}

// Fallback: host paths, a private temp folder, the models where they are.
Result<void> PlanFallback(const RunConfig& config, const std::vector<std::string>& chain,
                          Plan& plan) {
  ChildPlan& child = plan.child;
  const bool observe = config.mode == Mode::kObserve;
  std::string temp = (fs::temp_directory_path() / "modelgate-run.XXXXXX").string();
  if (::mkdtemp(temp.data()) == nullptr) return SetupError("cannot create a temp folder");
  plan.temp_dir = temp;
  child.workdir = temp;
  std::vector<std::string> allowed = {"/usr",        "/bin",      "/sbin",     "/lib",
                                      "/lib64",      "/dev/null", "/dev/zero", "/dev/urandom",
                                      "/dev/random", "/proc",     temp};
  for (const std::string& file : chain) {
    child.landlock_rules.push_back({file, ll::kReadFile | ll::kExecute, false});
    allowed.push_back(file);
  }
  AddSystemRules(plan, observe);
  for (const std::string& entry : EtcEntries()) {
    child.landlock_rules.push_back({"/etc/" + entry, ll::kRead, true});
    allowed.push_back("/etc/" + entry);
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/etc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("python3", 0) == 0) {  // Debian's /etc/python3.X (sitecustomize.py)
      child.landlock_rules.push_back({entry.path().string(), ll::kRead, true});
      allowed.push_back(entry.path().string());
    }
  }
  for (const char* entry : {"/etc/passwd", "/etc/group", "/etc/hosts"}) {
    child.landlock_rules.push_back({entry, ll::kRead, true});
    allowed.emplace_back(entry);
  }
  child.landlock_rules.push_back({temp, ll::kReadWrite, false});
  for (ModelMount& model : plan.report.models) {
    model.inside = model.host_path;  // no mount namespace: the model stays where it is
    child.landlock_rules.push_back({model.host_path, ll::kRead, false});
    allowed.push_back(model.host_path);
  }
  if (!config.output_dir.empty()) {
    child.landlock_rules.push_back({plan.report.output_dir, ll::kReadWrite, false});
    allowed.push_back(plan.report.output_dir);
  }
  for (std::string& variable : child.env) {
    if (variable == "HOME=/tmp") variable = "HOME=" + temp;
    if (variable == "TMPDIR=/tmp") variable = "TMPDIR=" + temp;
  }
  plan.monitor.open_allowed.insert(plan.monitor.open_allowed.end(), allowed.begin(), allowed.end());
  return {};
}

}  // namespace

Result<Plan> MakePlan(const RunConfig& config, const std::string& fallback_reason) {
  Plan plan;
  RunReport& report = plan.report;
  report.command = config.command;
  report.mode = config.mode;
  report.limits = config.limits;
  if (config.command.empty()) return SetupError("no command given (after --)");
  auto models = CheckModels(config);
  if (!models) return models.error();
  report.models = std::move(*models);
  if (!config.output_dir.empty()) {
    std::error_code ec;
    const fs::path output = fs::canonical(config.output_dir, ec);
    if (ec || !fs::is_directory(output)) {
      return SetupError("--output: not a folder: " + config.output_dir);
    }
    report.output_dir = output.string();
  }
  auto resolved = ResolveCommand(config.command.front(), kSandboxPath);
  if (!resolved) return resolved.error();
  auto env = BuildEnvironment(HostEnvironment(), config.pass_env, config.set_env);
  if (!env) return env.error();

  Isolation& iso = report.isolation;
  iso.landlock_abi = LandlockAbi();
  iso.namespaces = config.isolation != IsolationRequest::kNoNamespaces;
  if (!iso.namespaces) {
    iso.fallback = fallback_reason.empty() ? "disabled with --no-namespaces" : fallback_reason;
  }
  if (!iso.namespaces && iso.landlock_abi == 0) {
    return SetupError("refusing to run: neither namespaces (" + iso.fallback +
                      ") nor Landlock are available, so the filesystem could not be confined");
  }

  ChildPlan& child = plan.child;
  child.namespaces = iso.namespaces;
  child.outer_uid = ::geteuid();
  child.outer_gid = ::getegid();
  child.argv = config.command;
  child.env = std::move(*env);
  child.exec_path = *resolved;
  child.limits = config.limits;
  child.landlock_abi = iso.landlock_abi;
  child.seccomp.deny_inet_sockets = true;
  child.seccomp.deny_session_change = !iso.namespaces;
  child.seccomp.notify = config.monitor;
  plan.monitor.mode = config.mode;
  const std::vector<std::string> chain = ExecutionChain(*resolved);
  if (iso.namespaces) {
    PlanNamespaces(config, chain, plan);
  } else if (auto fallback = PlanFallback(config, chain, plan); !fallback) {
    return fallback.error();
  }
  report.resolved_command = child.exec_path;
  return plan;
}

}  // namespace mg::sandbox
