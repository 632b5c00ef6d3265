using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Switchboard.Bench.Shared;
using Switchboard.Bench.Storm;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Faults;

/// <summary>
/// One fault mode: <c>switchboard agents --fault MODE --fault-share S</c> in its own process, a Switchboard
/// manager in this one with every agent as an endpoint. Settle (healthy connected, faulty in backoff with
/// their cause, bounded), send messages spread over a window while the faulty misbehave, drain (bounded),
/// then judge. Partial files: the messages and the judgement live in FaultRun.Messages.cs / .Judge.cs.
/// </summary>
internal sealed partial class FaultRun
{
    private readonly FaultsOptions _options;
    private readonly PkiLayout _pki;
    private readonly FaultMode _mode;
    private readonly TextWriter _log;
    private readonly IReadOnlyList<EndpointSettings> _endpoints;
    private readonly string[] _healthy;
    private readonly string[] _faulty;
    private readonly StateRecorder _recorder = new();
    private readonly SendFailures _sendFailures = new();
    private readonly List<string> _examples = [];
    private readonly List<string> _missed = [];
    private readonly Stopwatch _clock = new();

    public FaultRun(FaultsOptions options, PkiLayout pki, FaultMode mode, TextWriter log)
    {
        _options = options;
        _pki = pki;
        _mode = mode;
        _log = log;
        var spec = new FaultSpec(mode, options.FaultShare);
        _endpoints = [.. AgentFleet.Endpoints(options.Endpoints, FleetProcess.FreePort())];
        _healthy = _endpoints.Where((_, i) => !spec.IsFaulty(i, options.Endpoints)).Select(e => e.Name).ToArray();
        _faulty = _endpoints.Where((_, i) => spec.IsFaulty(i, options.Endpoints)).Select(e => e.Name).ToArray();
    }

    private string Name => _mode.Name();

    public async Task<FaultRow> RunAsync()
    {
        _clock.Start();
        var scratch = ScratchDirectory.Create("switchboard-faults-");
        try
        {
            var port = _endpoints[0].Port;
            string[] faultArguments = ["--fault", Name, "--fault-share", _options.FaultShare.ToString(CultureInfo.InvariantCulture)];
            await using var fleet = await FleetProcess.StartAsync(ChildCommand.Self(), _pki.Directory, _options.Endpoints, port,
                TimeSpan.FromSeconds(60 + _options.Endpoints / 50.0), _log, faultArguments, ledgerDirectory: scratch);
            await using var manager = new SwitchboardSide(_pki, [], Path.Combine(scratch, "switchboard.sessions"));
            await manager.StartAsync();
            return await MeasureAsync(fleet, manager);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or FileNotFoundException or AskTimeoutException)
        {
            _log.WriteLine($"faults: {Name}: {e.Message}");
            return Row(null, new StuckDetector(TimeSpan.Zero, TimeSpan.Zero), null, 0, 0, null, false, 0, e.Message);
        }
        finally
        {
            ScratchDirectory.TryDelete(scratch);
        }
    }

    private async Task<FaultRow> MeasureAsync(FleetProcess fleet, SwitchboardSide manager)
    {
        var settings = manager.Settings;
        var connection = settings.Connection;
        // Queued endpoints wait for an admission slot behind faulty ones that hold theirs until a timeout:
        // at thousands of endpoints that is long by design, so only a queue that no endpoint left for the
        // settle limit is stuck.
        var stuck = new StuckDetector(settings.Backoff.Max, connection.ConnectTimeout + connection.HandshakeTimeout, _options.SettleLimit);
        manager.Supervisor.Tell(new Subscribe(_recorder.Start(manager.System), StateChanges: true));
        var failuresRef = _sendFailures.Start(manager.System);
        await using var watch = new StatusWatch(manager.Supervisor, stuck);
        var replaced = await manager.Supervisor.Ask<EndpointsReplaced>(new ReplaceEndpoints(_endpoints), TimeSpan.FromSeconds(30));
        if (replaced.Added != _endpoints.Count)
        {
            throw new InvalidOperationException($"the manager took {replaced.Added} of {_endpoints.Count} endpoints: {string.Join("; ", replaced.Rejected.Take(3))}");
        }

        watch.Start();
        var settleClock = Stopwatch.StartNew();
        var healthy = _healthy.ToHashSet(StringComparer.Ordinal);
        var settled = await watch.UntilAsync(s => HealthyConnected(s, healthy) == _healthy.Length && _faulty.All(f => FaultCauses.Showed(_mode, _recorder.Of(f))),
            _options.SettleLimit);
        var settleSeconds = settleClock.Elapsed.TotalSeconds;
        _log.WriteLine(settled
            ? $"faults: {Name}: settled in {settleSeconds:F1} s"
            : $"faults: {Name}: not settled within {_options.SettleLimit.TotalSeconds:F0} s; {Describe(watch.Latest, healthy)}");

        var connectedAtStart = watch.Latest?.Endpoints.Where(e => healthy.Contains(e.Name) && e.State == EndpointState.Connected)
            .ToDictionary(e => e.Name, e => _recorder.Of(e.Name).Count, StringComparer.Ordinal) ?? [];
        var recipients = Recipients();
        var sent = await SendAsync(manager.Supervisor, failuresRef, recipients);
        var delivered = await DrainAsync(fleet, sent);
        await watch.StopAsync(); // the detector is not thread-safe: no poll may run while the row reads it
        var row = Row(watch.Latest, stuck, connectedAtStart, recipients.Count, sent, delivered, settled, settleSeconds, null);
        return row with
        {
            PeakThreads = watch.PeakThreads,
            PeakRssMib = Math.Round(watch.PeakRssBytes / 1048576.0, 1),
            FailuresByCause = new SortedDictionary<string, long>(new Dictionary<string, long>(manager.FailuresByCause()), StringComparer.Ordinal),
            DropsByCause = new SortedDictionary<string, long>(new Dictionary<string, long>(manager.DropsByCause()), StringComparer.Ordinal),
        };
    }

    private static int HealthyConnected(StatusReport status, HashSet<string> healthy) =>
        status.Endpoints.Count(e => e.State == EndpointState.Connected && healthy.Contains(e.Name));

    private string Describe(StatusReport? status, HashSet<string> healthy)
    {
        if (status is null)
        {
            return "no status answered";
        }

        var notShown = _faulty.Where(f => !FaultCauses.Showed(_mode, _recorder.Of(f))).ToArray();
        var odd = status.Endpoints.Where(e => healthy.Contains(e.Name) && e.State != EndpointState.Connected).Take(3)
            .Select(e => $"{e.Name} {e.State} attempts={e.Attempts} error={e.LastError}");
        return $"healthy connected {HealthyConnected(status, healthy)}/{_healthy.Length} ({string.Join("; ", odd)}); " +
               $"faulty without their cause yet {notShown.Length}/{_faulty.Length} ({string.Join("; ", notShown.Take(3).Select(f => $"{f}: {_recorder.Of(f).LastOrDefault()?.LastError ?? "no transition"}"))})";
    }
}
