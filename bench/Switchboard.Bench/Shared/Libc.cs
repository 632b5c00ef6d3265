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

    private const int ScClkTck = 2; // Linux

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>The unit of /proc's CPU times (USER_HZ, 100 on Linux).</summary>
    public static long ClockTicksPerSecond { get; } = SysConf(ScClkTck) is > 0 and var hz ? hz : 100;

    private const int RusageSelf = 0;

    /// <summary>
    /// Context switches of the whole process, every thread it ever ran included (voluntary: a thread slept or
    /// waited; involuntary: it was preempted), from getrusage.
    /// </summary>
    public static long ContextSwitches() =>
        GetRusage(RusageSelf, out var usage) == 0 ? usage.VoluntarySwitches + usage.InvoluntarySwitches : -1;

    /// <summary>
    /// Minor page faults of the whole process: first touches of memory the kernel had to map. On this virtual
    /// machine each costs tens of microseconds of system time (page tables are the hypervisor's), so they are
    /// a share of what a phase costs that no profile of our own code shows.
    /// </summary>
    public static long MinorPageFaults() => GetRusage(RusageSelf, out var usage) == 0 ? usage.MinorFaults : -1;

    /// <summary>User + system CPU time of the whole process, in seconds.</summary>
    public static double CpuSeconds() =>
        GetRusage(RusageSelf, out var usage) == 0
            ? usage.UserSeconds + usage.SystemSeconds + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1e6
            : double.NaN;

    /// <summary>System (kernel) CPU time of the whole process, in seconds.</summary>
    public static double SystemCpuSeconds() =>
        GetRusage(RusageSelf, out var usage) == 0 ? usage.SystemSeconds + usage.SystemMicroseconds / 1e6 : double.NaN;

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs, the last two the context switches.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, SharedText, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches, InvoluntarySwitches;
    }
}
