using System.Runtime.InteropServices;

namespace Switchboard.Bench.Shared;

/// <summary>The libc calls the benchmarks need and .NET does not expose: the open-file limit and sending a signal.</summary>
internal static partial class Libc
{
    public const int RlimitNofile = 7; // Linux, x86-64 and arm64
    public const int Sigterm = 15;
    public const int Sigusr1 = 10;
    public const int Sigusr2 = 12;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRLimit(int resource, in RLimit limit);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
