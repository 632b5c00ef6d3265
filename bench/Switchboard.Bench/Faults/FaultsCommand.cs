using System.Text.Json;
using Switchboard.Bench.Report;
using Switchboard.Bench.Shared;
using Switchboard.Configuration;
using Switchboard.Testing;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Faults;

/// <summary>
/// <c>faults</c>: the fault matrix at scale. Per mode a fresh fleet process and a fresh manager
/// (<see cref="FaultRun"/>); after every mode the JSON and the Markdown table are written again, so an
/// interrupted run keeps what it measured. Exits 1 when any target is missed, after writing both.
/// </summary>
internal static class FaultsCommand
{
    private static readonly TimeSpan BetweenModes = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var log = Console.Error;
        FaultsOptions options;
        try
        {
            options = FaultsOptions.Parse(Arguments.Parse(args));
        }
        catch (UsageException e)
        {
            log.WriteLine($"faults: {e.Message}");
            log.WriteLine(FaultsOptions.Usage);
            return 2;
        }

        // The manager is in this process and holds a socket per endpoint too, well within the fleet's need.
        if (!FileLimit.RaiseFor("faults", options.Endpoints, log))
        {
            return 2;
        }

        var started = DateTimeOffset.Now;
        var command = "dotnet run -c Release --project bench/Switchboard.Bench -- faults " + string.Join(' ', args);
        var pki = PkiCache.Get(options.PkiCacheRoot, options.Endpoints, KeyAlgorithm.EcdsaP256, log);
        if (options.Modes.Contains(FaultMode.Expired) && !File.Exists(pki.CaKey))
        {
            log.WriteLine($"faults: mode expired mints certificates with the CA's key, but {pki.CaKey} is missing");
            return 2;
        }

        var rows = new List<FaultRow>();
        var machine = MachineInfo.Now();
        FaultsReport report = null!;
        foreach (var mode in options.Modes)
        {
            if (rows.Count > 0)
            {
                await Task.Delay(BetweenModes); // the previous fleet's sockets leave TIME_WAIT and the CPU settles
            }

            log.WriteLine($"faults: mode {mode.Name()} ({rows.Count + 1}/{options.Modes.Count})");
            var row = await new FaultRun(options, pki, mode, log).RunAsync();
            rows.Add(row);
            log.WriteLine($"faults: {mode.Name()}: {(row.Passed ? "ok" : "MISSED " + string.Join("; ", row.Missed))}");
            foreach (var example in row.Examples)
            {
                log.WriteLine($"faults: {mode.Name()}:   {example}");
            }

            report = Report(options, command, started, machine, rows);
            await WriteAsync(options, report);
        }

        Console.Out.WriteLine(FaultsTable.Render(report));
        Console.Out.WriteLine($"json:  {options.JsonPath}");
        Console.Out.WriteLine($"table: {options.TablePath}");
        if (!report.Passed)
        {
            var failed = rows.Where(r => !r.Passed).Select(r => $"{r.Mode} ({string.Join("; ", r.Missed)})");
            Console.Error.WriteLine($"faults: TARGET MISSED in {string.Join(", ", failed)}");
            return 1;
        }

        return 0;
    }

    private static FaultsReport Report(FaultsOptions options, string command, DateTimeOffset started, MachineInfo machine, List<FaultRow> rows)
    {
        var defaults = SettingsLoader.LoadReference();
        var manager = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in new[] { "connection.connect-timeout", "connection.handshake-timeout", "connection.heartbeat-interval", "connection.idle-timeout", "backoff.max" })
        {
            manager[key] = defaults.GetTimeSpan("switchboard." + key).TotalSeconds;
        }

        string[] notes =
        [
            "Per mode: `switchboard agents --fault MODE --fault-share S` in its own process; one Switchboard manager (reference.conf deadlines) in the benchmark's process with every agent as an endpoint.",
            "Settle: until every healthy endpoint is connected and every faulty one has backed off with its mode's named cause (flap: and come back), bounded by the settle limit.",
            "Messages go round-robin to the endpoints whose agents take frames (the healthy ones; in flap and silent mode the faulty ones too), spread evenly over the window; then a bounded drain.",
            "Each message carries its number; each agent records the numbers it receives (`switchboard agents --ledger`), each once. Delivered = distinct numbers received; duplicates = copies of a number already received; lost = numbers neither received nor answered with SendFailed (a frame still queued when the drain limit passed included), so a duplicate cannot hide a loss.",
            "Stuck: in backoff with no retry, in one attempt longer than connect + handshake timeout + 1.5 s, in backoff longer than backoff.max + 1.5 s, or queued for admission longer than the settle limit.",
            "Healthy links lost: healthy endpoints connected when the window began that left Connected before the drain ended. Healthy handshake timeouts: over the whole run.",
        ];
        return new FaultsReport("faults", command, started, machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() }, options.Endpoints, options.FaultShare,
            options.Window.TotalSeconds, $"switchboard agents --certs DIR --count {options.Endpoints} --port P --fault MODE --fault-share {options.FaultShare}",
            manager, [.. rows], notes);
    }

    private static async Task WriteAsync(FaultsOptions options, FaultsReport report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.JsonPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(options.TablePath)!);
        await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(report, StormJson.Options));
        await File.WriteAllTextAsync(options.TablePath, FaultsTable.Render(report));
    }
}
