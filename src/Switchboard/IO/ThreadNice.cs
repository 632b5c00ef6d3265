using System.Runtime.InteropServices;

namespace Switchboard.IO;

/// <summary>
/// Lowers the scheduling priority (raises the nice value) of the thread it runs on, once per thread. The
/// IO actors' threads run TLS work flat out during a storm; niced, they yield the CPU at once to the
/// control path (the supervisor answering GetStatus, a health probe) when it wakes, instead of making it
/// wait for a scheduler slice, and they lose nothing when nothing else wants the CPU. Raising a nice value
/// needs no privilege. Linux only; elsewhere, and where the call fails, it does nothing.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

    [ThreadStatic]
    private static bool _applied;

    /// <summary>Sets this thread's nice value to <paramref name="nice"/> (1..19) unless done already; 0 leaves it alone.</summary>
    public static void Ensure(int nice)
    {
        if (_applied || nice <= 0)
        {
            return;
        }

        _applied = true;
        if (OperatingSystem.IsLinux())
        {
            // On Linux, PRIO_PROCESS with a thread id sets that one thread's nice value.
            _ = SetPriority(PrioProcess, GetTid(), nice);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
