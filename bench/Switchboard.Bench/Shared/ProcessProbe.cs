using System.Diagnostics;

namespace Switchboard.Bench.Shared;

/// <summary>This process's CPU time, resident memory and thread count, as the benchmarks sample them.</summary>
internal static class ProcessProbe
{
    public static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    public static int Threads()
    {
        using var self = Process.GetCurrentProcess();
        return self.Threads.Count;
    }

    /// <summary>
    /// Context switches of this process, every thread it ever ran included: each is a wake-up or a lost core.
    /// (Summing /proc/self/task/*/status missed threads that had exited, so a span could even come out negative.)
    /// </summary>
    public static long ContextSwitches() => Libc.ContextSwitches();

    /// <summary>Minor page faults of this process so far (see <see cref="Libc.MinorPageFaults"/>).</summary>
    public static long PageFaults() => Libc.MinorPageFaults();

    /// <summary>Kernel CPU time of this process so far: system calls, page faults, the network stack's share.</summary>
    public static double SystemCpuSeconds() => Libc.SystemCpuSeconds();

    /// <summary>Resident set size now (Environment.WorkingSet reads it from /proc on Linux).</summary>
    public static long RssBytes() => Environment.WorkingSet;

    /// <summary>RSS after a full, compacting collection and a moment for the runtime to give pages back.</summary>
    public static async Task<long> SettledRssBytesAsync(TimeSpan rest)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        await Task.Delay(rest);
        return RssBytes();
    }
}
