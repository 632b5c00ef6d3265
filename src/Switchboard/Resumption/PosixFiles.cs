using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Switchboard.Resumption;

/// <summary>
/// The few libc calls .NET has no managed API for: the owner of a file, the effective user, and fsync of a
/// directory (so a rename survives a crash). <c>struct statx</c> has one layout on every Linux architecture,
/// which is why it is used instead of <c>stat</c>.
/// </summary>
internal static partial class PosixFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;
    private const int ENOENT = 2;
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

    /// <summary>Facts about the path itself, not following a final symlink. False with <paramref name="missing"/> when absent.</summary>
    public static bool TryLStat(string path, out FileFacts facts, out bool missing, out string? error)
    {
        unsafe
        {
            var buffer = stackalloc byte[StatxSize];
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                facts = default;
                missing = errno == ENOENT;
                error = Marshal.GetPInvokeErrorMessage(errno);
                return false;
            }

            facts = Read(buffer);
            missing = false;
            error = null;
            return true;
        }
    }

    /// <summary>Facts about an open file, so the checks apply to what was actually opened.</summary>
    public static bool TryFStat(SafeFileHandle file, out FileFacts facts, out string? error)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            unsafe
            {
                var buffer = stackalloc byte[StatxSize];
                if (Statx((int)file.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, buffer) != 0)
                {
                    facts = default;
                    error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
                    return false;
                }

                facts = Read(buffer);
                error = null;
                return true;
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    public static uint EffectiveUserId() => GetEuid();

    /// <summary>Makes a rename inside <paramref name="directory"/> durable; best effort (some filesystems refuse).</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    private static unsafe FileFacts Read(byte* statx) =>
        new(
            Mode: *(ushort*)(statx + 28),
            OwnerUid: *(uint*)(statx + 20),
            Device: ((ulong)*(uint*)(statx + 136) << 32) | *(uint*)(statx + 140),
            Inode: *(ulong*)(statx + 32),
            Size: (long)*(ulong*)(statx + 40));

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
