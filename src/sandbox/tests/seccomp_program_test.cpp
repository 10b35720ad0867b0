// The compiled program, checked instruction by instruction: a small classic-BPF interpreter
// runs both libseccomp orderings (binary tree, linear chain) over every system call number,
// several architectures and the argument values the rules look at, and they must agree.
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <vector>

#include "sandbox/seccomp_policy.h"

namespace mg::sandbox {
namespace {

// Runs `program` on `data` as the kernel's classic-BPF interpreter would (the subset seccomp
// accepts: loads from seccomp_data, scratch memory, ALU, jumps, returns). std::nullopt: an
// instruction outside that subset, a read out of bounds, or falling off the end.
std::optional<std::uint32_t> Interpret(const std::vector<sock_filter>& program,
                                 const seccomp_data& data) {
  std::uint32_t a = 0;
  std::uint32_t x = 0;
  std::uint32_t memory[BPF_MEMWORDS] = {};
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    const sock_filter& insn = program[pc];
    const std::uint32_t source = BPF_SRC(insn.code) == BPF_X ? x : insn.k;
    switch (BPF_CLASS(insn.code)) {
      case BPF_LD:
        if (BPF_MODE(insn.code) == BPF_ABS && BPF_SIZE(insn.code) == BPF_W &&
            insn.k % 4 == 0 && insn.k + 4 <= sizeof(data)) {
          std::memcpy(&a, reinterpret_cast<const char*>(&data) + insn.k, 4);
        } else if (BPF_MODE(insn.code) == BPF_MEM && insn.k < BPF_MEMWORDS) {
          a = memory[insn.k];
        } else if (BPF_MODE(insn.code) == BPF_IMM) {
          a = insn.k;
        } else {
          return std::nullopt;
        }
        break;
      case BPF_LDX:
        if (BPF_MODE(insn.code) == BPF_MEM && insn.k < BPF_MEMWORDS) {
          x = memory[insn.k];
        } else if (BPF_MODE(insn.code) == BPF_IMM) {
          x = insn.k;
        } else {
          return std::nullopt;
        }
        break;
      case BPF_ST:
      case BPF_STX:
        if (insn.k >= BPF_MEMWORDS) return std::nullopt;
        memory[insn.k] = BPF_CLASS(insn.code) == BPF_ST ? a : x;
        break;
      case BPF_ALU:
        switch (BPF_OP(insn.code)) {
          case BPF_AND: a &= source; break;
          case BPF_OR: a |= source; break;
          case BPF_ADD: a += source; break;
          case BPF_SUB: a -= source; break;
          case BPF_RSH: a = source < 32 ? a >> source : 0; break;
          case BPF_LSH: a = source < 32 ? a << source : 0; break;
          default: return std::nullopt;
        }
        break;
      case BPF_JMP: {
        if (BPF_OP(insn.code) == BPF_JA) {
          pc += insn.k;
          break;
        }
        bool taken = false;
        switch (BPF_OP(insn.code)) {
          case BPF_JEQ: taken = a == source; break;
          case BPF_JGT: taken = a > source; break;
          case BPF_JGE: taken = a >= source; break;
          case BPF_JSET: taken = (a & source) != 0; break;
          default: return std::nullopt;
        }
        pc += taken ? insn.jt : insn.jf;
        break;
      }
      case BPF_RET:
        return BPF_RVAL(insn.code) == BPF_A ? a : insn.k;
      case BPF_MISC:
        if (BPF_MISCOP(insn.code) == BPF_TAX) {
          x = a;
        } else {
          a = x;
        }
        break;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

// Argument vectors covering every condition of the policy: clone's namespace flags, ioctl's
// TIOCSTI and TIOCLINUX (also with high bits set), socket families.
std::vector<std::array<std::uint64_t, 6>> ArgumentCases() {
  std::vector<std::array<std::uint64_t, 6>> cases = {{}};
  for (std::uint64_t flag : {CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                             CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET}) {
    cases.push_back({flag | SIGCHLD});
  }
  cases.push_back({CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD});
  for (std::uint64_t request : {TIOCSTI, TIOCLINUX, FIONREAD}) {
    cases.push_back({0, request});
    cases.push_back({0, request | (1ULL << 32)});
  }
  for (std::uint64_t family : {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET}) {
    cases.push_back({family, SOCK_STREAM});
  }
  cases.push_back({~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL});
  return cases;
}

void ExpectSameOutcomes(const SeccompPolicy& policy) {
  SeccompProgram tree;
  SeccompProgram linear;
  ASSERT_EQ(CompileSeccompFilter(policy, tree, SeccompOrdering::kBinaryTree), 0);
  ASSERT_EQ(CompileSeccompFilter(policy, linear, SeccompOrdering::kLinear), 0);
  EXPECT_EQ(tree.flags, linear.flags);
  int denied = 0;
  const std::uint32_t arches[] = {AUDIT_ARCH_X86_64,  AUDIT_ARCH_I386,    AUDIT_ARCH_AARCH64,
                                  AUDIT_ARCH_ARM,     AUDIT_ARCH_RISCV64, AUDIT_ARCH_PPC64LE};
  for (std::uint32_t arch : arches) {
    for (std::uint32_t nr = 0; nr < 1100; ++nr) {
      // Also the x32 ABI's numbers (bit 30) on x86-64.
      for (std::uint32_t number : {nr, nr | 0x40000000U}) {
        for (const auto& args : ArgumentCases()) {
          seccomp_data data{};
          data.nr = static_cast<int>(number);
          data.arch = arch;
          for (std::size_t i = 0; i < 6; ++i) data.args[i] = args[i];
          const auto from_tree = Interpret(tree.instructions, data);
          const auto from_linear = Interpret(linear.instructions, data);
          ASSERT_TRUE(from_tree.has_value()) << "nr " << number << " arch " << arch;
          ASSERT_TRUE(from_linear.has_value()) << "nr " << number << " arch " << arch;
          ASSERT_EQ(*from_tree, *from_linear) << "nr " << number << " arch " << arch;
          if ((*from_tree & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW) ++denied;
        }
      }
    }
  }
  EXPECT_GT(denied, 0);  // the interpreter did see the deny list
}

TEST(SeccompProgram, BinaryTreeAndLinearOrderingsDecideAlike) {
  ExpectSameOutcomes({});
  SeccompPolicy notify;
  notify.notify = true;
  ExpectSameOutcomes(notify);
  SeccompPolicy scanner;
  scanner.deny_exec = true;
  scanner.deny_session_change = true;
  scanner.all_threads = true;
  ExpectSameOutcomes(scanner);
}

TEST(SeccompProgram, InterpreterAgreesWithTheKernelOnKnownCalls) {
  SeccompProgram program;
  ASSERT_EQ(CompileSeccompFilter({}, program), 0);
  seccomp_data data{};
#if defined(__x86_64__)
  data.arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  data.arch = AUDIT_ARCH_AARCH64;
#else
  GTEST_SKIP() << "no architecture constant for this target in the test";
#endif
  data.nr = __NR_ptrace;
  EXPECT_EQ(Interpret(program.instructions, data), SECCOMP_RET_ERRNO | EPERM);
  data.nr = __NR_getpid;
  EXPECT_EQ(Interpret(program.instructions, data), SECCOMP_RET_ALLOW);
  data.nr = __NR_socket;
  data.args[0] = AF_INET;
  EXPECT_EQ(Interpret(program.instructions, data), SECCOMP_RET_ERRNO | EPERM);
  data.args[0] = AF_UNIX;
  EXPECT_EQ(Interpret(program.instructions, data), SECCOMP_RET_ALLOW);
  data.arch = AUDIT_ARCH_I386 == data.arch ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_I386;
  EXPECT_EQ(Interpret(program.instructions, data), SECCOMP_RET_KILL_PROCESS);
}

}  // namespace
}  // namespace mg::sandbox
