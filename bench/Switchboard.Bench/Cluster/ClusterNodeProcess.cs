using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Switchboard.Bench.Shared;

namespace Switchboard.Bench.Cluster;

/// <summary>A node worker's process, seen from the benchmark: its snapshot, CPU and RSS from /proc, and a kill -9.</summary>
internal sealed class ClusterNodeProcess : IAsyncDisposable
{
    // USER_HZ: /proc/PID/stat counts CPU time in clock ticks, 100 a second on Linux.
    private const double TicksPerSecond = 100;
    private readonly Process _process;
    private double _lastCpu;

    private ClusterNodeProcess(Process process, NodePlan plan)
    {
        _process = process;
        Plan = plan;
    }

    public NodePlan Plan { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<ClusterNodeProcess> StartAsync(NodePlan plan, string planPath)
    {
        await File.WriteAllTextAsync(planPath, JsonSerializer.Serialize(plan));
        File.Delete(plan.StatusPath);
        File.Delete(plan.StatusPath + ".latencies");
        var info = ChildCommand.Self().StartInfo(["cluster", "--node", planPath]);
        info.RedirectStandardOutput = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a cluster node worker");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return new ClusterNodeProcess(process, plan);
    }

    /// <summary>The worker's latest snapshot; null before its first.</summary>
    /// <summary>GetStatus latencies (ms) of the queries that were due in [<paramref name="fromMs"/>, <paramref name="toMs"/>), Unix ms.</summary>
    public List<double> StatusLatencies(long fromMs, long toMs)
    {
        var path = Plan.StatusPath + ".latencies";
        var latencies = new List<double>();
        if (!File.Exists(path))
        {
            return latencies;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var due) && due >= fromMs && due < toMs &&
                double.TryParse(parts[1], CultureInfo.InvariantCulture, out var ms))
            {
                latencies.Add(ms);
            }
        }

        return latencies;
    }

    public NodeSnapshot? Snapshot()
    {
        try
        {
            return JsonSerializer.Deserialize<NodeSnapshot>(File.ReadAllText(Plan.StatusPath));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU seconds so far (the last value read, once the process is gone).</summary>
    public double CpuSeconds() => _lastCpu = CpuSecondsOf(Pid) ?? _lastCpu;

    /// <summary>User + system CPU seconds of any process; null when it is gone.</summary>
    public static double? CpuSecondsOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command's closing parenthesis.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public long RssBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task StopAsync(TimeSpan within)
    {
        if (_process.HasExited)
        {
            return;
        }

        Libc.Kill(Pid, Libc.Sigterm);
        using var limit = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
