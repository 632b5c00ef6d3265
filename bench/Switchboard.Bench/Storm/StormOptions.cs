using Switchboard.Bench.Shared;
using Switchboard.Testing;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Storm;

/// <summary>The storm's command line, parsed and checked.</summary>
internal sealed record StormOptions(
    int Endpoints,
    KeyAlgorithm Key,
    IReadOnlyList<string> Phases,
    int Runs,
    bool Baseline,
    bool RestartInProcess,
    TimeSpan PhaseLimit,
    int? Port,
    string OutputDirectory,
    string JsonPath,
    string CsvDirectory,
    string PlotPath,
    string PkiCacheRoot,
    string Tls = "1.3",
    string? MemoryReference = null,
    double IdleSeconds = 30,
    string Executor = SwitchboardSide.ForkJoin,
    IReadOnlyDictionary<string, string>? ManagerEnvironment = null,
    string? ManagerConfig = null,
    int FloorSeconds = 5,
    int FleetNice = 0,
    int FloorSamples = 3,
    bool Allocations = false,
    bool PskKe = false)
{
    /// <summary>What the Switchboard worker adds to its config: <c>--manager-config</c>, and psk_ke allowed with <c>--psk-ke</c>.</summary>
    public string? SwitchboardConfig => PskKe
        ? $"switchboard.tls.tls13-resumption-key-exchange = \"psk_ke\"\n{ManagerConfig}"
        : ManagerConfig;

    public const string Usage = """
          storm --endpoints N [--key ecdsa-p256|rsa-2048|rsa-4096] [--tls 1.2|1.3] [--restart] [--phases cold,idle,restart,agentdrop]
                [--idle-seconds S (default 30: the idle phase, every link up and quiet)] [--executor fork-join|channel (Switchboard's dispatchers, for an A/B)]
                [--manager-env NAME=VALUE,... (environment of the Switchboard worker only, e.g. runtime knobs for an A/B)]
                [--manager-config HOCON (added to the Switchboard worker's actor-system config, for an A/B)]
                [--floor-seconds S (default 5; 0 = skip: OpenSSL's s_time on the same certificates, new and reused, before the phases)]
                [--floor-samples K (default 3: samples of each, interleaved, before the phases and again after them; the median of all stands for the floor)]
                [--fleet-nice N (default 0: the fleet at the manager's priority; 1-19 lowers it, as agents on their own hosts would not take the manager's cores)]
                [--allocations (each phase logs its allocations by type, sampled by the runtime every ~100 KB)]
                [--psk-ke (TLS 1.3 only: the manager allows psk_ke and the fleet's agents prefer it, as agents on OpenSSL 3.3+ can; s_time's floor stays psk_dhe_ke)]
                [--runs R] [--baseline] [--restart-in-process] [--phase-limit SECONDS] [--port P]
                [--out DIR (default bench/results/tmp/storm-N-KEY-TIME, git-ignored)] [--json FILE] [--csv-dir DIR] [--plot FILE.png] [--pki-cache DIR]
                [--memory-reference storm.json]   judge memory per additional endpoint against a run at a smaller N
          storm --plot-from storm.json --plot FILE.png      draw a run's plot again from its JSON and CSVs
                                    reconnect storms against `switchboard agents` in its own process: Switchboard
                                    (and with --baseline a naive SslStream manager) per phase: time, CPU, threads,
                                    memory, timeouts, full/resumed handshakes, GetStatus p99
        """;

    public static StormOptions Parse(Arguments args)
    {
        var endpoints = args.Int("endpoints", -1, 1, 60_000);
        if (endpoints < 0)
        {
            throw new UsageException("missing --endpoints N");
        }

        var keyName = args.Optional("key") ?? "ecdsa-p256";
        if (!KeyAlgorithmNames.TryParse(keyName, out var key))
        {
            throw new UsageException($"--key must be ecdsa-p256, rsa-2048 or rsa-4096, not '{keyName}'");
        }

        var restart = args.Flag("restart");
        var phasesText = args.Optional("phases");
        var phases = ParsePhases(phasesText ?? (restart ? "cold,restart" : "cold"));
        if (restart && !phases.Contains(StormPhases.Restart))
        {
            throw new UsageException($"--restart contradicts --phases {phasesText}");
        }

        var runs = args.Int("runs", 1, 1, 50);
        var baseline = args.Flag("baseline");
        var restartInProcess = args.Flag("restart-in-process");
        var limit = TimeSpan.FromSeconds(args.Double("phase-limit", 120, 5, 3600));
        var port = args.Optional("port") is null ? (int?)null : args.Int("port", 0, 1, 65535);
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var output = Path.GetFullPath(args.Optional("out") ?? Path.Combine(ResultsDirectory.Default(), $"storm-{endpoints}-{key.Name()}-{stamp}"));
        var json = Path.GetFullPath(args.Optional("json") ?? Path.Combine(output, "storm.json"));
        var csv = Path.GetFullPath(args.Optional("csv-dir") ?? Path.Combine(output, "csv"));
        var plot = Path.GetFullPath(args.Optional("plot") ?? Path.Combine(output, "storm.png"));
        if (!plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--plot must name a .png file, not '{plot}'");
        }

        var pkiCache = Path.GetFullPath(args.Optional("pki-cache") ?? PkiCache.DefaultRoot());
        var tls = args.Optional("tls") ?? "1.3";
        if (tls is not ("1.2" or "1.3"))
        {
            throw new UsageException($"--tls must be 1.2 or 1.3, not '{tls}'");
        }

        var memoryReference = args.Optional("memory-reference") is { } reference ? Path.GetFullPath(reference) : null;
        if (memoryReference is not null && !File.Exists(memoryReference))
        {
            throw new UsageException($"--memory-reference {memoryReference}: no such file (a storm.json of a run at a smaller N)");
        }

        var idleSeconds = args.Double("idle-seconds", 30, 5, 600);
        var executor = args.Optional("executor") ?? SwitchboardSide.ForkJoin;
        if (executor is not (SwitchboardSide.ForkJoin or SwitchboardSide.Channel))
        {
            throw new UsageException($"--executor must be {SwitchboardSide.ForkJoin} or {SwitchboardSide.Channel}, not '{executor}'");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (args.Optional("manager-env") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--manager-env takes NAME=VALUE pairs separated by commas, not '{pair}'");
            }

            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        var managerConfig = args.Optional("manager-config");
        var floorSeconds = args.Int("floor-seconds", 5, 0, 600);
        var fleetNice = args.Int("fleet-nice", 0, 0, 19);
        var floorSamples = args.Int("floor-samples", 3, 1, 15);
        var allocations = args.Flag("allocations");
        var pskKe = args.Flag("psk-ke");
        if (pskKe && tls != "1.3")
        {
            throw new UsageException("--psk-ke is a TLS 1.3 resumption mode; it cannot go with --tls 1.2");
        }

        args.RejectUnknown();
        return new StormOptions(endpoints, key, phases, runs, baseline, restartInProcess, limit, port, output, json, csv, plot, pkiCache, tls, memoryReference, idleSeconds, executor, environment, managerConfig, floorSeconds, fleetNice,
            floorSamples, allocations, pskKe);
    }

    /// <summary>Cold comes first: restart and agentdrop start from the fleet it connected.</summary>
    private static string[] ParsePhases(string text)
    {
        var phases = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var phase in phases)
        {
            if (!StormPhases.All.Contains(phase))
            {
                throw new UsageException($"--phases: unknown phase '{phase}' (known: {string.Join(", ", StormPhases.All)})");
            }
        }

        if (phases.Distinct().Count() != phases.Length)
        {
            throw new UsageException($"--phases: a phase is named twice in '{text}'");
        }

        var ordered = StormPhases.All.Where(phases.Contains).ToArray();
        if (!ordered.SequenceEqual(phases) || phases.Length == 0 || phases[0] != StormPhases.Cold)
        {
            throw new UsageException($"--phases must start with cold and keep the order cold,idle,restart,agentdrop (got '{text}')");
        }

        return phases;
    }
}
