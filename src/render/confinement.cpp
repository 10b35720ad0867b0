#include "render/confinement.h"

namespace mg {

nlohmann::ordered_json ConfinementToJson(const Confinement& confinement) {
  using Json = nlohmann::ordered_json;
  return Json{{"requested", confinement.requested},
              {"landlock", confinement.landlock},
              {"landlock_abi", confinement.landlock_abi},
              {"seccomp", confinement.seccomp},
              {"detail", confinement.detail.empty() ? Json(nullptr) : Json(confinement.detail)}};
}

std::string ConfinementLine(const Confinement& confinement) {
  std::string line = "Self-confinement: ";
  if (!confinement.requested) {
    line += "off";
  } else if (confinement.landlock && confinement.seccomp) {
    line += "Landlock ABI " + std::to_string(confinement.landlock_abi) + " and seccomp";
  } else if (confinement.landlock || confinement.seccomp) {
    line += confinement.landlock
                ? "Landlock ABI " + std::to_string(confinement.landlock_abi) + " only"
                : "seccomp only";
  } else {
    line += "none";
  }
  if (!confinement.detail.empty()) line += " (" + confinement.detail + ")";
  return line + ".";
}

}  // namespace mg
