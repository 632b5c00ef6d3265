using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Stalls of the whole machine, seen from a process that is neither the manager nor the fleet: the storm's own
/// orchestrator. A dedicated thread sleeps 5 ms at a time and writes every wake-up that came 20 ms or more
/// late to a file, as an interval on the monotonic clock (the Stopwatch's on Linux, shared by every process).
/// A worker reads the file after each phase and takes those intervals out of its status latencies, next to the
/// collection pauses: a status query that waited while this thread could not run either waited for the host,
/// not for the manager (bench/results/status-stalls).
/// </summary>
internal sealed class MachineStalls : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Late = TimeSpan.FromMilliseconds(20);

    private readonly string _path;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private MachineStalls(string path)
    {
        _path = path;
        File.WriteAllText(path, string.Empty);
        _thread = new Thread(Watch) { IsBackground = true, Name = "machine-stalls" };
        _thread.Start();
    }

    public string Path => _path;

    public static MachineStalls Start(string path) => new(path);

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The stalls written to <paramref name="path"/> during a phase that began at <paramref name="originSeconds"/>
    /// on the monotonic clock (<paramref name="originUtc"/> on the wall clock) and lasted <paramref name="length"/>,
    /// on the wall clock, as the collection pauses are.
    /// </summary>
    public static List<(DateTime Start, DateTime End)> Read(string? path, DateTime originUtc, double originSeconds, TimeSpan length)
    {
        var stalls = new List<(DateTime, DateTime)>();
        if (path is null || !File.Exists(path))
        {
            return stalls;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length == 2
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
                && end > originSeconds && start < originSeconds + length.TotalSeconds)
            {
                stalls.Add((originUtc + TimeSpan.FromSeconds(start - originSeconds), originUtc + TimeSpan.FromSeconds(end - originSeconds)));
            }
        }

        return stalls;
    }

    /// <summary>Overlapping intervals joined, so time inside two of them is taken out once.</summary>
    public static List<(DateTime Start, DateTime End)> Union(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var merged = new List<(DateTime Start, DateTime End)>();
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, end > merged[^1].End ? end : merged[^1].End);
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    public static double Now() => (double)Stopwatch.GetTimestamp() / Stopwatch.Frequency;

    private void Watch()
    {
        using var writer = new StreamWriter(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var last = Now();
        while (!_stopping)
        {
            Thread.Sleep(Tick);
            var now = Now();
            // The thread was due a tick after `last`; the stall is what came after that.
            if (now - last - Tick.TotalSeconds >= Late.TotalSeconds)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{last + Tick.TotalSeconds:F6} {now:F6}"));
            }

            last = now;
        }
    }
}
