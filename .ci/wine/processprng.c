/* bcryptprimitives.dll for Wine 8 (Debian 12), which has none: Rust's
 * standard library asks it for random bytes (ProcessPrng). This one asks
 * advapi32's RtlGenRandom (SystemFunction036), the same system generator.
 * Built by .ci/wine-run with mingw and placed beside each test binary;
 * never shipped: real Windows has its own. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
