using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Diagnostics;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Failed connection attempts by cause, read from Switchboard's own meter ("Switchboard",
/// <c>switchboard.connect.failures</c>, tag <c>cause</c>) the way an operator's exporter would.
/// </summary>
internal sealed class SwitchboardFailures : IDisposable
{
    private const string Instrument = "switchboard.connect.failures";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byCause = new();

    public SwitchboardFailures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var cause = "unknown";
            foreach (var tag in tags)
            {
                if (tag.Key == "cause" && tag.Value is not null)
                {
                    cause = tag.Value.ToString() ?? cause;
                }
            }

            _byCause.AddOrUpdate(cause, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byCause);

    public void Dispose() => _listener.Dispose();
}
