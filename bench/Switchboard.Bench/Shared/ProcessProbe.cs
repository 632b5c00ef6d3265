namespace Switchboard.Bench.Shared;

/// <summary>
/// This process's CPU time, resident memory and thread count, as the benchmarks sample them. A storm samples
/// them ten times a second inside the manager's process, so each costs one system call or one small /proc file:
/// <c>Process.Threads</c> would open and parse every thread's stat file, and its CPU would count as the manager's.
/// </summary>
internal static class ProcessProbe
{
    /// <summary>User + system CPU seconds of the whole process (getrusage, as s_time's floor is measured).</summary>
    public static double CpuSeconds() => Libc.CpuSeconds();

    /// <summary>Threads of this process now (the <c>Threads:</c> line of /proc/self/status).</summary>
    public static int Threads() => (int)StatusField("Threads:");

    /// <summary>
    /// Context switches of this process, every thread it ever ran included: each is a wake-up or a lost core.
    /// (Summing /proc/self/task/*/status missed threads that had exited, so a span could even come out negative.)
    /// </summary>
    public static long ContextSwitches() => Libc.ContextSwitches();

    /// <summary>Minor page faults of this process so far (see <see cref="Libc.MinorPageFaults"/>).</summary>
    public static long PageFaults() => Libc.MinorPageFaults();

    /// <summary>
    /// Seconds the JIT compiler has run in this process, every thread summed: with tiered compilation off, what the
    /// process pays to compile each method once, fully optimized, the first time it runs.
    /// </summary>
    public static double JitSeconds() => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds;

    /// <summary>Methods the JIT compiler has compiled in this process, by the runtime's own count.</summary>
    public static long JitMethods() => System.Runtime.JitInfo.GetCompiledMethodCount();

    /// <summary>Kernel CPU time of this process so far: system calls, page faults, the network stack's share.</summary>
    public static double SystemCpuSeconds() => Libc.SystemCpuSeconds();

    /// <summary>
    /// User + system CPU seconds of other processes (the fleet), from /proc/PID/stat in clock ticks; a process that
    /// has gone counts 0. Kernel CPU spent on their behalf in softirq context is not in it.
    /// </summary>
    public static double CpuSecondsOf(IEnumerable<int> pids)
    {
        var ticks = 0L;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime: fields 14 and 15
            }
            catch (IOException)
            {
            }
        }

        return ticks / (double)Libc.ClockTicksPerSecond;
    }

    /// <summary>The whole machine's CPU time so far, as (idle, total) clock ticks from /proc/stat (idle includes iowait).</summary>
    public static (long Idle, long Total) MachineTicks()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }

    /// <summary>Resident set size now (the <c>VmRSS:</c> line of /proc/self/status, in KiB there).</summary>
    public static long RssBytes() => StatusField("VmRSS:") * 1024;

    /// <summary>The first number on the line of /proc/self/status that starts with <paramref name="name"/>; -1 if none.</summary>
    private static long StatusField(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]);
            }
        }

        return -1;
    }

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
