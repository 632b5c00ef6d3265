using System.Text.Json;
using Switchboard.Bench.Report;
using Switchboard.Bench.Shared;
using Switchboard.Testing;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Storm;

/// <summary>
/// <c>storm</c>: a PKI for N agents, <c>switchboard agents</c> in its own process, then per run and side
/// one or two worker processes that each host a manager and measure its phases. Writes the JSON report,
/// CSVs of connected-over-time and the plot, and prints the table.
/// </summary>
internal static class StormCommand
{
    private static readonly TimeSpan BetweenWorkers = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var log = Console.Error;
        StormOptions options;
        try
        {
            var arguments = Arguments.Parse(args);
            if (arguments.Optional("worker") is { } plan)
            {
                arguments.RejectUnknown();
                return await StormWorker.RunAsync(plan);
            }

            if (arguments.Optional("plot-from") is { } reportJson)
            {
                var png = arguments.Required("plot");
                arguments.RejectUnknown();
                return await ReplotAsync(reportJson, png);
            }

            options = StormOptions.Parse(arguments);
        }
        catch (UsageException e)
        {
            log.WriteLine($"storm: {e.Message}");
            log.WriteLine(StormOptions.Usage);
            return 2;
        }

        if (!FileLimit.RaiseFor("storm", options.Endpoints, log))
        {
            return 2;
        }

