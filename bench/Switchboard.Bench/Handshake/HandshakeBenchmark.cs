using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Handshake;

/// <summary>
/// <c>handshake --json FILE [--iterations N] [--rounds R]</c>: process CPU per handshake (client + server, both
/// in this process) of the OpenSSL engine pair vs an SslStream pair, full and resumed. Rounds interleave the
/// scenarios so machine noise lands on all of them alike; each figure is the median over rounds.
/// </summary>
internal static class HandshakeBenchmark
{
    // Long enough for tiered JIT to finish promoting the hot paths before anything is timed.
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(300);

    public static async Task<int> RunAsync(string[] args)
    {
        string? json = null;
        var iterations = 200;
        var rounds = 7;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json" when i + 1 < args.Length:
                    json = args[++i];
                    break;
                case "--iterations" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    iterations = n;
                    i++;
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r > 0:
                    rounds = r;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"handshake: unexpected argument '{args[i]}'");
                    Console.Error.WriteLine("usage: handshake --json FILE [--iterations N (200)] [--rounds R (7)]");
                    return 2;
            }
        }
        if (json is null)
        {
            Console.Error.WriteLine("handshake: --json FILE is required");
            return 2;
        }

        var directory = Path.Combine(Path.GetTempPath(), "switchboard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var layout = PkiLayout.Generate(directory, agents: 1);
            using var scenarios = new HandshakeScenarios(layout);
            foreach (var (_, batch) in scenarios.All)
            {
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed < WarmupTime)
                {
                    await batch(10);
                }
            }

            var cpu = scenarios.All.ToDictionary(s => s.Name, _ => new List<double>());
            var wall = scenarios.All.ToDictionary(s => s.Name, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, batch) in scenarios.All)
                {
                    Settle();
                    var (cpu0, clock) = (CpuTime(), Stopwatch.StartNew());
                    await batch(iterations);
                    wall[name].Add(clock.Elapsed.TotalMilliseconds / iterations);
                    cpu[name].Add((CpuTime() - cpu0).TotalMilliseconds / iterations);
                }
            }

            var results = scenarios.All
                .Select(s => new ScenarioResult(s.Name, Median(cpu[s.Name]), Median(wall[s.Name]), cpu[s.Name]))
                .ToList();
            var report = new HandshakeReport(
                DateTime.UtcNow,
                Environment.ProcessorCount,
                iterations,
                rounds,
                results,
                new Dictionary<string, double>
                {
                    ["tls12_full_engine_over_sslstream"] = Ratio(results, "engine tls1.2 full", "sslstream tls1.2 full"),
                    ["tls13_full_engine_over_sslstream"] = Ratio(results, "engine tls1.3 full", "sslstream tls1.3 full"),
                    // SslStream's pair runs with resumption off; these compare the same work.
                    ["tls12_full_no_tickets_engine_over_sslstream"] = Ratio(results, "engine tls1.2 full, no tickets", "sslstream tls1.2 full"),
                    ["tls13_full_no_tickets_engine_over_sslstream"] = Ratio(results, "engine tls1.3 full, no tickets", "sslstream tls1.3 full"),
                });
            Print(report);
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            return 0;
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Process CPU time counts every thread, so finish earlier garbage and finalizers (SslStream leaves plenty)
    /// before the clock starts rather than charging them to the next scenario.
    /// </summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Ratio(List<ScenarioResult> results, string engine, string baseline) =>
        Math.Round(results.Single(r => r.Name == engine).CpuMsMedian / results.Single(r => r.Name == baseline).CpuMsMedian, 3);

    private static void Print(HandshakeReport report)
    {
        Console.WriteLine($"handshake CPU (client + server, process CPU time), median of {report.Rounds} interleaved rounds x {report.Iterations}, {report.ProcessorCount} cores");
        Console.WriteLine($"{"scenario",-44} {"CPU ms",8} {"wall ms",8}");
        foreach (var result in report.Results)
        {
            Console.WriteLine($"{result.Name,-44} {result.CpuMsMedian,8:F3} {result.WallMsMedian,8:F3}");
        }
        foreach (var (name, ratio) in report.Ratios)
        {
            Console.WriteLine($"{name,-44} {ratio,8:F3}x");
        }
    }
}
