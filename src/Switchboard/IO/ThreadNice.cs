using System.Runtime.InteropServices;

namespace Switchboard.IO;

/// <summary>
/// Lowers the scheduling priority (raises the nice value) of the thread it runs on, once per thread. The
/// IO actors' threads run TLS work flat out during a storm; niced, they yield the CPU at once to the
/// control path (the supervisor answering GetStatus, a health probe) when it wakes, instead of making it
/// wait for a scheduler slice, and they lose nothing when nothing else wants the CPU. Raising a nice value
/// needs no privilege. Linux only; elsewhere, and where the call fails, it does nothing.
/// <para>
/// The value is added to the thread's own, not set: a process its operator started under <c>nice -n 10</c>
/// must not have its IO threads raised back to 5, which a privileged process (root, CAP_SYS_NICE) would
/// otherwise be allowed to do, and their lead over the control path must stay the same whatever the
/// process's own priority.
/// </para>
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    [ThreadStatic]
    private static bool _applied;

    /// <summary>Raises this thread's nice value by <paramref name="nice"/> (1..19, up to 19 in all) unless done already; 0 leaves it alone.</summary>
    public static void Ensure(int nice)
    {
        if (_applied || nice <= 0)
        {
            return;
        }

        _applied = true;
        if (OperatingSystem.IsLinux() && Current() is { } current)
        {
            // On Linux, PRIO_PROCESS with a thread id sets that one thread's nice value.
            _ = SetPriority(PrioProcess, GetTid(), Math.Min(Lowest, current + nice));
        }
    }

    /// <summary>This thread's nice value (Linux), or null when it cannot be read.</summary>
    internal static int? Current()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // getpriority may return -1 as a value, so only errno tells a failure (the stub clears it before the call).
        var value = GetPriority(PrioProcess, GetTid());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
