using System.Diagnostics;

namespace Switchboard.Tests.Stress;

/// <summary>What a stress spec measures about the whole process: threads, managed memory, unobserved task exceptions.</summary>
internal static class ProcessProbe
{
    private static long _unobserved;
    private static string? _lastUnobserved;

    static ProcessProbe()
    {
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Interlocked.Increment(ref _unobserved);
            Volatile.Write(ref _lastUnobserved, e.Exception.ToString());
        };
    }

    public static int Threads()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }

    /// <summary>
    /// The thread count once it stopped moving: the previous spec's actor systems and thread-pool threads
    /// take a moment to go, and a baseline taken while they leave would show a drop that is not ours.
    /// </summary>
    public static async Task<int> SettledThreads()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        var (last, steady) = (Threads(), 0);
        while (steady < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            var now = Threads();
            (last, steady) = (now, now == last ? steady + 1 : 0);
        }

        return last;
    }

    /// <summary>Managed heap after full, compacting collections, with finalizers run in between.</summary>
    public static long SettledMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Unobserved task exceptions so far; collects first, because they surface only when a faulted task is finalized.</summary>
    public static long UnobservedTaskExceptions()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Interlocked.Read(ref _unobserved);
    }

    public static string? LastUnobserved => Volatile.Read(ref _lastUnobserved);
}
