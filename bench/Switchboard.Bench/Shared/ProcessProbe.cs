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
    /// Context switches of every thread of this process (voluntary: the thread slept or waited; involuntary: it was
    /// preempted), summed from /proc/self/task/*/status: each is a wake-up or a lost core. Threads that already exited
    /// are not counted, so a difference over a span is exact only while threads persist (they do when idle).
    /// </summary>
    public static long ContextSwitches()
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }

        return total;
    }

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
