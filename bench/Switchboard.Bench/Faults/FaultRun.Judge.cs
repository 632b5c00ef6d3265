using Switchboard.Bench.Shared;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Faults;

/// <summary>The judgement of a run: the row's figures from the recorded transitions and the last status, and the targets missed.</summary>
internal sealed partial class FaultRun
{
    private const int ExamplesPerKind = 3;
    private static readonly string[] HandshakeTimeout = ["handshake_timeout"];

    private FaultRow Row(StatusReport? status, StuckDetector stuck, IReadOnlyDictionary<string, int>? connectedAtStart,
        int recipients, long sent, DeliveryLedger? ledger, bool settled, double settleSeconds, string? error)
    {
        var healthy = _healthy.ToHashSet(StringComparer.Ordinal);
        var healthyConnected = status is null ? 0 : HealthyConnected(status, healthy);
        var deviations = _faulty.Select(FaultDeviation).OfType<string>().ToArray();
        var lostLinks = (connectedAtStart ?? new Dictionary<string, int>())
            .Select(e => (Name: e.Key, Left: _recorder.Of(e.Key).Skip(e.Value).FirstOrDefault(c => c.State != EndpointState.Connected)))
            .Where(e => e.Left is not null)
            .ToArray();
        var healthyTimeouts = _healthy.Sum(h => _recorder.Of(h).Count(c => c.State == EndpointState.Backoff && FaultCauses.HasCause(c.LastError, HandshakeTimeout)));
        var failed = _sendFailures.Total;
        // Judged message by message: a duplicate delivery cannot make up for a lost one.
        var delivered = ledger?.Distinct ?? 0;
        var lost = ledger is null ? sent : Unaccounted(sent, ledger, _sendFailures.Numbers);
        var duplicates = ledger?.Duplicates ?? 0;
        var failedYetDelivered = ledger is null ? 0 : FailedYetDelivered(sent, ledger, _sendFailures.Numbers);

        var missed = new List<string>();
        if (error is not null)
        {
            missed.Add($"run failed: {error}");
        }

        Check(healthyConnected == _healthy.Length, $"healthy connected {healthyConnected}/{_healthy.Length}");
        Check(deviations.Length == 0, $"faulty with their cause {_faulty.Length - deviations.Length}/{_faulty.Length}");
        Check(stuck.StuckEndpoints.Count == 0, $"{stuck.StuckEndpoints.Count} stuck endpoints");
        Check(lostLinks.Length == 0, $"{lostLinks.Length} healthy links lost");
        Check(lost == 0, $"{lost} messages lost");
        Check(failedYetDelivered == 0, $"{failedYetDelivered} messages answered with SendFailed were delivered");

        var examples = stuck.Violations.Take(ExamplesPerKind)
            .Concat(deviations.Take(ExamplesPerKind))
            .Concat(lostLinks.Take(ExamplesPerKind).Select(l => $"healthy {l.Name} left Connected: {l.Left!.State} {l.Left.LastError}"))
            .Concat(_sendFailures.Examples())
            .ToArray();
        return new FaultRow(Name, _options.Endpoints, _healthy.Length, healthyConnected, _faulty.Length, _faulty.Length - deviations.Length,
            _mode.Expected(), stuck.StuckEndpoints.Count, lostLinks.Length, healthyTimeouts, recipients, sent, delivered, failed, lost, duplicates, failedYetDelivered,
            settled, Math.Round(settleSeconds, 1), Math.Round(_clock.Elapsed.TotalSeconds, 1), 0, 0,
            new Dictionary<string, long>(), new Dictionary<string, long>(), _sendFailures.ByReason(), examples, missed, error);

        void Check(bool met, string what)
        {
            if (!met && error is null)
            {
                missed.Add(what);
            }
        }
    }

    /// <summary>A faulty endpoint's history against its mode; a flapping one must also have come back.</summary>
    private string? FaultDeviation(string name)
    {
        var changes = _recorder.Of(name);
        return FaultCauses.Deviation(_mode, name, changes)
               ?? (FaultCauses.Showed(_mode, changes) ? null : $"{name} never came back after its link dropped");
    }
}
