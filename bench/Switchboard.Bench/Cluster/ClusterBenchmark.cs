using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Switchboard.Bench.Report;
using Switchboard.Bench.Shared;
using Switchboard.Testing;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Cluster;

/// <summary>
/// <c>cluster --endpoints N [--key K] [--nodes 3] [--replication on,off] [--out DIR]</c>: masters as separate
/// processes (mutual TLS between them) against a fleet in its own process. Per replication setting: cold
/// (endpoints spread over the masters), kill (kill -9 of one master, by default the oldest, which also runs
/// the shard coordinator and the reconciler: unreachable, downed, re-homed, connected; how many moved
/// endpoints resumed), rejoin (a master starts again and shards rebalance to it).
/// </summary>
internal static class ClusterBenchmark
{
    public const string Usage = "cluster --endpoints N [--key ecdsa-p256|rsa-2048|rsa-4096] [--nodes 3] [--replication on,off] [--kill oldest|youngest] [--phase-limit 120] [--out DIR] [--pki-cache DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        var log = Console.Out;
        int endpoints, nodes;
        double limit;
        KeyAlgorithm key;
        string[] modes;
        bool killOldest;
        string outDirectory, pkiRoot;
        try
        {
            var arguments = Arguments.Parse(args);
            if (arguments.Optional("node") is { } planPath)
            {
                arguments.RejectUnknown();
                return await ClusterNodeWorker.RunAsync(JsonSerializer.Deserialize<NodePlan>(await File.ReadAllTextAsync(planPath))!);
            }

            endpoints = arguments.Int("endpoints", 0, 1, 100_000);
            nodes = arguments.Int("nodes", 3, 2, 9);
            limit = arguments.Double("phase-limit", 120, 10, 3600);
            var keyName = arguments.Optional("key") ?? "ecdsa-p256";
            if (!KeyAlgorithmNames.TryParse(keyName, out key))
            {
                throw new UsageException($"--key: unknown key type '{keyName}'");
            }

            modes = (arguments.Optional("replication") ?? "on,off").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (modes.Length == 0 || modes.Any(m => m is not ("on" or "off")))
            {
                throw new UsageException("--replication: a list of on and off");
            }

            killOldest = (arguments.Optional("kill") ?? "oldest") switch
            {
                "oldest" => true,
                "youngest" => false,
                var other => throw new UsageException($"--kill: oldest or youngest, got '{other}'"),
            };
            outDirectory = arguments.Optional("out") ?? Path.Combine(ResultsDirectory.Default(), $"cluster-{endpoints}-{keyName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            pkiRoot = arguments.Optional("pki-cache") ?? PkiCache.DefaultRoot();
            arguments.RejectUnknown();
        }
        catch (UsageException e)
        {
            log.WriteLine($"cluster: {e.Message}");
            log.WriteLine(Usage);
            return 2;
        }

        if (!FileLimit.RaiseFor("cluster", endpoints, log))
        {
            return 2;
        }

        Directory.CreateDirectory(outDirectory);
        var pki = PkiCache.Get(pkiRoot, endpoints, key, log);
        var fleetPort = FleetProcess.FreePort();
        var scratch = ScratchDirectory.Create("switchboard-cluster-");
        var phases = new List<ClusterPhase>();
        try
        {
            await using var fleet = await FleetProcess.StartAsync(ChildCommand.Self(), pki.Directory, endpoints, fleetPort, TimeSpan.FromSeconds(60 + endpoints / 50.0), log);
            foreach (var mode in modes)
            {
                var run = new ClusterRun(pki, endpoints, nodes, mode == "on", killOldest, fleetPort, fleet.Pids, scratch, TimeSpan.FromSeconds(limit), log);
                phases.AddRange(await run.RunAsync());
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            log.WriteLine($"cluster: {e.Message}");
            return 1;
        }
        finally
        {
            ScratchDirectory.TryDelete(scratch);
        }

        var report = new
        {
            command = "dotnet run -c Release --project bench/Switchboard.Bench -- cluster " + string.Join(' ', args),
            machine = MachineInfo.Now(),
            endpoints,
            nodes,
            key = key.ToString(),
            killed = killOldest ? "oldest" : "youngest",
            phases,
        };
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "cluster.json"), JsonSerializer.Serialize(report, StormJson.Options));
        var table = Table(phases);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "cluster.md"), table);
        log.WriteLine(table);
        log.WriteLine($"cluster: results in {outDirectory}");
        return phases.All(p => p.Connected == p.Endpoints) ? 0 : 1;
    }

    private static string Table(IEnumerable<ClusterPhase> phases)
    {
        static string S(double? seconds) => seconds is { } s ? $"{s:F1}" : "–";
        var table = new StringBuilder();
        table.AppendLine("| replication | phase | connected | time s | unreachable / downed / re-homed s | moved / resumed after move | full / resumed | CPU s per node | fleet CPU s | RSS MiB per node | ddata writes (timeouts) / KiB / reads | remoting KiB between masters | GetStatus p99 ms (queries) |");
        table.AppendLine("|---|---|---:|---:|---|---:|---:|---|---:|---|---|---:|---:|");
        foreach (var p in phases)
        {
            table.AppendLine($"| {p.Replication} | {p.Phase} | {p.Connected}/{p.Endpoints} | {S(p.Seconds)} | {S(p.UnreachableSeconds)} / {S(p.DownedSeconds)} / {S(p.RehomedSeconds)} | " +
                             $"{p.Moved} / {p.ResumedAfterMove} | {p.FullHandshakes} / {p.ResumedHandshakes} | {string.Join(", ", p.NodeCpuSeconds.Select(c => $"{c:F1}"))} | {p.FleetCpuSeconds:F1} | " +
                             $"{string.Join(", ", p.NodeRssMiB.Select(r => $"{r:F0}"))} | {p.ReplicaWrites} ({p.ReplicaWriteTimeouts}) / {p.ReplicaBytes / 1024.0:F0} / {p.ReplicaReads} | {(p.RemotingBytes is { } r ? $"{r / 1024.0:F0}" : "–")} | {p.GetStatusP99Ms:F0} ({p.GetStatusQueries}) |");
        }

        return table.ToString();
    }
}
