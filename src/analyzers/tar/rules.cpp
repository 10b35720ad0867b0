#include "analyzers/tar/rules.h"

#include <array>

namespace mg::tar {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kMalformed, Severity::kMedium, "Archive structure unreadable",
             "A header has a numeric field that is not a number, a pax extended header or GNU "
             "long name is malformed or over its limit, or a sparse map cannot be read. "
             "Readers reject or reinterpret such headers differently; what could be read was "
             "analysed and the archive is `incomplete`.",
             "Header at 0x400: the size field is not a valid number."},
    RuleInfo{rule::kTruncated, Severity::kMedium, "Archive truncated",
             "The archive ends inside a header or a member's data, or without the two zero "
             "blocks that mark its end: a truncated download, or an archive cut so that "
             "readers stop at different places. The bytes present were analysed; the archive "
             "is `incomplete`.",
             "The data of 'model/data.pkl' extends past the end of the file."},
    RuleInfo{rule::kBadChecksum, Severity::kMedium, "Header checksum wrong",
             "A non-zero header block fails its checksum (neither the unsigned nor the signed "
             "byte sum matches). Python's tarfile, which torch uses for the legacy tar format, "
             "stops reading there (or refuses the file when it is the first header), while "
             "GNU tar skips to the next valid header: members after it are seen by one reader "
             "only. Scanning continued at the next valid header and the skipped bytes were "
             "sniffed; the archive is `incomplete`.",
             "Header at 0x600 fails its checksum; 2 members follow it."},
    RuleInfo{rule::kDataAfterEnd, Severity::kLow, "Data after the end of the archive",
             "Non-zero bytes follow the end-of-archive zero blocks. Readers stop at the end "
             "marker unless told to ignore zero blocks (tar -i, tarfile ignore_zeros=True); "
             "medium when the bytes hold valid headers, whose members are then analysed too.",
             "1024 bytes after the end of the archive at 0x2800 hold 1 more member."},
    RuleInfo{rule::kPathTraversal, Severity::kHigh, "Member path escapes the extraction folder",
             "A member name (from the header, a GNU long name or a pax path) has '..' "
             "components, is absolute or starts with a drive letter. Extracting it (tar, or "
             "tarfile.extractall without a filter) writes outside the target folder.",
             "'../../home/user/.bashrc'"},
    RuleInfo{rule::kSuspiciousName, Severity::kMedium, "Member name with unusual characters",
             "A member or link name contains a NUL byte (C readers and tarfile cut the name "
             "there, other readers keep the rest), other control characters or backslashes "
             "(a separator on Windows only), so readers and extractors see different names.",
             "'model\\\\data.pkl'"},
    RuleInfo{rule::kLinkOutside, Severity::kHigh, "Link points outside the archive",
             "A symbolic or hard link's target is absolute or climbs out of the extraction "
             "folder with '..'. Extracting it creates a path into the rest of the file "
             "system, which later members or the loader then read or overwrite.",
             "Symlink 'model/weights' -> '../../../etc'"},
    RuleInfo{rule::kLinkCredentials, Severity::kHigh, "Link points at credentials",
             "A symbolic or hard link targets a credential or secret file (~/.ssh, "
             "/etc/shadow, ~/.aws/credentials, ~/.netrc, ...). Whoever reads the extracted "
             "link (a training job uploading outputs, a model hub) reads the secret.",
             "Symlink 'model/config.json' -> '/home/user/.aws/credentials'"},
    RuleInfo{rule::kThroughLink, Severity::kHigh, "Member extracted through a link",
             "A member's path, or a link's target, passes through a symbolic link that an "
             "earlier member created. Extractors follow the link, so the member is written "
             "(or the link points) wherever that symlink points, outside the folder even "
             "though the names look harmless.",
             "'dir/authorized_keys' is written through symlink 'dir' -> '/root/.ssh'"},
    RuleInfo{rule::kDeviceNode, Severity::kHigh, "Device node",
             "A member is a character or block device. Extracting it as root creates a "
             "device file that gives access to hardware or kernel memory; a model archive "
             "never needs one.",
             "Character device 'dev/mem' (1, 1)."},
    RuleInfo{rule::kFifo, Severity::kMedium, "FIFO",
             "A member is a named pipe. Extracting it is harmless by itself, but a loader "
             "that opens it blocks forever; a model archive never needs one.",
             "FIFO 'model/data.pkl'."},
    RuleInfo{rule::kDuplicateName, Severity::kHigh, "Duplicate member name",
             "Two members have the same name. On extraction and in tarfile.getmember the "
             "later one wins, while a scanner that stops at the first sees the other. Every "
             "copy is analysed.",
             "'model/data.pkl' appears 2 times."},
    RuleInfo{rule::kPaxMismatch, Severity::kHigh, "Pax header overrides the ustar header",
             "A pax extended header gives a path, link path or size that is not what the "
             "ustar header holds (beyond the truncation a writer does for long values), or a "
             "global pax header sets one for every later member. Readers that honour pax "
             "(tarfile, GNU tar) and readers that do not see different names or different "
             "data; when sizes differ, the ustar reading is analysed as well.",
             "pax path '../evil.pkl' but ustar name 'model/data.pkl'"},
    RuleInfo{rule::kDataOnNonFile, Severity::kMedium, "Data on a link, directory or device",
             "A header that holds no data (link, directory, device, FIFO) declares a size. "
             "tarfile reads the next header right after it, other readers skip the declared "
             "bytes: the readers then walk different headers. The declared bytes were "
             "analysed too.",
             "Symlink 'a' declares 1024 bytes of data."},
    RuleInfo{rule::kNameDisagreement, Severity::kHigh, "Readers name a member differently",
             "A GNU-format header (magic \"ustar  \") has bytes in the area POSIX uses for "
             "the name prefix. Python's tarfile joins them to the name as a prefix, GNU tar "
             "reads them as access and change times and uses the name field alone: the "
             "member is extracted under two different names. Both names are checked.",
             "tarfile names the member 'x/../../.bashrc', GNU tar 'model.pkl'"},
    RuleInfo{rule::kPolyglot, Severity::kHigh, "Tar archive that is also another format",
             "The first header is a valid tar header, and the file also reads as another "
             "format from offset 0 (for example a pickle written into the name field). "
             "torch.load tries tarfile first and reads the archive's members, pickle.load "
             "reads the pickle: each loader gets different content. Both readings were "
             "analysed.",
             "The file is a tar archive and also reads as pickle."},
    RuleInfo{rule::kSparse, Severity::kInfo, "Sparse member",
             "A member is a sparse file (GNU 'S' header or pax GNU.sparse records). GNU "
             "sparse files of at most 64 MiB are rebuilt with their holes and analysed; "
             "larger ones, unreadable maps and pax sparse formats are analysed as stored "
             "(without holes), reported at medium and the archive is `incomplete`.",
             "'disk.img' is sparse: 3 segments, 10485760 bytes once rebuilt."},
    RuleInfo{rule::kTooManyMembers, Severity::kMedium, "More members than the limit",
             "The archive has more members than --max-members allows; the rest were not "
             "analysed.",
             "More than 100000 members; the rest were not analysed."},
    RuleInfo{rule::kFindingsCapped, Severity::kInfo, "Repeated findings summarised",
             "A rule fired more often than the per-archive cap; the remaining occurrences are "
             "counted in this finding instead of being listed.",
             "TAR-PATH-TRAVERSAL: 1200 more occurrences not listed."},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::tar
