using System.Runtime.InteropServices;

namespace Switchboard.Bench.Shared;

/// <summary>The libc calls the benchmarks need and .NET does not expose: who we are and sending a signal (the open-file limit is <see cref="Switchboard.IO.OpenFileLimit"/>).</summary>
internal static partial class Libc
{
    public const int Sigterm = 15;
    public const int Sigusr1 = 10;
    public const int Sigusr2 = 12;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
