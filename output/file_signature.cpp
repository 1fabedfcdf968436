#include "output/file_signature.hpp"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::output::file_signature {
namespace {

// "\nEHSIM-SIGNATURE 1 size=<16 hex> fnv1a64=<16 hex>\n" padded with spaces to kSize bytes.
constexpr char kMagic[] = "\nEHSIM-SIGNATURE 1 ";

std::uint64_t fnv1a64(const char* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string signature_of(std::uint64_t size, std::uint64_t checksum) {
    char text[kSize + 1];
    std::snprintf(text, sizeof text, "%ssize=%016" PRIx64 " fnv1a64=%016" PRIx64, kMagic, size, checksum);
    std::string signature(text);
    signature.resize(kSize - 1, ' ');
    return signature + '\n';
}

}  // namespace

std::string of(const char* data, std::size_t size) { return signature_of(size, fnv1a64(data, size)); }

void append(std::vector<char>& data) {
    const std::string signature = of(data.data(), data.size());
    data.insert(data.end(), signature.begin(), signature.end());
}

void check(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw std::runtime_error("cannot be opened");
    const auto length = static_cast<std::uint64_t>(static_cast<std::streamoff>(in.tellg()));
    constexpr std::size_t kMagicLength = sizeof kMagic - 1;
    // HDF5's own signature first (ehsim writes no user block, so it is at the start): a text or other file is named
    // for what it is, still without HDF5 reading it.
    char head[8] = {};
    in.seekg(0);
    in.read(head, sizeof head);
    if (!in || std::memcmp(head, "\x89HDF\r\n\x1a\n", sizeof head) != 0) throw std::runtime_error("not an HDF5 file");
    char tail[kSize];
    if (length >= kSize) {
        in.seekg(static_cast<std::streamoff>(length - kSize));
        in.read(tail, kSize);
    }
    if (length < kSize || !in || std::memcmp(tail, kMagic, kMagicLength) != 0)
        throw std::runtime_error(
            "not a complete file written by ehsim (it does not end with ehsim's signature: it was cut short, or "
            "changed or written by another program)");
    std::uint64_t size = 0, checksum = 0;
    const std::string fields(tail + kMagicLength, kSize - kMagicLength);
    if (std::sscanf(fields.c_str(), "size=%16" SCNx64 " fnv1a64=%16" SCNx64, &size, &checksum) != 2 ||
        signature_of(size, checksum) != std::string(tail, kSize))
        throw std::runtime_error("damaged: its ehsim signature is unreadable");
    if (size != length - kSize)
        throw std::runtime_error("truncated or extended after ehsim wrote it (" + std::to_string(length - kSize) +
                                 " bytes of data, the signature says " + std::to_string(size) + ")");
    in.seekg(0);
    std::vector<char> buffer(1 << 20);
    std::uint64_t hash = 0xcbf29ce484222325ULL, left = size;
    while (left > 0) {
        const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
        in.read(buffer.data(), static_cast<std::streamsize>(chunk));
        if (!in) throw std::runtime_error("cannot be read");
        hash = fnv1a64(buffer.data(), chunk, hash);
        left -= chunk;
    }
    if (hash != checksum)
        throw std::runtime_error("damaged: its contents do not match the checksum ehsim recorded when it wrote it");
}

}  // namespace ehsim::output::file_signature
