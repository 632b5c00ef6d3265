using System.Runtime.InteropServices;

namespace Switchboard.IO;

/// <summary>RLIMIT_NOFILE through libc: the listener's descriptor reserve reads it; the benchmarks raise it.</summary>
internal static partial class OpenFileLimit
{
    private const int RlimitNofile = 7; // Linux, x86-64 and arm64

    [StructLayout(LayoutKind.Sequential)]
    public struct Limit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <returns>0, or -1 with errno set (Marshal.GetLastPInvokeError).</returns>
    public static int Get(out Limit limit) => GetRLimit(RlimitNofile, out limit);

    /// <returns>0, or -1 with errno set (Marshal.GetLastPInvokeError).</returns>
    public static int Set(in Limit limit) => SetRLimit(RlimitNofile, limit);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in Limit limit);
}