        var command = "dotnet run -c Release --project bench/Switchboard.Bench -- storm " + string.Join(' ', args);
        var machine = MachineInfo.Now();
        var started = DateTimeOffset.Now;
        var pki = PkiCache.Get(options.PkiCacheRoot, options.Endpoints, options.Key, log);
        // Before the fleet starts, so nothing else runs: OpenSSL's own client on the same certificates.
        var floor = options.FloorSeconds > 0 ? await Limit.LimitBenchmark.FloorAsync(pki, options.Key, options.Tls, options.FloorSeconds, options.FloorSamples, log) : null;
        var port = options.Port ?? FleetProcess.FreePort();
        var scratch = ScratchDirectory.Create("switchboard-storm-");
        var measurements = new List<(int Run, PhaseMeasurement Measurement)>();
        var notes = new List<string>();
        string fleetCommand;
        try
        {
            await using var fleet = await FleetProcess.StartAsync(ChildCommand.Self().Niced(options.FleetNice), pki.Directory, options.Endpoints, port,
                TimeSpan.FromSeconds(60 + options.Endpoints / 50.0), log, extraArguments: options.PskKe ? ["--psk-ke"] : null);
            fleetCommand = fleet.CommandLine;
            using var stalls = MachineStalls.Start(Path.Combine(scratch, "machine-stalls.txt"));
            if (options.Phases.Contains(StormPhases.AgentDrop) && !fleet.Pids.All(pid => FleetSignal.Catches(pid, Libc.Sigusr1)))
            {
                notes.Add("the fleet does not handle SIGUSR1, so agentdrop cannot be triggered (see bench/README.md)");
            }

            for (var run = 1; run <= options.Runs; run++)
            {
                // Alternate which side goes first, so neither always meets a freshly started fleet.
                string[] sides = !options.Baseline ? [StormSides.Switchboard]
                    : run % 2 == 1 ? [StormSides.Switchboard, StormSides.Baseline] : [StormSides.Baseline, StormSides.Switchboard];
                foreach (var side in sides)
                {
                    if (fleet.HasExited)
                    {
                        notes.Add($"the fleet process exited during run {run}; later runs were skipped");
                        break;
                    }

                    log.WriteLine($"storm: run {run}/{options.Runs}, {side}");
                    foreach (var measurement in await RunSideAsync(options, pki, port, fleet.Pids, scratch, run, side, stalls.Path, log))
                    {
                        measurements.Add((run, measurement));
                    }
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or FileNotFoundException)
        {
            log.WriteLine($"storm: {e.Message}");
            return 1;
        }
        finally
        {
            ScratchDirectory.TryDelete(scratch);
        }

        if (floor is not null)
        {
            // The fleet has stopped, as it had not started before: the same quiet machine, minutes later.
            floor = await Limit.LimitBenchmark.FloorAsync(pki, options.Key, options.Tls, options.FloorSeconds, options.FloorSamples, log, floor);
        }

        var csvFiles = new List<(int Run, string Side, string Phase, string Csv)>();
        foreach (var (run, measurement) in measurements.Where(m => m.Measurement.Samples.Count > 0))
        {
            csvFiles.Add((run, measurement.Side, measurement.Phase, CsvExport.Write(options.CsvDirectory, run, measurement)));
        }

        string? plot = null;
        if (csvFiles.Count > 0)
        {
            var xLimits = measurements.Where(m => m.Measurement.Completed).GroupBy(m => m.Measurement.Phase)
                .ToDictionary(g => g.Key, g => g.Max(m => m.Measurement.Seconds) * 1.15 + 0.5);
            PlotExport.Write(options.PlotPath, options.Endpoints, options.Key.Name(), options.Phases, csvFiles, xLimits);
            plot = options.PlotPath;
        }

        var all = measurements.Select(m => m.Measurement).ToArray();
        var summaries = ReportBuilder.Summaries(all, options.Phases, options.Runs);
        notes.Add("CPU, threads and memory are the manager's process only; the fleet runs in its own process on the same cores" +
                  (options.FleetNice > 0 ? $", at nice {options.FleetNice} (the manager at 0): agents on their own hosts would not take the manager's cores." : ", at the manager's priority."));
        if (floor is not null)
        {
            notes.Add("Against OpenSSL's own client: the manager's CPU over a phase per handshake it made (the restart's includes the new process's start), divided by s_time's client CPU (user + system) per connection of the same kind (cold: -new; restart, agentdrop: -reuse), measured on the same certificates before the phases and again after them (the median of all the samples of a kind).");
        }

        if (options.PskKe)
        {
            notes.Add("--psk-ke: Switchboard allowed TLS 1.3 psk_ke (tls13-resumption-key-exchange = \"psk_ke\") and the fleet's agents preferred it " +
                      "(agents --psk-ke, as SSL_OP_PREFER_NO_DHE_KEX does on OpenSSL 3.3+); resumed_without_key_exchange counts the resumptions that took it. " +
                      "s_time cannot offer psk_ke, so the floor is its psk_dhe_ke resumption; the baseline's SslStream resumes as it always does.");
        }

        if (options.ManagerConfig is { } managerConfig)
        {
            notes.Add($"Switchboard's worker ran with this added to its config: {managerConfig}");
        }

        if (options.ManagerEnvironment is { Count: > 0 } environment)
        {
            notes.Add($"Switchboard's worker ran with {string.Join(", ", environment.Select(e => $"{e.Key}={e.Value}"))} in its environment.");
        }

        // The workers run this benchmark's runtimeconfig, which mirrors the CLI's; --manager-env can override it.
        notes.Add($"the managers ran with {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, as the switchboard CLI's runtimeconfig sets it, unless --manager-env says otherwise.");
        notes.Add($"Switchboard's dispatchers ran on the {options.Executor} executor{(options.Executor == SwitchboardSide.ForkJoin ? " (reference.conf's)" : " (an A/B; reference.conf's is fork-join)")}.");
        notes.Add("KiB per endpoint = (RSS after the phase, after a full GC and 1 s of rest − RSS before the first connect) / endpoints; it includes the manager's fixed overhead spread over N.");
        if (options.Baseline)
        {
            notes.Add("the baseline cannot tell full from resumed handshakes (SslStream does not report it): its full/resumed are n/a.");
        }

        var report = new StormReport("storm", command, started, machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() },
            options.Endpoints, options.Key.Name(), options.Runs,
            options.RestartInProcess ? "in-process (new ActorSystem / new manager instance in the same process)" : "new process (the persisted session file is all that survives)",
            options.Phases, fleetCommand, summaries, ReportBuilder.Ratios(summaries), ReportBuilder.Targets(summaries, options.Endpoints, MemoryReferenceFor(options, notes)),
            csvFiles.Select(c => c.Csv).ToArray(), plot, notes, floor, floor is null ? null : FloorComparison.Build(summaries, floor));
        Directory.CreateDirectory(Path.GetDirectoryName(options.JsonPath)!);
        await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(report, StormJson.Options));
        Console.Out.WriteLine(TableExport.Render(report));
        Console.Out.WriteLine($"json: {options.JsonPath}");
        Console.Out.WriteLine($"csv:  {options.CsvDirectory} ({csvFiles.Count} files)");
        Console.Out.WriteLine($"plot: {plot ?? "none (no samples)"}");
        return all.Length > 0 && all.All(m => m.Completed) && summaries.Values.All(p => p.Values.All(s => s.Failures.Count == 0)) ? 0 : 1;
    }

    /// <summary>
    /// One side of one run. By default the restart crosses a process boundary, as a daemon restart does:
    /// one worker runs cold and exits (Switchboard persists its sessions on the way out), the next starts
    /// from the session file. With --restart-in-process a single worker restarts its manager in place.
    /// </summary>
    private static async Task<List<PhaseMeasurement>> RunSideAsync(StormOptions options, PkiLayout pki, int port, IReadOnlyList<int> fleetPids, string scratch, int run, string side, string machineStalls, TextWriter log)
    {
        var directory = Path.Combine(scratch, $"run{run}-{side}");
        Directory.CreateDirectory(directory);
        var persist = Path.Combine(directory, "switchboard.sessions");
        var groups = new List<string[]>();
        var restartAt = options.Phases.ToList().IndexOf(StormPhases.Restart);
        if (options.RestartInProcess || restartAt < 0)
        {
            groups.Add([.. options.Phases]);
        }
        else
        {
            groups.Add([.. options.Phases.Take(restartAt)]);
            groups.Add([.. options.Phases.Skip(restartAt)]);
        }

        var measurements = new List<PhaseMeasurement>();
        for (var i = 0; i < groups.Count; i++)
        {
            // Switchboard's restart starts from the sessions a complete cold saved; the baseline carries
            // nothing across a restart, so its restart is measured even when its cold never finished.
            if (i > 0 && side != StormSides.Baseline && !measurements.All(m => m.Completed))
            {
                log.WriteLine($"storm: {side} run {run}: {string.Join(",", groups[i])} skipped, an earlier phase did not complete");
                break;
            }

            var plan = new WorkerPlan(side, pki.Directory, options.Endpoints, port, fleetPids, persist, groups[i],
                options.PhaseLimit.TotalSeconds, Path.Combine(directory, $"result-{i}.json"), options.Tls, options.Key, options.IdleSeconds, options.Executor,
                side == StormSides.Switchboard ? options.ManagerEnvironment : null, options.SwitchboardConfig, options.Allocations, machineStalls);
            var result = await WorkerProcess.RunAsync(plan, Path.Combine(directory, $"plan-{i}.json"), log);
            if (result.Error is not null)
            {
                log.WriteLine($"storm: {side} run {run}: {result.Error}");
            }

            measurements.AddRange(result.Phases);
            await Task.Delay(BetweenWorkers); // let the fleet finish closing the links of the worker that just left
        }

        return measurements;
    }

    /// <summary>The reference run, if given and comparable (same key; another N); otherwise a note says why not.</summary>
    private static MemoryReference? MemoryReferenceFor(StormOptions options, List<string> notes)
    {
        if (options.MemoryReference is not { } path)
        {
            return null;
        }

        var reference = MemoryReference.Load(path);
        if (reference.Key != options.Key.Name() || reference.Endpoints == options.Endpoints)
        {
            notes.Add($"--memory-reference {path} ignored: it ran {reference.Endpoints} endpoints with {reference.Key} keys, this run {options.Endpoints} with {options.Key.Name()}");
            return null;
        }

        return reference;
    }

    /// <summary><c>storm --plot-from storm.json --plot FILE.png</c>: draws a run's plot again from its JSON and CSV files.</summary>
    private static async Task<int> ReplotAsync(string reportPath, string png)
    {
        var report = JsonSerializer.Deserialize<ReplotSource>(await File.ReadAllTextAsync(reportPath), StormJson.Options)
                     ?? throw new InvalidDataException($"{reportPath}: empty");
        var series = report.CsvFiles.Select(csv => (Csv: csv, Parts: Path.GetFileNameWithoutExtension(csv).Split('-')))
            .Where(c => c.Parts.Length == 5 && c.Parts[4].StartsWith("run", StringComparison.Ordinal))
            .Select(c => (int.Parse(c.Parts[4][3..], System.Globalization.CultureInfo.InvariantCulture), c.Parts[3], c.Parts[2], c.Csv))
            .ToArray();
        var xLimits = report.Results.Values.SelectMany(p => p.Values).SelectMany(s => s.PerRun).Where(m => m.Completed)
            .GroupBy(m => m.Phase).ToDictionary(g => g.Key, g => g.Max(m => m.Seconds) * 1.15 + 0.5);
        PlotExport.Write(Path.GetFullPath(png), report.Endpoints, report.Key, report.Phases, series, xLimits);
        Console.Out.WriteLine($"plot: {Path.GetFullPath(png)}");
        return 0;
    }

    private sealed record ReplotSource(int Endpoints, string Key, IReadOnlyList<string> Phases, IReadOnlyList<string> CsvFiles,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, ReplotPhase>> Results);

    private sealed record ReplotPhase(IReadOnlyList<ReplotRun> PerRun);

    private sealed record ReplotRun(string Phase, bool Completed, double Seconds);
}
