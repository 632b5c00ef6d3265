using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Text.Json;
using Switchboard.Pki;
using Switchboard.Tls;

namespace Switchboard.Bench.Handshake;

/// <summary>
/// <c>handshake --json FILE [--iterations N] [--rounds R]</c>: process CPU per handshake (client + server, both
/// in this process) of the OpenSSL engine pair vs an SslStream pair, full and resumed; medians over rounds.
/// </summary>
internal static class HandshakeBenchmark
{
    private const string Endpoint = "agent-00000";
    private const int Warmup = 50;

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
            var results = new List<ScenarioResult>();
            foreach (var version in new[] { TlsVersion.Tls12, TlsVersion.Tls13 })
            {
                results.AddRange(MeasureEngine(layout, version, iterations, rounds));
                results.Add(await MeasureSslStreamAsync(layout, version, iterations, rounds));
            }
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

    private static IEnumerable<ScenarioResult> MeasureEngine(PkiLayout layout, TlsVersion version, int iterations, int rounds)
    {
        var tag = version == TlsVersion.Tls12 ? "tls1.2" : "tls1.3";
        using var client = TlsContext.CreateClient(new TlsContextOptions(layout.CaCertificate, layout.MasterCertificate, layout.MasterKey, version, version));
        var keys = new TicketKeySet(null, NewTicketKey(), null);
        using var server = TlsContext.CreateServer(new TlsContextOptions(layout.CaCertificate, layout.AgentCertificate(Endpoint), layout.AgentKey(Endpoint), version, version), ticketKeys: keys);
        var pair = new EnginePair(client, server, Endpoint);

        yield return Measure($"engine {tag} full", iterations, rounds, () => pair.Run(null, expectResumed: false)?.Dispose());

        // TLS 1.3 tickets are single use: each resumption spends the newest ticket and keeps the one it brings.
        var session = pair.Run(null, expectResumed: false) ?? throw new InvalidOperationException("no session from the full handshake");
        var der = session.Export();
        yield return Measure($"engine {tag} resumed (native session)", iterations, rounds, () =>
        {
            var fresh = pair.Run(session, expectResumed: true);
            if (fresh is not null)
            {
                session.Dispose();
                session = fresh;
            }
        });
        session.Dispose();

        yield return Measure($"engine {tag} resumed (session from bytes)", iterations, rounds, () =>
        {
            using var imported = TlsSession.Import(der) ?? throw new InvalidOperationException("session bytes did not import");
            pair.Run(imported, expectResumed: true)?.Dispose();
        });
    }

    private static async Task<ScenarioResult> MeasureSslStreamAsync(PkiLayout layout, TlsVersion version, int iterations, int rounds)
    {
        var protocol = version == TlsVersion.Tls12 ? SslProtocols.Tls12 : SslProtocols.Tls13;
        var tag = version == TlsVersion.Tls12 ? "tls1.2" : "tls1.3";
        using var pair = new SslStreamPair(
            layout.CaCertificate,
            (layout.MasterCertificate, layout.MasterKey),
            (layout.AgentCertificate(Endpoint), layout.AgentKey(Endpoint)),
            protocol,
            Endpoint);
        for (var i = 0; i < Warmup; i++)
        {
            await pair.RunAsync();
        }
        var cpu = new List<double>();
        var wall = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (cpu0, clock) = (CpuTime(), Stopwatch.StartNew());
            for (var i = 0; i < iterations; i++)
            {
                await pair.RunAsync();
            }
            wall.Add(clock.Elapsed.TotalMilliseconds / iterations);
            cpu.Add((CpuTime() - cpu0).TotalMilliseconds / iterations);
        }
        return new ScenarioResult($"sslstream {tag} full", Median(cpu), Median(wall), cpu);
    }

    private static ScenarioResult Measure(string name, int iterations, int rounds, Action handshake)
    {
        for (var i = 0; i < Warmup; i++)
        {
            handshake();
        }
        var cpu = new List<double>();
        var wall = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (cpu0, clock) = (CpuTime(), Stopwatch.StartNew());
            for (var i = 0; i < iterations; i++)
            {
                handshake();
            }
            wall.Add(clock.Elapsed.TotalMilliseconds / iterations);
            cpu.Add((CpuTime() - cpu0).TotalMilliseconds / iterations);
        }
        return new ScenarioResult(name, Median(cpu), Median(wall), cpu);
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

    private static TicketKey NewTicketKey() => new(
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.NameLength),
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
        DateTime.UtcNow);

    private static void Print(HandshakeReport report)
    {
        Console.WriteLine($"handshake CPU (client + server, process CPU time), median of {report.Rounds} rounds x {report.Iterations}, {report.ProcessorCount} cores");
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
